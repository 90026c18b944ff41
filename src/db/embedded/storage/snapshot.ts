/**
 * Snapshot files: the whole state, written in framed records (same framing as
 * the journal) so it can be streamed out in chunks and verified on the way in.
 *
 * Each payload starts with a kind byte:
 *   1  BSON metadata document: { t: 'snapshot', version, gen, collections }
 *                               { t: 'coll', ns, options, indexes, count }
 *                               { t: 'end', collections, documents, crc }   (last record)
 *   2  [count: u32 LE] then `count` BSON documents back to back, belonging to the
 *      collection of the preceding 'coll' record.
 * `crc` in the end record is the CRC-32 of every byte before the end record.
 */
import fs from 'node:fs';
import { crc32 } from 'node:zlib';
import type { Document } from 'bson';
import { checkRecord, decodeDocument, decodeDocumentsInto, encodeDocument, frameHeader } from './codec.js';
import { StorageCorruptionError } from './errors.js';
import { fsyncDir, join, snapshotName, snapshotTempName } from './files.js';
import type { StateBuilder } from './state.js';
import type { IndexSpec, StoredState } from './types.js';

const KIND_META = 1;
const KIND_DOCS = 2;
const SNAPSHOT_VERSION = 1;
const CHUNK_BYTES = 1024 * 1024;
const CHUNK_DOCS = 4096;

class SnapshotOutput {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private crc = 0;
  bytes = 0;

  constructor(
    private readonly handle: fs.promises.FileHandle,
    private readonly beforeWrite: (bytes: number) => Promise<void>,
  ) {}

  get runningCrc(): number {
    return this.crc;
  }

  async record(parts: Buffer[]): Promise<void> {
    const payload = parts.length === 1 ? parts[0] : Buffer.concat(parts);
    const header = frameHeader(payload);
    this.crc = crc32(payload, crc32(header, this.crc));
    this.pending.push(header, payload);
    this.pendingBytes += header.length + payload.length;
    if (this.pendingBytes >= CHUNK_BYTES) await this.flush();
  }

  async meta(doc: Document): Promise<void> {
    await this.record([Buffer.of(KIND_META), encodeDocument(doc)]);
  }

  async flush(): Promise<void> {
    if (this.pendingBytes === 0) return;
    const buf = Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    await this.beforeWrite(buf.length);
    let offset = 0;
    while (offset < buf.length) {
      const { bytesWritten } = await this.handle.write(buf, offset, buf.length - offset, null);
      offset += bytesWritten;
    }
    this.bytes += buf.length;
  }
}

/**
 * Writes snapshot-`gen` atomically: into a temp file, fsynced, renamed, then the
 * directory fsynced. Returns the snapshot's size in bytes. `beforeWrite` is
 * awaited before each ~1 MB write (the free-space check); if it throws, the
 * temp file is removed and nothing else changes.
 */
export async function writeSnapshot(dataDir: string, gen: number, state: StoredState, beforeWrite: (bytes: number) => Promise<void> = async () => {}): Promise<number> {
  const tmp = join(dataDir, snapshotTempName(gen));
  const handle = await fs.promises.open(tmp, 'w', 0o600);
  let bytes: number;
  try {
    const out = new SnapshotOutput(handle, beforeWrite);
    let documents = 0;
    await out.meta({ t: 'snapshot', version: SNAPSHOT_VERSION, gen, collections: state.collections.length, createdAt: new Date() });
    for (const coll of state.collections) {
      await out.meta({ t: 'coll', ns: coll.ns, options: coll.options, indexes: coll.indexes, count: coll.documents.length });
      let parts: Buffer[] = [];
      let partBytes = 0;
      const emit = async (): Promise<void> => {
        const count = Buffer.allocUnsafe(5);
        count.writeUInt8(KIND_DOCS, 0);
        count.writeUInt32LE(parts.length, 1);
        await out.record([count, ...parts]);
        parts = [];
        partBytes = 0;
      };
      for (const doc of coll.documents) {
        const bson = encodeDocument(doc);
        parts.push(bson);
        partBytes += bson.length;
        documents++;
        if (partBytes >= CHUNK_BYTES || parts.length >= CHUNK_DOCS) await emit();
      }
      if (parts.length > 0) await emit();
    }
    await out.meta({ t: 'end', collections: state.collections.length, documents, crc: out.runningCrc });
    await out.flush();
    await handle.sync();
    bytes = out.bytes;
  } catch (err) {
    await handle.close().catch(() => undefined);
    await fs.promises.rm(tmp, { force: true });
    throw err;
  }
  await handle.close();
  await fs.promises.rename(tmp, join(dataDir, snapshotName(gen)));
  await fsyncDir(dataDir);
  return bytes;
}

