import type { RecordedEvent } from '@fundtrail/event-store';
import { warningId, type WarningStatus } from '@fundtrail/funding';
import { contributionsOf, type Contribution } from '../figures/contributions';
import { byCodeUnit } from '../figures/figure-terms';
import { addDays, dateOfDay, dayNumber, yearOf } from './fiscal-calendar';
import { effectiveBy, inLogOrder, knownBy, type KnownAt } from './log-cut';
import { inScope, projectContextOf, type ProgrammeNode, type ProjectContext } from './project-context';
import { dependsOnElapsedTime, findingsAt, ProjectSnapshot, ruleDays, traceFinding, type WarningTrace } from './rule-findings';
import { monitoredRules, versionInForce, type MonitoredRule } from './rule-versions';
import { currentStatus, warningStatuses } from './warning-history';

/** A project to watch: its stream and, when the caller has it, its context (else read off the stream). */
export interface MonitoredProject {
  projectId: string;
  events: readonly RecordedEvent[];
  context?: ProjectContext;
}

export interface WarningEvaluation {
  projects: readonly MonitoredProject[];
  /** The rule set's stream: every version of every rule. */
  ruleEvents: readonly RecordedEvent[];
  /** The warning streams' events (dispositions), for each warning's status. */
  dispositionEvents?: readonly RecordedEvent[];
  /** The programme tree, for scopes naming a programme (its descendants are in it too). */
  programmes?: readonly ProgrammeNode[];
  /** Facts effective on or before this day; the rules in force on it. */
  asOfEffective: string;
  /** Facts (project events, rule versions, dispositions) recorded by then; default everything. */
  knownAt?: KnownAt;
}

export interface MonitoringWarning {
  warningId: string;
  ruleId: string;
  /** The version that raised it: in force on `raisedAsOf`. */
  ruleVersion: number;
  projectId: string;
  subject: string;
  /** The first day of the stretch, up to asOfEffective, on which the warning held every day. */
  raisedAsOf: string;
  figure: string;
  value: string;
  threshold: string;
  trace: WarningTrace;
  status: WarningStatus;
}

/**
 * The warnings of a ledger as of a day: a pure function of the log and the rules, so the same log
 * and rules always give the same warnings, in the same order (project, rule, subject), whatever the
 * order of the inputs.
 *
 * A warning holds on a day when the rule version in force that day, applied to the project's events
 * effective by that day, finds its subject. Listed are the warnings that hold on asOfEffective, with
 * the value and threshold of that day. `raisedAsOf` is where the current stretch of days on which it
 * held began, and `ruleVersion` the version in force then: a later version leaves a warning it did
 * not raise with the version that did, for as long as it keeps holding. Warnings of earlier days are
 * computed with the versions in force on those days, so a new version never rewrites them (unless it
 * is posted with an earlier effective date, which knownAt can look behind).
 */
export function evaluateWarnings(evaluation: WarningEvaluation): MonitoringWarning[] {
  const { asOfEffective: date, knownAt } = evaluation;
  const known = (event: RecordedEvent) => knownBy(event, knownAt);
  const rules = monitoredRules(evaluation.ruleEvents.filter(known));
  const statuses = warningStatuses((evaluation.dispositionEvents ?? []).filter((event) => known(event) && effectiveBy(event, date)));
  const warnings: MonitoringWarning[] = [];
  for (const project of evaluation.projects) {
    const timeline = new ProjectTimeline(inLogOrder(project.events.filter(known)));
    const context = project.context ?? projectContextOf(timeline.events);
    for (const rule of rules) {
      const version = versionInForce(rule, date);
      if (version === undefined || !inScope(context, version.scope, evaluation.programmes)) continue;
      const snapshot = timeline.at(date);
      const subjectsOn = subjectsByDay(rule, timeline, context, evaluation.programmes);
      for (const finding of findingsAt(version, snapshot, date, context)) {
        const id = warningId(rule.ruleId, project.projectId, finding.subject);
        const raisedAsOf = firstDayOfStretch(rule, finding.subject, subjectsOn, timeline, date);
        warnings.push({
          warningId: id,
          ruleId: rule.ruleId,
          ruleVersion: versionInForce(rule, raisedAsOf)!.version,
          projectId: project.projectId,
          subject: finding.subject,
          raisedAsOf,
          figure: finding.figure,
          value: finding.value,
          threshold: finding.threshold,
          trace: traceFinding(version, finding, snapshot, date, context),
          status: currentStatus(statuses.get(id), raisedAsOf),
        });
      }
    }
  }
  return warnings.sort((a, b) => byCodeUnit(a.projectId, b.projectId) || byCodeUnit(a.ruleId, b.ruleId) || byCodeUnit(a.subject, b.subject));
}

