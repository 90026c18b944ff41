/**
 * Index scaling (part of `npm run bench:db`; alone: `npx tsx bench/db-indexes.ts`).
 *
 * The same selective queries against 20,000 and 200,000 progress-like documents
 * in an in-memory engine, through the mongodb driver, one at a time: an
 * equality prefix + `$in` on a compound index, a date range returning ~20
 * documents, and a sort + limit 20 after an equality prefix (index order, no
 * sort). Target: each takes the same time (within 2x) at 200k as at 20k. The
 * "scan" rows run the same queries with `hint: { $natural: 1 }`, i.e. as the
 * engine ran them before its indexes were ordered (collection scan + sort).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient, type Document } from 'mongodb';
import { startEmbeddedMongo } from '../src/db/embedded/index.js';

export interface IndexRow {
  name: string;
  docs: number;
  usPerQuery: number;
}

const SIZES = [20_000, 200_000];
const QUERIES = 200;
const HOUR = 3600_000;
const T0 = Date.UTC(2026, 0, 1);

type Query = { name: string; run: (coll: import('mongodb').Collection<Document>, i: number, n: number, hint?: Document) => Promise<number> };

const QUERIES_UNDER_TEST: Query[] = [
  {
    name: 'find {institution, resolution: {$in: 3}} (compound prefix + $in)',
    run: async (coll, i, n, hint) => {
      const r = (i * 7919) % (n - 400);
      return (await coll.find({ institution: `inst${r % 200}`, resolution: { $in: [r, r + 200, r + 400] } }, hint ? { hint } : {}).toArray()).length;
    },
  },
  {
    name: 'find {at: 20-hour range} (range, ~20 docs)',
    run: async (coll, i, n, hint) => {
      const from = T0 + ((i * 7919) % (n - 40)) * HOUR;
      return (await coll.find({ at: { $gte: new Date(from), $lt: new Date(from + 20 * HOUR) } }, hint ? { hint } : {}).toArray()).length;
    },
  },
  {
    name: 'find {state}.sort({at: -1}).skip(20).limit(20) (index order)',
    run: async (coll, i, _n, hint) => (await coll.find({ state: ['open', 'done', 'late'][i % 3] }, hint ? { hint } : {}).sort({ at: -1 }).skip(20).limit(20).toArray()).length,
  },
];

async function timeQueries(coll: import('mongodb').Collection<Document>, q: Query, n: number, hint?: Document): Promise<number> {
  const count = hint ? Math.max(5, QUERIES / 20) : QUERIES;
  for (let i = 0; i < 5; i++) await q.run(coll, i, n, hint);
  const t = performance.now();
  for (let i = 0; i < count; i++) {
    const got = await q.run(coll, i, n, hint);
    if (got === 0) throw new Error(`${q.name}: no documents`);
  }
  return ((performance.now() - t) * 1000) / count;
}

export async function indexScaling(): Promise<IndexRow[]> {
  const rows: IndexRow[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'maazimio-bench-idx-'));
  const engine = await startEmbeddedMongo({ dataDir: dir, inMemory: true, port: 0 });
  const client = await MongoClient.connect(engine.uri);
  try {
    for (const n of SIZES) {
      const coll = client.db('bench').collection<Document>(`progress${n}`);
      await coll.createIndex({ institution: 1, resolution: 1 });
      await coll.createIndex({ at: 1 });
      await coll.createIndex({ state: 1, at: -1 });
      for (let start = 0; start < n; start += 5000) {
        const batch = Array.from({ length: 5000 }, (_, k) => {
          const i = start + k;
          return { institution: `inst${i % 200}`, resolution: i, state: ['open', 'done', 'late'][i % 3], at: new Date(T0 + i * HOUR), percent: i % 101, note: `Maelezo ya utekelezaji ${i}` };
        });
        await coll.insertMany(batch, { ordered: false });
      }
      for (const q of QUERIES_UNDER_TEST) {
        rows.push({ name: `${q.name}, index`, docs: n, usPerQuery: await timeQueries(coll, q, n) });
        rows.push({ name: `${q.name}, scan (before)`, docs: n, usPerQuery: await timeQueries(coll, q, n, { $natural: 1 }) });
      }
    }
  } finally {
    await client.close();
    await engine.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

/** Markdown rows: time per query at each size and the 200k/20k ratio (target <= 2 for the index rows). */
export function indexTable(rows: IndexRow[]): string[] {
  const names = [...new Set(rows.map((r) => r.name))];
  const out = ['', '| query (driver, one at a time) | 20k docs (us/query) | 200k docs (us/query) | 200k / 20k | target | met |', '|---|---:|---:|---:|---|---|'];
  for (const name of names) {
    const small = rows.find((r) => r.name === name && r.docs === SIZES[0])!;
    const large = rows.find((r) => r.name === name && r.docs === SIZES[1])!;
    const ratio = large.usPerQuery / small.usPerQuery;
    const judged = name.endsWith(', index');
    out.push(`| ${name} | ${small.usPerQuery.toFixed(0)} | ${large.usPerQuery.toFixed(0)} | ${ratio.toFixed(2)} | ${judged ? '<= 2x' : ''} | ${judged ? (ratio <= 2 ? 'yes' : 'NO') : ''} |`);
  }
  out.push(`load average at the end: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} (other processes share the CPUs)`);
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  console.log(indexTable(await indexScaling()).join('\n'));
}
