import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import {
  Binary,
  BSONSymbol,
  Code,
  Decimal128,
  Double,
  Int32,
  Long,
  MaxKey,
  MinKey,
  ObjectId,
  Timestamp,
  UUID,
  type Document,
} from 'bson';
import { openStorage, StorageCorruptionError, StorageUnavailableError, type JournalOp, type Storage } from '../../../src/db/embedded/storage/index.js';
import { canonical, captureLogger, docsOf, files, removeTempDirs, tempDir } from './helpers.js';

const JOURNAL = 'journal-0000000000.log';

function put(ns: string, doc: Document): JournalOp {
  return { op: 'put', ns, doc };
}

async function withStorage<T>(dir: string, fn: (s: Storage) => Promise<T>): Promise<T> {
  const storage = await openStorage({ dataDir: dir, logger: captureLogger() });
  try {
    return await fn(storage);
  } finally {
    await storage.close();
  }
}

/** Writes `n` single-put commits to a fresh dir and returns the dir plus each record's start offset. */
async function journalWithRecords(n: number): Promise<{ dir: string; file: string; offsets: number[] }> {
  const dir = tempDir();
  const file = path.join(dir, JOURNAL);
  const offsets: number[] = [];
  await withStorage(dir, async (s) => {
    for (let i = 0; i < n; i++) {
      offsets.push(fs.existsSync(file) ? fs.statSync(file).size : 0);
      await s.commit([put('app.items', { _id: i, name: `item ${i}`, payload: 'x'.repeat(50) })]);
    }
  });
  return { dir, file, offsets };
}

