import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import {
  EventStoreUnavailableError,
  FUNDTRAIL_DATABASE,
  type FundtrailDatabase,
  isUnavailable,
  type RecordedEvent,
  type Subscription,
  WrongExpectedVersionError,
} from '@fundtrail/event-store';
import { FundingRuleViolation } from '../shared/funding-rule-violation';
import type { BondAssignmentReversed, BondProceedsAssigned } from './bond.events';
import { BOND_PROCEEDS_CHECKPOINT } from './bond-proceeds.process';
import { BondProceedsSteps } from './bond-proceeds.steps';
import { type StuckEvent, StuckEvents } from './stuck-events';

/** The process's name in /health, the metrics and the stuck-events table. */
export const BOND_PROCEEDS_PROCESS = 'bond-proceeds';
const PROCESS = BOND_PROCEEDS_PROCESS;
/** An assignment is received by its project; a reversed assignment's receipt is reversed. */
const ACTED_ON = new Set(['BondProceedsAssigned', 'BondAssignmentReversed']);
/** The assignment handler receives the proceeds itself; the safety net only acts once it had time to. */
const GRACE_MS = 5_000;
/** How often due retries of stuck assignments are looked for. */
const RETRY_POLL_MS = 1_000;
/** Longest pause before reading again while the store is unavailable. */
const MAX_UNAVAILABLE_PAUSE_MS = 30_000;

/** How the host runs the catch-up: whether this process runs it, and what it reports to (the host's metrics). */
export interface BondProceedsOptions {
  /** False where another process follows the log (FUNDTRAIL_PROJECTORS=off): /health says off. */
  run: boolean;
  /** A failed attempt: refused (the event is recorded as stuck) or unavailable (the store; retried in place); `by` 0 announces the kind. */
  onFailure: (kind: 'refused' | 'unavailable', by: number) => void;
  /** The number of stuck events, after every change. */
  onStuckEvents: (count: number) => void;
}

export const BOND_PROCEEDS_OPTIONS = Symbol('BOND_PROCEEDS_OPTIONS');

/** What /health says about this process. */
export interface ProcessManagerHealth {
  /** off: not run by this process (FUNDTRAIL_PROJECTORS=off); stuck: some events cannot be acted on; unavailable: the store is not answering. */
  status: 'ok' | 'stuck' | 'unavailable' | 'off';
  stuckEvents: number | null;
  /** The first stuck events in log order. */
  stuck: StuckEvent[];
  unavailableSince?: string;
  lastError?: string;
}

/**
 * A failure that is the store's, not the event's: retried in place, nothing skipped (the same
 * event succeeds once the database answers again). Anything else refuses this event whatever the
 * database does: a rule violation (receipt id taken, project missing) or data that cannot be read.
 */
export function storeUnavailable(error: unknown): boolean {
  return error instanceof EventStoreUnavailableError || error instanceof WrongExpectedVersionError || isUnavailable(error);
}

/**
 * The bond process manager's safety net. If the process died between appending an assignment and
 * the project's receipt, this subscriber finds the assignment in the log and receives it.
 * Deterministic receipt ids make a second run for the same assignment a no-op (at-least-once is enough).
 * A reversed assignment's receipt is reversed the same way, once.
 * An assignment it cannot receive is logged, counted, shown in /health and recorded as stuck; the
 * checkpoint moves past it so the assignments behind it are received, and it is retried with backoff.
 */
