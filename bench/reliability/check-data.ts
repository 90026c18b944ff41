/**
 * Opens a stopped app's data directory with the embedded engine and checks what the traffic was
 * told: every acknowledged submission is stored exactly once, with its narrative and its evidence
 * file complete in GridFS; every item's report versions run 1..lastVersion without a gap or a
 * duplicate, and no write-ahead `pending` copy is left over.
 */
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo } from '../../src/db/embedded/index.js';
import type { Acknowledged } from './traffic.js';

export interface DataCheck {
  acknowledged: number;
  missing: string[];
  duplicated: string[];
  brokenFiles: string[];
  versionProblems: string[];
  pendingLeft: number;
  reports: number;
}

export async function checkData(dataDir: string, acknowledged: Acknowledged[]): Promise<DataCheck> {
  const engine = await startEmbeddedMongo({ dataDir: join(dataDir, 'db'), port: 0 });
  const client = await MongoClient.connect(engine.uri);
  try {
    const db = client.db('maazimio');
    const reports = db.collection('progressreports');
    const result: DataCheck = { acknowledged: acknowledged.length, missing: [], duplicated: [], brokenFiles: [], versionProblems: [], pendingLeft: 0, reports: await reports.countDocuments() };
    for (const a of acknowledged) {
      const found = await reports.find({ narrative: `Ripoti ya majaribio ${a.marker}` }).toArray();
      if (found.length === 0) result.missing.push(a.marker);
      if (found.length > 1) result.duplicated.push(a.marker);
      for (const r of found) {
        const fileId = (r.evidence as Array<{ kind: string; fileId: unknown; size: number }>).find((e) => e.kind === 'file')?.fileId;
        const file = fileId ? await db.collection('evidence.files').findOne({ _id: fileId as never }) : null;
        const chunks = fileId ? await db.collection('evidence.chunks').find({ files_id: fileId }).toArray() : [];
        const stored = chunks.reduce((t, c) => t + (c.data as { length(): number; buffer?: Buffer }).buffer!.length, 0);
        if (!file || file.length !== a.fileBytes || stored !== a.fileBytes) result.brokenFiles.push(a.marker);
      }
    }
    const items = await db.collection('progressitems').find({}, { projection: { lastVersion: 1, pending: 1 } }).toArray();
    for (const item of items) {
      if (item.pending) result.pendingLeft += 1;
      const versions = (await reports.find({ item: item._id }, { projection: { version: 1 } }).toArray()).map((r) => r.version as number).sort((x, y) => x - y);
      const expected = Array.from({ length: item.lastVersion as number }, (_, i) => i + 1);
      if (versions.join(',') !== expected.join(',')) result.versionProblems.push(`${String(item._id)}: versions ${versions.join(',')} vs lastVersion ${item.lastVersion}`);
    }
    return result;
  } finally {
    await client.close();
    await engine.stop();
  }
}

export function dataCheckPassed(c: DataCheck): boolean {
  return c.missing.length === 0 && c.duplicated.length === 0 && c.brokenFiles.length === 0 && c.versionProblems.length === 0 && c.pendingLeft === 0;
}
