import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { MongoClient } from 'mongodb';
import mongoose from 'mongoose';
import { startEmbeddedMongo, type EmbeddedMongo } from '../../src/db/embedded/index.js';
import { rejection, usingRealServer } from './engine-helper.js';

function withUser(uri: string, user: string, password: string): string {
  return `${uri.replace('mongodb://', `mongodb://${encodeURIComponent(user)}:${encodeURIComponent(password)}@`)}/?authSource=admin`;
}

if (!usingRealServer) {
  describe('embedded engine: SCRAM-SHA-256 authentication', () => {
    let dataDir: string;
    let engine: EmbeddedMongo;

    before(async () => {
      dataDir = await mkdtemp(path.join(tmpdir(), 'maazimio-auth-'));
      engine = await startEmbeddedMongo({ dataDir, port: 0, auth: true });
    });
    after(async () => {
      await engine.stop();
      await rm(dataDir, { recursive: true, force: true });
    });

    it('when the first start requires authentication, then an administrator with a random password is generated and works through the driver', async () => {
      const created = engine.generatedCredentials!;
      expect(created.user).to.equal('admin');
      expect(created.password).to.have.length.greaterThan(20);
      const client = await MongoClient.connect(withUser(engine.uri, created.user, created.password));
      try {
        await client.db('app').collection('c').insertOne({ _id: 1 as never, v: 'x' });
        expect(await client.db('app').collection('c').findOne({ _id: 1 as never })).to.deep.equal({ _id: 1, v: 'x' });
        const stored = await client.db('admin').collection('system.users').findOne({ _id: 'admin.admin' as never });
        expect(JSON.stringify(stored)).to.not.include(created.password);
      } finally {
        await client.close();
      }
    });

    it('when a client has not authenticated, then ping answers but every other command is Unauthorized (13)', async () => {
      const client = await MongoClient.connect(engine.uri);
      try {
        expect((await client.db('admin').command({ ping: 1 })).ok).to.equal(1);
        const err = await rejection(client.db('app').collection('c').findOne({}));
        expect(err.code).to.equal(13);
        expect(err.message).to.equal('Command find requires authentication');
        expect((await rejection(client.db('app').collection('c').insertOne({ sneaky: true }))).code).to.equal(13);
      } finally {
        await client.close();
      }
    });

    it('when the password is wrong or the user unknown, then the connection fails with AuthenticationFailed (18)', async () => {
      for (const [user, password] of [
        ['admin', 'wrong-password'],
        ['nobody', 'whatever'],
      ]) {
        const err = await rejection(MongoClient.connect(withUser(engine.uri, user, password), { serverSelectionTimeoutMS: 3000 }));
        expect(err.code, `${user}`).to.equal(18);
        expect(err.message).to.equal('Authentication failed.');
      }
    });

    it('when an administrator creates a user, then Mongoose connects as that user (also with a non-ASCII password) and it survives a restart', async () => {
      const created = engine.generatedCredentials!;
      const admin = await MongoClient.connect(withUser(engine.uri, created.user, created.password));
      const password = 'Siri-ya-Maazimio-ñ-2026';
      try {
        await admin.db('admin').command({ createUser: 'app', pwd: password, roles: [{ role: 'readWrite', db: 'app' }] });
        const dup = await rejection(admin.db('admin').command({ createUser: 'app', pwd: 'x', roles: [] }));
        expect(dup.code).to.equal(51003);
      } finally {
        await admin.close();
      }
      const conn = await mongoose.createConnection(withUser(engine.uri, 'app', password), { dbName: 'app' }).asPromise();
      try {
        const Item = conn.model('AuthItem', new mongoose.Schema({ name: String }));
        await Item.create({ name: 'kept' });
        expect(await Item.countDocuments({ name: 'kept' })).to.equal(1);
      } finally {
        await conn.close();
      }

      await engine.stop();
      engine = await startEmbeddedMongo({ dataDir, port: 0, auth: true });
      expect(engine.generatedCredentials).to.equal(undefined);
      const again = await MongoClient.connect(withUser(engine.uri, 'app', password));
      try {
        expect(await again.db('app').collection('authitems').countDocuments()).to.equal(1);
      } finally {
        await again.close();
      }
    });
  });
}
