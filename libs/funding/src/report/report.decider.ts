import { parseStatedValue, sameDimension, StatedValueError } from '@fundtrail/money';
import { withoutUndefined } from '../shared/event-data';
import { FundingRuleViolation } from '../shared/funding-rule-violation';
import type { PublishReport, ReportCommand } from './report.commands';
import type { ReportEvent, ReportPublished, StatedFigure, StatedScope } from './report.events';

export type ReportState = { status: 'initial' } | { status: 'published'; report: ReportPublished['data'] };

export const initialReportState: ReportState = { status: 'initial' };

export function evolveReport(state: ReportState, event: ReportEvent): ReportState {
  switch (event.type) {
    case 'ReportPublished':
      return state.status === 'initial' ? { status: 'published', report: event.data } : state; // published once
    default: {
      const _exhaustive: never = event.type;
      return state;
    }
  }
}

export function decideReport(command: ReportCommand, state: ReportState): ReportEvent[] {
  switch (command.type) {
    case 'PublishReport':
      return publishReport(command, state);
    default: {
      const _exhaustive: never = command.type;
      return _exhaustive;
    }
  }
}

/**
 * Publishing the same report again changes nothing (the caller answers with what is stored); the same
 * reportId with anything else is refused: a report is never edited, a new version is a new reportId.
 */
function publishReport(command: PublishReport, state: ReportState): ReportEvent[] {
  const report = reportData(command.data);
  if (state.status === 'published') {
    if (canonicalJson(state.report) === canonicalJson(report)) return [];
    throw new FundingRuleViolation(
      'DUPLICATE_ID',
      `Report ${report.reportId} is already published with other content; a new version needs a new reportId`,
      'reportId',
    );
  }
  checkStatedFigures(report.statedFigures);
  return [{ type: 'ReportPublished', data: report }];
}

/** The event's data: absent optional fields left out, fields in one order. */
function reportData(data: ReportPublished['data']): ReportPublished['data'] {
  return withoutUndefined({
    reportId: data.reportId,
    title: data.title,
    publisher: data.publisher,
    publishedAt: data.publishedAt,
    asOfEffective: data.asOfEffective,
    statedFigures: data.statedFigures.map((figure): StatedFigure =>
      withoutUndefined({
        statedId: figure.statedId,
        scope: scopeData(figure.scope),
        key: figure.key,
        stated: figure.stated,
        unit: figure.unit,
        citation: { section: figure.citation.section, quote: figure.citation.quote },
        sumOf: figure.sumOf === undefined ? undefined : [...figure.sumOf],
      }),
    ),
  });
}

function scopeData(scope: StatedScope): StatedScope {
  if ('projectId' in scope) return { projectId: scope.projectId };
  if ('programmeId' in scope) return { programmeId: scope.programmeId };
  const { programme, region, department, category, fiscalYear } = scope.portfolio;
  return { portfolio: withoutUndefined({ programme, region, department, category, fiscalYear }) };
}

/**
 * A report must agree with itself before it is kept: statedIds unique, every stated value readable in
 * its unit, every part of a sum another figure of the report that can be added to the total, and no
 * total that is, through its parts, a part of itself. The first fault in report order is named.
 */
function checkStatedFigures(figures: readonly StatedFigure[]): void {
  const at = new Map<string, number>();
  figures.forEach((figure, index) => {
    if (at.has(figure.statedId)) {
      throw new FundingRuleViolation(
        'DUPLICATE_STATED_ID',
        `statedId ${figure.statedId} is already used by statedFigures[${at.get(figure.statedId)}]`,
        `statedFigures[${index}].statedId`,
      );
    }
    at.set(figure.statedId, index);
    try {
      parseStatedValue(figure.stated, figure.unit);
    } catch (error) {
      if (!(error instanceof StatedValueError)) throw error;
      throw new FundingRuleViolation('INVALID_STATED_VALUE', error.message, `statedFigures[${index}].${error.field}`);
    }
  });
  figures.forEach((figure, index) => {
    if (figure.sumOf === undefined) return;
    const field = `statedFigures[${index}].sumOf`;
    if (figure.sumOf.length === 0) throw new FundingRuleViolation('INVALID_SUM', 'a sum needs at least one part', field);
    figure.sumOf.forEach((part, partIndex) => {
      const where = `${field}[${partIndex}]`;
      const partAt = at.get(part);
      if (partAt === undefined) {
        throw new FundingRuleViolation('UNKNOWN_STATED_ID', `part ${part} is not a statedId of this report`, where);
      }
      if (partAt === index) throw new FundingRuleViolation('SUM_CYCLE', `${part} is listed as a part of itself`, where);
      if (figure.sumOf!.indexOf(part) !== partIndex) {
        throw new FundingRuleViolation('INVALID_SUM', `part ${part} is listed twice`, where);
      }
      if (!sameDimension(figure.unit, figures[partAt].unit)) {
        throw new FundingRuleViolation('INVALID_SUM', `part ${part} in ${figures[partAt].unit} cannot be added to a total in ${figure.unit}`, where);
      }
    });
  });
  checkNoSumCycle(figures, at);
}

/** Depth-first over the sumOf links, in report order; the link that closes a cycle is named. */
function checkNoSumCycle(figures: readonly StatedFigure[], at: ReadonlyMap<string, number>): void {
  const state = new Array<'open' | 'done' | undefined>(figures.length);
  for (let root = 0; root < figures.length; root += 1) {
    if (state[root] !== undefined) continue;
    const stack: Array<{ index: number; next: number }> = [{ index: root, next: 0 }];
    state[root] = 'open';
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const parts = figures[top.index].sumOf ?? [];
      if (top.next === parts.length) {
        state[top.index] = 'done';
        stack.pop();
        continue;
      }
      const partIndex = top.next;
      top.next += 1;
      const child = at.get(parts[partIndex])!;
      if (state[child] === 'open') {
        const path = [...stack.map((entry) => figures[entry.index].statedId), figures[child].statedId];
        throw new FundingRuleViolation(
          'SUM_CYCLE',
          `a total is, through its parts, a part of itself: ${path.slice(path.indexOf(figures[child].statedId)).join(' → ')}`,
          `statedFigures[${top.index}].sumOf[${partIndex}]`,
        );
      }
      if (state[child] === undefined) {
        state[child] = 'open';
        stack.push({ index: child, next: 0 });
      }
    }
  }
}

/** JSON with every object's keys sorted: the stored report and a new post compare by content, not key order. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item !== null && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}
