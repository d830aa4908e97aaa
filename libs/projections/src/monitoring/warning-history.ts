import type { ActorRef, RecordedEvent } from '@fundtrail/event-store';
import {
  evolveWarningDisposition,
  initialWarningDispositionState,
  type WarningDispositionEvent,
  type WarningDispositionState,
  type WarningSeen,
  type WarningStatus,
} from '@fundtrail/funding';
import { inLogOrder } from './log-cut';

/** One disposition, as auditors read it: what was done, with which note, by whom, when it was recorded. */
export interface WarningDispositionRecord {
  action: 'acknowledge' | 'explain' | 'resolve';
  note: string | null;
  actor: ActorRef;
  /** When it was recorded (ISO instant). */
  at: string;
  /** What the actor saw of the warning when acting, when the warning was raised then. */
  seen?: WarningSeen;
}

const ACTIONS: { readonly [T in WarningDispositionEvent['type']]: WarningDispositionRecord['action'] } = {
  WarningAcknowledged: 'acknowledge',
  WarningExplained: 'explain',
  WarningResolved: 'resolve',
};

/**
 * A warning's stream (in any order) folded with the disposition decider's own evolve: the status of
 * the occurrence its latest disposition was about, and every disposition, oldest first.
 */
export function warningHistory(events: readonly RecordedEvent[]): WarningDispositionState & { history: WarningDispositionRecord[] } {
  let state = initialWarningDispositionState;
  const history: WarningDispositionRecord[] = [];
  for (const recorded of inLogOrder(events)) {
    if (!Object.hasOwn(ACTIONS, recorded.type)) continue;
    const event = { type: recorded.type, data: recorded.data } as WarningDispositionEvent;
    state = evolveWarningDisposition(state, event);
    const data = event.data as { note?: string; seen?: WarningSeen };
    history.push({
      action: ACTIONS[event.type],
      note: data.note ?? null,
      actor: { id: recorded.metadata.actor.id, role: recorded.metadata.actor.role },
      at: recorded.recordedAt.toISOString(),
      ...(data.seen !== undefined && { seen: data.seen }),
    });
  }
  return { ...state, history };
}

/**
 * The status of a warning whose current stretch began on `raisedAsOf`: what its dispositions made
 * it if they were about this occurrence (one that began then or, seen before a backdated fact
 * stretched it back, later); open if they were about an earlier one, or if there are none.
 */
export function currentStatus(disposed: WarningDispositionState | undefined, raisedAsOf: string): WarningStatus {
  if (disposed?.occurrence === undefined || disposed.occurrence < raisedAsOf) return 'open';
  return disposed.status;
}

/** The disposition state of every warning with a disposition, from the events of all warning streams. */
export function warningStatuses(events: readonly RecordedEvent[]): Map<string, WarningDispositionState> {
  const byWarning = new Map<string, RecordedEvent[]>();
  for (const event of events) {
    if (!Object.hasOwn(ACTIONS, event.type)) continue;
    const id = (event.data as { warningId: string }).warningId;
    const stream = byWarning.get(id);
    if (stream === undefined) byWarning.set(id, [event]);
    else stream.push(event);
  }
  return new Map(
    [...byWarning].map(([id, stream]) => {
      const { status, occurrence } = warningHistory(stream);
      return [id, occurrence === undefined ? { status } : { status, occurrence }];
    }),
  );
}
