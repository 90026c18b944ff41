import { expect } from 'chai';
import { Long, MongoClient, type Document } from 'mongodb';
import { eventually, startTestServer, usingRealServer, type TestServer } from './engine-helper.js';
import { opMsg, opQuery, openSocket, parseOpMsgReply, parseOpReply, readMessage, waitForClose } from './wire-client.js';

type CmdError = { code: number; codeName: string; message: string };

describe('embedded engine: protocol and commands', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer('protocol');
  });
  after(async () => {
    await server.stop();
  });

  it('when a legacy OP_QUERY isMaster arrives on admin.$cmd, then an OP_REPLY with ismaster and wire versions comes back', async () => {
    const socket = await openSocket(server.uri);
    try {
      socket.write(opQuery('admin.$cmd', { isMaster: 1, helloOk: true }, 42));
      const reply = parseOpReply(await readMessage(socket));
      expect(reply.opCode).to.equal(1);
      expect(reply.numberReturned).to.equal(1);
      expect(reply.doc.ismaster).to.equal(true);
      expect(reply.doc.maxWireVersion).to.be.at.least(21);
      expect(reply.doc.maxBsonObjectSize).to.equal(16 * 1024 * 1024);
      expect(reply.doc.ok).to.equal(1);
    } finally {
      socket.destroy();
    }
  });

  it('when an unknown command is sent, then it fails with CommandNotFound (59)', async () => {
    const err = (await server.db.command({ frobnicate: 1 }).catch((e: unknown) => e)) as CmdError;
    expect(err.code).to.equal(59);
    expect(err.codeName).to.equal('CommandNotFound');
  });

  it('when ping, buildInfo and hello run, then they answer like a 7.0 server', async () => {
    expect((await server.db.admin().ping()).ok).to.equal(1);
    const info = await server.db.admin().buildInfo();
    expect(info.version).to.match(/^\d+\.\d+\.\d+/);
    const hello = await server.db.admin().command({ hello: 1 });
    expect(hello.isWritablePrimary).to.equal(true);
    expect(hello.logicalSessionTimeoutMinutes).to.be.a('number');
    expect(hello.maxWriteBatchSize).to.be.a('number');
  });

  it('when a collection is created twice with the same options, then both succeed; with other options, it fails with 48', async () => {
    await server.db.createCollection('created');
    await server.db.command({ create: 'created' });
    const err = (await server.db.command({ create: 'created', capped: true, size: 4096 }).catch((e: unknown) => e)) as CmdError;
    expect(err.code).to.equal(48);
    expect(err.codeName).to.equal('NamespaceExists');
    const names = (await server.db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    expect(names).to.include('created');
  });

  it('when a missing collection is dropped, then the command succeeds (7.0 behaviour) and drop removes existing data', async () => {
    expect(await server.db.command({ drop: 'never_existed' })).to.include({ ok: 1 });
    await server.db.collection('to_drop').insertOne({ a: 1 });
    expect(await server.db.collection('to_drop').drop()).to.equal(true);
    expect(await server.db.collection('to_drop').countDocuments()).to.equal(0);
    const names = (await server.db.listCollections().toArray()).map((c) => c.name);
    expect(names).to.not.include('to_drop');
  });

  it('when a collection is renamed, then documents and indexes move; a missing source fails with 26 and an existing target with 48', async () => {
    const src = server.db.collection('ren_src');
    await src.insertMany([{ k: 1 }, { k: 2 }]);
    await src.createIndex({ k: 1 }, { unique: true });
    await src.rename('ren_dst');
    const dst = server.db.collection('ren_dst');
    expect(await dst.countDocuments()).to.equal(2);
    expect((await dst.listIndexes().toArray()).map((i) => i.name)).to.deep.equal(['_id_', 'k_1']);
    expect(((await dst.insertOne({ k: 1 }).catch((e: unknown) => e)) as CmdError).code).to.equal(11000);
    const missing = (await server.client
      .db('admin')
      .command({ renameCollection: `${server.dbName}.nope`, to: `${server.dbName}.nope2` })
      .catch((e: unknown) => e)) as CmdError;
    expect(missing.code).to.equal(26);
    await server.db.collection('ren_other').insertOne({ x: 1 });
    const exists = (await server.db.collection('ren_other').rename('ren_dst').catch((e: unknown) => e)) as CmdError;
    expect(exists.code).to.equal(48);
    await server.db.collection('ren_other').rename('ren_dst', { dropTarget: true });
    expect(await server.db.collection('ren_dst').countDocuments()).to.equal(1);
  });

  it('when databases are listed and one is dropped, then it disappears from the list', async () => {
    const other = server.client.db(`${server.dbName}_x`);
    await other.collection('c').insertOne({ a: 1 });
    const before = (await server.client.db('admin').admin().listDatabases()).databases.map((d) => d.name);
    expect(before).to.include(`${server.dbName}_x`);
    await other.dropDatabase();
    const after = (await server.client.db('admin').admin().listDatabases()).databases.map((d) => d.name);
    expect(after).to.not.include(`${server.dbName}_x`);
  });

  it('when a write is sent with w:0 (moreToCome), then no reply is needed and the write is applied', async () => {
    const coll = server.db.collection('unacked');
    await coll.insertOne({ k: 'fire-and-forget' }, { writeConcern: { w: 0 } });
    await eventually(async () => (await coll.countDocuments({ k: 'fire-and-forget' })) === 1);
  });

  it('when a command carries a plain lsid, readConcern and writeConcern, then they are accepted', async () => {
    const session = server.client.startSession();
    try {
      const coll = server.db.collection('with_session');
      await coll.insertOne({ a: 1 }, { session, writeConcern: { w: 1 } });
      expect(await coll.countDocuments({}, { session, readConcern: { level: 'local' } })).to.equal(1);
    } finally {
      await session.endSession();
    }
  });

  if (!usingRealServer) {
    describe('engine-internal: framing, transactions, restart', () => {
      it('when garbage is written to a socket, then only that connection is closed and other clients keep working', async () => {
        const junk = await openSocket(server.uri);
        junk.write(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
        await waitForClose(junk);
        const oversized = await openSocket(server.uri);
        const head = Buffer.alloc(16);
        head.writeInt32LE(64 * 1024 * 1024, 0);
        head.writeInt32LE(2013, 12);
        oversized.write(head);
        await waitForClose(oversized);
        const badBson = await openSocket(server.uri);
        const msg = opMsg({ ping: 1, $db: 'admin' });
        msg.writeInt32LE(9999, 21); // corrupt the BSON length inside the body section
        badBson.write(msg);
        await waitForClose(badBson);
        expect((await server.db.admin().ping()).ok).to.equal(1);
      });

      it('when a message arrives one byte at a time, or two arrive in one chunk, then each gets its reply', async () => {
        const socket = await openSocket(server.uri);
        try {
          const ping = opMsg({ ping: 1, $db: 'admin' }, {}, { requestId: 11 });
          for (const byte of ping) {
            socket.write(Buffer.from([byte]));
            await new Promise((r) => setImmediate(r));
          }
          expect(parseOpMsgReply(await readMessage(socket))).to.include({ ok: 1 });
          const replies: Buffer[] = [];
          const both = new Promise<void>((resolve) => {
            let buf = Buffer.alloc(0);
            socket.on('data', (chunk: Buffer) => {
              buf = Buffer.concat([buf, chunk]);
              while (buf.length >= 4 && buf.length >= buf.readInt32LE(0)) {
                replies.push(buf.subarray(0, buf.readInt32LE(0)));
                buf = buf.subarray(buf.readInt32LE(0));
              }
              if (replies.length === 2) resolve();
            });
          });
          socket.write(Buffer.concat([opMsg({ ping: 1, $db: 'admin' }, {}, { requestId: 21 }), opMsg({ ping: 1, $db: 'admin' }, {}, { requestId: 22 })]));
          await both;
          expect(replies.map((r) => r.readInt32LE(8))).to.deep.equal([21, 22]);
        } finally {
          socket.destroy();
        }
      });

      it('when an OP_MSG has a checksum and a kind-1 document sequence, then it is executed', async () => {
        const socket = await openSocket(server.uri);
        try {
          socket.write(opMsg({ insert: 'raw_seq', $db: server.dbName }, { documents: [{ _id: 1 }, { _id: 2 }] }, { checksum: true }));
          const reply = parseOpMsgReply(await readMessage(socket));
          expect(reply).to.include({ n: 2, ok: 1 });
          socket.write(opMsg({ insert: 'raw_seq', documents: [{ _id: 3 }], $db: server.dbName }, {}, { moreToCome: true }));
          socket.write(opMsg({ count: 'raw_seq', $db: server.dbName }));
          const count = parseOpMsgReply(await readMessage(socket));
          expect(count).to.include({ n: 3, ok: 1 });
        } finally {
          socket.destroy();
        }
      });

      it('when a command carries txnNumber/startTransaction/autocommit, then it fails with IllegalOperation (20) and nothing is written', async () => {
        const session = server.client.startSession();
        try {
          const err = (await server.db
            .command({ insert: 'txn', documents: [{ a: 1 }], lsid: session.id, txnNumber: Long.fromNumber(1), startTransaction: true, autocommit: false })
            .catch((e: unknown) => e)) as CmdError;
          expect(err.code).to.equal(20);
          expect(err.codeName).to.equal('IllegalOperation');
          expect(await server.db.collection('txn').countDocuments()).to.equal(0);
        } finally {
          await session.endSession();
        }
      });

      it('when the engine restarts on the same data directory, then documents and unique indexes are still there', async () => {
        const { startEmbeddedMongo } = await import('../../src/db/embedded/index.js');
        const { mkdtemp, rm } = await import('node:fs/promises');
        const { tmpdir } = await import('node:os');
        const path = await import('node:path');
        const dir = await mkdtemp(path.join(tmpdir(), 'maazimio-restart-'));
        try {
          let engine = await startEmbeddedMongo({ dataDir: dir });
          let client = await MongoClient.connect(engine.uri);
          await client.db('app').collection('users').createIndex({ email: 1 }, { unique: true });
          await client.db('app').collection('users').insertMany([{ email: 'a' }, { email: 'b' }]);
          await client.db('app').collection('users').updateOne({ email: 'b' }, { $set: { name: 'Baraka' } });
          await client.close();
          await engine.stop();
          engine = await startEmbeddedMongo({ dataDir: dir });
          client = await MongoClient.connect(engine.uri);
          const users = client.db('app').collection<Document>('users');
          expect((await users.find({}, { projection: { _id: 0 } }).sort({ email: 1 }).toArray())).to.deep.equal([{ email: 'a' }, { email: 'b', name: 'Baraka' }]);
          expect(((await users.insertOne({ email: 'a' }).catch((e: unknown) => e)) as CmdError).code).to.equal(11000);
          await client.close();
          await engine.stop();
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      });
    });
  }
});
