import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import type { Pool } from 'pg';
import type { EventStore, RecordedEvent } from '@fundtrail/event-store';
import { formatYuan } from '@fundtrail/money';
import { computeFigures, type Figure } from '../figures';
import type { PortfolioFilter } from '../queries/portfolio-filter';
import { endOutput, writeWithBackpressure } from './backpressure';
import { type MoneyFlow, type Movement, movementsOf, projectEvents } from './ledger';
import { type SelectedProject, withPortfolioSnapshot } from './portfolio-snapshot';

/**
 * IATI Activity Standard 2.03: one iati-activity per project. Budgets are its allocations per
 * fiscal year, transactions its movements (./ledger: 1 incoming funds = receipts, 2 outgoing
 * commitment = contracts, 3 disbursement = disbursements; a reversal is a negative transaction),
 * results its output indicators with their latest target and actual. Payment approvals (核拨)
 * have no IATI transaction type and are not exported. Element order follows the 2.03 schema.
 */

export interface IatiOptions {
  /** The publishing organisation's IATI organisation identifier; activity identifiers start with it. */
  reportingOrgRef: string;
  reportingOrgName: string;
  /** IATI OrganisationType code (10 = Government). */
  reportingOrgType: string;
  generatedAt?: Date;
}

/** Placeholders to replace with the publishing bureau's own identifier and name. */
export const DEFAULT_IATI_OPTIONS: IatiOptions = {
  reportingOrgRef: 'CN-FUNDTRAIL',
  reportingOrgName: 'FundTrail 资金追踪账本',
  reportingOrgType: '10',
};

const TRANSACTION_TYPES: Partial<Record<MoneyFlow, string>> = { received: '1', committed: '2', disbursed: '3' };

