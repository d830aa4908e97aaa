import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..', '..');
export const CLI = join(ROOT, 'dist', 'apps', 'cli', 'src', 'main.js');
export const RUN_PROJECTORS = join(__dirname, 'run-projectors.cjs');

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface Running {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves when stdout holds a line matching `pattern` (or rejects when the process ends first). */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  finished: Promise<Finished>;
  /** SIGKILL (only this child, by its pid), then wait for it to be gone. */
  kill(): Promise<Finished>;
}

/** The environment a child gets: the database, quiet logs, no embedded store, no TTY progress bar. */
export function childEnv(databaseUrl: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: databaseUrl,
    FUNDTRAIL_JWT_SECRET: 'test-secret-that-is-long-enough-for-hs256-0123456789',
    FUNDTRAIL_SEED_ON_EMPTY: 'false',
    LOG_LEVEL: 'silent',
  };
}

export function start(args: string[], databaseUrl: string): Running {
  const started = Date.now();
  const child = spawn(process.execPath, args, { cwd: ROOT, env: childEnv(databaseUrl), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const listeners = new Set<() => void>();
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    for (const listener of listeners) listener();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
  });
  const finished = new Promise<Finished>((resolve) => {
    child.on('close', (code, signal) => {
      for (const listener of listeners) listener();
      resolve({ code, signal, stdout: out, stderr: err, ms: Date.now() - started });
    });
  });
  let exited = false;
  void finished.then(() => {
    exited = true;
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    finished,
    waitForLine(pattern, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms; stdout: ${out.slice(-2000)} stderr: ${err.slice(-2000)}`));
        }, timeoutMs);
        const check = () => {
          const line = out.split('\n').find((l) => pattern.test(l));
          if (line !== undefined) {
            clearTimeout(timer);
            listeners.delete(check);
            resolve(line);
          } else if (exited || child.exitCode !== null || child.signalCode !== null) {
            clearTimeout(timer);
            listeners.delete(check);
            reject(new Error(`process ended before a line matching ${pattern}; stdout: ${out.slice(-2000)} stderr: ${err.slice(-2000)}`));
          }
        };
        listeners.add(check);
        check();
      });
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      return finished;
    },
  };
}

/** Runs the CLI to the end. */
export function runCli(args: string[], databaseUrl: string): Promise<Finished> {
  return start([CLI, ...args], databaseUrl).finished;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
