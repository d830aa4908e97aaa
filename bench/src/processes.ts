import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { signToken } from '@fundtrail/auth';
import { httpGet } from './http-client';

const RESULT_PREFIX = '@@RESULT ';

/** The repository root (where package.json says "fundtrail"), from src or from dist. */
export function repoRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 10; i += 1) {
    const file = join(dir, 'package.json');
    if (existsSync(file) && (JSON.parse(readFileSync(file, 'utf8')) as { name?: string }).name === 'fundtrail') return dir;
    dir = dirname(dir);
  }
  return resolve(__dirname, '../../..');
}

/**
 * The compiled tree child processes run from: the one this harness runs from (so a copy of dist
 * with a prototype change measures that change end to end), else the repository's dist.
 */
export function distRoot(): string {
  const here = resolve(__dirname);
  return here.endsWith(join('bench', 'src')) && existsSync(join(here, '..', '..', 'apps', 'api', 'src', 'main.js'))
    ? resolve(here, '..', '..')
    : join(repoRoot(), 'dist');
}

export function distPath(...parts: string[]): string {
  return join(distRoot(), ...parts);
}

/** Runs one measurement in a fresh `node` process (see worker.ts) and returns its result. */
export function runWorker<T>(job: Record<string, unknown>, env: NodeJS.ProcessEnv = {}, nodeArgs: string[] = []): Promise<T> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, distPath('bench', 'src', 'worker.js'), JSON.stringify(job)], {
      cwd: repoRoot(),
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
      if (code === 0 && line) resolvePromise(JSON.parse(line.slice(RESULT_PREFIX.length)) as T);
      else reject(new Error(`worker ${String(job.kind)} exited ${code}: ${stderr.trim().slice(-2000) || stdout.trim().slice(-2000)}`));
    });
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

/** CPU seconds (user + system) a live process has used, from /proc (Linux). */
export function processCpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // utime and stime are fields 14 and 15 of stat; after the ") " split they are at 11 and 12.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** VmHWM (peak RSS) and VmRSS of a live process in MB, from /proc (Linux). */
export function processMemoryMb(pid: number): { peak: number; current: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
    return { peak: kb('VmHWM') / 1024, current: kb('VmRSS') / 1024 };
  } catch {
    return undefined;
  }
}

export interface ApiProcess {
  baseUrl: string;
  pid: number;
  cpuSeconds(): number;
  stop(): Promise<void>;
}

/**
 * The real API (`node dist/apps/api/src/main.js`) on the bench database, as deployed: its own
 * process, projectors on, request logging at info (to a file that is deleted afterwards).
 * The machine is shared: a port picked free can be taken by someone else's server before ours
 * binds it, so the API must answer a token signed with our secret before it counts as started.
 */
export async function startApi(url: string, jwtSecret: string, env: NodeJS.ProcessEnv = {}, nodeArgs: string[] = []): Promise<ApiProcess> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    try {
      return await startApiOnce(url, jwtSecret, env, nodeArgs);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

async function startApiOnce(url: string, jwtSecret: string, env: NodeJS.ProcessEnv, nodeArgs: string[]): Promise<ApiProcess> {
  const port = await freePort();
  const logPath = join(tmpdir(), `fundtrail-bench-api-${port}-${process.pid}.log`);
  const logFd = openSync(logPath, 'w');
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, distPath('apps', 'api', 'src', 'main.js')], {
    cwd: repoRoot(),
    env: {
      ...process.env,
      DATABASE_URL: url,
      PORT: String(port),
      FUNDTRAIL_JWT_SECRET: jwtSecret,
      FUNDTRAIL_SEED_ON_EMPTY: 'false',
      LOG_LEVEL: 'info',
      NODE_ENV: 'production',
      ...env,
    },
    stdio: ['ignore', logFd, 'pipe'],
  });
  closeSync(logFd);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let exited: number | null | undefined;
  const exit = new Promise<void>((r) => child.on('exit', (code) => ((exited = code), r())));
  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (exited === undefined) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exit;
      clearTimeout(timer);
    }
    rmSync(logPath, { force: true });
  };
  const probe = signToken({ sub: 'bench-probe', role: 'analyst' }, jwtSecret);
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited !== undefined) {
      await stop();
      throw new Error(`the API exited (${exited}) before it was healthy: ${stderr.slice(-2000)}`);
    }
    try {
      const health = await httpGet(`${baseUrl}/health`);
      if (health.status === 200) {
        // Ours only if it accepts our token (and our child is still alive to have answered).
        const mine = await httpGet(`${baseUrl}/api/projects?pageSize=1`, { authorization: `Bearer ${probe}` });
        if (mine.status === 200 && exited === undefined) break;
        await stop();
        throw new Error(`port ${port} is answered by another server (${mine.status})`);
      }
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('port ')) throw error;
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      await stop();
      throw new Error(`the API did not become healthy in 60 s: ${stderr.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const pid = child.pid as number;
  return { baseUrl, pid, cpuSeconds: () => processCpuSeconds(pid), stop };
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  wallSeconds: number;
  /** Peak resident set size of the CLI process (VmHWM at its last sample), MB. */
  peakRssMb: number;
  samples: number;
}

/** Runs the product's CLI (`node dist/apps/cli/src/main.js ...`) and samples its memory from /proc. */
export function runCli(args: string[], env: NodeJS.ProcessEnv, sampleMs = 50, nodeArgs: string[] = []): Promise<CliRun> {
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [...nodeArgs, distPath('apps', 'cli', 'src', 'main.js'), ...args], {
      cwd: repoRoot(),
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let peak = 0;
    let samples = 0;
    const sample = () => {
      const memory = child.pid ? processMemoryMb(child.pid) : undefined;
      if (memory && Number.isFinite(memory.peak)) {
        samples += 1;
        peak = Math.max(peak, memory.peak, Number.isFinite(memory.current) ? memory.current : 0);
      }
    };
    const timer = setInterval(sample, sampleMs);
    child.stdout.on('data', (chunk: Buffer) => {
      sample();
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      sample();
      stderr += chunk.toString();
    });
    child.on('error', (error) => {
      clearInterval(timer);
      reject(error);
    });
    child.on('exit', (code) => {
      clearInterval(timer);
      resolvePromise({ code, stdout, stderr, wallSeconds: (performance.now() - started) / 1000, peakRssMb: peak, samples });
    });
  });
}
