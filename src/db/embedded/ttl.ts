/**
 * TTL indexes: a periodic sweep deletes documents whose indexed date is older
 * than `expireAfterSeconds`. The timer is unref'd so it never keeps the
 * process alive.
 */
import type { Catalog } from './catalog.js';
import type { EngineLogger } from './logger.js';
import type { JournalOp } from './storage/types.js';
import { getPathValues } from './values.js';

function expiryDate(values: unknown[]): number | undefined {
  let min: number | undefined;
  for (const v of values) {
    for (const x of Array.isArray(v) ? v : [v]) {
      if (x instanceof Date && (min === undefined || x.getTime() < min)) min = x.getTime();
    }
  }
  return min;
}

/** Deletes expired documents in every collection; returns the number deleted. */
export async function sweepExpired(catalog: Catalog, now = Date.now()): Promise<number> {
  const ops: JournalOp[] = [];
  for (const coll of catalog.collections.values()) {
    for (const idx of coll.indexes) {
      const ttl = idx.spec.expireAfterSeconds;
      if (typeof ttl !== 'number' || idx.fields.length !== 1) continue;
      const cutoff = now - ttl * 1000;
      for (const doc of [...coll.docs.values()]) {
        const at = expiryDate(getPathValues(doc, idx.fields[0]));
        if (at !== undefined && at <= cutoff) {
          coll.remove(doc);
          ops.push({ op: 'del', ns: coll.ns, id: doc._id });
        }
      }
    }
  }
  await catalog.commit(ops);
  return ops.filter((o) => o.op === 'del').length;
}

export function startTtlMonitor(catalog: Catalog, intervalMs: number, log: EngineLogger, onTick?: () => void): () => void {
  let running = false;
  const timer = setInterval(() => {
    onTick?.();
    if (running) return;
    running = true;
    sweepExpired(catalog)
      .catch((err: unknown) => log.error('TTL sweep failed', { err: String(err) }))
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