/** A project's known events and their snapshot on any day, folded once per distinct effective date. */
class ProjectTimeline {
  readonly effectiveDates: readonly string[];
  private readonly contributions: ReadonlyArray<readonly Contribution[]>;
  private readonly snapshots = new Map<string, ProjectSnapshot>();

  constructor(readonly events: readonly RecordedEvent[]) {
    this.effectiveDates = [...new Set(events.map((event) => event.metadata.effectiveDate))].sort();
    this.contributions = events.map((event) => contributionsOf(event));
  }

  at(date: string): ProjectSnapshot {
    let key = '';
    for (const day of this.effectiveDates) if (day <= date) key = day;
    let snapshot = this.snapshots.get(key);
    if (snapshot === undefined) {
      const included = this.events.map((event) => effectiveBy(event, date));
      snapshot = new ProjectSnapshot(
        this.events.filter((_, index) => included[index]),
        this.contributions.filter((_, index) => included[index]),
      );
      this.snapshots.set(key, snapshot);
    }
    return snapshot;
  }
}

/** What a rule finds in a project, day by day, each day computed once: the subjects it finds. */
function subjectsByDay(
  rule: MonitoredRule,
  timeline: ProjectTimeline,
  context: ProjectContext,
  programmes: readonly ProgrammeNode[] | undefined,
): (day: string) => ReadonlySet<string> {
  const found = new Map<string, ReadonlySet<string>>();
  return (day) => {
    let subjects = found.get(day);
    if (subjects === undefined) {
      const version = versionInForce(rule, day);
      subjects =
        version === undefined || !inScope(context, version.scope, programmes)
          ? new Set()
          : new Set(findingsAt(version, timeline.at(day), day, context).map((finding) => finding.subject));
      found.set(day, subjects);
    }
    return subjects;
  };
}

/**
 * Walks back from `date` over the days on which anything the warning depends on can change (the
 * project's effective dates, the rule's versions, checkpoints, due days, new years), as long as the
 * warning held. Between two such days a finding holds throughout, except on elapsed time, where it
 * holds from some day on (elapsed only grows): that day is found by bisection.
 */
function firstDayOfStretch(
  rule: MonitoredRule,
  subject: string,
  subjectsOn: (day: string) => ReadonlySet<string>,
  timeline: ProjectTimeline,
  date: string,
): string {
  const holds = (day: string): boolean => subjectsOn(day).has(subject);
  const firstYear = timeline.effectiveDates.length === 0 ? yearOf(date) : yearOf(timeline.effectiveDates[0]);
  const changes = [
    ...timeline.effectiveDates,
    ...rule.versions.map((version) => version.effectiveFrom),
    ...ruleDays(rule, timeline.events, firstYear, yearOf(date)),
  ];
  const days = [...new Set(changes)].filter((day) => day <= date).sort();
  const elapsedTime = dependsOnElapsedTime(rule);
  let start = date;
  let end = date;
  for (let index = days.length - 1; index >= 0; index -= 1) {
    const from = days[index];
    if (elapsedTime && !holds(end)) break;
    if (!holds(from)) {
      if (elapsedTime) start = firstHoldingDay(from, end, holds);
      break;
    }
    start = from;
    end = addDays(from, -1);
  }
  return start;
}

/** The first day in (from, to] on which `holds`, given it holds on `to`, not on `from`, and never stops once it does. */
function firstHoldingDay(from: string, to: string, holds: (day: string) => boolean): string {
  let low = dayNumber(from);
  let high = dayNumber(to);
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (holds(dateOfDay(middle))) high = middle;
    else low = middle;
  }
  return dateOfDay(high);
}
