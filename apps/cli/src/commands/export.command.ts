import { Command, CommandRunner, Option } from 'nest-commander';
import { resolve } from 'node:path';
import { computeFigures, DEFAULT_IATI_OPTIONS, termsFromJson, toEventView, writeFiscalDataPackage, writeIatiActivities } from '@fundtrail/projections';
import { withFundtrail } from '../cli-context';
import { CliUsageError } from './token.command';

const KINDS = ['events', 'figures', 'fdp', 'iati'] as const;

interface ExportOptions {
  stream?: string;
  from?: string;
  format?: string;
  out?: string;
  reportingOrgRef?: string;
  reportingOrgName?: string;
  reportingOrgType?: string;
}

/** RFC 4180 field: quoted when it holds a comma, quote or line break. */
function csv(value: string | null | undefined): string {
  const text = value ?? '';
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * `export events [--stream id] [--from position]`: the log as JSON lines (auditors).
 * `export figures [--format csv|json]`: every project's figures from the read models (analysts).
 * `export fdp --out <dir>`: a Fiscal Data Package (datapackage.json + budget.csv).
 * `export iati --out <file.xml> [--reporting-org-ref …]`: IATI Activity Standard 2.03.
 */
@Command({
  name: 'export',
  arguments: '<kind>',
  description: 'export events (JSON lines) or figures (CSV or JSON) to stdout; a Fiscal Data Package (fdp) or IATI 2.03 XML (iati) to --out',
})
export class ExportCommand extends CommandRunner {
  async run([kind]: string[], options: ExportOptions): Promise<void> {
    if (!(KINDS as readonly string[]).includes(kind)) throw new CliUsageError(`kind must be one of: ${KINDS.join(', ')}`);
    if (kind === 'fdp' || kind === 'iati') return this.openData(kind, options);
    if (options.from !== undefined && !/^\d{1,19}$/.test(options.from)) throw new CliUsageError('--from must be a global position');
    const format = options.format ?? (kind === 'figures' ? 'csv' : 'jsonl');
    if (kind === 'figures' && !['csv', 'json'].includes(format)) throw new CliUsageError('--format must be csv or json');
    await withFundtrail(async ({ database, projections }) => {
      if (kind === 'events') {
        const events = options.stream
          ? await database.store.readStream(options.stream)
          : database.store.readAll({ fromPosition: BigInt(options.from ?? 0), batchSize: 5000 });
        for await (const event of events) {
          if (options.from !== undefined && event.globalPosition <= BigInt(options.from)) continue;
          if (!process.stdout.write(`${JSON.stringify(toEventView(event))}\n`)) await new Promise((r) => process.stdout.once('drain', r));
        }
        return;
      }
      const asOf = await projections.queries.checkpoint();
      const { rows } = await database.pool.query<{ project_id: string; name: string; terms: unknown }>(
        'SELECT project_id, name, terms FROM project_read_models ORDER BY project_id',
      );
      const projects = rows.map((row) => ({ projectId: row.project_id, name: row.name, figures: computeFigures(termsFromJson(row.terms), asOf) }));
      if (format === 'json') {
        process.stdout.write(`${JSON.stringify({ asOfPosition: asOf.toString(), projects }, null, 2)}\n`);
        return;
      }
      process.stdout.write('project_id,name,key,value,unit,numerator,denominator,formula_version,as_of_position,reason\n');
      for (const project of projects) {
        for (const f of project.figures) {
          process.stdout.write(
            [project.projectId, project.name, f.key, f.value, f.unit, f.numerator, f.denominator, String(f.formulaVersion), f.asOfPosition, f.reason]
              .map(csv)
              .join(',') + '\n',
          );
        }
      }
    });
  }

  /** Open-data files: written to --out, a line on stdout says what was written. */
  private async openData(kind: 'fdp' | 'iati', options: ExportOptions): Promise<void> {
    if (options.out === undefined || options.out === '') throw new CliUsageError(`export ${kind} needs --out <${kind === 'fdp' ? 'dir' : 'file.xml'}>`);
    const orgType = options.reportingOrgType ?? DEFAULT_IATI_OPTIONS.reportingOrgType;
    if (!/^\d{2}$/.test(orgType)) throw new CliUsageError('--reporting-org-type must be an IATI OrganisationType code (two digits, e.g. 10 = Government)');
    if (options.reportingOrgRef !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._-]{1,99}$/.test(options.reportingOrgRef)) {
      throw new CliUsageError('--reporting-org-ref must be an IATI organisation identifier such as CN-USC-11530000015012345X (letters, digits, ".", "_", "-")');
    }
    const out = resolve(options.out);
    await withFundtrail(async ({ database }) => {
      if (kind === 'fdp') {
        const result = await writeFiscalDataPackage(database.pool, database.store, {}, out);
        process.stdout.write(
          `wrote ${result.descriptorPath} and ${result.dataPath}: ${result.rows} rows from ${result.projects} projects, as of position ${result.asOfPosition}\n`,
        );
        return;
      }
      const result = await writeIatiActivities(database.pool, database.store, {}, out, {
        reportingOrgRef: options.reportingOrgRef ?? DEFAULT_IATI_OPTIONS.reportingOrgRef,
        reportingOrgName: options.reportingOrgName ?? DEFAULT_IATI_OPTIONS.reportingOrgName,
        reportingOrgType: orgType,
      });
      process.stdout.write(`wrote ${out}: ${result.activities} IATI activities, as of position ${result.asOfPosition}\n`);
    });
  }

  @Option({ flags: '--out <path>', description: 'fdp: the directory to write; iati: the XML file to write' })
  parseOut(value: string): string {
    return value;
  }

  @Option({
    flags: '--reporting-org-ref <ref>',
    description: `iati: the publisher's IATI organisation identifier (default ${DEFAULT_IATI_OPTIONS.reportingOrgRef}, a placeholder)`,
  })
  parseReportingOrgRef(value: string): string {
    return value;
  }

  @Option({ flags: '--reporting-org-name <name>', description: "iati: the publisher's name" })
  parseReportingOrgName(value: string): string {
    return value;
  }

  @Option({ flags: '--reporting-org-type <code>', description: 'iati: IATI OrganisationType code (default 10, Government)' })
  parseReportingOrgType(value: string): string {
    return value;
  }

  @Option({ flags: '--stream <streamId>', description: 'events: one stream only (e.g. project-<id>)' })
  parseStream(value: string): string {
    return value;
  }

  @Option({ flags: '--from <position>', description: 'events: only after this global position' })
  parseFrom(value: string): string {
    return value;
  }

  @Option({ flags: '--format <format>', description: 'figures: csv (default) or json' })
  parseFormat(value: string): string {
    return value;
  }
}
