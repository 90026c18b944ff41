import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { expect } from 'chai';
import express from 'express';
import session from 'express-session';
import MongoStore from 'connect-mongo';
import { GridFSBucket } from 'mongodb';
import request from 'supertest';
import { startTestServer, type TestServer } from './engine-helper.js';

describe('embedded engine: GridFS and connect-mongo', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer('gridfs_session');
  });
  after(async () => {
    await server.stop();
  });

  it('when a 5 MB file is uploaded to GridFS, then downloading it returns the same bytes', async () => {
    const bucket = new GridFSBucket(server.db, { bucketName: 'evidence' });
    const data = randomBytes(5 * 1024 * 1024 + 123);
    const upload = bucket.openUploadStream('report.pdf', { metadata: { owner: 'x' } });
    await pipeline(Readable.from([data.subarray(0, 3_000_000), data.subarray(3_000_000)]), upload);
    const files = await bucket.find({ filename: 'report.pdf' }).toArray();
    expect(files).to.have.length(1);
    expect(files[0].length).to.equal(data.length);
    const chunks: Buffer[] = [];
    for await (const chunk of bucket.openDownloadStream(upload.id)) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(data)).to.equal(true);
    const partial: Buffer[] = [];
    for await (const chunk of bucket.openDownloadStream(upload.id, { start: 300_000, end: 300_100 })) partial.push(chunk as Buffer);
    expect(Buffer.concat(partial).equals(data.subarray(300_000, 300_100))).to.equal(true);
    await bucket.delete(upload.id);
    expect(await server.db.collection('evidence.chunks').countDocuments({ files_id: upload.id })).to.equal(0);
  });

  it('when connect-mongo stores express sessions, then set, get, touch and destroy work', async () => {
    const store = MongoStore.create({ client: server.client, dbName: server.dbName, collectionName: 'sessions' });
    const app = express();
    app.use(session({ secret: 'test-secret', resave: false, saveUninitialized: false, store }));
    app.post('/login', (req, res) => {
      (req.session as unknown as { user: string }).user = 'amina';
      res.send('ok');
    });
    app.get('/me', (req, res) => {
      res.send((req.session as unknown as { user?: string }).user ?? 'anonymous');
    });
    app.post('/logout', (req, res, next) => {
      req.session.destroy((err) => (err ? next(err) : res.send('bye')));
    });
    const agent = request.agent(app);
    await agent.post('/login').expect(200);
    expect(await server.db.collection('sessions').countDocuments()).to.equal(1);
    const stored = await server.db.collection('sessions').findOne({});
    expect(stored!.expires).to.be.instanceOf(Date);
    expect(JSON.parse(stored!.session as string).user).to.equal('amina');
    await agent.get('/me').expect(200, 'amina');
    await agent.get('/me').expect(200, 'amina');
    await agent.post('/logout').expect(200, 'bye');
    await agent.get('/me').expect(200, 'anonymous');
    expect(await server.db.collection('sessions').countDocuments()).to.equal(0);
    const idx = await server.db.collection('sessions').listIndexes().toArray();
    expect(idx.find((i) => i.name === 'expires_1')).to.deep.include({ expireAfterSeconds: 0 });
    await store.close();
  });
});
