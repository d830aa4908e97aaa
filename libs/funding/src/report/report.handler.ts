import { Inject, Injectable } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type AppendResult, EVENT_STORE, type EventStore } from '@fundtrail/event-store';
import { AggregateRepository } from '../application/aggregate-repository';
import type { CommandContext } from '../application/command-context';
import { FundingRuleViolation } from '../shared/funding-rule-violation';
import type { ReportCommand } from './report.commands';
import { decideReport, evolveReport, initialReportState, type ReportState } from './report.decider';
import { type ReportEvent, type ReportPublished, reportStreamId } from './report.events';

/** A Report command on its way through the CommandBus. */
export class ExecuteReportCommand {
  constructor(
    readonly command: ReportCommand,
    readonly context: CommandContext,
  ) {}
}

/** What publishing did: appended the report, or found the identical report already published. */
export type ReportOutcome =
  { outcome: 'published'; result: AppendResult; report: ReportPublished['data'] } | { outcome: 'already-published'; report: ReportPublished['data'] };

@Injectable()
export class ReportRepository {
  readonly reports: AggregateRepository<ReportCommand, ReportEvent, ReportState>;

  constructor(@Inject(EVENT_STORE) store: EventStore) {
    this.reports = new AggregateRepository(store, { initial: initialReportState, evolve: evolveReport, decide: decideReport });
  }
}

@CommandHandler(ExecuteReportCommand)
export class ReportCommandHandler implements ICommandHandler<ExecuteReportCommand, ReportOutcome> {
  constructor(private readonly repository: ReportRepository) {}

  async execute({ command, context }: ExecuteReportCommand): Promise<ReportOutcome> {
    const streamId = reportStreamId(command.data.reportId);
    const stored = await this.published(streamId, command);
    if (stored) return { outcome: 'already-published', report: stored };
    try {
      const result = await this.repository.reports.handle(streamId, command, context);
      return { outcome: 'published', result, report: (await this.published(streamId, command)) ?? command.data };
    } catch (error) {
      // A concurrent identical post got there first: the decider then decides nothing, which the repository refuses.
      if (error instanceof FundingRuleViolation && error.code === 'DUPLICATE_ID') {
        const raced = await this.published(streamId, command);
        if (raced) return { outcome: 'already-published', report: raced };
      }
      throw error;
    }
  }

  /** The stored report when it is this very report (publishing it again decides nothing). */
  private async published(streamId: string, command: ReportCommand): Promise<ReportPublished['data'] | undefined> {
    const { state } = await this.repository.reports.load(streamId);
    if (state.status !== 'published') return undefined;
    return decideReport(command, state).length === 0 ? state.report : undefined;
  }
}

export const REPORT_HANDLERS = [ReportRepository, ReportCommandHandler];
