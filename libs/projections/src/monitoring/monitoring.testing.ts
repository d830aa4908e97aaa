import type { ActorRef, RecordedEvent } from '@fundtrail/event-store';
import {
  decideMonitoringRuleSet,
  decideWarningDisposition,
  evolveMonitoringRuleSet,
  evolveWarningDisposition,
  initialMonitoringRuleSetState,
  initialWarningDispositionState,
  MONITORING_RULES_STREAM,
  type MonitoringRuleDefinition,
  type MonitoringRuleSetState,
  projectStreamId,
  type WarningDispositionCommand,
  type WarningDispositionState,
  warningStreamId,
} from '@fundtrail/funding';
import type { MonitoredProject } from './evaluate-warnings';
import type { ProjectContext } from './project-context';

/**
 * A ledger for monitoring specs: events of any stream, each with its effective date, given global
 * positions and recording times (an hour apart) in the order they are recorded. Rules and
 * dispositions go through their deciders, as the handlers will send them.
 */
export class TestLedger {
  readonly events: RecordedEvent[] = [];
  private readonly revisions = new Map<string, number>();
  private rules: MonitoringRuleSetState = initialMonitoringRuleSetState;
  private readonly dispositions = new Map<string, WarningDispositionState>();

  record(streamId: string, event: { type: string; data: object }, effectiveDate: string, actor: ActorRef = { id: 'clerk-wang', role: 'clerk' }): RecordedEvent {
    const revision = this.revisions.get(streamId) ?? 0;
    this.revisions.set(streamId, revision + 1);
    const position = this.events.length + 1;
    const recorded: RecordedEvent = {
      eventId: `${streamId}-${revision}`,
      type: event.type,
      streamId,
      streamRevision: BigInt(revision),
      globalPosition: BigInt(position),
      recordedAt: new Date(Date.UTC(2024, 0, 1) + position * 3_600_000),
      data: event.data as Record<string, unknown>,
      metadata: { actor, correlationId: `c-${position}`, causationId: `c-${position}`, effectiveDate, schemaVersion: 1 },
      hash: `h-${position}`,
      prevHash: position === 1 ? '' : `h-${position - 1}`,
    };
    this.events.push(recorded);
    return recorded;
  }

  /** A project's event, effective on `effectiveDate`. */
  project(projectId: string, event: { type: string; data: object }, effectiveDate: string): RecordedEvent {
    return this.record(projectStreamId(projectId), event, effectiveDate);
  }

  /** Posts a rule through the rule-set decider; returns what it appended (nothing for a no-op). */
  postRule(rule: MonitoringRuleDefinition, postedOn: string, effectiveFrom?: string): RecordedEvent[] {
    const events = decideMonitoringRuleSet(
      { type: 'DefineMonitoringRule', data: { ...rule, ...(effectiveFrom !== undefined && { effectiveFrom }) }, postedOn },
      this.rules,
    );
    return events.map((event) => {
      this.rules = evolveMonitoringRuleSet(this.rules, event);
      return this.record(MONITORING_RULES_STREAM, event, event.data.effectiveFrom, { id: 'officer-li', role: 'budget-officer' });
    });
  }

  /** A disposition through its decider, effective on `effectiveDate`, by `actor`. */
  dispose(command: WarningDispositionCommand, effectiveDate: string, actor: ActorRef = { id: 'officer-li', role: 'budget-officer' }): RecordedEvent[] {
    const id = command.data.warningId;
    const state = this.dispositions.get(id) ?? initialWarningDispositionState;
    return decideWarningDisposition(command, state).map((event) => {
      this.dispositions.set(id, evolveWarningDisposition(this.dispositions.get(id) ?? initialWarningDispositionState, event));
      return this.record(warningStreamId(id), event, effectiveDate, actor);
    });
  }

  stream(streamId: string): RecordedEvent[] {
    return this.events.filter((event) => event.streamId === streamId);
  }

  ruleEvents(): RecordedEvent[] {
    return this.stream(MONITORING_RULES_STREAM);
  }

  dispositionEvents(): RecordedEvent[] {
    return this.events.filter((event) => event.streamId.startsWith('warning-'));
  }

  monitored(projectId: string, context?: ProjectContext): MonitoredProject {
    return { projectId, events: this.stream(projectStreamId(projectId)), ...(context !== undefined && { context }) };
  }
}
