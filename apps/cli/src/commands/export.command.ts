import { Command, CommandRunner, Option } from 'nest-commander';
import { computeFigures, termsFromJson, toEventView } from '@fundtrail/projections';
import { withFundtrail } from '../cli-context';
import { CliUsageError } from './token.command';

const KINDS = ['events', 'figures'] as const;

/** RFC 4180 field: quoted when it holds a comma, quote or line break. */
function csv(value: string | null | undefined): string {
  const text = value ?? '';
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * `export events [--stream id] [--from position]`: the log as JSON lines (auditors).
 * `export figures [--format csv|json]`: every project's figures from the read models (analysts).
 */
@Command({ name: 'export', arguments: '<kind>', description: 'export events (JSON lines) or figures (CSV or JSON) to stdout' })
export class ExportCommand extends CommandRunner {
  async run([kind]: string[], options: { stream?: string; from?: string; format?: string }): Promise<void> {
    if (!(KINDS as readonly string[]).includes(kind)) throw new CliUsageError(`kind must be one of: ${KINDS.join(', ')}`);
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
