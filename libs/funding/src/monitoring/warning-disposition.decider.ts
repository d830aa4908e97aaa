import { withoutUndefined } from '../shared/event-data';
import { FundingRuleViolation } from '../shared/funding-rule-violation';
import type { WarningDispositionCommand } from './warning-disposition.commands';
import type { WarningDispositionEvent } from './warning-disposition.events';

export const WARNING_STATUSES = ['open', 'acknowledged', 'explained', 'resolved'] as const;
export type WarningStatus = (typeof WARNING_STATUSES)[number];

/**
 * A warning nobody has disposed of is open. `occurrence` is the raisedAsOf of the stretch the
 * latest disposition was about: a warning that cleared and is raised again (a later raisedAsOf) is
 * a new occurrence, open again, so a recurrence is never hidden behind an old resolution.
 */
export type WarningDispositionState = { status: WarningStatus; occurrence?: string };

export const initialWarningDispositionState: WarningDispositionState = { status: 'open' };

/** The status a disposition of a warning seen with `seen` starts from: a new occurrence starts open. */
export function statusFor(state: WarningDispositionState, seen: { raisedAsOf: string } | undefined): WarningDispositionState {
  if (seen === undefined || (state.occurrence !== undefined && seen.raisedAsOf <= state.occurrence)) return state;
  return { status: 'open', occurrence: seen.raisedAsOf };
}

/**
 * From which statuses each disposition may be taken. Acknowledging is the first step or none
 * (an explanation or a resolution may come directly); an explanation may be followed by another
 * (a further note); a resolved warning is closed.
 */
export const DISPOSITIONS_ALLOWED_FROM: { readonly [C in WarningDispositionCommand['type']]: readonly WarningStatus[] } = {
  AcknowledgeWarning: ['open'],
  ExplainWarning: ['open', 'acknowledged', 'explained'],
  ResolveWarning: ['open', 'acknowledged', 'explained'],
};

export function evolveWarningDisposition(state: WarningDispositionState, event: WarningDispositionEvent): WarningDispositionState {
  const { occurrence } = statusFor(state, event.data.seen);
  const about = occurrence === undefined ? {} : { occurrence };
  switch (event.type) {
    case 'WarningAcknowledged':
      return { status: 'acknowledged', ...about };
    case 'WarningExplained':
      return { status: 'explained', ...about };
    case 'WarningResolved':
      return { status: 'resolved', ...about };
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
}

export function decideWarningDisposition(command: WarningDispositionCommand, state: WarningDispositionState): WarningDispositionEvent[] {
  const { warningId } = command.data;
  const seen = command.lookedUp?.warning;
  if (seen !== undefined && seen.warningId !== warningId) {
    throw new RangeError(`looked-up warning ${seen.warningId} is not ${warningId}`); // a handler bug, not a client's
  }
  // Only a warning that is raised can be taken up; once it has a disposition it stays addressable.
  if (state.occurrence === undefined && seen === undefined) {
    throw new FundingRuleViolation('WARNING_NOT_FOUND', `No warning ${warningId} is raised`, 'warningId');
  }
  const { status } = statusFor(state, seen);
  if (!DISPOSITIONS_ALLOWED_FROM[command.type].includes(status)) {
    throw new FundingRuleViolation(
      'DISPOSITION_NOT_ALLOWED',
      `Warning ${warningId} is ${status}: ${verb(command.type)} is allowed only when it is ${DISPOSITIONS_ALLOWED_FROM[command.type].join(' or ')}`,
      'warningId',
    );
  }
  switch (command.type) {
    case 'AcknowledgeWarning':
      return [{ type: 'WarningAcknowledged', data: withoutUndefined({ warningId, seen }) }];
    case 'ExplainWarning':
      return [{ type: 'WarningExplained', data: withoutUndefined({ warningId, note: note(command.data.note), seen }) }];
    case 'ResolveWarning':
      return [{ type: 'WarningResolved', data: withoutUndefined({ warningId, note: note(command.data.note), seen }) }];
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

function verb(type: WarningDispositionCommand['type']): string {
  return type === 'AcknowledgeWarning' ? 'acknowledge' : type === 'ExplainWarning' ? 'explain' : 'resolve';
}

/** The edge validates notes; a blank one reaching the decider is a bug upstream. */
function note(text: string): string {
  if (typeof text !== 'string' || text.trim().length === 0) throw new RangeError('a disposition note must not be blank');
  return text;
}
