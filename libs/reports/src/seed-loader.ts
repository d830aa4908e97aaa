/**
 * Loads a data set through the CommandBus, so every funding rule applies, idempotently.
 *
 * Each entry is sent with a CommandContext whose idempotency key is `seed:<dataset>:<index>` and
 * whose actor is `seed:<dataset>` (admin): the event ids are then fixed by (actor, key, stream),
 * and the events an entry produced can be recognised in its stream afterwards. An entry counts as
 * already loaded only when its stream holds an event carrying that key, of the type the command
 * produces and with the same data; a refusal (DUPLICATE_ID or any other) without such an event is
 * an error, never silently skipped, and so is an event under that key whose data differs (the data
 * set was edited after it was loaded).
 */
import type { INestApplicationContext } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { type AppendResult, EVENT_STORE, type EventStore, type RecordedEvent } from '@fundtrail/event-store';
import {
  type BondProceedsAssigned,
  bondReceiptId,
  bondStreamId,
  type CommandContext,
  ExecuteBondCommand,
  ExecuteProgrammeCommand,
  ExecuteProjectCommand,
  ExecuteReportCommand,
  FundingRuleViolation,
  projectStreamId,
  receiveFundsForAssignment,
  type ReportOutcome,
} from '@fundtrail/funding';
import { datasetReport } from '@fundtrail/projections';
import { formatQuantity, formatYuan } from '@fundtrail/money';
import { type Dataset, readDataset, type SeedCommand, toSeedCommand } from './dataset';

/** The data set `npm start` loads into an empty store. */
export const DEFAULT_DATASET = 'xishan-2024';

export interface SeedSummary {
  dataset: string;
  /** Entries in commands.json. */
  commands: number;
  /** Entries sent and accepted now. */
  applied: number;
  /** Entries whose events the log already held. */
  alreadyPresent: number;
  /** Events appended by this run for the commands (a bond assignment appends two: the assignment and the project's receipt). */
  eventsAppended: number;
  /** The data set's stated figures, posted as the report `<dataset>`: now, already before, or none to post. */
  report: 'published' | 'already present' | 'none';
}

export interface SeedTarget {
  commands: CommandBus;
  store: EventStore;
}

export class SeedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SeedError';
  }
}

/** The events each command type produces (the first one, for AssignBondProceeds: the bond's own). */
const EVENT_OF: Record<string, string> = {
  RegisterProgramme: 'ProgrammeRegistered',
  RegisterProject: 'ProjectRegistered',
  RevisePlannedTotal: 'PlannedTotalRevised',
  AllocateFunds: 'FundsAllocated',
  ReceiveFunds: 'FundsReceived',
  SignContract: 'ContractSigned',
  RecordDisbursement: 'DisbursementRecorded',
  ReverseDisbursement: 'DisbursementReversed',
  SetOutputTarget: 'OutputTargetSet',
  ReportOutput: 'OutputReported',
  IssueBond: 'BondIssued',
  AssignBondProceeds: 'BondProceedsAssigned',
};

export const seedActorId = (dataset: string): string => `seed:${dataset}`;
export const seedIdempotencyKey = (dataset: string, index: number): string => `seed:${dataset}:${index}`;

export function seedContext(dataset: string, index: number, effectiveDate: string): CommandContext {
  return {
    actor: { id: seedActorId(dataset), role: 'admin' },
    correlationId: `seed:${dataset}`,
    idempotencyKey: seedIdempotencyKey(dataset, index),
    effectiveDate,
  };
}

/** Loads seeds/<dataset>/commands.json through the bus. Running it again changes nothing. */
export async function loadDataset(
  dataset: string,
  target: SeedTarget,
  options: { onProgress?: (done: number, total: number) => void } = {},
): Promise<SeedSummary> {
  const data = readDataset(dataset);
  const { entries } = data;
  const loader = new Loader(dataset, target);
  const summary: SeedSummary = { dataset, commands: entries.length, applied: 0, alreadyPresent: 0, eventsAppended: 0, report: 'none' };
  options.onProgress?.(0, entries.length);
  for (const [index, entry] of entries.entries()) {
    const outcome = await loader.load(toSeedCommand(entry, index), index, entry.effectiveDate);
    if (outcome.applied) summary.applied += 1;
    else summary.alreadyPresent += 1;
    summary.eventsAppended += outcome.eventsAppended;
    options.onProgress?.(index + 1, entries.length);
  }
  summary.report = await publishDatasetReport(data, target);
  return summary;
}

