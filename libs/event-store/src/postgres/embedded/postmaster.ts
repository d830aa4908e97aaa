import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PostgresBinaries } from './embedded-binaries';
import { EmbeddedPostgresError, reason } from './embedded-postgres-error';
import type { ServerUser } from './server-user';

export interface ClusterSettings {
  binaries: PostgresBinaries;
  clusterDir: string;
  /** A directory the server user can reach: the working directory of its processes, and where initdb reads the password. */
  home: string;
  port: number;
  user?: ServerUser;
  log: (message: string) => void;
}

const READY = 'database system is ready to accept connections';
/** Crash recovery of a small cluster takes seconds; a server that has not answered by then is stuck. */
const START_TIMEOUT_MS = 120_000;
const SERVER_FLAGS = ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'];

/** Creates the cluster: the superuser `postgres` with `password`, scram-sha-256 authentication, UTF-8. */
export async function initialiseCluster(settings: ClusterSettings, password: string): Promise<void> {
  const { binaries, clusterDir, home, user } = settings;
  mkdirSync(clusterDir, { recursive: true, mode: 0o700 });
  const passwordFile = join(home, `.initdb-password-${randomBytes(6).toString('hex')}`);
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  try {
    if (user) {
      chownSync(clusterDir, user.uid, user.gid);
      chownSync(passwordFile, user.uid, user.gid);
    }
    await runToCompletion(
      binaries.initdb,
      [
        `--pgdata=${clusterDir}`,
        '--auth=scram-sha-256',
        '--username=postgres',
        `--pwfile=${passwordFile}`,
        '--encoding=UTF8',
        '--lc-messages=C',
        '--no-instructions',
      ],
      settings,
    );
  } finally {
    rmSync(passwordFile, { force: true });
  }
}

function spawnAsServer(program: string, args: string[], settings: ClusterSettings): ChildProcess {
  return spawn(program, args, {
    cwd: settings.home,
    env: { ...process.env, LC_MESSAGES: 'C' },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: a terminal's Ctrl-C reaches this process, which stops the server in order.
    detached: true,
    ...(settings.user ? { uid: settings.user.uid, gid: settings.user.gid } : {}),
  });
}

/** Keeps the last lines a program wrote, and passes each to the log. */
function lineTail(log: (line: string) => void, onLine: (line: string) => void = () => undefined) {
  const lines: string[] = [];
  let partial = '';
  return {
    push(chunk: Buffer | string) {
      const text = partial + chunk.toString();
      const complete = text.split('\n');
      partial = complete.pop() ?? '';
      for (const line of complete.map((l) => l.trim()).filter(Boolean)) {
        log(line);
        lines.push(line);
        if (lines.length > 20) lines.shift();
        onLine(line);
      }
    },
    /** The line that says what went wrong: the last FATAL or ERROR, else the last line. */
    cause(): string {
      const all = partial.trim() ? [...lines, partial.trim()] : lines;
      const line = [...all].reverse().find((l) => /\b(FATAL|PANIC|ERROR|error)\b/.test(l)) ?? all[all.length - 1] ?? 'no output';
      return line.replace(/^\d{4}-\d\d-\d\d [\d:.]+ \S+ \[\d+\] /, ''); // the server's timestamp and pid
    },
  };
}

function runToCompletion(program: string, args: string[], settings: ClusterSettings): Promise<void> {
  return new Promise((resolve, reject) => {
    let child: ChildProcess;
    try {
      child = spawnAsServer(program, args, settings);
    } catch (error) {
      reject(new EmbeddedPostgresError(`could not run ${program}: ${reason(error)}`));
      return;
    }
    const output = lineTail(settings.log);
    child.stdout?.on('data', (chunk: Buffer) => output.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk));
    child.on('error', (error) => reject(new EmbeddedPostgresError(`could not run ${program}: ${reason(error)}`)));
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(new EmbeddedPostgresError(`${program} failed (${signal ?? `exit code ${code}`}): ${output.cause()}`));
    });
  });
}

/** One run of the postmaster, from start to exit. */
export class Postmaster {
  private child?: ChildProcess;
  private readonly stopOnExit = () => this.child?.kill('SIGINT');

  constructor(private readonly settings: ClusterSettings) {}

  /**
   * Resolves once the server accepts connections; rejects with its own explanation when it exits
   * (or cannot be run) before that. `onExit` hears of an exit after it was ready.
   */
  start(onExit: (code: number | null, signal: NodeJS.Signals | null) => void): Promise<void> {
    const { binaries, clusterDir, port } = this.settings;
    return new Promise((resolve, reject) => {
      let ready = false;
      const fail = (error: EmbeddedPostgresError) => {
        clearTimeout(timer);
        if (!ready) reject(error);
      };
      const output = lineTail(this.settings.log, (line) => {
        if (!ready && line.includes(READY)) {
          ready = true;
          clearTimeout(timer);
          resolve();
        }
      });
      const timer = setTimeout(() => {
        this.child?.kill('SIGQUIT');
        fail(new EmbeddedPostgresError(`PostgreSQL did not accept connections within ${START_TIMEOUT_MS / 1000} s: ${output.cause()}`));
      }, START_TIMEOUT_MS);
      try {
        this.child = spawnAsServer(binaries.postgres, ['-D', clusterDir, '-p', String(port), ...SERVER_FLAGS], this.settings);
      } catch (error) {
        fail(new EmbeddedPostgresError(`could not run ${binaries.postgres}: ${reason(error)}`));
        return;
      }
      const child = this.child;
      process.on('exit', this.stopOnExit); // this process ending for any reason stops its server
      child.stdout?.on('data', (chunk: Buffer) => output.push(chunk));
      child.stderr?.on('data', (chunk: Buffer) => output.push(chunk));
      child.on('error', (error) => {
        process.removeListener('exit', this.stopOnExit);
        fail(new EmbeddedPostgresError(`could not run ${binaries.postgres}: ${reason(error)}`));
      });
      child.on('exit', (code, signal) => {
        process.removeListener('exit', this.stopOnExit);
        if (ready) onExit(code, signal);
        else fail(new EmbeddedPostgresError(`PostgreSQL exited (${signal ?? `exit code ${code}`}) before it accepted connections: ${output.cause()}`));
      });
    });
  }

  /** Fast shutdown (open transactions roll back, a checkpoint is written); immediate, then SIGKILL, if it does not end. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    for (const [signal, waitMs] of [
      ['SIGINT', 30_000],
      ['SIGQUIT', 5_000],
      ['SIGKILL', 5_000],
    ] as const) {
      child.kill(signal);
      const timer = new Promise<'waiting'>((resolve) => setTimeout(() => resolve('waiting'), waitMs).unref());
      if ((await Promise.race([exited.then(() => 'exited' as const), timer])) === 'exited') return;
    }
  }
}
