import { expect } from 'chai';
import { WireClientPool, checkFindOneReply, checkInsertReply } from '../../bench/db-wire-client.js';
import { startTestServer, type TestServer } from './engine-helper.js';

// The benchmark's raw wire client must count only acknowledged, correct round trips.
describe('bench wire client (bench/db-wire-client.ts)', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer('bench_wire');
  });
  after(async () => {
    await server.stop();
  });

  it('when 200 inserts run over 8 sockets, then every one is acknowledged and stored with its types', async () => {
    const pool = await WireClientPool.open(server.uri, server.dbName, 8);
    try {
      const run = await pool.run(200, (i) => ({ insert: 'w', documents: [{ _id: i, title: `t${i}`, at: new Date(1_700_000_000_000 + i) }] }), checkInsertReply);
      expect(run.ms).to.be.a('number');
      expect(run.clientCpuMs).to.be.a('number');
    } finally {
      pool.close();
    }
    const docs = await server.db.collection('w').find({}).sort({ _id: 1 }).toArray();
    expect(docs).to.have.length(200);
    expect(docs[199]).to.deep.equal({ _id: 199, title: 't199', at: new Date(1_700_000_000_199) });
  });

  it('when an insert is refused (duplicate _id), then the run fails instead of counting it', async () => {
    await server.db.collection('dup').insertOne({ _id: 3 } as never);
    const pool = await WireClientPool.open(server.uri, server.dbName, 2);
    try {
      const err = await pool.run(10, (i) => ({ insert: 'dup', documents: [{ _id: i }] }), checkInsertReply).catch((e: unknown) => e as Error);
      expect(err).to.be.instanceOf(Error);
      expect((err as Error).message).to.match(/insert 3 not acknowledged.*E11000/);
    } finally {
      pool.close();
    }
  });

  it('when finds by _id run, then each reply carries the expected document and a missing one fails the check', async () => {
    await server.db.collection('f').insertMany([{ _id: 1, v: 'a' }, { _id: 2, v: 'b' }] as never[]);
    const pool = await WireClientPool.open(server.uri, server.dbName, 2);
    try {
      const seen: unknown[] = [];
      await pool.run(
        2,
        (i) => ({ find: 'f', filter: { _id: i + 1 }, limit: 1, singleBatch: true }),
        (reply, i) => seen.push(checkFindOneReply(reply, (d) => d._id === i + 1).v),
      );
      expect(seen.sort()).to.deep.equal(['a', 'b']);
      const reply = await pool.command({ find: 'f', filter: { _id: 99 }, limit: 1, singleBatch: true });
      expect(() => checkFindOneReply(reply, () => true)).to.throw(/unexpected find reply/);
    } finally {
      pool.close();
    }
  });
});