describe('embedded storage: journal', () => {
  afterEach(removeTempDirs);

  it('when documents of every BSON type are committed, then they come back with the same types and values after a restart', async () => {
    const dir = tempDir();
    const doc = {
      _id: new ObjectId(),
      str: 'Habari za asubuhi — ünïcödé ✓',
      int: 42,
      negInt: -7,
      int32: new Int32(5),
      double: 3.14159,
      negZero: -0,
      nan: NaN,
      inf: Infinity,
      negInf: -Infinity,
      long: Long.fromString('9007199254740993'),
      smallLong: Long.fromNumber(3),
      decimal: Decimal128.fromString('1234.5678901234567890123456789'),
      date: new Date('2026-05-01T10:20:30.456Z'),
      bool: true,
      nil: null,
      binary: new Binary(Buffer.from([0, 1, 2, 250, 255])),
      uuid: new UUID('6b0e8f6a-2c8e-4c0b-9d43-1b7a3c1e2f90'),
      regex: /^maazimio\s+\d+$/im,
      timestamp: new Timestamp({ t: 1700000000, i: 7 }),
      minKey: new MinKey(),
      maxKey: new MaxKey(),
      code: new Code('function () { return 1; }'),
      codeWithScope: new Code('x + 1', { x: 1 }),
      nested: { deep: { deeper: [1, 'two', { three: [new Date(0)] }] }, empty: {} },
      emptyArray: [],
      'dotted.key': 1,
      $dollar: 'kept',
    };
    await withStorage(dir, (s) =>
      s.commit([
        { op: 'createCollection', ns: 'app.types', options: { validator: { a: { $exists: true } } } },
        put('app.types', doc),
        put('app.promoted', { _id: 1, wholeDouble: new Double(2), symbol: new BSONSymbol('sym') }),
      ]),
    );

    const state = await withStorage(dir, async (s) => s.initialState);
    const [back] = docsOf(state, 'app.types');
    expect(canonical(state)['app.types'].documents).to.deep.equal(
      canonical({ collections: [{ ns: 'app.types', options: {}, indexes: [], documents: [doc] }] })['app.types'].documents,
    );
    expect(back._id).to.be.instanceOf(ObjectId);
    expect(back._id.equals(doc._id)).to.equal(true);
    expect(back.long).to.be.instanceOf(Long);
    expect(back.long.toString()).to.equal('9007199254740993');
    expect(back.smallLong).to.be.instanceOf(Long);
    expect(back.decimal).to.be.instanceOf(Decimal128);
    expect(back.decimal.toString()).to.equal('1234.5678901234567890123456789');
    expect(back.date).to.be.instanceOf(Date);
    expect(back.date.getTime()).to.equal(doc.date.getTime());
    expect(back.binary).to.be.instanceOf(Binary);
    expect(Buffer.from(back.binary.buffer).equals(Buffer.from([0, 1, 2, 250, 255]))).to.equal(true);
    expect(back.uuid).to.be.instanceOf(Binary);
    expect(back.uuid.sub_type).to.equal(4);
    expect(back.uuid.toUUID().toHexString()).to.equal('6b0e8f6a-2c8e-4c0b-9d43-1b7a3c1e2f90');
    expect(back.regex).to.be.instanceOf(RegExp);
    expect(back.regex.source).to.equal('^maazimio\\s+\\d+$');
    expect(back.regex.flags).to.equal('im');
    expect(back.timestamp).to.be.instanceOf(Timestamp);
    expect(Object.is(back.negZero, -0)).to.equal(true);
    expect(Number.isNaN(back.nan)).to.equal(true);
    expect(back.inf).to.equal(Infinity);
    expect(back.int).to.equal(42);
    expect(back.int32).to.equal(5);
    expect(back.double).to.equal(3.14159);
    expect(back.str).to.equal(doc.str);
    expect(back['dotted.key']).to.equal(1);
    expect(back.$dollar).to.equal('kept');
    // A whole double keeps its type (a plain number would be written back as int32); a symbol reads as a string.
    const [promoted] = docsOf(state, 'app.promoted');
    expect(promoted.wholeDouble).to.be.instanceOf(Double);
    expect(promoted.wholeDouble.value).to.equal(2);
    expect(promoted.symbol).to.equal('sym');
    expect(state.collections[0].options).to.deep.equal({ validator: { a: { $exists: true } } });
  });

  it('when every kind of op is committed, then a restart replays them in order', async () => {
    const dir = tempDir();
    await withStorage(dir, async (s) => {
      await s.commit([{ op: 'createCollection', ns: 'a.users', options: {} }]);
      await s.commit([{ op: 'createIndex', ns: 'a.users', spec: { name: 'email_1', key: { email: 1 }, unique: true } }]);
      await s.commit([{ op: 'createIndex', ns: 'a.users', spec: { name: 'tmp_1', key: { tmp: -1 }, sparse: true } }]);
      await s.commit([
        put('a.users', { _id: 1, email: 'a@x.tz' }),
        put('a.users', { _id: 2, email: 'b@x.tz' }),
        put('a.users', { _id: 3, email: 'c@x.tz' }),
      ]);
      await s.commit([put('a.users', { _id: 2, email: 'b2@x.tz', v: 2 }), { op: 'del', ns: 'a.users', id: 3 }]);
      await s.commit([{ op: 'del', ns: 'a.users', id: 99 }]);
      await s.commit([{ op: 'dropIndex', ns: 'a.users', name: 'tmp_1' }]);
      await s.commit([put('a.old', { _id: 'x' }), { op: 'renameCollection', from: 'a.old', to: 'a.new' }]);
      await s.commit([put('a.gone', { _id: 1 }), { op: 'dropCollection', ns: 'a.gone' }]);
      await s.commit([put('b.one', { _id: 1 }), put('b.two', { _id: 1 }), { op: 'dropDatabase', db: 'b' }]);
      await s.commit([put('bb.kept', { _id: 1 })]);
      await s.commit([{ op: 'createIndex', ns: 'a.sessions', spec: { name: 'expires_1', key: { expires: 1 }, expireAfterSeconds: 0 } }]);
    });

    const state = await withStorage(dir, async (s) => s.initialState);
    expect(state.collections.map((c) => c.ns).sort()).to.deep.equal(['a.new', 'a.sessions', 'a.users', 'bb.kept']);
    expect(docsOf(state, 'a.users')).to.deep.equal([
      { _id: 1, email: 'a@x.tz' },
      { _id: 2, email: 'b2@x.tz', v: 2 },
    ]);
    expect(docsOf(state, 'a.new')).to.deep.equal([{ _id: 'x' }]);
    expect(state.collections.find((c) => c.ns === 'a.users')?.indexes).to.deep.equal([{ name: 'email_1', key: { email: 1 }, unique: true }]);
    expect(state.collections.find((c) => c.ns === 'a.sessions')?.indexes).to.deep.equal([{ name: 'expires_1', key: { expires: 1 }, expireAfterSeconds: 0 }]);
  });

  it('when the data directory does not exist, then it is created with mode 0700', async () => {
    const dir = path.join(tempDir(), 'nested', 'data');
    await withStorage(dir, async () => undefined);
    expect(fs.statSync(dir).mode & 0o777).to.equal(0o700);
  });

  it('when a commit resolves, then its record is already in the journal file', async () => {
    const dir = tempDir();
    await withStorage(dir, async (s) => {
      await s.commit([put('app.t', { _id: 'marker-4f1c' })]);
      expect(fs.readFileSync(path.join(dir, JOURNAL)).includes('marker-4f1c')).to.equal(true);
    });
  });

  it('when many commits arrive concurrently, then they share durable writes, all resolve, and replay keeps their order', async () => {
    const dir = tempDir();
    const storage = await openStorage({ dataDir: dir, logger: captureLogger() });
    const commits: Promise<void>[] = [];
    for (let i = 0; i < 2000; i++) {
      commits.push(storage.commit([put('app.items', { _id: i, n: i }), put('app.counter', { _id: 'c', value: i })]));
    }
    await Promise.all(commits);
    const { syncs, records } = (storage as unknown as { stats(): { syncs: number; records: number } }).stats();
    await storage.close();
    expect(records).to.equal(2000);
    expect(syncs).to.be.greaterThan(0);
    expect(syncs).to.be.lessThan(2000 / 4);

    const state = await withStorage(dir, async (s) => s.initialState);
    expect(docsOf(state, 'app.items')).to.have.length(2000);
    expect(docsOf(state, 'app.items').map((d) => d.n)).to.deep.equal([...Array(2000).keys()]);
    expect(docsOf(state, 'app.counter')).to.deep.equal([{ _id: 'c', value: 1999 }]);
  });

  it('when one commit carries more than 17 MB of documents, then it is stored and replayed', async () => {
    const dir = tempDir();
    const chunks = [1, 2, 3].map((n) => ({ _id: n, data: new Binary(Buffer.alloc(7 * 1024 * 1024, n)) }));
    await withStorage(dir, (s) => s.commit(chunks.map((doc) => put('fs.chunks', doc))));
    const state = await withStorage(dir, async (s) => s.initialState);
    const back = docsOf(state, 'fs.chunks');
    expect(back.map((d) => d._id)).to.deep.equal([1, 2, 3]);
    back.forEach((doc, i) => expect(Buffer.from(doc.data.buffer).equals(Buffer.from(chunks[i].data.buffer))).to.equal(true));
  });

  it('when the storage is closed, then commit and compact are rejected', async () => {
    const dir = tempDir();
    const storage = await openStorage({ dataDir: dir, logger: captureLogger() });
    await storage.close();
    let error: unknown;
    await storage.commit([put('a.b', { _id: 1 })]).catch((err: unknown) => (error = err));
    expect(error).to.be.instanceOf(StorageUnavailableError);
    error = undefined;
    await storage.compact({ collections: [] }).catch((err: unknown) => (error = err));
    expect(error).to.be.instanceOf(StorageUnavailableError);
  });

  it('when a journal write fails, then that commit and every later one are rejected, and the data on disk stays consistent', async () => {
    const dir = tempDir();
    const logger = captureLogger();
    const storage = await openStorage({ dataDir: dir, logger });
    await storage.commit([put('app.t', { _id: 1 })]);
    const realWrite = fs.write;
    (fs as { write: unknown }).write = (...args: unknown[]) => {
      const cb = args[args.length - 1] as (err: Error) => void;
      process.nextTick(() => cb(Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO' })));
    };
    let first: unknown;
    try {
      await storage.commit([put('app.t', { _id: 2 })]).catch((err: unknown) => (first = err));
    } finally {
      (fs as { write: unknown }).write = realWrite;
    }
    expect(first).to.be.instanceOf(StorageUnavailableError);
    let later: unknown;
    await storage.commit([put('app.t', { _id: 3 })]).catch((err: unknown) => (later = err));
    expect(later).to.be.instanceOf(StorageUnavailableError);
    let compaction: unknown;
    await storage.compact({ collections: [] }).catch((err: unknown) => (compaction = err));
    expect(compaction).to.be.instanceOf(StorageUnavailableError);
    expect(logger.entries.some((e) => e.level === 'error' && e.msg.includes('journal write failed'))).to.equal(true);
    await storage.close();

    const state = await withStorage(dir, async (s) => s.initialState);
    expect(docsOf(state, 'app.t')).to.deep.equal([{ _id: 1 }]);
  });

  describe('recovery of a damaged journal', () => {
    it('when the last record is cut off mid-write, then start-up drops it with a warning and keeps the rest', async () => {
      const { dir, file, offsets } = await journalWithRecords(10);
      const lastStart = offsets[9];
      fs.truncateSync(file, lastStart + 20);
      const logger = captureLogger();
      const storage = await openStorage({ dataDir: dir, logger });
      expect(docsOf(storage.initialState, 'app.items').map((d) => d._id)).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7, 8]);
      const warning = logger.entries.find((e) => e.level === 'warn' && e.msg.includes('torn or corrupt tail'));
      expect(warning?.msg).to.include(file).and.to.include(`offset ${lastStart}`);
      expect(fs.statSync(file).size).to.equal(lastStart);

      // New writes after the repair survive the next restart.
      await storage.commit([put('app.items', { _id: 100 })]);
      await storage.close();
      const again = await withStorage(dir, async (s) => s.initialState);
      expect(docsOf(again, 'app.items').map((d) => d._id)).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 100]);
    });

    it('when only part of the last record header was written, then it is cut off too', async () => {
      const { dir, file, offsets } = await journalWithRecords(3);
      fs.truncateSync(file, offsets[2] + 3);
      const state = await withStorage(dir, async (s) => s.initialState);
      expect(docsOf(state, 'app.items').map((d) => d._id)).to.deep.equal([0, 1]);
      expect(fs.statSync(file).size).to.equal(offsets[2]);
    });

    for (const [label, tail] of [
      ['random garbage', Buffer.from('\x13\x00\x00\x00 this is not a journal record at all \xff\xfe')],
      ['zero bytes (a file extended but never written)', Buffer.alloc(4096)],
      ['a complete record with a wrong checksum', Buffer.from([12, 0, 0, 0, 1, 2, 3, 4, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])],
    ] as const) {
      it(`when ${label} is appended, then start-up cuts it off with a warning`, async () => {
        const { dir, file } = await journalWithRecords(5);
        const size = fs.statSync(file).size;
        fs.appendFileSync(file, tail);
        const logger = captureLogger();
        const state = await (async () => {
          const s = await openStorage({ dataDir: dir, logger });
          await s.close();
          return s.initialState;
        })();
        expect(docsOf(state, 'app.items')).to.have.length(5);
        expect(fs.statSync(file).size).to.equal(size);
        expect(logger.entries.some((e) => e.level === 'warn' && e.msg.includes(`offset ${size}`))).to.equal(true);
      });
    }

    it('when a record in the middle has a flipped byte, then start-up fails naming the file and offset, and the file is left alone', async () => {
      const { dir, file, offsets } = await journalWithRecords(10);
      const bytes = fs.readFileSync(file);
      bytes[offsets[4] + 30] ^= 0xff;
      fs.writeFileSync(file, bytes);

      let error: unknown;
      await openStorage({ dataDir: dir, logger: captureLogger() }).catch((err: unknown) => (error = err));
      expect(error).to.be.instanceOf(StorageCorruptionError);
      const corruption = error as StorageCorruptionError;
      expect(corruption.file).to.equal(file);
      expect(corruption.offset).to.equal(offsets[4]);
      expect(corruption.message).to.include(file).and.to.include(`offset ${offsets[4]}`);
      expect(fs.readFileSync(file).equals(bytes)).to.equal(true);
      // The failed start released the lock: once repaired, the directory opens again.
      fs.truncateSync(file, offsets[4]);
      const state = await withStorage(dir, async (s) => s.initialState);
      expect(docsOf(state, 'app.items')).to.have.length(4);
    });

    it('when a length field in the middle is damaged, then start-up fails instead of cutting off the valid records after it', async () => {
      const { dir, file, offsets } = await journalWithRecords(6);
      const bytes = fs.readFileSync(file);
      bytes.writeUInt32LE(0x7fffff00, offsets[2]);
      fs.writeFileSync(file, bytes);
      let error: unknown;
      await openStorage({ dataDir: dir, logger: captureLogger() }).catch((err: unknown) => (error = err));
      expect(error).to.be.instanceOf(StorageCorruptionError);
      expect((error as StorageCorruptionError).offset).to.equal(offsets[2]);
      expect(fs.statSync(file).size).to.equal(bytes.length);
    });

    it('when the damage is followed by garbage only, then it is still a torn tail', async () => {
      const { dir, file, offsets } = await journalWithRecords(4);
      const bytes = fs.readFileSync(file);
      bytes[offsets[3] + 12] ^= 0x55;
      fs.writeFileSync(file, Buffer.concat([bytes, Buffer.from('garbage after the damaged record')]));
      const state = await withStorage(dir, async (s) => s.initialState);
      expect(docsOf(state, 'app.items')).to.have.length(3);
      expect(files(dir)).to.include(JOURNAL);
      expect(fs.statSync(file).size).to.equal(offsets[3]);
    });
  });
});