@Injectable()
export class BondProceedsCatchUp implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('BondProceeds');
  private readonly stuck: StuckEvents;
  private subscription?: Subscription;
  private running?: Promise<unknown>;
  private stopped = false;
  private unavailableSince?: Date;
  private lastError?: string;
  private readonly stopping = new Promise<void>((resolve) => (this.signalStop = resolve));
  private signalStop!: () => void;

  constructor(
    @Inject(FUNDTRAIL_DATABASE) private readonly database: FundtrailDatabase,
    private readonly steps: BondProceedsSteps,
    @Inject(BOND_PROCEEDS_OPTIONS) private readonly options: BondProceedsOptions,
  ) {
    this.stuck = new StuckEvents(database.pool, PROCESS);
  }

  onApplicationBootstrap(): void {
    if (!this.options.run) return;
    for (const kind of ['refused', 'unavailable'] as const) this.options.onFailure(kind, 0);
    this.running = Promise.all([this.follow(), this.retryDue()]);
  }

  /** The log from the checkpoint on: each assignment is received, or recorded as stuck and passed. */
  private async follow(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      try {
        const from = await this.checkpoint();
        this.available();
        await this.refreshStuckGauge();
        this.subscription = this.database.store.subscribeAll(from, { batchSize: 1000, idleMs: 200 });
        for await (const event of this.subscription) {
          if (!ACTED_ON.has(event.type)) continue;
          const wait = event.recordedAt.getTime() + GRACE_MS - Date.now();
          if (wait > 0) await this.pause(wait);
          if (this.stopped) return;
          await this.attempt(event);
          await this.database.pool.query(
            `INSERT INTO projection_checkpoints (projector, position) VALUES ($1, $2)
             ON CONFLICT (projector) DO UPDATE SET position = GREATEST(projection_checkpoints.position, EXCLUDED.position), updated_at = now()`,
            [BOND_PROCEEDS_CHECKPOINT, event.globalPosition.toString()],
          );
          this.available();
          failures = 0;
        }
      } catch (error) {
        if (this.stopped) return;
        failures += 1;
        this.unavailable(error);
        await this.pause(Math.min(1_000 * 2 ** Math.min(failures - 1, 10), MAX_UNAVAILABLE_PAUSE_MS));
      } finally {
        await this.subscription?.stop();
      }
    }
  }

  /** Retries each stuck assignment when its backoff has passed. */
  private async retryDue(): Promise<void> {
    while (!this.stopped) {
      await this.pause(RETRY_POLL_MS);
      if (this.stopped) return;
      try {
        for (const stuck of await this.stuck.due()) {
          if (this.stopped) return;
          const [event] = await this.database.store.readStream(stuck.streamId, { from: BigInt(stuck.streamRevision), maxCount: 1 });
          if (event?.eventId === stuck.eventId) await this.attempt(event);
          else
            await this.refused(
              { ...stuck, streamRevision: BigInt(stuck.streamRevision), globalPosition: BigInt(stuck.globalPosition) },
              new Error(`the log no longer holds event ${stuck.eventId} at ${stuck.streamId}@${stuck.streamRevision}`),
            );
        }
      } catch (error) {
        if (!this.stopped) this.unavailable(error);
      }
    }
  }

  /** One try at receiving an assignment. Throws only when the store is unavailable. */
  private async attempt(event: RecordedEvent): Promise<void> {
    try {
      const context = {
        actor: { id: 'process:bond-proceeds', role: 'admin' as const },
        correlationId: event.metadata.correlationId,
        causationId: event.eventId,
        effectiveDate: event.metadata.effectiveDate,
        idempotencyKey: `bond-proceeds:${event.eventId}`,
      };
      if (event.type === 'BondAssignmentReversed') {
        await this.steps.reverseAssignedReceipt(event as unknown as BondAssignmentReversed, context);
      } else {
        await this.steps.receiveAssignedProceeds(event as unknown as BondProceedsAssigned, context);
      }
    } catch (error) {
      if (storeUnavailable(error)) throw error;
      await this.refused(event, error);
      return;
    }
    if (await this.stuck.resolve(event.eventId)) {
      this.logger.log(`assignment ${describe(event)} is received at last; no longer stuck`);
      await this.refreshStuckGauge();
    }
  }

  private async refused(
    event: Pick<RecordedEvent, 'eventId' | 'streamId' | 'streamRevision' | 'globalPosition'> & { data?: Record<string, unknown> },
    error: unknown,
  ): Promise<void> {
    const code = error instanceof FundingRuleViolation ? error.code : error instanceof Error ? error.name : 'ERROR';
    const detail = error instanceof Error ? error.message : String(error);
    const stuck = await this.stuck.record(event, { code, detail });
    this.options.onFailure('refused', 1);
    const line = `assignment ${describe(event)} cannot be received (or its reversal carried to the project): ${code}: ${detail}. Recorded as stuck (attempt ${stuck.attempts}); the assignments after it go on; next attempt at ${stuck.nextAttemptAt}`;
    if (stuck.attempts === 1) this.logger.error(line);
    else this.logger.warn(line);
    await this.refreshStuckGauge();
  }

  private unavailable(error: unknown): void {
    this.lastError = error instanceof Error ? error.message : String(error);
    this.options.onFailure('unavailable', 1);
    if (this.unavailableSince) return;
    this.unavailableSince = new Date();
    this.logger.warn(`cannot make progress: the store is unavailable (${this.lastError}); the same assignment is retried with backoff, nothing is skipped`);
  }

  private available(): void {
    if (!this.unavailableSince) return;
    this.logger.log(`the store answers again after ${Date.now() - this.unavailableSince.getTime()} ms; going on`);
    this.unavailableSince = undefined;
    this.lastError = undefined;
  }

  private async refreshStuckGauge(): Promise<void> {
    this.options.onStuckEvents(await this.stuck.count());
  }

  /** Where the log is followed from: the checkpoint this process keeps beside the projectors' (verify reads it). */
  private async checkpoint(): Promise<bigint> {
    const { rows } = await this.database.pool.query<{ position: string }>('SELECT position FROM projection_checkpoints WHERE projector = $1', [
      BOND_PROCEEDS_CHECKPOINT,
    ]);
    return rows.length ? BigInt(rows[0].position) : 0n;
  }

  /** This process manager's state for /health; the stuck events are read from the database (shared by every process). */
  async health(databaseUp: boolean): Promise<ProcessManagerHealth> {
    let listed: { count: number; events: StuckEvent[] } | undefined;
    try {
      if (databaseUp) listed = await this.stuck.list(10);
    } catch {
      // the database went down meanwhile: /health says so in its checks
    }
    const status = this.running === undefined ? 'off' : this.unavailableSince ? 'unavailable' : (listed?.count ?? 0) > 0 ? 'stuck' : 'ok';
    return {
      status,
      stuckEvents: listed?.count ?? null,
      stuck: listed?.events ?? [],
      ...(this.unavailableSince && { unavailableSince: this.unavailableSince.toISOString(), lastError: this.lastError }),
    };
  }

  private pause(ms: number): Promise<void> {
    return Promise.race([new Promise<void>((resolve) => setTimeout(resolve, ms).unref()), this.stopping]);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.signalStop();
    await this.subscription?.stop();
    await this.running?.catch(() => undefined);
  }
}

function describe(event: { eventId: string; globalPosition: bigint; data?: Record<string, unknown> }): string {
  const names = event.data ? `${String(event.data.bondId)}/${String(event.data.assignmentId)} to ${String(event.data.projectId)} ` : '';
  return `${names}(event ${event.eventId}, position ${event.globalPosition})`;
}
