import { SafeString, rootOf, splitArgs, type SafeStringValue } from './context.js';

/**
 * <a href="/admin/users"{{navCurrent "/admin/users"}}> — adds aria-current="page" when the
 * current path is that link or below it ("/" only matches itself).
 */
export function navCurrent(...args: unknown[]): SafeStringValue {
  const { values, options } = splitArgs(args);
  const href = String(values[0] ?? '');
  const url = rootOf(options).currentUrl;
  const path = typeof url === 'string' ? url.split('?')[0] : '';
  const active = href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`);
  return new SafeString(active ? ' aria-current="page"' : '');
}
