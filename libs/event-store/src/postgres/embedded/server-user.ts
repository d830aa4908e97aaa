import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readlinkSync, type Stats, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, parse } from 'node:path';
import { EmbeddedPostgresError, reason } from './embedded-postgres-error';

/** The account the server runs as, when it is not this process's own. */
export interface ServerUser {
  name: string;
  uid: number;
  gid: number;
}

/** Where a cluster goes when its data directory is out of the server user's reach. */
export const RELOCATED_CLUSTERS_DIR = '/var/lib/fundtrail/embedded';

/**
 * PostgreSQL refuses to run as root: as root the server runs as the `postgres` system user
 * (created when missing); any other user runs it as itself.
 */
export function serverUser(): ServerUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const name = 'postgres';
  let ids = lookup(name);
  if (!ids) {
    try {
      execFileSync('groupadd', ['-f', '--system', name], { stdio: 'pipe' });
      execFileSync('useradd', ['--system', '-g', name, '-M', '-d', '/nonexistent', '-s', '/usr/sbin/nologin', name], { stdio: 'pipe' });
    } catch (error) {
      throw new EmbeddedPostgresError(`running as root, the server needs a ${name} user, and creating it failed: ${reason(error)}`);
    }
    ids = lookup(name);
    if (!ids) throw new EmbeddedPostgresError(`the ${name} user was created but cannot be found`);
  }
  return { name, ...ids };
}

function lookup(name: string): { uid: number; gid: number } | undefined {
  try {
    const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    return Number.isInteger(uid) && Number.isInteger(gid) ? { uid, gid } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The directory the server works in: its cluster (`pg/`) and its binaries. That is the data
 * directory itself when the server user can reach it. When an ancestor is not searchable by that
 * user (a checkout under root's 0700 home or a `mktemp -d` directory), no permission of the
 * user's directories is loosened: the server gets a directory of its own under
 * RELOCATED_CLUSTERS_DIR, which `<dataDir>/pg` links to, and later starts follow that link.
 */
export function serverHome(
  dataDir: string,
  user: ServerUser | undefined,
  notice: (message: string) => void,
  relocatedClustersDir = RELOCATED_CLUSTERS_DIR,
): string {
  if (!user) return dataDir;
  const link = join(dataDir, 'pg');
  const linked = symlinkTarget(link);
  if (linked) return dirname(linked);
  const blocked = firstUnsearchable(dirname(dataDir), user);
  if (!blocked) {
    chmodSync(dataDir, 0o711); // searchable, not listable: the password and lock files stay private
    return dataDir;
  }
  if (existsSync(link)) {
    throw new EmbeddedPostgresError(
      `the cluster ${link} is out of reach of the ${user.name} user the server runs as (${blocked} is not searchable by it); ` +
        `move the data directory (FUNDTRAIL_DATA_DIR) to where ${user.name} can reach it`,
    );
  }
  try {
    mkdirSync(relocatedClustersDir, { recursive: true, mode: 0o711 });
  } catch (error) {
    throw new EmbeddedPostgresError(
      `${blocked} is not searchable by the ${user.name} user, and ${relocatedClustersDir} cannot be created: ${reason(error)}; set FUNDTRAIL_DATA_DIR to a directory ${user.name} can reach`,
    );
  }
  const baseBlocked = firstUnsearchable(relocatedClustersDir, user);
  if (baseBlocked) {
    throw new EmbeddedPostgresError(
      `neither ${dataDir} nor ${relocatedClustersDir} is reachable by the ${user.name} user (${blocked} and ${baseBlocked} are not searchable by it); set FUNDTRAIL_DATA_DIR to a directory it can reach`,
    );
  }
  const home = mkdtempSync(join(relocatedClustersDir, `${label(dataDir)}-`));
  chmodSync(home, 0o711);
  writeFileSync(join(home, 'data-dir'), `${dataDir}\n`, { mode: 0o600 }); // whose cluster this is, for whoever cleans up
  symlinkSync(join(home, 'pg'), link);
  notice(`${blocked} is not searchable by the ${user.name} user the server runs as: the cluster lives in ${join(home, 'pg')}, linked from ${link}`);
  return home;
}

function symlinkTarget(path: string): string | undefined {
  try {
    return lstatSync(path).isSymbolicLink() ? readlinkSync(path) : undefined;
  } catch {
    return undefined;
  }
}

/** The first directory on the way to `path` (itself included) that `user` may not search, if any. */
export function firstUnsearchable(path: string, user: ServerUser): string | undefined {
  const { root } = parse(path);
  const parts = path.slice(root.length).split('/').filter(Boolean);
  let current = root;
  for (const part of [undefined, ...parts]) {
    if (part !== undefined) current = join(current, part);
    let stat: Stats;
    try {
      stat = statSync(current);
    } catch {
      return undefined; // not created yet: mkdir gives it a mode we choose
    }
    if (!searchable(stat, user)) return current;
  }
  return undefined;
}

/** Permission bits as the kernel applies them to a process spawned with only the user's uid and primary gid. */
function searchable(stat: Stats, user: ServerUser): boolean {
  const bit = stat.uid === user.uid ? 0o100 : stat.gid === user.gid ? 0o010 : 0o001;
  return (stat.mode & bit) !== 0;
}

function label(dataDir: string): string {
  const name = `${basename(dirname(dataDir))}-${basename(dataDir)}`.replace(/[^A-Za-z0-9._-]+/g, '_').slice(-40);
  return name.replace(/^[-.]+/, '') || 'data';
}
