import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BenchResults, MIN_ROUNDS, SCENARIO_NAMES, validateResults } from '../../bench/src/results';

/** The generator is plain CommonJS (it runs without a build); its surface, typed here. */
interface ReportGenerator {
  BLOCK_NAMES: string[];
  DOCUMENT: string;
  GROWTH: string;
  RESULTS: string;
  readResults(root: string): BenchResults;
  render(document: string, results: BenchResults): string;
  writeReport(root: string): string;
}
const report = require('../../bench/report.cjs') as ReportGenerator;

const ROOT = join(__dirname, '..', '..');
const document = () => readFileSync(join(ROOT, report.DOCUMENT), 'utf8');
const committed = () => JSON.parse(readFileSync(join(ROOT, report.RESULTS), 'utf8')) as BenchResults & { errors?: string[] };
const block = (name: string, body: string) => `<!-- generated:${name} -->\n${body}\n<!-- /generated -->`;
const skeleton = () => report.BLOCK_NAMES.map((name, i) => `## prose ${i}, kept as written: 7 of ${name}\n\n${block(name, `stale ${name} figure 999`)}\n`).join('\n');

/** The middle of an odd count, the mean of the two middle ones of an even count: computed here, not taken from the harness. */
function middle(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

describe('docs/PERFORMANCE.md', () => {
  it('is exactly what the generator makes of the committed bench/results/latest.json (run `npm run bench:report`)', () => {
    const text = document();
    expect(report.render(text, report.readResults(ROOT))).toBe(text);
  });

  it('quotes a committed run that is well-formed: every scenario, at least three rounds, the fair baselines', () => {
    const results = committed();
    expect(validateResults(results)).toEqual([]);
    expect(results.scenarios.map((s) => s.name).sort()).toEqual([...SCENARIO_NAMES].sort());
    for (const s of results.scenarios) {
      expect(s.rounds).toBeGreaterThanOrEqual(MIN_ROUNDS);
      expect(s.values).toHaveLength(s.rounds);
    }
    const bus = results.scenarios.find((s) => s.name === 'append.command-bus');
    const peer = results.scenarios.find((s) => s.name === 'append.peer-emmett');
    expect(bus?.baseline?.prepared).toBe(true);
    expect(peer?.baseline?.extraReads).toBe(0);
  });

  it('states each ratio as the median of the rounds\' own ratios, recomputed here from values and baseline values', () => {
    const text = document();
    for (const s of committed().scenarios) {
      if (!s.baseline) continue;
      const perRound = s.values.map((v, i) => v / s.baseline!.values[i]);
      const row = text.split('\n').find((line) => line.startsWith(`| ${s.name} |`));
      expect(row).toBeDefined();
      const cells = row!.split('|').map((c) => c.trim());
      expect(cells[4]).toBe(middle(perRound).toFixed(2));
      expect(cells[5]).toBe(`${s.rounds}: ${perRound.map((r) => r.toFixed(2)).join(' / ')}`);
    }
  });

  it('names the command, the start and the load average of the quoted run', () => {
    const machine = committed().machine as unknown as { command: string; startedAt: string; loadAverage1m: { atStart: number; atEnd: number } };
    const text = document();
    expect(text).toContain(machine.command);
    expect(text).toContain(machine.startedAt.slice(0, 10));
    expect(text).toContain(`load average was ${machine.loadAverage1m.atStart.toFixed(2)} at the start and ${machine.loadAverage1m.atEnd.toFixed(2)} at the end`);
  });

  it('the generator rewrites only what lies between the markers, and a second pass changes nothing', () => {
    const before = skeleton();
    const after = report.render(before, report.readResults(ROOT));
    const prose = (text: string) => text.replace(/<!-- generated:[a-z0-9-]+ -->\n[\s\S]*?<!-- \/generated -->/g, '<block>');
    expect(prose(after)).toBe(prose(before));
    expect(after).not.toMatch(/stale .* figure 999/);
    expect(report.render(after, report.readResults(ROOT))).toBe(after);
  });

  it('the generator refuses an unknown, a missing or a doubled block, and a results file without a scenario it quotes', () => {
    const results = report.readResults(ROOT);
    expect(() => report.render(`${skeleton()}\n${block('no-such-block', '')}`, results)).toThrow(/unknown generated block "no-such-block"/);
    const [first, ...rest] = report.BLOCK_NAMES;
    expect(() => report.render(rest.map((name) => block(name, '')).join('\n'), results)).toThrow(new RegExp(`not so for ${first}$`));
    expect(() => report.render(`${skeleton()}\n${block(first, '')}`, results)).toThrow(new RegExp(`not so for ${first}$`));
    const withoutBus = { ...results, scenarios: results.scenarios.filter((s) => s.name !== 'append.command-bus') };
    expect(() => report.render(skeleton(), withoutBus)).toThrow(/no scenario append.command-bus/);
  });

  it('writeReport rewrites the document of the tree it is given (a scratch copy here, never this checkout)', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'fundtrail-perf-report-'));
    try {
      mkdirSync(join(scratch, 'docs'));
      mkdirSync(join(scratch, 'bench', 'results'), { recursive: true });
      writeFileSync(join(scratch, report.RESULTS), readFileSync(join(ROOT, report.RESULTS)));
      if (existsSync(join(ROOT, report.GROWTH))) writeFileSync(join(scratch, report.GROWTH), readFileSync(join(ROOT, report.GROWTH)));
      writeFileSync(join(scratch, report.DOCUMENT), skeleton());
      expect(report.writeReport(scratch)).toBe(join(scratch, report.DOCUMENT));
      expect(readFileSync(join(scratch, report.DOCUMENT), 'utf8')).toBe(report.render(skeleton(), report.readResults(ROOT)));
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  describe('the growth table (bench/results/growth.json, from `npm run bench:growth`)', () => {
    type Growth = { steps: Array<{ logEvents: number; scenarios: Array<{ name: string; value: number }> }> };
    const fixture = () => JSON.parse(readFileSync(join(__dirname, 'fixtures', 'growth.json'), 'utf8')) as Growth;
    const growthBlock = (growth: unknown) => {
      const text = report.render(skeleton(), { ...report.readResults(ROOT), growth } as BenchResults);
      return /<!-- generated:growth -->\n([\s\S]*?)\n<!-- \/generated -->/.exec(text)![1];
    };

    it('renders each read-side scenario at each log size, the sizes as multiples of the first, and the last over the first', () => {
      const text = growthBlock(fixture());
      const lines = text.split('\n');
      expect(lines).toContain('| scenario | 25,003 events (1×) | 100,118 events (4×) | 400,441 events (16×) | 16× ÷ 1× |');
      expect(lines).toContain('| trace.10k | 101.5 ms | 103.2 ms | 104.9 ms | 1.03 |');
      expect(lines).toContain('| query.figures.p99 | 3.90 ms | 4.10 ms | 4.30 ms | 1.10 |');
      expect(lines).toContain('| rebuild | 61,000 events/s (0.41× raw scan) | 60,000 events/s (0.40× raw scan) | 59,000 events/s (0.39× raw scan) | 0.97 |');
      expect(lines).toContain('| rebuild.rss | 150.2 MB | 151.0 MB | 152.5 MB | 1.02 |');
      expect(lines).toContain('| verify | 52,000 events/s (0.45× raw scan) | 51,000 events/s (0.44× raw scan) | 50,000 events/s (0.43× raw scan) | 0.96 |');
      expect(text).toContain('npm run bench -- --quick --growth');
      expect(text).toContain('3 rounds at each size');
    });

    it('says how to make one when no growth run is there, and refuses a run of one step or a step without a scenario', () => {
      expect(growthBlock(undefined)).toMatch(/^No growth run is committed yet: `npm run bench:growth`/);
      const growth = fixture();
      expect(() => growthBlock({ ...growth, steps: growth.steps.slice(0, 1) })).toThrow(/at least two steps/);
      const [first, ...rest] = growth.steps;
      const withoutTrace = { ...first, scenarios: first.scenarios.filter((s) => s.name !== 'trace.10k') };
      expect(() => growthBlock({ ...growth, steps: [withoutTrace, ...rest] })).toThrow(/25003 events has no scenario trace.10k/);
    });
  });
});
