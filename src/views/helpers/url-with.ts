import { rootOf, splitArgs } from './context.js';

/**
 * Returns `url` with query parameter `name` set to `value` (removed when value is empty);
 * changing any filter resets "page".
 */
export function buildUrlWith(url: string, name: string, value: unknown): string {
  const parsed = new URL(url || '/', 'http://x');
  if (value === undefined || value === null || value === '') parsed.searchParams.delete(name);
  else parsed.searchParams.set(name, String(value));
  if (name !== 'page' && name !== 'lang') parsed.searchParams.delete('page');
  const qs = parsed.searchParams.toString();
  return parsed.pathname + (qs ? `?${qs}` : '');
}

/**
 * {{urlWith "page" 3}} — the current URL (res.locals.currentUrl) with one query parameter changed.
 * Used by filters, pagination and the language switch.
 */
export function urlWith(...args: unknown[]): string {
  const { values, options } = splitArgs(args);
  const [name, value] = values;
  const current = typeof rootOf(options).currentUrl === 'string' ? (rootOf(options).currentUrl as string) : '/';
  return buildUrlWith(current, String(name), value);
}
