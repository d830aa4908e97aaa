import type { Pool } from 'pg';
import type { ActorRef, EventStore, RecordedEvent } from '@fundtrail/event-store';
import { MONITORING_RULES_STREAM, type MonitoringRuleKind, type WarningStatus, warningStreamId } from '@fundtrail/funding';
import { isKnownAsOf, type KnownAt } from '../figures/figure-time';
import { portfolioFilterSql, type PortfolioFilter } from '../queries/portfolio-filter';
import { programmeScopeIn } from '../programmes/programme-scope';
import type { ProgrammeNode } from './project-context';
import { evaluateWarnings, type MonitoringWarning } from './evaluate-warnings';
import { monitoredRules, type RuleVersion } from './rule-versions';
import { currentStatus, warningHistory, warningStatuses, type WarningDispositionRecord } from './warning-history';

/** When the warnings are asked for: the day they are evaluated as of, and the log as known then. */
export interface WarningTime {
  asOfEffective: string;
  knownAt?: KnownAt;
}

/** A version of a rule as listed: what it says, from when, who posted it and when it was recorded. */
export type ListedRuleVersion = RuleVersion & { recordedAt: string; actor: ActorRef; globalPosition: string };

export interface ListedRule {
  ruleId: string;
  kind: MonitoringRuleKind;
  latestVersion: number;
  versions: ListedRuleVersion[];
}

/** One warning with its disposition history; `warning` is null when it does not hold on the day asked. */
export interface WarningDetail {
  warningId: string;
  asOfEffective: string;
  raised: boolean;
  status: WarningStatus;
  warning: MonitoringWarning | null;
  dispositions: WarningDispositionRecord[];
}

const PROJECT_STREAM = 'project-';

/**
 * The monitoring read side. Warnings are computed on read, from the log: a warning can arise
 * because a day passed with no event at all, so no projector could keep a table of them current.
 * Project streams, the rule stream and the warning streams are read through the event-store port;
 * the project read model only chooses which projects a filter selects.
 */
export class MonitoringQueries {
  constructor(
    private readonly pool: Pool,
    private readonly store: EventStore,
  ) {}

  /** Every rule with every version known at `knownAt`, by ruleId. */
  async rules(knownAt?: KnownAt): Promise<ListedRule[]> {
    const events = (await this.ruleEvents()).filter((event) => isKnownAsOf(event, { knownAt }));
    const envelopes = new Map(events.map((event) => [`${(event.data as RuleVersion).ruleId}#${(event.data as RuleVersion).version}`, event]));
    return monitoredRules(events).map((rule) => ({
      ruleId: rule.ruleId,
      kind: rule.kind,
      latestVersion: rule.versions[rule.versions.length - 1].version,
      versions: rule.versions.map((version) => {
        const event = envelopes.get(`${rule.ruleId}#${version.version}`)!;
        return {
          ...version,
          recordedAt: event.recordedAt.toISOString(),
          actor: { id: event.metadata.actor.id, role: event.metadata.actor.role },
          globalPosition: event.globalPosition.toString(),
        };
      }),
    }));
  }

  /** The warnings that hold on the day, over the projects the filter selects, each with its status. */
  async warnings(time: WarningTime, filter: PortfolioFilter = {}, status?: WarningStatus): Promise<MonitoringWarning[]> {
    const warnings = await this.evaluate(time, await this.projectIds(filter));
    const withStatus = await this.withStatuses(warnings, time);
    return status === undefined ? withStatus : withStatus.filter((warning) => warning.status === status);
  }

  /**
   * One warning as of the day, and every disposition of it. Undefined when it neither holds nor has
   * any disposition: nobody could have seen it.
   */
  async warning(warningId: string, time: WarningTime): Promise<WarningDetail | undefined> {
    const stream = (await this.store.readStream(warningStreamId(warningId))).filter((event) => isKnownAsOf(event, { knownAt: time.knownAt }));
    const found = await this.lookUp(warningId, time, stream);
    const disposed = stream.filter((event) => isKnownAsOf(event, time));
    const { status, history } = warningHistory(disposed);
    if (found === undefined && history.length === 0) return undefined;
    const warning = found === undefined ? null : { ...found, status: currentStatus(warningStatuses(disposed).get(warningId), found.raisedAsOf) };
    return {
      warningId,
      asOfEffective: time.asOfEffective,
      raised: warning !== null,
      status: warning?.status ?? status,
      warning,
      dispositions: history.map(({ action, note, actor, at, seen }) => ({ action, note, actor, at, ...(seen !== undefined && { seen }) })),
    };
  }

  /**
   * The warning with this id if it holds on the day (status not yet applied). A warning that has a
   * disposition names its project, so only that project is evaluated; otherwise every project is.
   */
  async lookUp(warningId: string, time: WarningTime, stream?: readonly RecordedEvent[]): Promise<MonitoringWarning | undefined> {
    const events = stream ?? (await this.store.readStream(warningStreamId(warningId)));
    const seenProject = events.map((event) => (event.data as { seen?: { projectId?: string } }).seen?.projectId).find((id) => id !== undefined);
    const projectIds = seenProject !== undefined ? [seenProject] : await this.projectIds({});
    return (await this.evaluate(time, projectIds)).find((warning) => warning.warningId === warningId);
  }

  private async evaluate(time: WarningTime, projectIds: readonly string[]): Promise<MonitoringWarning[]> {
    const ruleEvents = await this.ruleEvents();
    if (ruleEvents.length === 0) return [];
    const projects = await Promise.all(
      projectIds.map(async (projectId) => ({ projectId, events: await this.store.readStream(`${PROJECT_STREAM}${projectId}`) })),
    );
    return evaluateWarnings({ projects, ruleEvents, programmes: await this.programmeTree(), asOfEffective: time.asOfEffective, knownAt: time.knownAt });
  }

  /** The programme tree, so that a rule scoped to a programme watches its descendants' projects too. */
  private async programmeTree(): Promise<ProgrammeNode[]> {
    const { rows } = await this.pool.query<{ programme_id: string; parent_id: string | null }>(
      "SELECT programme_id, details->>'parentId' AS parent_id FROM programme_read_models",
    );
    return rows.map((row) => ({ programmeId: row.programme_id, ...(row.parent_id !== null && { parentId: row.parent_id }) }));
  }

  /** Each warning's status from its own stream's dispositions effective by the day and known at knownAt. */
  private async withStatuses(warnings: readonly MonitoringWarning[], time: WarningTime): Promise<MonitoringWarning[]> {
    const streams = await Promise.all(warnings.map((warning) => this.store.readStream(warningStreamId(warning.warningId))));
    const statuses = warningStatuses(streams.flat().filter((event) => isKnownAsOf(event, time)));
    return warnings.map((warning) => ({ ...warning, status: currentStatus(statuses.get(warning.warningId), warning.raisedAsOf) }));
  }

  private ruleEvents(): Promise<RecordedEvent[]> {
    return this.store.readStream(MONITORING_RULES_STREAM);
  }

  private async projectIds(filter: PortfolioFilter): Promise<string[]> {
    const { condition, parameters } = await portfolioFilterSql(filter, 1, programmeScopeIn(this.pool));
    const { rows } = await this.pool.query<{ project_id: string }>(
      `SELECT project_id FROM project_read_models WHERE ${condition} ORDER BY project_id`,
      parameters,
    );
    return rows.map((row) => row.project_id);
  }
}
