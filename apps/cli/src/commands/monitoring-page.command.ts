import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, CommandRunner, Option } from 'nest-commander';
import { renderMonitoringPage, XISHAN_MONITORING_PAGE } from '../monitoring/monitoring-page';

interface MonitoringPageOptions {
  out?: string;
}

/** Writes docs/monitoring-xishan-2024.md: the Xishan data against the default rules, computed with no database. */
@Command({
  name: 'monitoring-page',
  description: `write ${XISHAN_MONITORING_PAGE.path}: which Xishan projects the default monitoring rules would have warned of, and when`,
})
export class MonitoringPageCommand extends CommandRunner {
  async run(_: string[], options: MonitoringPageOptions): Promise<void> {
    const out = resolve(options.out ?? XISHAN_MONITORING_PAGE.path);
    writeFileSync(out, renderMonitoringPage());
    process.stdout.write(`${out}\n`);
  }

  @Option({ flags: '--out <file>', description: `where to write the page (default ${XISHAN_MONITORING_PAGE.path}, from the current directory)` })
  parseOut(value: string): string {
    return value;
  }
}
