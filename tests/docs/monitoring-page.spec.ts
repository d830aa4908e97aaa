import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MonitoringPageCommand } from '../../apps/cli/src/commands/monitoring-page.command';
import { renderMonitoringPage, XISHAN_MONITORING_PAGE } from '../../apps/cli/src/monitoring/monitoring-page';

const ROOT = join(__dirname, '..', '..');
const committed = () => readFileSync(join(ROOT, XISHAN_MONITORING_PAGE.path), 'utf8');
/** The project names the data set registers, read straight from its file. */
const registered = (): string[] =>
  (JSON.parse(readFileSync(join(ROOT, 'seeds', 'xishan-2024', 'commands.json'), 'utf8')) as { commands: { type: string; data: { name?: string } }[] }).commands
    .filter((command) => command.type === 'RegisterProject')
    .map((command) => String(command.data.name));
const section = (text: string, heading: string) => text.split(`## ${heading}`)[1].split('\n## ')[0];

describe('docs/monitoring-xishan-2024.md', () => {
  const page = committed();

  it('is exactly what the generator makes of the data set and the default rules (run `npm run cli -- monitoring-page`)', () => {
    expect(renderMonitoringPage()).toBe(page);
  });

  it('names every registered project once: warned in the history, or in the never-warned list', () => {
    const names = registered();
    expect(names).toHaveLength(11);
    const history = section(page, 'When each warning held');
    const never = section(page, 'Never warned');
    for (const name of names) {
      const inHistory = history.includes(`| ${name} |`);
      const inNever = never.includes(`- ${name}\n`);
      expect([name, inHistory !== inNever]).toEqual([name, true]);
    }
  });

  it('shows the two warnings of the report\'s 截至 date: the gas pipeline\'s 3,080.7 of 10,269 万元 and 5 of 20 sub-projects accepted', () => {
    const rows = section(page, `Warnings as of ${XISHAN_MONITORING_PAGE.asOfEffective}`).split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| project'));
    expect(rows).toHaveLength(2);
    // 3,080.7 / 10,269 = 0.3 exactly; 5 / 20 = 0.25; fiscal year 2023 over: 100 − 25 = 75.
    expect(rows.find((row) => row.includes('燃气管道'))).toContain('| 30.00% | 50.00% |');
    expect(rows.find((row) => row.includes('新型基础设施'))).toContain('| 25.00% | 75.00% |');
  });

  it('the CLI command writes the same page where it is told (a scratch directory here, never this checkout)', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'fundtrail-monitoring-page-'));
    // eslint-disable-next-line @typescript-eslint/unbound-method -- put back on process.stdout below, where it is called as a method again
    const write = process.stdout.write;
    try {
      process.stdout.write = (() => true);
      await new MonitoringPageCommand().run([], { out: join(scratch, 'page.md') });
    } finally {
      process.stdout.write = write;
    }
    try {
      expect(readFileSync(join(scratch, 'page.md'), 'utf8')).toBe(page);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
