/**
 * CSV import benchmark (issue 3): on the embedded engine (durable, as `npm start` runs it),
 * dry-run and import 1,000 rows of institutions, resolutions and users through the same engine
 * the admin pages use. Target: each dry run and each import of 1,000 rows ≤ 10 s.
 * Users are emailed their set-password links by the development mailer (one .eml file each
 * under the data dir, as `npm start` does without SMTP_URL). The load average is printed because
 * the machine may be shared.
 *
 * Run alone: npx tsx bench/csv-import.bench.ts [rows]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import mongoose from 'mongoose';
import { startEmbeddedMongo } from '../src/db/embedded/index.js';
import { connectDatabase, disconnectDatabase } from '../src/db/connect.js';
import { logger } from '../src/logger.js';
import { createMailer } from '../src/mail/mailer.js';
import { runCsvImport, type CsvFormat } from '../src/features/csv/csv.engine.js';
import { institutionsCsv } from '../src/features/csv/formats/institutions.csv.js';
import { resolutionsCsv } from '../src/features/csv/formats/resolutions.csv.js';
import { createUsersCsv } from '../src/features/csv/formats/users.csv.js';
import { MeetingModel } from '../src/features/meetings/meeting.model.js';

const [rows = 1000] = process.argv.slice(2).map(Number);
const TARGET_MS = 10_000;

function institutionsFile(n: number): string {
  const lines = ['code,name_sw,name_en,acronym,type,region,parent_code,active'];
  for (let i = 1; i <= n; i += 1) {
    lines.push(`LGA-${String(i).padStart(4, '0')},Halmashauri ya Wilaya ${i},District Council ${i},DC${i},lga,Mwanza,${i > 1 ? 'LGA-0001' : ''},true`);
  }
  return lines.join('\n');
}

function resolutionsFile(n: number): string {
  const lines = ['meeting_number,number,title_sw,title_en,text_sw,text_en,category,due_date,weight,applies_to'];
  const sw = 'Taasisi zote za umma zitekeleze jambo hili kwa wakati, kwa kuzingatia viwango. '.repeat(4);
  const en = 'All public institutions implement this on time, following the standards. '.repeat(4);
  for (let i = 1; i <= n; i += 1) lines.push(`4,${i},Azimio ${i},Resolution ${i},"${sw}","${en}",cybersecurity,2025-06-30,1.5,lga;ministry`);
  return lines.join('\n');
}

function usersFile(n: number): string {
  const lines = ['email,name,role,institution_code,title,phone,language'];
  for (let i = 1; i <= n; i += 1) lines.push(`mratibu${i}@bench.go.tz,Mratibu ${i},institution,LGA-${String(((i - 1) % n) + 1).padStart(4, '0')},Mratibu,,sw`);
  return lines.join('\n');
}

async function main(): Promise<void> {
  logger.level = 'warn';
  console.log(`load average before: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const dataDir = mkdtempSync(join(tmpdir(), 'maazimio-csv-bench-'));
  const engine = await startEmbeddedMongo({ dataDir, port: 0 });
  const results: Array<{ format: string; rows: number; dryRunMs: number; importMs: number; inserted: number }> = [];
  try {
    await connectDatabase(engine.uri, { dbName: 'maazimio_bench' });
    await Promise.all(Object.values(mongoose.connection.models).map((m) => m.init()));
    await MeetingModel.create({
      number: 4,
      title: { sw: 'Kikao Kazi cha Nne', en: 'Fourth session' },
      theme: { sw: 'Kaulimbiu', en: 'Theme' },
      venue: 'AICC, Arusha',
      startDate: new Date('2024-02-06'),
      endDate: new Date('2024-02-08'),
      reportingOpens: new Date('2024-03-01'),
      reportingCloses: new Date(Date.now() + 60 * 86_400_000),
      status: 'held',
    });
    const actor = { id: new mongoose.Types.ObjectId().toHexString(), role: 'admin' as const, institutionId: null, name: 'bench' };
    const mailer = createMailer({ smtpUrl: undefined, mailFrom: 'Maazimio <no-reply@localhost>', dataDir });
    const users = createUsersCsv({ baseUrl: 'http://localhost:3000', mailer, now: () => new Date() });
    const runs: Array<[string, CsvFormat<unknown, unknown>, string]> = [
      ['institutions', institutionsCsv as CsvFormat<unknown, unknown>, institutionsFile(rows)],
      ['resolutions', resolutionsCsv as CsvFormat<unknown, unknown>, resolutionsFile(rows)],
      ['users', users as CsvFormat<unknown, unknown>, usersFile(rows)],
    ];
    for (const [name, format, text] of runs) {
      let t = performance.now();
      const dry = await runCsvImport(format, text, 'dryRun', actor);
      const dryRunMs = Math.round(performance.now() - t);
      t = performance.now();
      const done = await runCsvImport(format, text, 'import', actor);
      const importMs = Math.round(performance.now() - t);
      if (dry.invalid > 0 || !done.committed) throw new Error(`${name}: ${dry.invalid} invalid rows, committed=${done.committed}`);
      results.push({ format: name, rows, dryRunMs, importMs, inserted: done.inserted });
      console.log(`${name}: ${rows} rows — dry run ${dryRunMs} ms, import ${importMs} ms (target ≤ ${TARGET_MS} ms)`);
    }
  } finally {
    await disconnectDatabase();
    await engine.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const withinTargets = results.every((r) => r.dryRunMs <= TARGET_MS && r.importMs <= TARGET_MS);
  const load = loadavg().map((l) => Math.round(l * 100) / 100);
  console.log(JSON.stringify({ bench: 'csv-import', results, withinTargets, loadavg: load }));
  if (!withinTargets) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
