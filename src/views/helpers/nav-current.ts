import { SafeString, rootOf, splitArgs, type SafeStringValue } from './context.js';

/**
 * <a href="/admin/users"{{navCurrent "/admin/users"}}> — adds aria-current="page" when the
 * current path is that link or below it ("/" only matches itself).
 * {{navCurrent "/admin" "exact"}} matches only the path itself (a section whose pages have their own links).
 */
export function navCurrent(...args: unknown[]): SafeStringValue {
  const { values, options } = splitArgs(args);
  const href = String(values[0] ?? '');
  const url = rootOf(options).currentUrl;
  const path = typeof url === 'string' ? url.split('?')[0] : '';
  const exact = href === '/' || values[1] === 'exact';
  const active = exact ? path === href : path === href || path.startsWith(`${href}/`);
  return new SafeString(active ? ' aria-current="page"' : '');
}
