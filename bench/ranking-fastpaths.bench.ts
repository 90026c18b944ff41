/**
 * Do the rankings' fast paths earn their place (issue 14)? On the ranking bench's data set
 * (1,000 institutions × 20 resolutions × 5 versions), in ONE process with the engine in it, each
 * pair of variants is run alternately (warm-up, then 7 rounds) so that both see the same machine
 * load, and the median wall time and the median CPU time of the process (app + engine) per run
 * are printed:
 *   reads   — the progress items through the driver as raw BSON read by a hand-written decoder
 *             vs through Mongoose `.lean()` with a projection;
 *   scoring — computeRanking's safe-integer sums vs its BigInt sums (the same ranking with every
 *             weight × 10^15, which changes no score but forces BigInt);
 *   writes  — the draft with its lines as compact strings written through the driver, vs the
 *             same through the model (validation runs), vs the lines as sub-documents through
 *             the model; and reading each back as the admin/API do.
 *
 * Run: npx tsx bench/ranking.bench.ts --generate DIR && npx tsx bench/ranking-fastpaths.bench.ts DIR
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import mongoose, { Types, trusted } from 'mongoose';
import { startEmbeddedMongo } from '../src/db/embedded/index.js';
import { connectDatabase, disconnectDatabase } from '../src/db/connect.js';
import { computeRanking, defaultScoringParameters, type ScoringInput } from '../src/domain/scoring.js';
import { ProgressItemModel } from '../src/features/progress/progress.model.js';
import { InstitutionModel } from '../src/features/institutions/institution.model.js';
import { ResolutionModel } from '../src/features/resolutions/resolution.model.js';
import { RankingModel } from '../src/features/rankings/ranking.model.js';
import { loadRankingInputs } from '../src/features/rankings/ranking-inputs.js';
import { computeSnapshot } from '../src/features/rankings/snapshot.builder.js';
import { expandEntries } from '../src/db/ranking-lines.codec.js';
import type { LargeDataset } from './fixtures/large-dataset.js';

const ROUNDS = 7;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function timed(fn: () => Promise<unknown>): Promise<{ wall: number; cpu: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000 };
}

/** Runs the variants alternately and prints median wall and CPU per variant. */
async function compare(title: string, variants: Record<string, () => Promise<unknown>>): Promise<void> {
  const names = Object.keys(variants);
  for (const n of names) await variants[n]();
  const wall: Record<string, number[]> = {};
  const cpu: Record<string, number[]> = {};
  for (let r = 0; r < ROUNDS; r++) {
    for (const n of names) {
      const t = await timed(variants[n]);
      (wall[n] ??= []).push(t.wall);
      (cpu[n] ??= []).push(t.cpu);
    }
  }
  console.log(`\n${title} (median of ${ROUNDS}; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')})`);
  for (const n of names) console.log(`  ${n.padEnd(44)} wall ${Math.round(median(wall[n])).toString().padStart(5)} ms   CPU ${Math.round(median(cpu[n])).toString().padStart(5)} ms`);
}

/** The plain read: Mongoose lean documents with a projection, ids turned into strings. */
async function leanItems(resolutionIds: Types.ObjectId[]) {
  const rows = await ProgressItemModel.find({ resolution: trusted({ $in: resolutionIds }) })
    .select({ _id: 0, institution: 1, resolution: 1, 'claimed.status': 1, 'claimed.percent': 1, 'verified.status': 1, 'verified.percent': 1, 'verified.at': 1 })
    .lean();
  let n = 0;
  for (const r of rows) {
    const inst = String(r.institution);
    const res = String(r.resolution);
    if (r.verified?.at && inst && res) n += 1;
  }
  return n;
}

async function main(): Promise<void> {
  const source = process.argv[2];
  if (!source) throw new Error('usage: ranking-fastpaths.bench.ts <generated data dir>');
  const dir = mkdtempSync(join(tmpdir(), 'maazimio-fastpaths-'));
  cpSync(source, dir, { recursive: true });
  const data = JSON.parse(readFileSync(join(dir, 'dataset.json'), 'utf8')) as LargeDataset;
  const engine = await startEmbeddedMongo({ dataDir: dir, port: 0 });
  try {
    await connectDatabase(engine.uri, { dbName: 'maazimio_bench' });
    await Promise.all(Object.values(mongoose.connection.models).map((m) => m.init()));
    const cutoff = new Date(new Date(data.lastReportAt).getTime() + 1000);
    const resolutions = await ResolutionModel.find({ meeting: data.meetingId }).lean();
    const ids = resolutions.map((r) => r._id);

    await compare('reads: 18,572 progress items', {
      'raw BSON + hand-written decoder (item-rows)': () => loadRankingInputs(ids, cutoff),
      'Mongoose .lean() with a projection': () => leanItems(ids),
    });

    const inputs = await loadRankingInputs(ids, cutoff);
    const institutions = await InstitutionModel.find({ active: true }).select({ code: 1, type: 1, region: 1, active: 1 }).lean();
    const input: ScoringInput = {
      institutions: institutions.map((d) => ({ id: String(d._id), code: d.code, type: d.type, region: d.region, active: d.active })),
      resolutions: resolutions.map((r) => ({ id: String(r._id), number: r.number, weight: r.weight, appliesTo: r.appliesTo, active: r.active })),
      values: inputs.values,
      cutoff,
    };
    const big: ScoringInput = { ...input, resolutions: input.resolutions.map((r) => ({ ...r, weight: r.weight * 1e15 })) };
    await compare('scoring: computeRanking, 1,000 × 20', {
      'safe-integer sums (number path)': async () => computeRanking(input, defaultScoringParameters()),
      'BigInt sums only': async () => computeRanking(big, defaultScoringParameters()),
    });

    const snapshot = await computeSnapshot(new Types.ObjectId(data.meetingId), { cutoff });
    const expanded = expandEntries({ parameters: snapshot.parameters, entries: snapshot.entries.map((e) => ({ ...e })) }).entries;
    const base = { status: 'draft', computedAt: new Date(), version: null };
    const written: Types.ObjectId[] = [];
    await compare('writes: one draft of 1,000 entries × 20 lines', {
      'lines as strings, driver insertOne': async () => {
        const _id = new Types.ObjectId();
        written.push(_id);
        await RankingModel.collection.insertOne({ ...snapshot, ...base, _id });
      },
      'lines as strings, RankingModel.create': async () => {
        written.push((await RankingModel.create({ ...snapshot, ...base } as never))._id as Types.ObjectId);
      },
      'lines as sub-documents, RankingModel.create': async () => {
        written.push((await RankingModel.create({ ...snapshot, ...base, entries: expanded } as never))._id as Types.ObjectId);
      },
    });
    const compact = written[written.length - 2];
    const subdocs = written[written.length - 1];
    await compare('reads back: the whole draft with breakdown lines', {
      'lines as strings, lean + decode': async () => expandEntries((await RankingModel.findById(compact).lean())!),
      'lines as sub-documents, lean': async () => RankingModel.findById(subdocs).lean(),
    });
    const sizes = await RankingModel.collection.find({ _id: { $in: [compact, subdocs] } }, { raw: true }).toArray();
    console.log(`\nstored size: ${sizes.map((b) => `${Math.round((b as unknown as Uint8Array).byteLength / 1024)} KB`).join(' (strings) vs ')} (sub-documents)`);
    console.log(`peak RSS of this process (engine + data + all variants): ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
  } finally {
    await disconnectDatabase();
    await engine.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
