/**
 * A journal write that fails (disk full, I/O error) must never leave the refused
 * writes visible: the engine stops serving (fail-stop) and /healthz says so; once
 * space returns and it restarts, it takes writes again and the refused ones are gone.
 * Run on a real full filesystem (a tmpfs the test mounts: needs root, as in CI) and
 * with injected write and fsync errors.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import mongoose from 'mongoose';
import request from 'supertest';
import { MongoClient, type Document } from 'mongodb';
import { startEmbeddedMongo, type EmbeddedMongoOptions } from '../../../src/db/embedded/index.js';
import { openStorage, type JournalIo } from '../../../src/db/embedded/storage/index.js';
import { nodeJournalIo } from '../../../src/db/embedded/storage/journal.js';
import { buildTestApp } from '../../helpers/app.js';
import { reconnectDatabase } from '../../helpers/root-hooks.js';
import { rejection, usingRealServer } from '../engine-helper.js';
import { captureLogger, removeTempDirs, tempDir } from './helpers.js';

const REFUSED = 20;

interface Disk {
  /** Where the data directory goes. */
  dir: string;
  engineOptions: Partial<EmbeddedMongoOptions>;
  /** Makes the next journal writes fail. */
  fill(): void;
  /** Makes room again (before the restart). */
  free(): void;
}

/** A journal whose writes (or fsyncs) fail with `code` while `failing` is set. */
function injectedDisk(dir: string, call: 'write' | 'fdatasync', code: string): Disk {
  let failing = false;
  const fault = (): NodeJS.ErrnoException => Object.assign(new Error(`${code}: injected ${call} failure`), { code });
  const io: JournalIo = {
    write: (fd, buf, offset, length, position, cb) => (failing && call === 'write' ? setImmediate(() => cb(fault(), 0)) : nodeJournalIo.write(fd, buf, offset, length, position, cb)),
    fdatasync: (fd, cb) => (failing && call === 'fdatasync' ? setImmediate(() => cb(fault())) : nodeJournalIo.fdatasync(fd, cb)),
  };
  return {
    dir,
    engineOptions: { storage: { journalIo: io, syncMethod: call === 'fdatasync' ? 'fdatasync' : undefined } },
    fill: () => {
      failing = true;
    },
    free: () => {
      failing = false;
    },
  };
}

/** A 2 MiB tmpfs; undefined when this process may not mount one (not root). */
function mountSmallFilesystem(): (Disk & { unmount(): void }) | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const dir = tempDir('storage-tmpfs-');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m,mode=0700', 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  const filler = path.join(dir, 'filler');
  return {
    dir,
    engineOptions: {},
    fill() {
      // Take every free block, so the journal's next page cannot be allocated.
      const fd = fs.openSync(filler, 'w');
      const block = Buffer.alloc(4096, 1);
      try {
        for (;;) fs.writeSync(fd, block);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
      } finally {
        fs.closeSync(fd);
      }
    },
    free: () => fs.rmSync(filler, { force: true }),
    unmount: () => execFileSync('umount', [dir], { stdio: 'ignore' }),
  };
}

async function healthzStatus(uri: string): Promise<number> {
  await mongoose.disconnect();
  try {
    await mongoose.connect(uri, { dbName: 'app', autoIndex: false, serverSelectionTimeoutMS: 5000 });
    return (await request(buildTestApp().app).get('/healthz')).status;
  } finally {
    await mongoose.disconnect();
    await reconnectDatabase();
  }
}

/** The scenario of issue #12: 20 writes refused on a full disk must not be readable, before or after a restart. */
async function refusedWritesLeaveNoTrace(disk: Disk, checkHealthz: boolean): Promise<void> {
  const dataDir = path.join(disk.dir, 'db');
  const logger = captureLogger();
  let fatal: Error | undefined;
  const engine = await startEmbeddedMongo({ dataDir, logger, ...disk.engineOptions, onFatal: (err) => (fatal = err) });
  const client = await MongoClient.connect(engine.uri, { serverSelectionTimeoutMS: 5000 });
  try {
    const coll = client.db('app').collection<Document>('items');
    await coll.createIndex({ code: 1 }, { unique: true });
    await coll.insertOne({ code: 'kept' });
    disk.fill();
    for (let i = 0; i < REFUSED; i++) {
      const err = await rejection(coll.insertOne({ code: `refused-${i}`, pad: 'x'.repeat(8192) }));
      expect(err.code).to.equal(1);
    }
    expect(fatal, 'the engine reported its failure').to.be.instanceOf(Error);
    // Nothing that was refused can be read: the engine answers no reads at all now.
    const readErr = await rejection(coll.find({}).toArray());
    expect(readErr.message).to.match(/stopped after a failed journal write/);
    expect(logger.entries.some((e) => e.level === 'error' && /journal write failed/.test(e.msg))).to.equal(true);
    if (checkHealthz) expect(await healthzStatus(engine.uri)).to.equal(503);
  } finally {
    await client.close();
    await engine.stop();
  }

  disk.free();
  const again = await startEmbeddedMongo({ dataDir });
  const client2 = await MongoClient.connect(again.uri, { serverSelectionTimeoutMS: 5000 });
  try {
    const coll = client2.db('app').collection<Document>('items');
    expect((await coll.find({}, { projection: { _id: 0 } }).toArray()).map((d) => d.code)).to.deep.equal(['kept']);
    // The unique key of a refused write is free, and writes are taken again.
    await coll.insertOne({ code: 'refused-0' });
    expect(await coll.countDocuments()).to.equal(2);
  } finally {
    await client2.close();
    await again.stop();
  }
}

