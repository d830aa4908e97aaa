import type { RecordedEvent } from '@fundtrail/event-store';
import {
  decideWarningDisposition,
  evolveWarningDisposition,
  FundingRuleViolation,
  initialWarningDispositionState,
  type WarningDispositionCommand,
  type WarningDispositionEvent,
  type WarningDispositionState,
  warningStreamId,
} from '@fundtrail/funding';
import { canonicalJson } from '@fundtrail/event-store';

/** A disposition in the log that the workflow would not have recorded. */
export interface DispositionProblem {
  streamId: string;
  eventId: string;
  globalPosition: string;
  problem: 'not-allowed' | 'not-as-decided' | 'wrong-stream' | 'unknown-type';
  detail: string;
}

export interface DispositionReport {
  ok: boolean;
  /** Warnings with at least one disposition. */
  warnings: number;
  dispositions: number;
  problems: DispositionProblem[];
}

const COMMAND_OF: { readonly [T in WarningDispositionEvent['type']]: WarningDispositionCommand['type'] } = {
  WarningAcknowledged: 'AcknowledgeWarning',
  WarningExplained: 'ExplainWarning',
  WarningResolved: 'ResolveWarning',
};

const WARNING_STREAM = 'warning-';

/**
 * Warnings themselves are computed on read, so there is no warning table to compare with a replay;
 * what is stored is the dispositions. This check replays each warning stream through the
 * disposition decider: every stored event must be exactly what the decider records for the
 * command it stands for, from the state before it (no acknowledgement after a resolution slipped
 * in, no note rewritten outside the workflow), so the status the API shows is the workflow's.
 */
export class DispositionCheck {
  private readonly states = new Map<string, WarningDispositionState>();
  private readonly problems: DispositionProblem[] = [];
  private dispositions = 0;

  observe(event: RecordedEvent): void {
    if (!event.streamId.startsWith(WARNING_STREAM)) return;
    this.dispositions += 1;
    const problem = (kind: DispositionProblem['problem'], detail: string): void => {
      this.problems.push({ streamId: event.streamId, eventId: event.eventId, globalPosition: event.globalPosition.toString(), problem: kind, detail });
    };
    if (!Object.hasOwn(COMMAND_OF, event.type)) return problem('unknown-type', `${event.type} is not a disposition`);
    const stored = { type: event.type, data: event.data } as WarningDispositionEvent;
    if (warningStreamId(stored.data.warningId) !== event.streamId) return problem('wrong-stream', `names warning ${String(stored.data.warningId)}`);
    const state = this.states.get(event.streamId) ?? initialWarningDispositionState;
    const command = {
      type: COMMAND_OF[stored.type],
      data: { warningId: stored.data.warningId, ...('note' in stored.data && { note: stored.data.note }) },
      lookedUp: stored.data.seen === undefined ? {} : { warning: stored.data.seen },
    } as WarningDispositionCommand;
    try {
      const decided = decideWarningDisposition(command, state);
      if (decided.length !== 1 || canonicalJson(decided[0]) !== canonicalJson(stored)) {
        problem('not-as-decided', `the decider records ${canonicalJson(decided)} for it`);
      }
    } catch (error) {
      if (!(error instanceof FundingRuleViolation || error instanceof RangeError)) throw error;
      problem('not-allowed', error.message);
    }
    this.states.set(event.streamId, evolveWarningDisposition(state, stored));
  }

  report(maxProblems = 1000): DispositionReport {
    return { ok: this.problems.length === 0, warnings: this.states.size, dispositions: this.dispositions, problems: this.problems.slice(0, maxProblems) };
  }
}
