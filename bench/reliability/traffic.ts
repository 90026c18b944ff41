/**
 * Mixed traffic against a running app, at a steady rate: public reads, sign-ins, progress
 * submissions with a small evidence file (focal persons), and verifications (a reviewer).
 * Every submission carries a unique marker in its narrative; the ones the app acknowledged
 * (302 to the item page) are returned, so the caller can check each is stored exactly once.
 */
import type { DemoAccount } from '../../test/helpers/app-process.js';

/** A browser: cookies, no automatic redirects. */
class Session {
  private cookies = new Map<string, string>();
  constructor(private readonly base: string) {}

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(this.base + path, { ...init, headers, redirect: 'manual', signal: AbortSignal.timeout(120_000) });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair.indexOf('=');
      this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1));
    }
    return res;
  }

  async page(path: string): Promise<{ status: number; text: string }> {
    const res = await this.request(path);
    return { status: res.status, text: await res.text() };
  }

  async postForm(path: string, fields: Record<string, string>): Promise<Response> {
    return this.request(path, { method: 'POST', body: new URLSearchParams(fields), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  }
}

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

async function signIn(base: string, account: DemoAccount): Promise<Session | null> {
  const s = new Session(base);
  const login = await s.page('/login');
  const res = await s.postForm('/login', { email: account.email, password: account.password, _csrf: csrfOf(login.text) });
  await res.arrayBuffer();
  return res.status === 302 ? s : null;
}

/** A small valid PDF (the app checks the file's type by its content). */
function pdf(marker: string): Blob {
  return new Blob([`%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% ${marker}\ntrailer << /Root 1 0 R >>\n%%EOF\n`], { type: 'application/pdf' });
}

export interface Acknowledged {
  marker: string;
  itemId: string;
  fileBytes: number;
}

export interface TrafficStats {
  requests: number;
  byStatus: Record<string, number>;
  serverErrors: number;
  networkErrors: number;
  acknowledged: Acknowledged[];
  signIns: number;
  verifications: number;
  /** The first few network errors and unexpected 4xx answers, to see what went wrong. */
  samples: string[];
}

export interface TrafficOptions {
  base: string;
  accounts: DemoAccount[];
  /** Operations started per second (steady; an operation is 1–3 requests). */
  rate: number;
  /** Stops starting operations when this resolves or after `seconds`. */
  seconds: number;
  stop?: Promise<void>;
  /** Prefix of the narrative markers (unique per run). */
  tag: string;
  /** Network errors are expected while the app is being killed (crash script). */
  onNetworkError?: (err: unknown) => void;
  /** Called once the sessions are signed in and the steady traffic starts. */
  onReady?: () => void;
}

const PUBLIC = ['/', '/meetings', '/rankings', '/api/v1/meetings', '/search?q=maji', '/api/v1/institutions', '/login'];

export async function runTraffic(o: TrafficOptions): Promise<TrafficStats> {
  const stats: TrafficStats = { requests: 0, byStatus: {}, serverErrors: 0, networkErrors: 0, acknowledged: [], signIns: 0, verifications: 0, samples: [] };
  const count = (status: number, what = '') => {
    stats.requests += 1;
    if ((status >= 500 || status === 403 || status === 400) && stats.samples.length < 8) stats.samples.push(`${status} ${what}`);
    stats.byStatus[status] = (stats.byStatus[status] ?? 0) + 1;
    if (status >= 500) stats.serverErrors += 1;
    return status;
  };
  // Three focal persons and a reviewer keep their sessions for the whole run.
  const focal = o.accounts.filter((a) => a.role === 'institution').slice(0, 3);
  const reviewerAccount = o.accounts.find((a) => a.role === 'reviewer');
  let focalSessions: Session[];
  let reviewer: Session | null;
  let items: string[][];
  try {
    focalSessions = (await Promise.all(focal.map((a) => signIn(o.base, a)))).filter((s): s is Session => s !== null);
    reviewer = reviewerAccount ? await signIn(o.base, reviewerAccount) : null;
    items = await Promise.all(
      focalSessions.map(async (s) => [...new Set([...(await s.page('/progress')).text.matchAll(/href="\/progress\/items\/([0-9a-f]{24})"/g)].map((m) => m[1]))]),
    );
  } catch (err) {
    stats.networkErrors += 1;
    stats.samples.push(`setup: ${String((err as Error).cause ?? err)}`);
    return stats;
  }
  o.onReady?.();
  let n = 0;

  const operations: Array<[number, () => Promise<void>]> = [
    [64, async () => {
      const res = await fetch(o.base + PUBLIC[n % PUBLIC.length], { signal: AbortSignal.timeout(120_000) });
      await res.arrayBuffer();
      count(res.status);
    }],
    [2, async () => {
      const account = o.accounts[n % o.accounts.length];
      const s = new Session(o.base);
      const login = await s.page('/login');
      count(login.status);
      const res = await s.postForm('/login', { email: account.email, password: account.password, _csrf: csrfOf(login.text) });
      await res.arrayBuffer();
      if (count(res.status, `POST /login ${account.role}`) === 302) stats.signIns += 1;
    }],
    [20, async () => {
      const who = n % Math.max(1, focalSessions.length);
      const s = focalSessions[who];
      const list = items[who] ?? [];
      if (!s || list.length === 0) return;
      const itemId = list[n % list.length];
      const page = await s.page(`/progress/items/${itemId}`);
      count(page.status);
      const revision = /name="revision" value="(\d+)"/.exec(page.text)?.[1];
      if (!revision || !page.text.includes('enctype="multipart/form-data"')) return;
      const marker = `${o.tag}-${n}-${Math.random().toString(36).slice(2, 8)}`;
      const file = pdf(marker);
      const form = new FormData();
      form.set('_csrf', csrfOf(page.text));
      form.set('revision', revision);
      form.set('status', 'in_progress');
      form.set('percent', String(10 + (n % 80)));
      form.set('narrative', `Ripoti ya majaribio ${marker}`);
      form.set('links', '');
      form.append('files', file, `ushahidi-${marker}.pdf`);
      const res = await s.request(`/progress/items/${itemId}/reports`, { method: 'POST', body: form });
      await res.arrayBuffer();
      if (count(res.status, `POST report ${itemId}`) === 302) stats.acknowledged.push({ marker, itemId, fileBytes: file.size });
    }],
    [14, async () => {
      if (!reviewer) return;
      const queue = await reviewer.page('/review');
      count(queue.status);
      const ids = [...queue.text.matchAll(/href="\/review\/items\/([0-9a-f]{24})"/g)].map((m) => m[1]);
      if (ids.length === 0) return;
      const id = ids[n % ids.length];
      const page = await reviewer.page(`/review/items/${id}`);
      count(page.status);
      const revision = /name="revision" value="(\d+)"/.exec(page.text)?.[1];
      if (!revision) return;
      const res = await reviewer.postForm(`/review/items/${id}/verify`, { _csrf: csrfOf(page.text), revision, status: '', percent: '', reason: '' });
      await res.arrayBuffer();
      if (count(res.status, `POST verify ${id}`) === 302) stats.verifications += 1;
    }],
  ];
  const total = operations.reduce((t, [w]) => t + w, 0);
  const pick = () => {
    let r = Math.random() * total;
    for (const [w, op] of operations) {
      r -= w;
      if (r < 0) return op;
    }
    return operations[0][1];
  };

  const inFlight = new Set<Promise<void>>();
  const started = Date.now();
  let stopped = false;
  void o.stop?.then(() => (stopped = true));
  const interval = 1000 / o.rate;
  while (!stopped && Date.now() - started < o.seconds * 1000) {
    n += 1;
    const p = pick()()
      .catch((err: unknown) => {
        stats.networkErrors += 1;
        if (stats.samples.length < 8) stats.samples.push(`network: ${String((err as Error).cause ?? err)}`);
        o.onNetworkError?.(err);
      })
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
    // Steady rate: the next start is due at started + n * interval, whatever the answers take.
    const due = started + n * interval - Date.now();
    if (due > 0) await new Promise((r) => setTimeout(r, due));
  }
  await Promise.allSettled([...inFlight]);
  return stats;
}
