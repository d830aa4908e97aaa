import type { ProjectEventType } from '@fundtrail/funding';
import { parseQuantity, parseYuan } from '@fundtrail/money';
import { figureKey, termMode, type Term, type TermMode } from './figure-definitions';

/**
 * How one stored event moves one term of one figure. Amounts are fen for money figures and
 * 10^-4 units for output quantities; `mode` comes from the figure's definition, never from here.
 */
export type Contribution = { key: string; term: Term; mode: TermMode; amount: bigint };

/** A stored event's type and data: a RecordedEvent, or a domain event before it is stored. */
export type EventLike = { type: string; data: Record<string, unknown> };

/** Thrown when a stored event lacks a field a figure needs: the log is wrong, not the figure. */
export class FigureEventDataError extends Error {
  constructor(
    readonly eventType: string,
    readonly field: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${eventType}.${field}: ${message}`, options);
    this.name = 'FigureEventDataError';
  }
}

/**
 * Every figure term one event moves, and by how much. Stateless: each event carries what it
 * needs (a reversal repeats the amount, category, receipt and contract of what it undoes), so
 * the projection, the trace and the history all read the same contributions off the same event.
 * Bond events and any other stream's events move no project figure: bond proceeds reach a
 * project as its own FundsReceived.
 */
export function contributionsOf(event: EventLike): Contribution[] {
  if (!Object.hasOwn(BY_EVENT_TYPE, event.type)) return [];
  return BY_EVENT_TYPE[event.type as ProjectEventType](fields(event.type, event.data));
}

/** Keyed by every project event type: a new event type does not compile until it is listed here. */
const BY_EVENT_TYPE: { readonly [T in ProjectEventType]: (field: Fields) => Contribution[] } = {
  ProjectRegistered: (field) => {
    const plannedTotal = field.optionalYuan('plannedTotal');
    return plannedTotal === undefined ? [] : plannedTotalStated(plannedTotal);
  },
  PlannedTotalRevised: (field) => plannedTotalStated(field.yuan('amount')),
  FundsAllocated: (field) => {
    const amount = field.yuan('amount');
    return [
      contribution('allocated_total', 'numerator', amount),
      contribution('allocation_execution_rate', 'denominator', amount),
    ];
  },
  FundsReceived: (field) => {
    const amount = field.yuan('amount');
    const source = field.text('source');
    return [
      contribution('received_total', 'numerator', amount),
      contribution('available_balance', 'numerator', amount),
      contribution(figureKey('received_by_source', source), 'numerator', amount),
      ...(source === 'carry-over' ? [] : [contribution('arrival_rate', 'numerator', amount)]),
      contribution('execution_rate', 'denominator', amount),
      contribution(figureKey('receipt_usage_rate', field.text('receiptId')), 'denominator', amount),
    ];
  },
  ContractSigned: (field) => [contribution('contract_payment_progress', 'denominator', field.yuan('amount'))],
  DisbursementRecorded: (field) => disbursed(field, field.yuan('amount')),
  DisbursementReversed: (field) => disbursed(field, -field.yuan('amount')),
  OutputTargetSet: (field) => [
    contribution(figureKey('output_completion', field.text('indicatorId')), 'denominator', field.quantity('target')),
  ],
  OutputReported: (field) => [
    contribution(figureKey('output_completion', field.text('indicatorId')), 'numerator', field.quantity('actual')),
  ],
};

function plannedTotalStated(amount: bigint): Contribution[] {
  return [contribution('planned_total', 'numerator', amount), contribution('arrival_rate', 'denominator', amount)];
}

/** A disbursement (positive) or its reversal (negative): the same terms, opposite sign. */
function disbursed(field: Fields, signed: bigint): Contribution[] {
  const receiptId = field.optionalText('receiptId');
  const contractId = field.optionalText('contractId');
  return [
    contribution('disbursed_total', 'numerator', signed),
    contribution('available_balance', 'numerator', -signed),
    contribution(figureKey('disbursed_by_category', field.text('category')), 'numerator', signed),
    contribution('execution_rate', 'numerator', signed),
    contribution('allocation_execution_rate', 'numerator', signed),
    ...(contractId === undefined ? [] : [contribution('contract_payment_progress', 'numerator', signed)]),
    ...(receiptId === undefined ? [] : [contribution(figureKey('receipt_usage_rate', receiptId), 'numerator', signed)]),
  ];
}

function contribution(key: string, term: Term, amount: bigint): Contribution {
  const mode = termMode(key, term);
  if (mode === undefined) throw new Error(`figure ${key} has no ${term}`); // a bug in this file, not in the log
  return { key, term, mode, amount };
}

type Fields = ReturnType<typeof fields>;

/** Reads event data strictly: a stored event missing a figure's field must fail loudly, not count as zero. */
function fields(type: string, data: Record<string, unknown>) {
  const read = <T>(name: string, parse: (value: unknown) => T): T => {
    try {
      return parse(data[name]);
    } catch (error) {
      throw new FigureEventDataError(type, name, error instanceof Error ? error.message : String(error), {
        cause: error,
      });
    }
  };
  const text = (value: unknown): string => {
    if (typeof value !== 'string' || value.length === 0) throw new TypeError('must be a non-empty string');
    return value;
  };
  const optional =
    <T>(parse: (value: unknown) => T) =>
    (value: unknown): T | undefined =>
      value === undefined ? undefined : parse(value);
  return {
    yuan: (name: string) => read(name, (value) => parseYuan(value)),
    optionalYuan: (name: string) =>
      read(
        name,
        optional((value) => parseYuan(value)),
      ),
    quantity: (name: string) => read(name, (value) => parseQuantity(value)),
    text: (name: string) => read(name, text),
    optionalText: (name: string) => read(name, optional(text)),
  };
}
