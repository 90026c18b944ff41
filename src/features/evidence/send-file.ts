import contentDisposition from 'content-disposition';
import type { Response } from 'express';
import type { Readable } from 'node:stream';

/** A stored file (evidence or an objection attachment) as the services hand it to a route. */
export interface StoredFileDownload {
  filename: string;
  contentType: string;
  size: number;
  stream: NodeJS.ReadableStream | Readable;
}

/**
 * Streams a file someone uploaded. It is shown on its own, sandboxed, never able to run script
 * or reach the app, and never cached by a shared proxy: evidence is not public.
 */
export function sendStoredFile(res: Response, file: StoredFileDownload, disposition: 'inline' | 'attachment'): void {
  res.setHeader('Content-Type', file.contentType);
  res.setHeader('Content-Length', String(file.size));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Content-Security-Policy', "default-src 'none'; img-src 'self'; object-src 'self'; sandbox");
  res.setHeader('Cache-Control', 'private, no-store');
  res.setHeader('Content-Disposition', contentDisposition(file.filename, { type: disposition }));
  file.stream.on('error', () => res.destroy());
  file.stream.pipe(res);
}
