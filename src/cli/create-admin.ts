/**
 * npm run create-admin [-- --email a@b.go.tz --name "Jina" --password "..."]
 * Creates an administrator with a password, against MONGODB_URI or the embedded database.
 * Missing values are asked for interactively (the password is not echoed).
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { createAdminAccount } from '../features/accounts/users.service.js';
import { translator } from '../i18n/index.js';
import { ValidationError } from '../errors.js';
import { runCli, withDatabase } from './with-database.js';

/**
 * Asks the missing values on one readline interface (piped input works too: one answer per line).
 * The password is not echoed when stdin is a terminal.
 */
async function askMissing(missing: Array<{ key: string; question: string; hidden?: boolean }>): Promise<Record<string, string>> {
  const answers: Record<string, string> = {};
  if (missing.length === 0) return answers;
  const terminal = Boolean(process.stdin.isTTY);
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal });
  const lines = rl[Symbol.asyncIterator]();
  let muted = false;
  const writer = rl as unknown as { _writeToOutput: (s: string) => void };
  const original = writer._writeToOutput?.bind(rl);
  if (terminal && original) writer._writeToOutput = (s: string) => (muted ? undefined : original(s));
  try {
    for (const { key, question, hidden } of missing) {
      process.stdout.write(question);
      muted = Boolean(hidden);
      const next = await lines.next();
      muted = false;
      if (hidden && terminal) process.stdout.write('\n');
      answers[key] = next.done ? '' : String(next.value).trim();
    }
  } finally {
    rl.close();
  }
  return answers;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { email: { type: 'string' }, name: { type: 'string' }, password: { type: 'string' } },
  });
  const asked = await askMissing(
    [
      { key: 'email', question: 'Email: ' },
      { key: 'name', question: 'Name: ' },
      { key: 'password', question: 'Password (min 10 characters): ', hidden: true },
    ].filter((q) => values[q.key as keyof typeof values] === undefined),
  );
  const email = values.email ?? asked.email;
  const name = values.name ?? asked.name;
  const password = values.password ?? asked.password;

  return withDatabase(async () => {
    try {
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
    }
  });
}

runCli(main);
