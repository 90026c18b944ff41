/**
 * npm run create-admin [-- --email a@b.go.tz --name "Jina" --password "..."]
 * Creates an administrator with a password, against MONGODB_URI or the embedded database.
 * Missing values are asked for interactively (the password is not echoed).
 */
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { connectDatabase, disconnectDatabase } from '../db/connect.js';
import { startEmbeddedMongo, fromPino, type EmbeddedMongo } from '../db/embedded/index.js';
import { createAdminAccount } from '../features/accounts/users.service.js';
import { translator } from '../i18n/index.js';
import { ValidationError } from '../errors.js';

function ask(question: string, hidden = false): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  if (hidden) {
    // Print the prompt but swallow the typed characters.
    const out = rl as unknown as { _writeToOutput: (s: string) => void };
    out._writeToOutput = (s: string) => {
      if (s.startsWith(question)) process.stdout.write(question);
    };
  }
  return new Promise((resolveAnswer) =>
    rl.question(question, (answer) => {
      rl.close();
      if (hidden) process.stdout.write('\n');
      resolveAnswer(answer.trim());
    }),
  );
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { email: { type: 'string' }, name: { type: 'string' }, password: { type: 'string' } },
  });
  const email = values.email ?? (await ask('Email: '));
  const name = values.name ?? (await ask('Name: '));
  const password = values.password ?? (await ask('Password (min 10 characters): ', true));

  const config = loadConfig(process.env);
  const log = createLogger(config);
  let engine: EmbeddedMongo | undefined;
  let uri = config.mongodbUri;
  if (!uri) {
    engine = await startEmbeddedMongo({ dataDir: resolve(config.dataDir, 'db'), port: 0, logger: fromPino(log.child({ module: 'engine' })) });
    uri = engine.uri;
  }
  try {
    await connectDatabase(uri);
    const user = await createAdminAccount({ email, name, password }, new Date());
    console.log(`Administrator created: ${user.email}`);
    return 0;
  } catch (err) {
    if (err instanceof ValidationError) {
      const t = translator('en');
      for (const [field, key] of Object.entries(err.fields)) console.error(`${field}: ${t(key, { min: 10, count: 10 })}`);
      return 1;
    }
    throw err;
  } finally {
    await disconnectDatabase();
    await engine?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
