import type { Request, Response } from 'express';
import { memo, publicCacheEnabled } from './public.cache.js';

function renderToString(res: Response, view: string, locals: object): Promise<string> {
  return new Promise((resolve, reject) => {
    res.render(view, locals, (err: Error | null, html?: string) => (err ? reject(err) : resolve(html ?? '')));
  });
}

/**
 * Renders a public page. For anonymous visitors with nothing flashed, the page does not depend
 * on who asks, only on the URL, the language and the data, so the rendered HTML is memoised
 * under (language, URL) and the data stamp (see public.cache.ts). Signed-in users get a fresh
 * render (their header differs). Validation must happen before calling this.
 */
export async function renderPublic(req: Request, res: Response, view: string, build: () => Promise<object>): Promise<void> {
  const flash = res.locals.flash as unknown[] | undefined;
  const anonymous = !req.user && (!flash || flash.length === 0);
  if (!publicCacheEnabled() || !anonymous) {
    res.render(view, await build());
    return;
  }
  const html = await memo(`page:${req.lang}:${req.originalUrl}`, async () => renderToString(res, view, await build()));
  res.type('html').send(html);
}
