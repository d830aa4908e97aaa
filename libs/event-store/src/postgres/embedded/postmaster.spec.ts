import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedPostgresError } from './embedded-postgres-error';
import { type ClusterSettings, initialiseCluster, Postmaster } from './postmaster';

/** Programs that cannot run must be a rejected promise, never an unhandled 'error' event that ends the process. */
describe('a postmaster whose programs cannot run', () => {
  let home: string;
  let settings: ClusterSettings;
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'fundtrail-postmaster-'));
    const notExecutable = join(home, 'postgres');
    writeFileSync(notExecutable, '#!/bin/sh\n');
    chmodSync(notExecutable, 0o644);
    settings = {
      binaries: { version: 'test', dir: home, postgres: notExecutable, initdb: join(home, 'missing-initdb') },
      clusterDir: join(home, 'pg'),
      home,
      port: 1,
      log: () => undefined,
    };
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it('start() rejects with what could not be run and why', async () => {
    const exits: unknown[] = [];
    const started = new Postmaster(settings).start((code) => exits.push(code));
    await expect(started).rejects.toThrow(EmbeddedPostgresError);
    await expect(started).rejects.toThrow(/^could not run .*\/postgres: spawn .*EACCES$/);
    expect(exits).toEqual([]);
  });

  it('initialiseCluster() rejects when initdb is missing', async () => {
    await expect(initialiseCluster(settings, 'secret')).rejects.toThrow(/^could not run .*missing-initdb: spawn .*ENOENT$/);
  });

  it('a program that fails says so with its own last words', async () => {
    const failing = join(home, 'failing-initdb');
    writeFileSync(failing, '#!/bin/sh\necho "initdb: error: directory exists but is not empty" >&2\nexit 1\n');
    chmodSync(failing, 0o755);
    await expect(initialiseCluster({ ...settings, binaries: { ...settings.binaries, initdb: failing } }, 'secret')).rejects.toThrow(
      /failing-initdb failed \(exit code 1\): initdb: error: directory exists but is not empty$/,
    );
  });
});
