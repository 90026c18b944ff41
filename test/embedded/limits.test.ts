import { expect } from 'chai';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Collection, Document } from 'mongodb';
import { rejection, startTestServer, usingRealServer, type TestServer } from './engine-helper.js';

const MAX = 16 * 1024 * 1024;

/** A document nested `levels` deep counting the document itself: { a: { a: ... { x: 1 } } }. */
function nested(levels: number): Document {
  let inner: Document = { x: 1 };
  for (let i = 1; i < levels; i++) inner = { a: inner };
  return inner;
}

describe('embedded engine: document size and nesting limits (mongod 7 codes and messages)', () => {
  let server: TestServer;
  let coll: Collection<Document>;
  let n = 0;

  before(async () => {
    server = await startTestServer('limits');
  });
  after(async () => {
    await server.stop();
  });
  beforeEach(async () => {
    coll = server.db.collection(`l${++n}`);
    await coll.insertOne({ _id: 'keep' as never, v: 1 });
  });

  /** Total bytes of the engine's journals: a refused write must not add a record. */
  async function journalBytes(): Promise<number> {
    if (usingRealServer) return 0;
    const names = (await readdir(server.dataDir!)).filter((f) => f.startsWith('journal-'));
    let total = 0;
    for (const f of names) total += (await stat(path.join(server.dataDir!, f))).size;
    return total;
  }

  it('when a document over 16 MiB is inserted, then it is refused with BadValue "object to insert too large" and nothing is stored', async () => {
    const before = await journalBytes();
    const big = { _id: 'big', s: 'x'.repeat(MAX) };
    const reply = await server.db.command({ insert: coll.collectionName, documents: [big] });
    expect(reply.n).to.equal(0);
    expect(reply.writeErrors[0].code).to.equal(2);
    expect(reply.writeErrors[0].errmsg).to.match(/^object to insert too large\. size in bytes: \d+, max size: 16777216$/);
    expect(await coll.countDocuments()).to.equal(1);
    expect(await journalBytes()).to.equal(before);
  });

  it('when a document is over 16 MiB + 16 KiB (the internal BSON limit), then it is refused with BSONObjectTooLarge (10334)', async () => {
    const reply = await server.db.command({ insert: coll.collectionName, documents: [{ _id: 'huge', s: 'x'.repeat(MAX + 32 * 1024) }] });
    expect(reply.writeErrors[0].code).to.equal(10334);
    expect(reply.writeErrors[0].errmsg).to.match(/^BSONObj size: \d+ \(0x[0-9A-F]+\) is invalid\. Size must be between 0 and 16793600\(16MB\)$/);
    expect(await coll.countDocuments()).to.equal(1);
  });

  it('when a document is nested 101 levels deep, then Overflow (15) refuses it; 100 levels are stored', async () => {
    const before = await journalBytes();
    const err = await rejection(coll.insertOne({ _id: 'deep', ...nested(101) } as Document));
    expect(err.code).to.equal(15);
    expect(err.message).to.equal('cannot insert document because it exceeds 100 levels of nesting');
    expect(await coll.findOne({ _id: 'deep' as never })).to.equal(null);
    expect(await journalBytes()).to.equal(before);
    await coll.insertOne({ _id: 'ok', ...nested(100) } as Document);
    expect(await coll.countDocuments({ _id: 'ok' as never })).to.equal(1);
  });

  it('when an update would make a document larger than 16 MiB, then BSONObjectTooLarge (10334) refuses it and the document is unchanged', async () => {
    const half = 'y'.repeat(9 * 1024 * 1024);
    await coll.updateOne({ _id: 'keep' as never }, { $set: { a: half } });
    const before = await journalBytes();
    const err = await rejection(coll.updateOne({ _id: 'keep' as never }, { $set: { b: half } }));
    expect(err.code).to.equal(10334);
    expect(err.message).to.equal('Resulting document after update is larger than 16777216');
    const doc = await coll.findOne({ _id: 'keep' as never }, { projection: { a: 0 } });
    expect(doc).to.deep.equal({ _id: 'keep', v: 1 });
    expect(await journalBytes()).to.equal(before);
  });

  it('when an update would nest a document deeper than 100 levels, then Overflow (15) refuses it', async () => {
    const err = await rejection(coll.updateOne({ _id: 'keep' as never }, { $set: { deep: nested(100) } }));
    expect(err.code).to.equal(15);
    expect(await coll.findOne({ _id: 'keep' as never })).to.deep.equal({ _id: 'keep', v: 1 });
  });
});