/** The report id a data set's stated figures are published under: the data set's own name. */
export const datasetReportId = (dataset: string): string => dataset;

/** The data set's stated figures as a published report (the same command as POST /api/reports); again, nothing. */
async function publishDatasetReport(data: Dataset, target: SeedTarget): Promise<SeedSummary['report']> {
  if (data.figures.length === 0) return 'none';
  const report = datasetReport(data.figures, { reportId: datasetReportId(data.name), title: data.title });
  const context: CommandContext = {
    actor: { id: seedActorId(data.name), role: 'admin' },
    correlationId: `seed:${data.name}`,
    idempotencyKey: `seed:${data.name}:report`,
  };
  try {
    const outcome = await target.commands.execute<ExecuteReportCommand, ReportOutcome>(
      new ExecuteReportCommand({ type: 'PublishReport', data: report }, context),
    );
    return outcome.outcome === 'published' ? 'published' : 'already present';
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new SeedError(`${data.name} stated figures as report ${report.reportId} refused: ${message}`, { cause: error });
  }
}

class Loader {
  /** Per stream, the events this data set wrote there, by idempotency key (read once, on first use). */
  private readonly seen = new Map<string, Map<string, RecordedEvent>>();

  constructor(
    private readonly dataset: string,
    private readonly target: SeedTarget,
  ) {}

  async load(seed: SeedCommand, index: number, effectiveDate: string): Promise<{ applied: boolean; eventsAppended: number }> {
    const context = seedContext(this.dataset, index, effectiveDate);
    const where = `${this.dataset} commands[${index}] (${seed.command.type} on ${seed.streamId})`;
    const present = await this.ownEvent(seed.streamId, context, false);
    if (present) {
      assertSameEvent(present, seed, where);
      return { applied: false, eventsAppended: await this.completeAssignment(seed, present, context) };
    }
    let result: AppendResult;
    try {
      result = await this.send(seed, context);
    } catch (error) {
      if (error instanceof FundingRuleViolation && error.code === 'DUPLICATE_ID') {
        // Someone else (a concurrent loader) may have written it since the stream was read.
        const written = await this.ownEvent(seed.streamId, context, true);
        if (written) {
          assertSameEvent(written, seed, where);
          return { applied: false, eventsAppended: await this.completeAssignment(seed, written, context) };
        }
        throw new SeedError(`${where} refused: ${error.message}, and the log holds no event of this data set for it`, { cause: error });
      }
      const message = error instanceof Error ? error.message : String(error);
      throw new SeedError(`${where} failed: ${message}`, { cause: error });
    }
    return { applied: true, eventsAppended: result.eventIds.length };
  }

  private send(seed: SeedCommand, context: CommandContext): Promise<AppendResult> {
    switch (seed.aggregate) {
      case 'project':
        return this.target.commands.execute(new ExecuteProjectCommand(seed.command, context));
      case 'bond':
        return this.target.commands.execute(new ExecuteBondCommand(seed.command, context));
      case 'programme':
        return this.target.commands.execute(new ExecuteProgrammeCommand(seed.command, context));
    }
  }

  /** The event this data set's entry wrote to `streamId`, found by its idempotency key and actor. */
  private async ownEvent(streamId: string, context: CommandContext, reread: boolean): Promise<RecordedEvent | undefined> {
    let byKey = this.seen.get(streamId);
    if (!byKey || reread) {
      byKey = new Map();
      for (const event of await this.target.store.readStream(streamId)) {
        const key = event.metadata.idempotencyKey;
        if (key !== undefined && event.metadata.actor.id === context.actor.id) byKey.set(key, event);
      }
      this.seen.set(streamId, byKey);
    }
    return byKey.get(context.idempotencyKey!);
  }

