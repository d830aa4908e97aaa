import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { EmbeddedPostgresError } from './embedded-postgres-error';
import { firstUnsearchable, serverHome, type ServerUser } from './server-user';

/** An account that owns none of the test's directories (as `postgres` owns none of root's). */
const stranger: ServerUser = { name: 'stranger', uid: 54_321, gid: 54_321 };

describe('where the server user works', () => {
  let scratch: string;
  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'fundtrail-home-'));
    chmodSync(scratch, 0o755);
  });
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  it('finds the first directory on the way that the user may not search', () => {
    const sealed = join(scratch, 'sealed');
    mkdirSync(join(sealed, 'app', 'data'), { recursive: true, mode: 0o755 });
    chmodSync(sealed, 0o700);
    expect(firstUnsearchable(join(sealed, 'app', 'data'), stranger)).toBe(sealed);
    chmodSync(sealed, 0o711); // searchable by others, not listable
    expect(firstUnsearchable(join(sealed, 'app', 'data'), stranger)).toBeUndefined();
    chmodSync(sealed, 0o750);
    expect(firstUnsearchable(sealed, { ...stranger, gid: statSync(sealed).gid })).toBeUndefined();
  });

  it('is the data directory itself, made searchable, when the user can reach it', () => {
    const dataDir = join(scratch, 'data');
    mkdirSync(dataDir, { mode: 0o700 });
    expect(serverHome(dataDir, stranger, () => undefined, join(scratch, 'relocated'))).toBe(dataDir);
    expect(statSync(dataDir).mode & 0o777).toBe(0o711);
  });

  it('is a directory of its own, linked from <dataDir>/pg, when an ancestor is sealed; later starts follow the link', () => {
    const sealed = join(scratch, 'sealed');
    const dataDir = join(sealed, 'app', 'data');
    mkdirSync(dataDir, { recursive: true });
    chmodSync(sealed, 0o700);
    const relocatedDir = join(scratch, 'relocated');
    const notices: string[] = [];
    const home = serverHome(dataDir, stranger, (message) => notices.push(message), relocatedDir);
    expect(dirname(home)).toBe(relocatedDir);
    expect(statSync(home).mode & 0o777).toBe(0o711);
    expect(lstatSync(join(dataDir, 'pg')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dataDir, 'pg'))).toBe(join(home, 'pg'));
    expect(readFileSync(join(home, 'data-dir'), 'utf8')).toBe(`${dataDir}\n`);
    expect(notices).toEqual([expect.stringContaining(`${sealed} is not searchable by the stranger user`)]);
    expect(serverHome(dataDir, stranger, () => undefined, relocatedDir)).toBe(home);
    expect(statSync(sealed).mode & 0o777).toBe(0o700); // nothing of the user's was loosened
  });

  it("refuses, in one line, a cluster that already sits out of the user's reach", () => {
    const sealed = join(scratch, 'sealed');
    const dataDir = join(sealed, 'data');
    mkdirSync(join(dataDir, 'pg'), { recursive: true });
    chmodSync(sealed, 0o700);
    expect(() => serverHome(dataDir, stranger, () => undefined, join(scratch, 'relocated'))).toThrow(EmbeddedPostgresError);
    expect(() => serverHome(dataDir, stranger, () => undefined, join(scratch, 'relocated'))).toThrow(
      /is out of reach of the stranger user .* move the data directory/,
    );
  });

  it("runs as this process's own user when that is not root", () => {
    expect(serverHome(scratch, undefined, () => undefined)).toBe(scratch);
  });
});