/** Loads snapshot-`gen` into `builder`; any damage is a `StorageCorruptionError` (snapshots are never partially valid). */
export function readSnapshot(dataDir: string, gen: number, builder: StateBuilder): void {
  const file = join(dataDir, snapshotName(gen));
  const buf = fs.readFileSync(file);
  let offset = 0;
  let crc = 0;
  let currentNs: string | undefined;
  let expectedDocs = 0;
  let seenDocs = 0;
  let collections = 0;
  let totalDocs = 0;
  const fail = (at: number, detail: string): never => {
    throw new StorageCorruptionError(file, at, detail);
  };
  const closeCollection = (at: number): void => {
    if (currentNs !== undefined && seenDocs !== expectedDocs) {
      fail(at, `collection ${currentNs} has ${seenDocs} documents, expected ${expectedDocs}`);
    }
  };

  let first = true;
  while (true) {
    if (offset >= buf.length) fail(offset, 'file ends before the end record');
    const check = checkRecord(buf, offset);
    if (!check.ok) fail(offset, `bad record (${check.reason})`);
    const { payload, end } = check as Extract<typeof check, { ok: true }>;
    const kind = payload[0];
    if (kind === KIND_META) {
      let meta: Document;
      try {
        meta = decodeDocument(payload.subarray(1));
      } catch (err) {
        return fail(offset, `undecodable metadata (${(err as Error).message})`);
      }
      if (first) {
        if (meta.t !== 'snapshot' || meta.version !== SNAPSHOT_VERSION || meta.gen !== gen) fail(offset, 'bad snapshot header');
        first = false;
      } else if (meta.t === 'coll') {
        closeCollection(offset);
        currentNs = String(meta.ns);
        expectedDocs = Number(meta.count);
        seenDocs = 0;
        collections++;
        builder.addCollection(currentNs, (meta.options as Document) ?? {}, (meta.indexes as IndexSpec[]) ?? []);
      } else if (meta.t === 'end') {
        closeCollection(offset);
        if (meta.crc !== crc) fail(offset, 'whole-file checksum mismatch');
        if (meta.collections !== collections || meta.documents !== totalDocs) fail(offset, 'collection or document count mismatch');
        if (end !== buf.length) fail(end, 'unexpected data after the end record');
        return;
      } else {
        fail(offset, `unknown metadata record ${JSON.stringify(meta.t)}`);
      }
    } else if (kind === KIND_DOCS && !first && currentNs !== undefined) {
      const count = payload.readUInt32LE(1);
      const docs: Document[] = [];
      let pos = 5;
      try {
        pos = decodeDocumentsInto(payload, 5, count, docs);
      } catch (err) {
        fail(offset, `undecodable document (${(err as Error).message})`);
      }
      if (pos !== payload.length) fail(offset, 'document chunk length mismatch');
      builder.addDocuments(currentNs, docs);
      seenDocs += count;
      totalDocs += count;
    } else {
      fail(offset, `unexpected record kind ${kind}`);
    }
    crc = crc32(payload, crc32(buf.subarray(offset, offset + 8), crc));
    offset = end;
  }
}
