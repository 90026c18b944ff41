/**
 * The app as a child process on its own data directory (the way it runs in production: one
 * process, the embedded engine inside it), for start-up tests and the soak and crash scripts.
 * Parses the demo accounts from the first start's banner; reads the process's RSS from /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface DemoAccount {
  role: string;
  email: string;
  password: string;
}

export interface AppProcess {
  child: ChildProcess;
  url: string;
  /** Present on the first start (the demo data was created then). */
  accounts: DemoAccount[];
  output(): string;
}

/**
 * Starts src/server.ts on `dataDir` and resolves when it printed its URL (and the account lines
 * that follow); rejects with the output when it exits first. `env` adds or replaces variables.
 */
export function startApp(dataDir: string, port: number, env: Record<string, string> = {}): Promise<AppProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/server.ts')], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn', NODE_ENV: 'development', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      const match = /running at (http:\/\/\S+)/.exec(out);
      if (!match) return;
      // The banner is written in one piece; the signal handlers follow right after it.
      clearInterval(timer);
      setTimeout(() => {
        const accounts = [...out.matchAll(/^\s+(admin|reviewer|institution)\s+(\S+@\S+)\s+(\S+)/gm)].map((m) => ({ role: m[1], email: m[2], password: m[3] }));
        resolve({ child, url: match[1], accounts, output: () => out });
      }, 300);
    }, 100);
    child.once('exit', (code, signal) => {
      clearInterval(timer);
      reject(new Error(`app exited before it was ready (${code ?? signal}):\n${out}`));
    });
  });
}

/** SIGTERM and wait for the exit code. */
export function stopApp(app: AppProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (app.child.exitCode !== null) return resolve(app.child.exitCode);
    app.child.once('exit', (code) => resolve(code));
    app.child.kill('SIGTERM');
  });
}

/** SIGKILL (no shutdown code runs) and wait until the process is gone. */
export function killApp(app: AppProcess): Promise<void> {
  return new Promise((resolve) => {
    if (app.child.exitCode !== null || app.child.signalCode !== null) return resolve();
    app.child.once('exit', () => resolve());
    app.child.kill('SIGKILL');
  });
}

/** Resident set size of a process in MB (Linux /proc). */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}
