import { createHash } from 'node:crypto';
import { canonicalJson } from '@fundtrail/event-store';

/**
 * What a warning is about inside its project: one checkpoint of a year, one receipt, one indicator
 * in one fiscal year, or the project's arrivals as a whole. With the rule and the project it names
 * the warning, whatever version of the rule raised it.
 */
export const warningSubject = {
  checkpoint: (date: string): string => `checkpoint/${date}`,
  receipt: (receiptId: string): string => `receipt/${receiptId}`,
  indicator: (indicatorId: string, fiscalYear: number): string => `indicator/${indicatorId}/${fiscalYear}`,
  arrival: (): string => 'arrival',
};

/** Ids are `w-` + 32 hex digits (128 bits of sha256): a slug, so it fits a stream id and a URL. */
export const WARNING_ID_PATTERN = /^w-[0-9a-f]{32}$/;

/**
 * The warning's id: a hash of rule, project and subject, never of the rule's version or of a date,
 * so the same log and rules always give the same id, and a disposition stays with its warning when
 * the rule changes. The parts are hashed as a JSON array: no separator can make two triples collide.
 */
export function warningId(ruleId: string, projectId: string, subject: string): string {
  const digest = createHash('sha256')
    .update(canonicalJson(['fundtrail/monitoring-warning', ruleId, projectId, subject]))
    .digest('hex');
  return `w-${digest.slice(0, 32)}`;
}

export const warningStreamId = (id: string): string => `warning-${id}`;
