import { langOf, type HelperOptions } from './context.js';
import { translator } from '../../i18n/index.js';

/**
 * {{t "ns:key"}} or {{t "ns:key" name=value}} — a UI string in the render's language.
 * The result is escaped by Handlebars like any other {{value}}.
 */
export function t(key: unknown, options: HelperOptions): string {
  if (typeof key !== 'string') return '';
  return translator(langOf(options))(key, { ...(options?.hash ?? {}) }) as string;
}