  /**
   * A bond assignment is two appends (the bond's, then the project's receipt). If a run stopped
   * between them, the assignment is in the log and the receipt is not: send the receipt the bond
   * process manager would have sent, with the same context, so it gets the same event id.
   */
  private async completeAssignment(seed: SeedCommand, assigned: RecordedEvent, context: CommandContext): Promise<number> {
    if (seed.command.type !== 'AssignBondProceeds') return 0;
    const assignment = assigned as unknown as RecordedEvent & BondProceedsAssigned;
    const { bondId, assignmentId, projectId } = assignment.data;
    const receiptId = bondReceiptId(bondId, assignmentId);
    const project = await this.target.store.readStream(projectStreamId(projectId));
    const received = project.some(
      (e) => e.type === 'FundsReceived' && e.data.receiptId === receiptId && e.data.bondId === bondId && e.data.assignmentId === assignmentId,
    );
    if (received) return 0;
    const issued = (await this.target.store.readStream(bondStreamId(bondId), { maxCount: 1 }))[0];
    if (issued?.type !== 'BondIssued') throw new SeedError(`bond ${bondId} has an assignment but no BondIssued event`);
    const command = receiveFundsForAssignment(
      { type: 'BondProceedsAssigned', data: assignment.data },
      issued.data.kind as Parameters<typeof receiveFundsForAssignment>[1],
    );
    const result = await this.target.commands.execute<ExecuteProjectCommand, AppendResult>(
      new ExecuteProjectCommand(command, { ...context, causationId: assigned.eventId }),
    );
    return result.eventIds.length;
  }
}

/** The stored event holds what this entry says (amounts compared in the event's yuan form). */
function assertSameEvent(event: RecordedEvent, seed: SeedCommand, where: string): void {
  const expectedType = EVENT_OF[seed.command.type];
  if (event.type !== expectedType) {
    throw new SeedError(`${where}: the log holds a ${event.type} under this entry's idempotency key, not a ${expectedType}`);
  }
  for (const [field, value] of Object.entries(seed.command.data as Record<string, unknown>)) {
    if (value === undefined) continue;
    const expected = typeof value === 'bigint' ? (field === 'target' || field === 'actual' ? formatQuantity(value) : formatYuan(value)) : value;
    // A printed precision is an object: compared by content.
    const same = typeof expected === 'object' ? JSON.stringify(event.data[field]) === JSON.stringify(expected) : event.data[field] === expected;
    if (!same) {
      throw new SeedError(
        `${where}: the log already holds this entry with ${field} = ${JSON.stringify(event.data[field])}, the data set now says ${JSON.stringify(expected)}; ` +
          'the data set changed after it was loaded (load it into a fresh store)',
      );
    }
  }
}

/** True when the log holds no event at all. */
export async function logIsEmpty(store: EventStore): Promise<boolean> {
  for await (const _event of store.readAll({ maxCount: 1 })) return false;
  return true;
}

/** What seedOnEmpty logs with (pino's Logger fits). */
export interface SeedLog {
  info(object: object, message: string): void;
  error(object: object, message: string): void;
}

/**
 * `npm start`: load the default data set when the log is empty. Meant to run after the app listens,
 * without being awaited: it never throws, it logs progress and failures and leaves the API serving.
 */
export async function seedOnEmpty(app: INestApplicationContext, log: SeedLog, dataset = DEFAULT_DATASET): Promise<SeedSummary | undefined> {
  try {
    const store = app.get<EventStore>(EVENT_STORE);
    if (!(await logIsEmpty(store))) return undefined;
    log.info({ dataset }, `the log is empty: loading data set ${dataset}`);
    let decile = -1;
    const summary = await loadDataset(
      dataset,
      { commands: app.get(CommandBus), store },
      {
        onProgress: (done, total) => {
          const next = total === 0 ? 10 : Math.floor((done * 10) / total);
          if (next > decile && done > 0) {
            decile = next;
            log.info({ dataset, done, total }, `seeding ${dataset}: ${done}/${total}`);
          }
        },
      },
    );
    log.info({ ...summary }, `loaded data set ${dataset}: ${summary.applied} commands applied, ${summary.alreadyPresent} already present`);
    return summary;
  } catch (error) {
    log.error(
      { dataset, err: error instanceof Error ? { message: error.message, stack: error.stack } : String(error) },
      `loading data set ${dataset} failed; the API keeps running`,
    );
    return undefined;
  }
}
