import type { ProgrammeEventType, ProjectEventType } from '@fundtrail/funding';
import { parseQuantity, parseYuan } from '@fundtrail/money';
import { figureDefinition, figureKey, termMode, type Term, type TermMode } from './figure-definitions';

/**
 * How one stored event moves one term of one figure. Amounts are fen for money figures and
 * 10^-4 units for output quantities; `mode` comes from the figure's definition, never from here.
 */
export type TermContribution = { key: string; term: Term; mode: TermMode; amount: bigint };
/** The figure reads its denominator from the numerator of figure `from` (an indicator measured against another). */
export type LinkContribution = { key: string; term: 'denominator'; mode: 'link'; from: string };
/** The figure drops out of the figures: its indicator was withdrawn, its receipt reversed. */
export type DropContribution = { key: string; mode: 'drop' };
export type Contribution = TermContribution | LinkContribution | DropContribution;

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
 * A programme's stream moves its own indicators' figures the same way. Bond events and any other
 * stream's events move no project figure: bond proceeds reach a project as its own FundsReceived
 * (and leave it as its own ReceiptReversed).
 */
export function contributionsOf(event: EventLike): Contribution[] {
  if (!Object.hasOwn(BY_EVENT_TYPE, event.type)) return [];
  return BY_EVENT_TYPE[event.type as keyof typeof BY_EVENT_TYPE](fields(event.type, event.data));
}

/** Keyed by every project and programme event type: a new one does not compile until it is listed here. */
const BY_EVENT_TYPE: { readonly [T in ProjectEventType | ProgrammeEventType]: (field: Fields) => Contribution[] } = {
  ProjectRegistered: (field) => {
    const plannedTotal = field.optionalYuan('plannedTotal');
    return plannedTotal === undefined ? [] : plannedTotalStated(plannedTotal);
  },
  ProjectProgrammeChanged: () => [],
  ProgrammeRegistered: () => [],
  PlannedTotalRevised: (field) => plannedTotalStated(field.yuan('amount')),
  FundsAllocated: (field) => allocated(field.yuan('amount')),
  AllocationReversed: (field) => allocated(-field.yuan('amount')),
  FundsReceived: (field) => {
    const amount = field.yuan('amount');
    return [...received(field, amount), contribution(figureKey('receipt_usage_rate', field.text('receiptId')), 'denominator', amount)];
  },
  // A reversed receipt leaves every total, and its own usage rate drops out.
  ReceiptReversed: (field) => [...received(field, -field.yuan('amount')), drop(figureKey('receipt_usage_rate', field.text('receiptId')))],
  ContractSigned: (field) => [contribution('contract_payment_progress', 'denominator', field.yuan('amount'))],
  ContractAmended: (field) => [contribution('contract_payment_progress', 'denominator', field.yuan('amount') - field.yuan('previousAmount'))],
  PaymentApproved: (field) => [contribution('approved_total', 'numerator', field.yuan('amount'))],
  PaymentApprovalReversed: (field) => [contribution('approved_total', 'numerator', -field.yuan('amount'))],
  DisbursementRecorded: (field) => disbursed(field, field.yuan('amount')),
  DisbursementReversed: (field) => disbursed(field, -field.yuan('amount')),
  InvestmentCompletedReported: (field) => [contribution('investment_completed', 'numerator', field.yuan('amount'))],
  OutputTargetSet: (field) => {
    const indicator = figureKey('output_completion', field.text('indicatorId'));
    const denominatorIndicatorId = field.optionalText('denominatorIndicatorId');
    // Measured against a target, the target is required; against another indicator, it is optional.
    const target = denominatorIndicatorId === undefined ? field.quantity('target') : field.optionalQuantity('target');
    return [
      ...(target === undefined ? [] : [contribution(indicator, 'denominator', target)]),
      ...(denominatorIndicatorId === undefined ? [] : [link(indicator, figureKey('output_completion', denominatorIndicatorId))]),
    ];
  },
  OutputReported: (field) => [contribution(figureKey('output_completion', field.text('indicatorId')), 'numerator', field.quantity('actual'))],
  OutputTargetRevised: (field) => [contribution(figureKey('output_completion', field.text('indicatorId')), 'denominator', field.quantity('target'))],
  IndicatorWithdrawn: (field) => [drop(figureKey('output_completion', field.text('indicatorId')))],
};

function plannedTotalStated(amount: bigint): Contribution[] {
  return [contribution('planned_total', 'numerator', amount), contribution('arrival_rate', 'denominator', amount)];
}

/** An allocation (positive) or its reversal (negative). */
function allocated(signed: bigint): Contribution[] {
  return [contribution('allocated_total', 'numerator', signed), contribution('allocation_execution_rate', 'denominator', signed)];
}

/** The totals a receipt (positive) or its reversal (negative) moves. */
function received(field: Fields, signed: bigint): Contribution[] {
  const source = field.text('source');
  return [
    contribution('received_total', 'numerator', signed),
    contribution('available_balance', 'numerator', signed),
    contribution(figureKey('received_by_source', source), 'numerator', signed),
    ...(source === 'carry-over' ? [] : [contribution('arrival_rate', 'numerator', signed)]),
    contribution('execution_rate', 'denominator', signed),
  ];
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

function contribution(key: string, term: Term, amount: bigint): TermContribution {
  const mode = termMode(key, term);
  if (mode === undefined) throw new Error(`figure ${key} stores no ${term}`); // a bug in this file, not in the log
  return { key, term, mode, amount };
}

function link(key: string, from: string): LinkContribution {
  if (!figureDefinition(key)?.linkable) throw new Error(`figure ${key} takes no link`); // a bug in this file
  return { key, term: 'denominator', mode: 'link', from };
}

function drop(key: string): DropContribution {
  return { key, mode: 'drop' };
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
    optionalQuantity: (name: string) =>
      read(
        name,
        optional((value) => parseQuantity(value)),
      ),
    text: (name: string) => read(name, text),
    optionalText: (name: string) => read(name, optional(text)),
  };
}
