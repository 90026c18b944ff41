import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import type { Document } from 'bson';
import { openStorage, StorageCorruptionError, type JournalOp, type Storage, type StoredState } from '../../../src/db/embedded/storage/index.js';
import { canonical, captureLogger, copyDir, files, removeTempDirs, tempDir } from './helpers.js';

/** A tiny independent model of what the catalog holds, to hand to `compact` and to compare against. */
class Model {
  private readonly colls = new Map<string, Map<string, Document>>();

  apply(ops: JournalOp[]): JournalOp[] {
    for (const op of ops) {
      if (op.op === 'put') {
        if (!this.colls.has(op.ns)) this.colls.set(op.ns, new Map());
        this.colls.get(op.ns)!.set(String(op.doc._id), op.doc);
      } else if (op.op === 'del') {
        this.colls.get(op.ns)?.delete(String(op.id));
      } else {
        throw new Error(`model does not support ${op.op}`);
      }
    }
    return ops;
  }

  state(): StoredState {
    return { collections: [...this.colls].map(([ns, docs]) => ({ ns, options: {}, indexes: [], documents: [...docs.values()] })) };
  }
}

async function openQuiet(dir: string, compactThresholdBytes?: number): Promise<Storage> {
  return openStorage({ dataDir: dir, logger: captureLogger(), compactThresholdBytes });
}

async function stateOf(dir: string): Promise<StoredState> {
  const storage = await openQuiet(dir);
  await storage.close();
  return storage.initialState;
}

/** Commits through both the model and the storage. */
function write(storage: Storage, model: Model, ops: JournalOp[]): Promise<void> {
  return storage.commit(model.apply(ops));
}

function putItem(i: number, extra: Document = {}): JournalOp {
  return { op: 'put', ns: 'app.items', doc: { _id: `item-${i}`, i, text: `resolution ${i} `.repeat(5), ...extra } };
}

const J0 = 'journal-0000000000.log';
const J1 = 'journal-0000000001.log';
const J2 = 'journal-0000000002.log';
const S1 = 'snapshot-0000000001.bson';
const S2 = 'snapshot-0000000002.bson';

/**
 * Runs a real compaction and keeps a copy of the data directory as it is at
 * each step, as a power cut would leave it:
 *   A  right after compact() was called: journal-0 full, journal-1 empty
 *   B  during the snapshot write: A plus a partial snapshot-1 temp file
 *   C  snapshot written but not yet renamed: A plus a complete temp file
 *   D  renamed but old files not yet deleted: journal-0, journal-1, snapshot-1
 *   E  done: journal-1, snapshot-1
 * Commits made after compact() was called are in journal-1 in B..E; the
 * expected state always includes every commit that was acknowledged.
 */
async function compactionImages(): Promise<{ images: Record<string, string>; expected: ReturnType<typeof canonical> }> {
  const dir = tempDir();
  const model = new Model();
  const storage = await openQuiet(dir);
  for (let i = 0; i < 400; i++) await write(storage, model, [putItem(i)]);
  await write(storage, model, [{ op: 'del', ns: 'app.items', id: 'item-3' }]);
  const compaction = storage.compact(model.state());
  const imageA = copyDir(dir);
  for (let i = 0; i < 20; i++) await write(storage, model, [putItem(i, { after: true }), putItem(900 + i)]);
  await compaction;
  await storage.close();
  const snapshot = fs.readFileSync(path.join(dir, S1));
  const withJournal1 = (image: string): string => {
    fs.copyFileSync(path.join(dir, J1), path.join(image, J1));
    return image;
  };
  const imageB = withJournal1(copyDir(imageA));
  fs.writeFileSync(path.join(imageB, `${S1}.tmp`), snapshot.subarray(0, Math.floor(snapshot.length / 2)));
  const imageC = withJournal1(copyDir(imageA));
  fs.writeFileSync(path.join(imageC, `${S1}.tmp`), snapshot);
  const imageD = withJournal1(copyDir(imageA));
  fs.writeFileSync(path.join(imageD, S1), snapshot);
  return { images: { A: imageA, B: imageB, C: imageC, D: imageD, E: dir }, expected: canonical(model.state()) };
}

