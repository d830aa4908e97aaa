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
  EXPECTED_LOG_EVENTS,
  figures,
  changpoReceivedInterval,
  KNOWN_NOT_DERIVABLE,
  KNOWN_ROW_STATUSES,
  KNOWN_SUM_STATUSES,
  PROJECT_IDS,
  roundedText,
  runCli,
  wanAtTwoDecimals,
  wanToYuan,
} from './support/xishan';

interface Row {
  statedId: string;
  scope: { projectId?: string };
  key: string | null;
  stated: string;
  unit: string;
  recomputed: string | null;
  recomputedYuan?: string;
  status: string;
  difference?: string;
  reason?: string;
  arithmetic: string;
  citation: { section: string; quote: string };
}
interface Sum {
  statedId: string;
  parts: string[];
  stated: string;
  sumOfParts: string;
  status: string;
  difference?: string;
}
interface Reconciliation {
  reportId: string;
  asOfEffective: string | null;
  knownAt: string | null;
  summary: Record<string, number>;
  rows: Row[];
  sums: Sum[];
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
    const { rows } = JSON.parse(run.stdout) as Reconciliation;
    expect(rows.filter((r) => r.key !== null).every((r) => r.status === 'not-derivable' && /is not in the log$/.test(r.reason!))).toBe(true);
  });

  it('seed loads every command through the bus once', async () => {
    const run = runCli(['seed', 'xishan-2024'], env);
    expect({ status: run.status, stderr: run.status === 0 ? '' : run.stderr }).toEqual({ status: 0, stderr: '' });
    const n = entries.length;
    expect(run.stdout).toBe(`xishan-2024: ${n} commands: ${n} applied, 0 already present; ${EXPECTED_EVENTS} events appended; stated figures as report xishan-2024: published\n`);
    // Plain progress lines on a non-TTY stderr.
    expect(run.stderr).toContain(`seed xishan-2024: ${n}/${n} (100%)`);
    expect((await events()).count).toBe(EXPECTED_LOG_EVENTS);
    const projects = (await runSql(db.url, "SELECT DISTINCT stream_id FROM events WHERE stream_id LIKE 'project-%' ORDER BY 1")) as { rows: { stream_id: string }[] };
    expect(projects.rows.map((r) => r.stream_id)).toEqual(PROJECT_IDS.map((id) => `project-${id}`).sort());
  });

  it('running seed a second time changes nothing', async () => {
    const before = await events();
    const run = runCli(['seed', 'xishan-2024'], env);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`xishan-2024: ${entries.length} commands: 0 applied, ${entries.length} already present; 0 events appended; stated figures as report xishan-2024: already present\n`);
    expect(await events()).toEqual(before);
  });

  it('refuses an unknown data set and a name that is not a slug', () => {
    expect(runCli(['seed', 'no-such-dataset'], env)).toMatchObject({ status: 1, stderr: expect.stringMatching(/data set no-such-dataset not found/) });
    expect(runCli(['seed', '../etc'], env)).toMatchObject({ status: 1, stderr: expect.stringMatching(/must be a slug/) });
  });

  describe('reconcile --json', () => {
    let result: Reconciliation;
    let rows: Row[];
    beforeAll(() => {
      const run = runCli(['reconcile', 'xishan-2024', '--json'], env);
      expect(run.status).toBe(0);
      expect(run.stderr).toBe('');
      result = JSON.parse(run.stdout) as Reconciliation;
      rows = result.rows;
    });

    it('is the reconciliation of the published report xishan-2024, with the fields of GET /api/reports/:id/reconciliation', () => {
      expect(Object.keys(result)).toEqual(['reportId', 'asOfEffective', 'knownAt', 'summary', 'rows', 'sums']);
      expect(result).toMatchObject({ reportId: 'xishan-2024', asOfEffective: null, knownAt: null });
      for (const row of rows) {
        expect(Object.keys(row).filter((k) => !['recomputedYuan', 'difference', 'reason'].includes(k))).toEqual([
          'statedId', 'scope', 'key', 'stated', 'unit', 'recomputed', 'status', 'arithmetic', 'citation',
        ]);
        expect({ id: row.statedId, difference: row.difference !== undefined }).toEqual({ id: row.statedId, difference: row.status === 'mismatch' });
        expect({ id: row.statedId, recomputed: row.recomputed === null }).toEqual({ id: row.statedId, recomputed: ['not-derivable', 'not-keyed'].includes(row.status) });
        expect({ id: row.statedId, yuan: row.recomputedYuan !== undefined }).toEqual({ id: row.statedId, yuan: row.recomputed !== null && row.unit === 'wan' });
      }
    });

    it('classifies every stated figure once, as printed, and checks every stated total against its stated parts', () => {
      expect(rows.map((r) => r.statedId)).toEqual(figures.map((f) => f.id));
      for (const row of rows) {
        const figure = figures.find((f) => f.id === row.statedId)!;
        expect({ id: row.statedId, scope: row.scope, key: row.key, stated: row.stated, unit: row.unit }).toEqual({
          id: row.statedId,
          scope: { projectId: figure.project },
          key: figure.key === null ? null : expect.any(String),
          stated: figure.stated,
          unit: figure.unit === 'wan-yuan' ? 'wan' : figure.unit,
        });
      }
      expect(result.sums.map((s) => [s.statedId, s.parts])).toEqual(figures.filter((f) => f.sumOf).map((f) => [f.id, f.sumOf]));
    });

    it('reproduces every derivable stated figure at the report\'s precision, except the known findings', () => {
      for (const row of rows.filter((r) => r.key !== null)) {
        const figure = figures.find((f) => f.id === row.statedId)!;
        if (row.statedId in KNOWN_NOT_DERIVABLE) {
          expect({ id: row.statedId, status: row.status }).toEqual({ id: row.statedId, status: 'not-derivable' });
          expect(row.reason).toMatch(KNOWN_NOT_DERIVABLE[row.statedId]);
          continue;
        }
        const expected = KNOWN_ROW_STATUSES[row.statedId] ?? { status: 'match' };
        expect({ id: row.statedId, status: row.status, reason: row.reason }).toEqual({ id: row.statedId, ...expected });
        const decimals = figure.stated.includes('.') ? figure.stated.split('.')[1].length : 0;
        const atPrinted = roundedText(row.recomputed!, decimals);
        if (expected.status === 'match') expect({ id: row.statedId, atPrinted }).toEqual({ id: row.statedId, atPrinted: figure.stated.replace(/,/g, '') });
        else expect({ id: row.statedId, atPrinted }).not.toEqual({ id: row.statedId, atPrinted: figure.stated.replace(/,/g, '') });
        if (figure.unit === 'wan-yuan' && expected.status === 'match') expect(row.recomputedYuan).toBe(wanToYuan(figure.stated));
      }
      const keyed = figures.filter((f) => f.key !== null).length;
      const findings = Object.keys(KNOWN_ROW_STATUSES).length + Object.keys(KNOWN_NOT_DERIVABLE).length;
      expect(result.summary).toMatchObject({
        match: keyed - findings,
        withinPrintedPrecision: 1,
        mismatch: 1,
        notDerivable: Object.keys(KNOWN_NOT_DERIVABLE).length,
        notKeyed: figures.length - keyed,
      });
    });

    it('holds the 长坡 received total within printed precision: the interval of its printed receipts holds 111,969.90, their exact sum does not', () => {
      const row = rows.find((r) => r.statedId === 'changpo-received-total')!;
      const { value, lower, upper } = changpoReceivedInterval();
      const stated = 111_969_90n;
      expect(wanAtTwoDecimals(value)).not.toBe(stated);
      expect(wanAtTwoDecimals(lower) <= stated && stated <= wanAtTwoDecimals(upper)).toBe(true);
      expect(row.recomputedYuan).toBe(`${value / 100n}.${(value % 100n).toString().padStart(2, '0')}`);
      expect(row.arithmetic).toContain('111,969.90');
    });

    it('74.25% is a truncation of 45,258.58 / 60,950.00 = 74.2552…%, not a rounding', () => {
      const row = rows.find((r) => r.statedId === 'second-ring-payment-progress')!;
      expect(row.recomputed).toMatch(/^74\.2552/);
      expect(Number(row.difference) < 0 && Number(row.difference) > -0.01).toBe(true);
    });

    it('reports where the report disagrees with itself, and where its totals only round', () => {
      const notSimple = Object.fromEntries(result.sums.filter((s) => s.status !== 'adds-up').map((s) => [s.statedId, s.status]));
      expect(notSimple).toEqual(KNOWN_SUM_STATUSES);
      expect(result.sums.find((s) => s.statedId === 'new-infra-subprojects-total')).toMatchObject({ sumOfParts: '21', difference: '-1' });
      expect(result.summary).toMatchObject({ sumsAddUp: result.sums.length - 2, sumsWithinPrintedPrecision: 1, sumsDoNotAddUp: 1 });
    });

    it('marks the figures no key expresses as not keyed', () => {
      const keyless = rows.filter((r) => r.key === null);
      expect(keyless.map((r) => r.statedId)).toEqual(figures.filter((f) => f.key === null).map((f) => f.id));
      for (const row of keyless) expect({ id: row.statedId, status: row.status }).toEqual({ id: row.statedId, status: 'not-keyed' });
    });
  });

  it('prints a table with a summary, and exits 0 despite the findings', () => {
    const run = runCli(['reconcile', 'xishan-2024'], env);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^一、昆明长坡泛亚国际物流园区棚户区改造（二期）一地块建设项目 \(changpo-shantytown-phase2-plot1\)$/m);
    expect(run.stdout).toMatch(/MISMATCH\s+second-ring-payment-progress\s+execution_rate\s+74\.25%\s+74\.2552\d*…%\s+−0\.005\d*… pp \(truncated\)|MISMATCH\s+second-ring-payment-progress\s+execution_rate\s+74\.25%\s+74\.2552\d*…%\s+−0\.005\d* pp \(truncated\)/);
    expect(run.stdout).toMatch(/within printed precision\s+changpo-received-total\s+received_total\s+111,969\.90万元\s+111,969\.89万元/);
    const keyed = figures.filter((f) => f.key !== null).length;
    const missing = Object.keys(KNOWN_NOT_DERIVABLE).length;
    const totals = figures.filter((f) => f.sumOf).length;
    expect(run.stdout).toContain(
      `${figures.length} stated figures: ${keyed - 2 - missing} match, 1 within printed precision, 1 mismatch, ${missing} not derivable, ` +
        `${figures.length - keyed} not keyed; ${totals} stated totals: ${totals - 2} add up, 1 within printed precision, 1 do not add up`,
    );
  });

  it('generates docs/xishan-2024-reconciliation.md: the committed document is what the CLI prints now', () => {
    const run = runCli(['reconcile', 'xishan-2024', '--markdown'], env);
    expect(run.status).toBe(0);
    // If this fails after a change to the data or the formulas, regenerate the document (see its first lines).
    expect(run.stdout).toBe(readFileSync(DOC, 'utf8'));
    // Every finding of the document before printed precision is still named in it.
    for (const id of [...Object.keys(KNOWN_ROW_STATUSES), ...Object.keys(KNOWN_SUM_STATUSES), ...Object.keys(KNOWN_NOT_DERIVABLE)]) {
      expect(run.stdout).toContain(`\`${id}\``);
    }
  });

  it('refuses --json together with --markdown', () => {
    expect(runCli(['reconcile', 'xishan-2024', '--json', '--markdown'], env)).toMatchObject({ status: 1, stderr: expect.stringMatching(/exclude each other/) });
  });
});
