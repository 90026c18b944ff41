import { SafeString, type SafeStringValue, escapeExpression, rootOf, tOf, type HelperOptions } from './context.js';
import { buildUrlWith } from './url-with.js';

/**
 * {{pagination page=page pages=pages}} — an accessible page navigation keeping the current
 * filters (links built from res.locals.currentUrl). Renders nothing for a single page.
 */
export function pagination(options: HelperOptions): SafeStringValue {
  const hash = (options?.hash ?? {}) as { page?: unknown; pages?: unknown; total?: unknown };
  const page = Math.max(1, Number(hash.page) || 1);
  const pages = Math.max(1, Number(hash.pages) || 1);
  if (pages <= 1) return new SafeString('');
  const t = tOf(options);
  const root = rootOf(options);
  const current = typeof root.currentUrl === 'string' ? root.currentUrl : '/';
  const link = (p: number, label: string, rel?: string) =>
    `<li><a href="${escapeExpression(buildUrlWith(current, 'page', p))}"${rel ? ` rel="${rel}"` : ''}>${escapeExpression(label)}</a></li>`;

  const items: string[] = [];
  if (page > 1) items.push(link(page - 1, t('common:pagination.previous') as string, 'prev'));
  const windowStart = Math.max(1, page - 2);
  const windowEnd = Math.min(pages, page + 2);
  if (windowStart > 1) {
    items.push(link(1, '1'));
    if (windowStart > 2) items.push('<li aria-hidden="true">…</li>');
  }
  for (let p = windowStart; p <= windowEnd; p++) {
    items.push(
      p === page
        ? `<li><span aria-current="page">${p}</span></li>`
        : link(p, String(p)),
    );
  }
  if (windowEnd < pages) {
    if (windowEnd < pages - 1) items.push('<li aria-hidden="true">…</li>');
    items.push(link(pages, String(pages)));
  }
  if (page < pages) items.push(link(page + 1, t('common:pagination.next') as string, 'next'));
  const label = escapeExpression(t('common:pagination.label', { page, pages }) as string);
  return new SafeString(`<nav class="pagination" aria-label="${label}"><ul>${items.join('')}</ul></nav>`);
}