describe('embedded storage: compaction', () => {
  afterEach(removeTempDirs);

  it('when the journal grows past the threshold, then shouldCompact turns true, and false again after compaction', async () => {
    const dir = tempDir();
    const model = new Model();
    const storage = await openQuiet(dir, 4096);
    expect(storage.shouldCompact()).to.equal(false);
    for (let i = 0; i < 50 && !storage.shouldCompact(); i++) await write(storage, model, [putItem(i)]);
    expect(storage.shouldCompact()).to.equal(true);
    await storage.compact(model.state());
    expect(storage.shouldCompact()).to.equal(false);
    await storage.close();
  });

  it('when compacted and restarted, then the state comes from the snapshot plus the new journal, and old files are gone', async () => {
    const dir = tempDir();
    const model = new Model();
    const storage = await openQuiet(dir);
    for (let i = 0; i < 300; i++) await write(storage, model, [putItem(i)]);
    await write(storage, model, [{ op: 'del', ns: 'app.items', id: 'item-7' }]);
    await storage.compact(model.state());
    expect(files(dir)).to.deep.equal([J1, 'mongod.lock', S1]);
    expect(fs.statSync(path.join(dir, J1)).size).to.equal(0);
    await write(storage, model, [putItem(1000), { op: 'del', ns: 'app.items', id: 'item-8' }, putItem(5, { changed: true })]);
    await storage.close();

    expect(canonical(await stateOf(dir))).to.deep.equal(canonical(model.state()));

    // A second compaction moves on to generation 2.
    const again = await openQuiet(dir);
    await again.compact(model.state());
    await again.close();
    expect(files(dir)).to.deep.equal([J2, S2]);
    expect(canonical(await stateOf(dir))).to.deep.equal(canonical(model.state()));
  });

  it('when commits arrive while a compaction runs, then none is lost', async () => {
    const dir = tempDir();
    const model = new Model();
    const storage = await openQuiet(dir);
    const big = 'x'.repeat(20000);
    for (let i = 0; i < 300; i++) await write(storage, model, [putItem(i, { big })]);
    const inFlight: Promise<void>[] = [];
    // Some commits still queued when compact is called (they go to the old journal) ...
    for (let i = 0; i < 50; i++) inFlight.push(write(storage, model, [putItem(i, { before: true })]));
    const compaction = storage.compact(model.state());
    // ... and many while the snapshot is being written (they go to the new journal).
    for (let i = 0; i < 500; i++) inFlight.push(write(storage, model, [putItem(5000 + i), putItem(i, { after: i })]));
    await Promise.all([...inFlight, compaction]);
    await storage.close();
    expect(canonical(await stateOf(dir))).to.deep.equal(canonical(model.state()));
  });

  it('when the state arrays handed to compact change afterwards, then the snapshot still shows the moment of the call', async () => {
    const dir = tempDir();
    const model = new Model();
    const storage = await openQuiet(dir);
    await write(storage, model, [putItem(1), putItem(2)]);
    const state = model.state();
    const expected = canonical(model.state());
    const compaction = storage.compact(state);
    state.collections[0].documents.push({ _id: 'not-committed' });
    state.collections.push({ ns: 'app.phantom', options: {}, indexes: [], documents: [{ _id: 1 }] });
    await compaction;
    await storage.close();
    fs.rmSync(path.join(dir, J1)); // leave only the snapshot
    expect(canonical(await stateOf(dir))).to.deep.equal(expected);
  });

  describe('a crash at any moment of compaction loses nothing', () => {
    it('when the process dies at each step of a compaction, then restart recovers every acknowledged commit', async () => {
      const { images, expected } = await compactionImages();
      const expectedA = { ...expected };
      for (const [step, image] of Object.entries(images)) {
        const state = await stateOf(image);
        if (step === 'A') {
          // Nothing was committed after the call yet in image A: compare the pre-call items only.
          const items = canonical(state)['app.items'].documents;
          expect(items, `step ${step}`).to.have.length(399);
          expect(items.every((d) => !d.includes('"after"'))).to.equal(true);
          void expectedA;
        } else {
          expect(canonical(state), `step ${step}`).to.deep.equal(expected);
        }
        // Leftovers are cleaned up: only the live generation remains.
        const left = files(image).filter((f) => f !== 'mongod.lock');
        expect(left.some((f) => f.endsWith('.tmp')), `step ${step}`).to.equal(false);
        if (step === 'D' || step === 'E') expect(left, `step ${step}`).to.deep.equal([J1, S1]);
        else expect(left, `step ${step}`).to.deep.equal([J0, J1]);
      }
    });

    it('when the snapshot temp file is cut at any length, then restart ignores it and recovers everything', async () => {
      const { images, expected } = await compactionImages();
      const snapshot = fs.readFileSync(path.join(images.E, S1));
      for (const fraction of [0, 0.01, 0.25, 0.5, 0.99, 1]) {
        const image = copyDir(images.B);
        fs.writeFileSync(path.join(image, `${S1}.tmp`), snapshot.subarray(0, Math.floor(snapshot.length * fraction)));
        expect(canonical(await stateOf(image)), `cut at ${fraction}`).to.deep.equal(expected);
      }
    });

    it('when the process dies after the new journal got commits but before the snapshot exists, and it happens again in the next compaction, then all journals are replayed in order', async () => {
      const { images, expected } = await compactionImages();
      // Restart from image B (no snapshot-1), then crash again in the middle of the next compaction.
      const dir = images.B;
      const model = new Model();
      const storage = await openQuiet(dir);
      model.apply(storage.initialState.collections[0].documents.map((doc) => ({ op: 'put', ns: 'app.items', doc }) as JournalOp));
      await write(storage, model, [putItem(7777)]);
      const compaction = storage.compact(model.state());
      const crashed = copyDir(dir);
      await write(storage, model, [putItem(8888)]);
      fs.copyFileSync(path.join(dir, J2), path.join(crashed, J2));
      await compaction;
      await storage.close();
      expect(files(crashed).filter((f) => f.startsWith('journal'))).to.deep.equal([J0, J1, J2]);
      const recovered = canonical(await stateOf(crashed));
      expect(recovered).to.deep.equal(canonical(model.state()));
      expect(recovered['app.items'].documents.length).to.equal(expected['app.items'].documents.length + 2);
    });
  });

  describe('damaged snapshots and missing journals', () => {
    it('when a snapshot has a flipped byte, then start-up fails naming the file and offset', async () => {
      const dir = tempDir();
      const model = new Model();
      const storage = await openQuiet(dir);
      for (let i = 0; i < 100; i++) await write(storage, model, [putItem(i)]);
      await storage.compact(model.state());
      await storage.close();
      const file = path.join(dir, S1);
      const bytes = fs.readFileSync(file);
      bytes[Math.floor(bytes.length / 2)] ^= 0x01;
      fs.writeFileSync(file, bytes);
      let error: unknown;
      await openQuiet(dir).catch((err: unknown) => (error = err));
      expect(error).to.be.instanceOf(StorageCorruptionError);
      expect((error as Error).message).to.include(file).and.to.match(/offset \d+/);
    });

    it('when a snapshot is cut short, then start-up fails rather than loading part of it', async () => {
      const dir = tempDir();
      const model = new Model();
      const storage = await openQuiet(dir);
      for (let i = 0; i < 100; i++) await write(storage, model, [putItem(i)]);
      await storage.compact(model.state());
      await storage.close();
      const file = path.join(dir, S1);
      fs.truncateSync(file, fs.statSync(file).size - 10);
      let error: unknown;
      await openQuiet(dir).catch((err: unknown) => (error = err));
      expect(error).to.be.instanceOf(StorageCorruptionError);
      expect((error as StorageCorruptionError).file).to.equal(file);
    });

    it('when a journal between the snapshot and the newest journal is missing, then start-up fails naming it', async () => {
      const dir = tempDir();
      const storage = await openQuiet(dir);
      await storage.commit([putItem(1)]);
      await storage.close();
      fs.writeFileSync(path.join(dir, J2), '');
      let error: unknown;
      await openQuiet(dir).catch((err: unknown) => (error = err));
      expect(error).to.be.instanceOf(StorageCorruptionError);
      expect((error as Error).message).to.include(J1);
    });

    it('when an older journal has a torn tail but a newer journal holds records, then start-up fails instead of dropping data', async () => {
      const { images } = await compactionImages();
      const image = images.B; // journal-0 and journal-1 (with records), no snapshot-1
      fs.appendFileSync(path.join(image, J0), Buffer.from([50, 0, 0, 0, 1, 2, 3]));
      let error: unknown;
      await openQuiet(image).catch((err: unknown) => (error = err));
      expect(error).to.be.instanceOf(StorageCorruptionError);
      expect((error as StorageCorruptionError).file).to.equal(path.join(image, J0));
    });
  });
});
