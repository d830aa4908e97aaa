import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The generator is plain CommonJS (it runs without a build); its surface, typed here. */
interface ReportGenerator {
  BLOCK_NAMES: string[];
  DOCUMENT: string;
  readRecorded(root: string): Record<string, Record<string, unknown>>;
  render(document: string, recorded: Record<string, Record<string, unknown>>): string;
  writeReport(root: string): string;
}
const report = require('../reliability/support/report.cjs') as ReportGenerator;

const ROOT = join(__dirname, '..', '..');
const RECORDED_DIR = join(ROOT, 'tests', 'reliability', 'recorded');
const document = () => readFileSync(join(ROOT, report.DOCUMENT), 'utf8');
const block = (name: string, body: string) => `<!-- generated:${name} -->\n${body}\n<!-- /generated -->`;
/** A document holding every block, with stale content, between lines of prose. */
const skeleton = () => report.BLOCK_NAMES.map((name, i) => `## prose ${i}, kept as written: 7 of ${name}\n\n${block(name, `stale ${name} figure 999`)}\n`).join('\n');

/** Every value under a key named `key`, anywhere in the recorded files (an independent walk, not the generator's list of suites). */
function sumOfKey(value: unknown, key: string): number {
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + sumOfKey(item, key), 0);
  if (typeof value !== 'object' || value === null) return 0;
  return Object.entries(value).reduce((sum, [k, v]) => sum + (k === key && typeof v === 'number' ? v : sumOfKey(v, key)), 0);
}

/** Σ of counts under every tally key that names a 5xx status other than 503, anywhere in the recorded files. */
function serverErrorCount(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + serverErrorCount(item), 0);
  if (typeof value !== 'object' || value === null) return 0;
  return Object.entries(value).reduce((sum, [k, v]) => {
    const status = /(?:^|\s)(5\d\d)(?:\s|$)/.exec(k)?.[1];
    return sum + (status !== undefined && status !== '503' && typeof v === 'number' ? v : serverErrorCount(v));
  }, 0);
}

describe('docs/RELIABILITY.md', () => {
  const recordedFiles = readdirSync(RECORDED_DIR).filter((name) => name.endsWith('.json'));
  const recorded = recordedFiles.map((name) => JSON.parse(readFileSync(join(RECORDED_DIR, name), 'utf8')) as Record<string, unknown>);

  it('is exactly what the generator makes of the committed tests/reliability/recorded/*.json (run `npm run reliability:report`)', () => {
    const text = document();
    expect(report.render(text, report.readRecorded(ROOT))).toBe(text);
  });

  it('has each generated block once, closed, and no other', () => {
    const names = [...document().matchAll(/<!-- generated:([a-z0-9-]+) -->/g)].map((m) => m[1]);
    expect([...names].sort()).toEqual([...report.BLOCK_NAMES].sort());
    expect(document().split('<!-- /generated -->').length - 1).toBe(names.length);
  });

  it('states the totals an independent sum over every recorded file gives', () => {
    const text = document();
    const stated = (label: string) => Number(new RegExp(`${label}: \\*\\*([0-9 ]+)\\*\\*`).exec(text)?.[1].replace(/ /g, ''));
    expect(stated('Acknowledged events lost')).toBe(sumOfKey(recorded, 'eventsLost'));
    expect(stated('Stored twice')).toBe(sumOfKey(recorded, 'duplicates'));
    expect(stated('Invariant violations')).toBe(sumOfKey(recorded, 'invariantViolations'));
    expect(stated('5xx answers other than 503 in the recorded tallies')).toBe(serverErrorCount(recorded));
  });

  it('quotes the run Jest reported: files, tests and wall time from campaign.json', () => {
    const campaign = recorded.find((figures) => figures.suite === 'campaign') as { testFiles: number; tests: number; testsFailed: number; wallSeconds: number; files: unknown[] };
    expect(campaign.files).toHaveLength(campaign.testFiles);
    const grouped = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
    expect(document()).toContain(`${grouped(campaign.wallSeconds)} s of wall time; ${grouped(campaign.testFiles)} test files, ${grouped(campaign.tests)} tests`);
    expect(campaign.testsFailed).toBe(0);
  });

  it('the generator rewrites only what lies between the markers', () => {
    const before = skeleton();
    const after = report.render(before, report.readRecorded(ROOT));
    const prose = (text: string) => text.replace(/<!-- generated:[a-z0-9-]+ -->\n[\s\S]*?<!-- \/generated -->/g, '<block>');
    expect(prose(after)).toBe(prose(before));
    expect(after).not.toMatch(/stale .* figure 999/);
    // Rendering is a fixed point: a second pass changes nothing.
    expect(report.render(after, report.readRecorded(ROOT))).toBe(after);
  });

  it('the generator refuses an unknown block, a missing block, a doubled block and a suite that is not recorded', () => {
    const recordedNow = report.readRecorded(ROOT);
    expect(() => report.render(`${skeleton()}\n${block('no-such-block', '')}`, recordedNow)).toThrow(/unknown generated block "no-such-block"/);
    const [first, ...rest] = report.BLOCK_NAMES;
    expect(() => report.render(rest.map((name) => block(name, '')).join('\n'), recordedNow)).toThrow(new RegExp(`not so for ${first}$`));
    expect(() => report.render(`${skeleton()}\n${block(first, '')}`, recordedNow)).toThrow(new RegExp(`not so for ${first}$`));
    const { 'postgres-crash': _dropped, ...without } = recordedNow;
    expect(() => report.render(skeleton(), without)).toThrow(/needs tests\/reliability\/recorded\/postgres-crash\.json, which is not recorded/);
  });

  it('writeReport rewrites the document of the tree it is given (a scratch copy here, never this checkout)', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'fundtrail-report-'));
    try {
      mkdirSync(join(scratch, 'docs'));
      mkdirSync(join(scratch, 'tests', 'reliability', 'recorded'), { recursive: true });
      for (const name of recordedFiles) copyFileSync(join(RECORDED_DIR, name), join(scratch, 'tests', 'reliability', 'recorded', name));
      writeFileSync(join(scratch, report.DOCUMENT), skeleton());
      expect(report.writeReport(scratch)).toBe(join(scratch, report.DOCUMENT));
      expect(readFileSync(join(scratch, report.DOCUMENT), 'utf8')).toBe(report.render(skeleton(), report.readRecorded(ROOT)));
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
