import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { MongoClient } from 'mongodb';
import { privateListenOptions, startEmbeddedMongo } from '../../src/db/embedded/index.js';
import { usingRealServer } from './engine-helper.js';

if (!usingRealServer) {
  describe('engine-internal: private socket for the in-process engine', () => {
    let base: string;
    beforeEach(async () => {
      base = await mkdtemp(path.join(tmpdir(), 'maazimio-sock-'));
    });
    afterEach(async () => {
      await rm(base, { recursive: true, force: true });
    });

    it('when the data directory path is short, then the engine listens on a socket inside it that only the owner can reach', async () => {
      const dataDir = path.join(base, 'db');
      const options = privateListenOptions(dataDir);
      expect(options).to.deep.equal({ socketPath: 'mongod.sock' });
      const engine = await startEmbeddedMongo({ dataDir, ...options, inMemory: true });
      try {
        expect(engine.uri).to.equal(`mongodb://${encodeURIComponent(path.join(dataDir, 'mongod.sock'))}`);
        expect((await stat(dataDir)).mode & 0o777).to.equal(0o700);
        const client = await MongoClient.connect(engine.uri);
        try {
          await client.db('t').collection('c').insertOne({ _id: 1 as never, ok: true });
          expect(await client.db('t').collection('c').findOne({ _id: 1 as never })).to.deep.equal({ _id: 1, ok: true });
        } finally {
          await client.close();
        }
      } finally {
        await engine.stop();
      }
    });

    it('when the socket path would be too long for a socket address, then it is refused with a clear message (no silent fallback to an unauthenticated TCP port)', () => {
      const longDir = path.join(base, 'x'.repeat(120));
      expect(() => privateListenOptions(longDir)).to.throw(/socket path .* is \d+ bytes long; Unix sockets allow fewer than 100\. Move DATA_DIR to a shorter path, or set MONGODB_URI/);
    });
  });
}
