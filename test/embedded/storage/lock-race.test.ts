import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo } from '../../../src/db/embedded/index.js';
import { usingRealServer } from '../engine-helper.js';
import { removeTempDirs, tempDir } from './helpers.js';

const CONTENDER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'lock-contender.ts');
const ROUNDS = 20;

interface Contender {
  child: ChildProcessWithoutNullStreams;
  /** The next line it prints. */
  next(): Promise<string>;
}

function spawnContender(dataDir: string): Contender {
  const child = spawn(process.execPath, ['--import', 'tsx', CONTENDER, dataDir], { stdio: ['pipe', 'pipe', 'pipe'] });
  const queue: string[] = [];
  const waiting: Array<(line: string) => void> = [];
  createInterface({ input: child.stdout }).on('line', (line) => (waiting.length > 0 ? waiting.shift()!(line) : queue.push(line)));
  child.on('exit', (code, signal) => {
    for (const w of waiting.splice(0)) w(`exited ${code ?? signal}`);
  });
  return { child, next: () => (queue.length > 0 ? Promise.resolve(queue.shift()!) : new Promise((resolve) => waiting.push(resolve))) };
}

async function kill(c: Contender): Promise<void> {
  if (c.child.exitCode !== null || c.child.signalCode !== null) return;
  const exited = new Promise((resolve) => c.child.once('exit', resolve));
  c.child.kill('SIGKILL');
  await exited;
}

if (!usingRealServer) {
  describe('embedded storage: one owner per data directory', function () {
    // 22 processes that each load tsx, the engine and the driver (~2 s each on a busy 2-core machine).
    this.timeout(300_000);
    afterEach(removeTempDirs);

    it(`when two engines start at the same instant on one data directory right after its owner was SIGKILLed (${ROUNDS} rounds), then exactly one serves each time`, async () => {
      const dataDir = tempDir('lock-race-');
      const all: Contender[] = [];
      const contender = (): Contender => {
        const c = spawnContender(dataDir);
        all.push(c);
        return c;
      };
      try {
        let owner = contender();
        expect(await owner.next()).to.equal('loaded');
        owner.child.stdin.write('go\n');
        expect(await owner.next()).to.equal('serving');
        let idle = contender();
        let spare = contender();
        for (let round = 1; round <= ROUNDS; round++) {
          const fresh = spare;
          if (round === 1) expect(await idle.next()).to.equal('loaded');
          expect(await fresh.next()).to.equal('loaded');
          spare = contender(); // loads while this round runs
          await kill(owner);
          idle.child.stdin.write('go\n');
          fresh.child.stdin.write('go\n');
          const outcomes = await Promise.all([idle.next(), fresh.next()]);
          expect([...outcomes].sort(), `round ${round}`).to.deep.equal(['locked', 'serving']);
          [owner, idle] = outcomes[0] === 'serving' ? [idle, fresh] : [fresh, idle];
        }
        await kill(owner);
      } finally {
        await Promise.all(all.map(kill));
      }
      // Every owner's write is there once: no two processes appended to one journal.
      const engine = await startEmbeddedMongo({ dataDir });
      const client = await MongoClient.connect(engine.uri);
      try {
        expect(await client.db('race').collection('owners').countDocuments()).to.equal(ROUNDS + 1);
      } finally {
        await client.close();
        await engine.stop();
      }
    });
  });
}
