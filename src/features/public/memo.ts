import { LRUCache } from 'lru-cache';

/**
 * A bounded memo of asynchronous values (lru-cache underneath), with a time to live and
 * stale-while-revalidate on expiry:
 * - concurrent callers of a missing key share one computation;
 * - a failed computation is forgotten (the next caller tries again);
 * - an expired value is still served while one refresh runs in the background, so readers never
 *   wait for a heavy aggregation just because the clock moved;
 * - clear() forgets everything at once, including computations in flight: they finish for the
 *   callers already waiting but are never stored, so after clear() every caller sees data read
 *   after it (this is how writes invalidate, see public-read.ts).
 * Entries have a size (1 unless `size` says otherwise), so a memo of rendered bodies can be
 * bounded in bytes rather than in entries.
 */
export interface MemoOptions<V> {
  ttlMs: number;
  /** Total size allowed: entries, or bytes when `size` is given. */
  max: number;
  /** Size of a settled value (e.g. its bytes); pending values count 1. */
  size?: (value: V) => number;
}

interface Entry<V> {
  value: Promise<V>;
  at: number;
  settled?: { value: V };
  refreshing?: boolean;
}

export class Memo<V> {
  private readonly entries: LRUCache<string, Entry<V>>;

  constructor(private readonly options: MemoOptions<V>) {
    this.entries = new LRUCache<string, Entry<V>>({ maxSize: options.max, sizeCalculation: () => 1 });
  }

  /** The value of `key`, computing it when missing and refreshing it in the background when expired. */
  get(key: string, compute: () => Promise<V>, now = Date.now()): Promise<V> {
    const hit = this.entries.get(key);
    if (!hit) return this.start(key, compute, now).value;
    if (hit.settled && now - hit.at >= this.options.ttlMs && !hit.refreshing) {
      hit.refreshing = true;
      const refresh = compute();
      refresh.then(
        (value) => {
          if (this.entries.peek(key) === hit) this.store(key, { value: refresh, at: Date.now(), settled: { value } });
        },
        () => {
          hit.refreshing = false;
        },
      );
    }
    return hit.value;
  }

  clear(): void {
    this.entries.clear();
  }

  private start(key: string, compute: () => Promise<V>, now: number): Entry<V> {
    const entry: Entry<V> = { value: compute(), at: now };
    this.store(key, entry);
    entry.value.then(
      (value) => {
        // Stored again as a new object (lru-cache re-measures only a different value) with its
        // real size; skipped when cleared or replaced meanwhile.
        if (this.entries.peek(key) === entry) this.store(key, { value: entry.value, at: entry.at, settled: { value } });
      },
      () => {
        if (this.entries.peek(key) === entry) this.entries.delete(key);
      },
    );
    return entry;
  }

  private store(key: string, entry: Entry<V>): void {
    const size = entry.settled && this.options.size ? Math.max(1, this.options.size(entry.settled.value)) : 1;
    this.entries.set(key, entry, { size });
  }
}
