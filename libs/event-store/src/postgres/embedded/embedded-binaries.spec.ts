import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { materialiseBinaries } from './embedded-binaries';

describe('the PostgreSQL binaries the server runs', () => {
  let home: string;
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'fundtrail-binaries-'));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it('are a complete copy of the package (programs, shared libraries with their links, share/) under the home directory', async () => {
    const binaries = await materialiseBinaries(home);
    expect(binaries.dir).toBe(join(home, `bin-${binaries.version}`));
    for (const program of [binaries.postgres, binaries.initdb]) expect(statSync(program).mode & 0o111).toBe(0o111);
    expect(lstatSync(join(binaries.dir, 'lib', 'libicuuc.so.60')).isSymbolicLink()).toBe(true);
    expect(statSync(join(binaries.dir, 'lib', 'libicuuc.so.60')).isFile()).toBe(true);
    expect(existsSync(join(binaries.dir, 'share', 'postgresql', 'postgres.bki'))).toBe(true);
    expect(existsSync(join(binaries.dir, 'lib', 'postgresql', 'plpgsql.so'))).toBe(true);
  });

  it('are reused when intact, replaced when a file is missing or damaged, and other versions are removed', async () => {
    const first = await materialiseBinaries(home);
    const marker = join(first.dir, 'marker');
    writeFileSync(marker, 'kept while the copy is intact');
    await materialiseBinaries(home);
    expect(existsSync(marker)).toBe(true);

    rmSync(first.initdb);
    const repaired = await materialiseBinaries(home);
    expect(existsSync(repaired.initdb)).toBe(true);
    expect(existsSync(marker)).toBe(false);

    rmSync(join(repaired.dir, 'lib', 'libpq.so.5.18'));
    writeFileSync(join(repaired.dir, 'lib', 'libpq.so.5.18'), 'truncated');
    truncateSync(join(repaired.dir, 'lib', 'libpq.so.5.18'), 3);
    const again = await materialiseBinaries(home);
    expect(statSync(join(again.dir, 'lib', 'libpq.so.5.18')).size).toBeGreaterThan(1000);

    mkdirSync(join(home, 'bin-17.0.0'));
    await materialiseBinaries(home);
    expect(readdirSync(home).filter((name) => name.startsWith('bin-'))).toEqual([`bin-${again.version}`]);
  });
});