if (!usingRealServer) {
  describe('embedded storage: a failed journal write (fail-stop)', () => {
    afterEach(removeTempDirs);

    it('when the disk is full (a real 2 MiB tmpfs when running as root, as in CI; injected ENOSPC otherwise), then the 20 refused inserts are never readable, /healthz fails, and after space returns a restart takes writes again', async () => {
      const small = mountSmallFilesystem();
      if (!small) return refusedWritesLeaveNoTrace(injectedDisk(tempDir(), 'write', 'ENOSPC'), true);
      try {
        await refusedWritesLeaveNoTrace(small, true);
      } finally {
        small.unmount();
      }
    });

    it('when a journal write fails with EIO (injected), then the refused inserts are never readable and a restart takes writes again', async () => {
      await refusedWritesLeaveNoTrace(injectedDisk(tempDir(), 'write', 'EIO'), false);
    });

    it('when fdatasync fails (injected), then the refused inserts are never readable and a restart takes writes again', async () => {
      await refusedWritesLeaveNoTrace(injectedDisk(tempDir(), 'fdatasync', 'EIO'), false);
    });
  });
}

if (!usingRealServer) {
  describe('embedded storage: an index that cannot be rebuilt at start-up', () => {
    afterEach(removeTempDirs);

    it('when a stored unique index meets duplicate keys, then start-up stops with a message naming the index instead of dropping it', async () => {
      const dataDir = tempDir();
      const storage = await openStorage({ dataDir });
      await storage.commit([
        { op: 'createCollection', ns: 'app.users', options: {} },
        { op: 'put', ns: 'app.users', doc: { _id: 1, email: 'a@x.tz' } },
        { op: 'put', ns: 'app.users', doc: { _id: 2, email: 'a@x.tz' } },
        { op: 'createIndex', ns: 'app.users', spec: { name: 'email_1', key: { email: 1 }, unique: true } },
      ]);
      await storage.close();
      for (let attempt = 0; attempt < 2; attempt++) {
        // The second attempt shows the lock was released: the same clear error, not "in use".
        const err = await rejection<Error>(startEmbeddedMongo({ dataDir }));
        expect(err.name).to.equal('IndexRebuildError');
        expect(err.message).to.match(/^Index email_1 on app\.users could not be rebuilt at start-up: E11000 duplicate key/);
      }
    });
  });
}

if (!usingRealServer) {
  describe('embedded storage: a compaction without room for its snapshot', () => {
    afterEach(removeTempDirs);

    it('when the free space is below the reserve, then the snapshot is not written, the engine backs off instead of retrying on every commit, and nothing is lost', async () => {
      const dataDir = tempDir();
      const logger = captureLogger();
      // No filesystem has this much room: every free-space check (fs.statfs) fails.
      const engine = await startEmbeddedMongo({ dataDir, logger, compactThresholdBytes: 1024, storage: { minFreeBytes: Number.MAX_SAFE_INTEGER } });
      const client = await MongoClient.connect(engine.uri, { serverSelectionTimeoutMS: 5000 });
      try {
        const coll = client.db('app').collection<Document>('items');
        for (let i = 0; i < 50; i++) await coll.insertOne({ i, pad: 'x'.repeat(200) });
        const failures = logger.entries.filter((e) => e.msg.startsWith('compaction failed'));
        expect(failures, JSON.stringify(logger.entries)).to.have.length(1);
        expect(JSON.stringify(failures[0].extra)).to.match(/not enough free space/).and.match(/"retryInSeconds":60/);
        expect(fs.readdirSync(dataDir).filter((f) => f.startsWith('snapshot-'))).to.deep.equal([]);
        expect(await coll.countDocuments()).to.equal(50);
      } finally {
        await client.close();
        await engine.stop();
      }
      const again = await startEmbeddedMongo({ dataDir });
      const client2 = await MongoClient.connect(again.uri, { serverSelectionTimeoutMS: 5000 });
      try {
        expect(await client2.db('app').collection('items').countDocuments()).to.equal(50);
      } finally {
        await client2.close();
        await again.stop();
      }
    });
  });
}
