import { Inject, Injectable } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { bureauDayOf } from '@fundtrail/calendar';
import { type AppendResult, EVENT_STORE, type EventStore, FUNDTRAIL_DATABASE, type FundtrailDatabase, WrongExpectedVersionError } from '@fundtrail/event-store';
import {
  AggregateRepository,
  type CommandContext,
  decideMonitoringRuleSet,
  decideWarningDisposition,
  DEFAULT_MONITORING_RULES,
  type DispositionAction,
  evolveMonitoringRuleSet,
  evolveWarningDisposition,
  initialMonitoringRuleSetState,
  initialWarningDispositionState,
  MONITORING_RULES_STREAM,
  type MonitoringRuleDefinition,
  type MonitoringRuleSetCommand,
  type MonitoringRuleSetEvent,
  type MonitoringRuleSetState,
  toNewEvents,
  type WarningDispositionCommand,
  type WarningDispositionEvent,
  type WarningDispositionState,
  type WarningSeen,
  warningStreamId,
} from '@fundtrail/funding';
import { MonitoringQueries } from '@fundtrail/projections';

/** Where the rule set stood after a post: the version of each rule, and whether the post changed it. */
export interface RulesDefined {
  append: AppendResult;
  rules: { ruleId: string; version: number; changed: boolean }[];
}

export class DefineMonitoringRules {
  constructor(
    readonly rules: readonly MonitoringRuleDefinition[],
    /** Rules that already exist are left as they are (the default set never overwrites a district's own versions). */
    readonly onlyNew: boolean,
    readonly effectiveFrom: string | undefined,
    readonly context: CommandContext,
  ) {}
}

export class DisposeOfWarning {
  constructor(
    readonly action: DispositionAction,
    readonly warningId: string,
    readonly note: string | undefined,
    readonly context: CommandContext,
  ) {}
}

/** The monitoring read side, on the process's database. */
@Injectable()
export class MonitoringReadSide extends MonitoringQueries {
  constructor(@Inject(FUNDTRAIL_DATABASE) database: FundtrailDatabase) {
    super(database.pool, database.store);
  }
}

const ATTEMPTS = 5;

/**
 * Posts rules to the rule set in one append: load → decide each → append at the revision loaded,
 * read again and decide again when another post got there first. A post that changes nothing
 * appends nothing and answers with the stream's current head.
 */
@CommandHandler(DefineMonitoringRules)
export class DefineMonitoringRulesHandler implements ICommandHandler<DefineMonitoringRules, RulesDefined> {
  private readonly ruleSet: AggregateRepository<MonitoringRuleSetCommand, MonitoringRuleSetEvent, MonitoringRuleSetState>;

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {
    this.ruleSet = new AggregateRepository(store, { initial: initialMonitoringRuleSetState, evolve: evolveMonitoringRuleSet, decide: decideMonitoringRuleSet });
  }

  async execute({ rules, onlyNew, effectiveFrom, context }: DefineMonitoringRules): Promise<RulesDefined> {
    const postedOn = bureauDayOf(new Date());
    for (let attempt = 1; ; attempt += 1) {
      const { state, expected } = await this.ruleSet.load(MONITORING_RULES_STREAM);
      let next = state;
      const events: MonitoringRuleSetEvent[] = [];
      const outcome: RulesDefined['rules'] = [];
      for (const rule of rules) {
        const latest = next.rules.get(rule.ruleId);
        const decided =
          onlyNew && latest !== undefined
            ? []
            : decideMonitoringRuleSet(
                { type: 'DefineMonitoringRule', data: { ...rule, ...(effectiveFrom !== undefined && { effectiveFrom }) }, postedOn },
                next,
              );
        next = decided.reduce(evolveMonitoringRuleSet, next);
        events.push(...decided);
        outcome.push({ ruleId: rule.ruleId, version: next.rules.get(rule.ruleId)!.version, changed: decided.length > 0 });
      }
      if (events.length === 0) return { append: await this.head(), rules: outcome };
      try {
        const effectiveDate = events[events.length - 1].data.effectiveFrom;
        const append = await this.store.append(MONITORING_RULES_STREAM, toNewEvents(MONITORING_RULES_STREAM, events, { ...context, effectiveDate }), {
          expectedRevision: expected,
        });
        return { append, rules: outcome };
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError) || attempt >= ATTEMPTS) throw error;
      }
    }
  }

  private async head(): Promise<AppendResult> {
    const [last] = await this.store.readStream(MONITORING_RULES_STREAM, { direction: 'backwards', maxCount: 1 });
    return { streamId: MONITORING_RULES_STREAM, streamRevision: last.streamRevision, globalPosition: last.globalPosition, eventIds: [] };
  }
}

/**
 * A disposition: the warning is evaluated as of the command's effective day, and what was found is
 * recorded on the event (`seen`), so a disposition says what it was about; the actor comes from the
 * token through the context.
 */
@CommandHandler(DisposeOfWarning)
export class DisposeOfWarningHandler implements ICommandHandler<DisposeOfWarning, AppendResult> {
  private readonly warnings: AggregateRepository<WarningDispositionCommand, WarningDispositionEvent, WarningDispositionState>;

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    private readonly monitoring: MonitoringReadSide,
  ) {
    this.warnings = new AggregateRepository(store, {
      initial: initialWarningDispositionState,
      evolve: evolveWarningDisposition,
      decide: decideWarningDisposition,
    });
  }

  async execute({ action, warningId, note, context }: DisposeOfWarning): Promise<AppendResult> {
    const asOfEffective = context.effectiveDate ?? bureauDayOf(new Date());
    const found = await this.monitoring.lookUp(warningId, { asOfEffective });
    const seen: WarningSeen | undefined =
      found === undefined
        ? undefined
        : {
            warningId,
            ruleId: found.ruleId,
            ruleVersion: found.ruleVersion,
            projectId: found.projectId,
            subject: found.subject,
            asOfEffective,
            raisedAsOf: found.raisedAsOf,
            figure: found.figure,
            value: found.value,
            threshold: found.threshold,
          };
    const lookedUp = seen === undefined ? {} : { warning: seen };
    const command: WarningDispositionCommand =
      action === 'acknowledge'
        ? { type: 'AcknowledgeWarning', data: { warningId }, lookedUp }
        : { type: action === 'explain' ? 'ExplainWarning' : 'ResolveWarning', data: { warningId, note: note as string }, lookedUp };
    return this.warnings.handle(warningStreamId(warningId), command, { ...context, effectiveDate: asOfEffective });
  }
}

export const MONITORING_HANDLERS = [DefineMonitoringRulesHandler, DisposeOfWarningHandler];
export const DEFAULT_RULES = DEFAULT_MONITORING_RULES.map(({ rule }) => rule);