/** XML 1.0 text: markup characters escaped, characters XML cannot carry dropped. */
export function xmlText(value: string): string {
  return value
    .replace(/[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

const attributes = (values: Record<string, string | undefined>) =>
  Object.entries(values)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => ` ${name}="${xmlText(value!)}"`)
    .join('');

const narrative = (text: string, lang?: string) => `<narrative${attributes({ 'xml:lang': lang })}>${xmlText(text)}</narrative>`;

/** The IATI activity identifier of a project. */
export const activityIdentifier = (options: IatiOptions, projectId: string) => `${options.reportingOrgRef}-${projectId}`;

function budgets(movements: readonly Movement[]): string[] {
  const byYear = new Map<number, bigint>();
  for (const movement of movements) {
    if (movement.flow === 'allocated') byYear.set(movement.fiscalYear, (byYear.get(movement.fiscalYear) ?? 0n) + movement.amount);
  }
  return [...byYear.entries()]
    .sort(([a], [b]) => a - b)
    .map(
      ([year, fen]) =>
        `    <budget type="1" status="2"><period-start iso-date="${year}-01-01"/><period-end iso-date="${year}-12-31"/>` +
        `<value value-date="${year}-01-01">${formatYuan(fen)}</value></budget>`,
    );
}

function transaction(movement: Movement, code: string): string {
  const { event } = movement;
  const date = event.metadata.effectiveDate;
  const what = `${event.type}${movement.subjectId ? ` ${movement.subjectId}` : ''}`;
  const party = code === '1' ? [movement.source, movement.sourceLabel].filter(Boolean).join(' ') : movement.party;
  const org = party ? `<${code === '1' ? 'provider-org' : 'receiver-org'}>${narrative(party)}</${code === '1' ? 'provider-org' : 'receiver-org'}>` : '';
  return (
    `    <transaction${attributes({ ref: event.eventId })}><transaction-type code="${code}"/><transaction-date iso-date="${date}"/>` +
    `<value value-date="${date}">${formatYuan(movement.amount)}</value><description>${narrative(what, 'en')}</description>${org}</transaction>`
  );
}

/** Latest target and actual of each indicator, from its figures (target and actual figures where the model has them). */
function results(project: SelectedProject, figures: readonly Figure[], year: number): string[] {
  const byKey = new Map(figures.map((figure) => [figure.key, figure]));
  const indicators = Object.entries(project.details.indicators)
    .map(([indicatorId, indicator]) => {
      const completion = byKey.get(`output_completion:${indicatorId}`);
      if (completion === undefined) return undefined;
      const target = byKey.get(`output_target:${indicatorId}`)?.value ?? completion.denominator;
      const actual = byKey.get(`output_actual:${indicatorId}`)?.value ?? completion.numerator;
      return (
        `      <indicator measure="1" ascending="1"><title>${narrative(`${indicator.name}（${indicator.unit}）`)}</title>` +
        `<reference${attributes({ code: indicatorId, vocabulary: '99' })}/>` +
        `<period><period-start iso-date="${year}-01-01"/><period-end iso-date="${year}-12-31"/>` +
        `${target ? `<target value="${xmlText(target)}"/>` : ''}${actual ? `<actual value="${xmlText(actual)}"/>` : ''}</period></indicator>`
      );
    })
    .filter((line): line is string => line !== undefined);
  if (indicators.length === 0) return [];
  return [`    <result type="1"><title>${narrative('产出指标')}${narrative('Output indicators', 'en')}</title>`, ...indicators, '    </result>'];
}

function activity(options: IatiOptions, project: SelectedProject, events: readonly RecordedEvent[], figures: readonly Figure[]): string {
  const { details } = project;
  const movements = movementsOf(events);
  const started = events[0]?.metadata.effectiveDate;
  const lastRecorded = events.length > 0 ? events[events.length - 1].recordedAt.toISOString() : undefined;
  const year = details.fiscalYear ?? Number((started ?? '1970').slice(0, 4));
  const description = [details.department && `主管部门：${details.department}`, details.category && `类别：${details.category}`].filter(Boolean).join('；');
  return [
    `  <iati-activity${attributes({ 'last-updated-datetime': lastRecorded, 'xml:lang': 'zh', 'default-currency': 'CNY' })}>`,
    `    <iati-identifier>${xmlText(activityIdentifier(options, project.projectId))}</iati-identifier>`,
    `    <reporting-org${attributes({ ref: options.reportingOrgRef, type: options.reportingOrgType })}>${narrative(options.reportingOrgName)}</reporting-org>`,
    `    <title>${narrative(details.name)}</title>`,
    `    <description type="1">${narrative(description || details.name)}${narrative(`FundTrail project ${project.projectId}`, 'en')}</description>`,
    `    <participating-org${attributes({ role: '1', ref: options.reportingOrgRef, type: options.reportingOrgType })}>${narrative(options.reportingOrgName)}</participating-org>`,
    ...(details.department ? [`    <participating-org role="4">${narrative(details.department)}</participating-org>`] : []),
    '    <activity-status code="2"/>',
    ...(started ? [`    <activity-date type="2" iso-date="${started}"/>`] : []),
    '    <recipient-country code="CN"/>',
    ...budgets(movements),
    ...movements.filter((m) => TRANSACTION_TYPES[m.flow] !== undefined).map((m) => transaction(m, TRANSACTION_TYPES[m.flow]!)),
    ...results(project, figures, year),
    '  </iati-activity>',
  ].join('\n');
}

export interface IatiResult {
  activities: number;
  asOfPosition: bigint;
}

/** An IATI file holds at least one activity: a filter that selects no project is refused. */
export class NoActivities extends Error {
  constructor() {
    super('no project is selected: an IATI file needs at least one activity');
    this.name = 'NoActivities';
  }
}

/**
 * Writes the activities of the projects `filter` selects to `path`, a project at a time, into a
 * temporary file that replaces `path` only when it is complete.
 */
export async function writeIatiActivities(
  pool: Pool,
  store: EventStore,
  filter: PortfolioFilter,
  path: string,
  options: IatiOptions = DEFAULT_IATI_OPTIONS,
): Promise<IatiResult> {
  const partial = `${path}.partial`;
  const output = createWriteStream(partial);
  let activities = 0;
  let asOfPosition = 0n;
  try {
    await writeWithBackpressure(
      output,
      `<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03"${attributes({ 'generated-datetime': (options.generatedAt ?? new Date()).toISOString() })}>\n`,
    );
    await withPortfolioSnapshot(pool, filter, async (snapshot) => {
      asOfPosition = snapshot.asOfPosition;
      for await (const batch of snapshot.projects()) {
        for (const project of batch) {
          const events = await projectEvents(store, project);
          if (events.length === 0) continue;
          activities += 1;
          await writeWithBackpressure(output, `${activity(options, project, events, computeFigures(project.terms, snapshot.asOfPosition))}\n`);
        }
      }
    });
    await writeWithBackpressure(output, '</iati-activities>\n');
    await endOutput(output);
    if (activities === 0) throw new NoActivities();
    await rename(partial, path);
  } catch (error) {
    output.destroy();
    await rm(partial, { force: true });
    throw error;
  }
  return { activities, asOfPosition };
}
