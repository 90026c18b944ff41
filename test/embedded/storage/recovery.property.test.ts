import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import fc from 'fast-check';
import { openStorage, StorageCorruptionError, type JournalOp, type StoredState } from '../../../src/db/embedded/storage/index.js';
import { canonical, captureLogger, copyDir, removeTempDirs, tempDir } from './helpers.js';

const JOURNAL = 'journal-0000000000.log';

/** The state after applying the first `n` commits (put/del on one collection). */
function stateAfter(commits: JournalOp[][], n: number): StoredState {
  const docs = new Map<number, Record<string, unknown>>();
  let exists = false;
  for (const ops of commits.slice(0, n)) {
    for (const op of ops) {
      // A put creates the collection implicitly; a delete never does.
      if (op.op === 'put') {
        exists = true;
        docs.set(op.doc._id as number, op.doc);
      }
      if (op.op === 'del') docs.delete(op.id as number);
    }
  }
  return { collections: exists ? [{ ns: 'p.docs', options: {}, indexes: [], documents: [...docs.values()] }] : [] };
}

const commitArb = fc.array(
  fc.oneof(
    fc.record({ id: fc.integer({ min: 0, max: 20 }), text: fc.string({ maxLength: 40 }) }).map(({ id, text }): JournalOp => ({ op: 'put', ns: 'p.docs', doc: { _id: id, text } })),
    fc.integer({ min: 0, max: 20 }).map((id): JournalOp => ({ op: 'del', ns: 'p.docs', id })),
  ),
  { minLength: 1, maxLength: 3 },
);

async function recover(dir: string): Promise<StoredState> {
  const storage = await openStorage({ dataDir: dir, logger: captureLogger() });
  await storage.close();
  return storage.initialState;
}

describe('embedded storage: recovery properties', function () {
  this.timeout(60_000);
  afterEach(removeTempDirs);

  it('when the journal is cut at any byte, then recovery yields exactly the commits that were completely written', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(commitArb, { minLength: 1, maxLength: 12 }), fc.double({ min: 0, max: 1, noNaN: true }), async (commits, where) => {
        const dir = tempDir();
        const file = path.join(dir, JOURNAL);
        const ends: number[] = [];
        const storage = await openStorage({ dataDir: dir, logger: captureLogger() });
        for (const ops of commits) {
          await storage.commit(ops);
          ends.push(fs.statSync(file).size);
        }
        await storage.close();
        const cut = Math.floor(where * ends[ends.length - 1]);
        const image = copyDir(dir);
        fs.truncateSync(path.join(image, JOURNAL), cut);
        const complete = ends.filter((end) => end <= cut).length;
        expect(canonical(await recover(image))).to.deep.equal(canonical(stateAfter(commits, complete)));
      }),
      { numRuns: 40 },
    );
  });

  it('when one byte is damaged, then recovery either fails naming that record, or (for the last record) drops only that record', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(commitArb, { minLength: 2, maxLength: 10 }), fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), fc.integer({ min: 1, max: 255 }), async (commits, where, flip) => {
        const dir = tempDir();
        const file = path.join(dir, JOURNAL);
        const starts: number[] = [];
        const storage = await openStorage({ dataDir: dir, logger: captureLogger() });
        for (const ops of commits) {
          starts.push(fs.existsSync(file) ? fs.statSync(file).size : 0);
          await storage.commit(ops);
        }
        await storage.close();
        const bytes = fs.readFileSync(file);
        const at = Math.floor(where * bytes.length);
        bytes[at] ^= flip;
        fs.writeFileSync(file, bytes);
        const record = starts.filter((s) => s <= at).length - 1;

        const outcome = await recover(dir).then(
          (state) => ({ state }),
          (error: unknown) => ({ error }),
        );
        if (record === commits.length - 1) {
          expect(outcome).to.have.property('state');
          expect(canonical((outcome as { state: StoredState }).state)).to.deep.equal(canonical(stateAfter(commits, commits.length - 1)));
        } else {
          expect(outcome).to.have.property('error');
          const error = (outcome as { error: unknown }).error;
          expect(error).to.be.instanceOf(StorageCorruptionError);
          expect((error as StorageCorruptionError).offset).to.equal(starts[record]);
          expect((error as StorageCorruptionError).file).to.equal(file);
        }
      }),
      { numRuns: 60 },
    );
  });
});
