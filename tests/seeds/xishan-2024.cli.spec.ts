/**
 * The compiled CLI on a fresh database of the machine's PostgreSQL: `seed xishan-2024` (twice) and
 * `reconcile xishan-2024` (--json, the table, --markdown = the committed document).
 */
import { readFileSync } from 'node:fs';
import { createServerDatabase, runSql, type TestDatabase } from '../support/test-database';
import {
  DOC,
  entries,
  EXPECTED_EVENTS,
  figures,
  KNOWN_MISMATCHES,
  KNOWN_NOT_DERIVABLE,
  KNOWN_PART_MISMATCHES,
  PROJECT_IDS,
  reproducesRate,
  runCli,
  wanToYuan,
} from './support/xishan';

interface Row {
  project: string;
  key: string | null;
  stated: string;
  recomputed: string | null;
  status: string;
  difference?: string;
  reason?: string;
  id: string;
  check: 'log' | 'sum-of-parts';
  reasonCode?: string;
  numerator?: string;
  denominator?: string;
  [field: string]: unknown;
}

describe('CLI: seed and reconcile xishan-2024', () => {
  let db: TestDatabase;
  let env: Record<string, string>;
  const events = async (): Promise<{ count: number; ids: string[] }> => {
    const result = (await runSql(db.url, 'SELECT event_id::text AS id FROM events ORDER BY global_position')) as { rows: { id: string }[] };
    return { count: result.rows.length, ids: result.rows.map((r) => r.id) };
  };

  beforeAll(async () => {
    db = await createServerDatabase();
    env = { DATABASE_URL: db.url };
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('reconcile on a store without the data set classifies every figure as not derivable and warns', () => {
    const run = runCli(['reconcile', 'xishan-2024', '--json'], env);
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/not in the log; load it first: seed xishan-2024/);
    const rows = JSON.parse(run.stdout) as Row[];
    expect(rows.filter((r) => r.check === 'log').every((r) => r.status === 'not-derivable')).toBe(true);
  });

  it('seed loads every command through the bus once', async () => {
    const run = runCli(['seed', 'xishan-2024'], env);
    expect({ status: run.status, stderr: run.status === 0 ? '' : run.stderr }).toEqual({ status: 0, stderr: '' });
    const n = entries.length;
    expect(run.stdout).toBe(`xishan-2024: ${n} commands: ${n} applied, 0 already present; ${EXPECTED_EVENTS} events appended\n`);
    // Plain progress lines on a non-TTY stderr.
    expect(run.stderr).toContain(`seed xishan-2024: ${n}/${n} (100%)`);
    expect((await events()).count).toBe(EXPECTED_EVENTS);
    const projects = (await runSql(db.url, "SELECT DISTINCT stream_id FROM events WHERE stream_id LIKE 'project-%' ORDER BY 1")) as { rows: { stream_id: string }[] };
    expect(projects.rows.map((r) => r.stream_id)).toEqual(PROJECT_IDS.map((id) => `project-${id}`).sort());
  });

  it('running seed a second time changes nothing', async () => {
    const before = await events();
    const run = runCli(['seed', 'xishan-2024'], env);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`xishan-2024: ${entries.length} commands: 0 applied, ${entries.length} already present; 0 events appended\n`);
    expect(await events()).toEqual(before);
  });

  it('refuses an unknown data set and a name that is not a slug', () => {
    expect(runCli(['seed', 'no-such-dataset'], env)).toMatchObject({ status: 1, stderr: expect.stringMatching(/data set no-such-dataset not found/) });
    expect(runCli(['seed', '../etc'], env)).toMatchObject({ status: 1, stderr: expect.stringMatching(/must be a slug/) });
  });

  describe('reconcile --json', () => {
    let rows: Row[];
    beforeAll(() => {
      const run = runCli(['reconcile', 'xishan-2024', '--json'], env);
      expect(run.status).toBe(0);
      expect(run.stderr).toBe('');
      rows = JSON.parse(run.stdout) as Row[];
    });

    it('is one JSON array of rows with the DESIGN §7 fields', () => {
      expect(Array.isArray(rows)).toBe(true);
      for (const row of rows) {
        expect(Object.keys(row).slice(0, 5)).toEqual(['project', 'key', 'stated', 'recomputed', 'status']);
        expect(typeof row.project).toBe('string');
        expect(row.key === null || typeof row.key === 'string').toBe(true);
        expect(typeof row.stated).toBe('string');
        expect(row.recomputed === null || typeof row.recomputed === 'string').toBe(true);
        expect(['match', 'mismatch', 'not-derivable']).toContain(row.status);
        expect({ id: row.id, difference: row.difference !== undefined }).toEqual({ id: row.id, difference: row.status === 'mismatch' });
        expect({ id: row.id, reason: typeof row.reason === 'string' }).toEqual({ id: row.id, reason: row.status === 'not-derivable' });
        expect({ id: row.id, recomputed: row.recomputed === null }).toEqual({ id: row.id, recomputed: row.status === 'not-derivable' });
      }
    });

    it('classifies every stated figure once, and checks every stated total against its stated parts', () => {
      const logRows = rows.filter((r) => r.check === 'log');
      expect(logRows.map((r) => r.id)).toEqual(figures.map((f) => f.id));
      const partRows = rows.filter((r) => r.check === 'sum-of-parts');
      expect(partRows.map((r) => r.id)).toEqual(figures.filter((f) => f.sumOf).map((f) => f.id));
      expect(rows.length).toBe(figures.length + partRows.length);
      for (const row of rows) {
        const figure = figures.find((f) => f.id === row.id)!;
        expect({ id: row.id, project: row.project, key: row.key }).toEqual({ id: row.id, project: figure.project, key: figure.key });
      }
    });

    it('states amounts in yuan and rates in percent, exactly as printed', () => {
      for (const row of rows) {
        const figure = figures.find((f) => f.id === row.id)!;
        if (figure.unit === 'wan-yuan') expect({ id: row.id, stated: row.stated }).toEqual({ id: row.id, stated: wanToYuan(figure.stated) });
        if (figure.unit === 'percent') expect({ id: row.id, stated: row.stated }).toEqual({ id: row.id, stated: figure.stated });
      }
    });

    it('reproduces every derivable stated figure at the report\'s precision, except the known mismatches', () => {
      const keyed = rows.filter((r) => r.check === 'log' && r.key !== null);
      for (const row of keyed) {
        const figure = figures.find((f) => f.id === row.id)!;
        if (row.id in KNOWN_NOT_DERIVABLE) {
          expect({ id: row.id, status: row.status, reasonCode: row.reasonCode }).toEqual({ id: row.id, status: 'not-derivable', reasonCode: 'FACT_MISSING' });
          expect(row.reason).toMatch(KNOWN_NOT_DERIVABLE[row.id]);
          continue;
        }
        if (row.id in KNOWN_MISMATCHES) {
          expect({ id: row.id, status: row.status, difference: row.difference, recomputed: row.recomputed }).toEqual({
            id: row.id,
            status: 'mismatch',
            ...KNOWN_MISMATCHES[row.id],
          });
          continue;
        }
        expect({ id: row.id, status: row.status }).toEqual({ id: row.id, status: 'match' });
        if (figure.unit === 'wan-yuan') {
          expect({ id: row.id, recomputed: row.recomputed }).toEqual({ id: row.id, recomputed: wanToYuan(figure.stated) });
        } else {
          expect(figure.unit).toBe('percent');
          expect(row.recomputed).toMatch(/^\d+\.\d{2}$/);
          expect({ id: row.id, reproduced: reproducesRate(figure.stated, row.numerator!, row.denominator!) }).toEqual({ id: row.id, reproduced: true });
        }
      }
      // Exactly the known findings, nothing else.
      expect(keyed.filter((r) => r.status === 'mismatch').map((r) => r.id).sort()).toEqual(Object.keys(KNOWN_MISMATCHES).sort());
      expect(keyed.filter((r) => r.status === 'not-derivable').map((r) => r.id).sort()).toEqual(Object.keys(KNOWN_NOT_DERIVABLE).sort());
    });

    it('reports where the report disagrees with itself (totals vs their stated parts)', () => {
      const partRows = rows.filter((r) => r.check === 'sum-of-parts');
      const mismatched = Object.fromEntries(
        partRows.filter((r) => r.status === 'mismatch').map((r) => [r.id, { difference: r.difference, recomputed: r.recomputed }]),
      );
      expect(mismatched).toEqual(KNOWN_PART_MISMATCHES);
      expect(partRows.filter((r) => r.status !== 'mismatch').every((r) => r.status === 'match')).toBe(true);
    });

    it('marks the figures no key expresses as not derivable, for that reason', () => {
      const keyless = rows.filter((r) => r.check === 'log' && r.key === null);
      expect(keyless.map((r) => r.id)).toEqual(figures.filter((f) => f.key === null).map((f) => f.id));
      for (const row of keyless) expect({ id: row.id, status: row.status, code: row.reasonCode }).toEqual({ id: row.id, status: 'not-derivable', code: 'NO_FIGURE_KEY' });
    });
  });

  it('prints a table with a summary, and exits 0 despite the mismatches', () => {
    const run = runCli(['reconcile', 'xishan-2024'], env);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^一、昆明长坡泛亚国际物流园区棚户区改造（二期）一地块建设项目 \(changpo-shantytown-phase2-plot1\)$/m);
    expect(run.stdout).toMatch(/MISMATCH\s+second-ring-payment-progress\s+execution_rate\s+74\.25%\s+74\.26%\s+−0\.01 pp/);
    const keyed = figures.filter((f) => f.key !== null).length;
    const mismatches = Object.keys(KNOWN_MISMATCHES).length;
    const missing = Object.keys(KNOWN_NOT_DERIVABLE).length;
    const totals = figures.filter((f) => f.sumOf).length;
    const partMismatches = Object.keys(KNOWN_PART_MISMATCHES).length;
    expect(run.stdout).toContain(
      `${figures.length} stated figures: ${keyed - mismatches - missing} match, ${mismatches} mismatch, ${missing} not derivable (a fact is missing), ` +
        `${figures.length - keyed} printed figures no figure key expresses; ${totals} totals checked against their stated parts: ` +
        `${totals - partMismatches} add up, ${partMismatches} do not`,
    );
  });

  it('generates docs/xishan-2024-reconciliation.md: the committed document is what the CLI prints now', () => {
    const run = runCli(['reconcile', 'xishan-2024', '--markdown'], env);
    expect(run.status).toBe(0);
    // If this fails after a change to the data or the formulas, regenerate the document (see its first lines).
    expect(run.stdout).toBe(readFileSync(DOC, 'utf8'));
    for (const id of [...Object.keys(KNOWN_MISMATCHES), ...Object.keys(KNOWN_PART_MISMATCHES), ...Object.keys(KNOWN_NOT_DERIVABLE)]) {
      expect(run.stdout).toContain(`\`${id}\``);
    }
  });

  it('refuses --json together with --markdown', () => {
    expect(runCli(['reconcile', 'xishan-2024', '--json', '--markdown'], env)).toMatchObject({ status: 1, stderr: expect.stringMatching(/exclude each other/) });
  });
});
