import { SafeString, type SafeStringValue } from './context.js';

/**
 * {{json value}} — JSON safe to embed in HTML (e.g. a data-* attribute or a
 * <script type="application/json"> block): <, >, & and line separators are escaped.
 */
export function json(value: unknown): SafeStringValue {
  const text = JSON.stringify(value ?? null)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/'/g, '\\u0027')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  return new SafeString(text);
}
