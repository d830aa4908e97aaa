import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { FUNDTRAIL_DATABASE, type FundtrailDatabase, type Subscription } from '@fundtrail/event-store';
import { type BondProceedsAssigned, FundingRepositories } from '@fundtrail/funding';
import { readCheckpoint } from '@fundtrail/projections';

const CHECKPOINT = 'bond-proceeds-receiver';
/** The assignment handler receives the proceeds itself; the safety net only acts once it had time to. */
const GRACE_MS = 5_000;

/**
 * The bond process manager's safety net. If the process died between appending an assignment and
 * the project's receipt, this subscriber finds the assignment in the log and receives it.
 * Deterministic receipt ids make a second run for the same assignment a no-op (at-least-once is enough).
 */
@Injectable()
export class BondProceedsCatchUp implements OnApplicationBootstrap, OnApplicationShutdown {
  private subscription?: Subscription;
  private running?: Promise<void>;
  private stopped = false;
  private readonly stopping = new Promise<void>((resolve) => (this.signalStop = resolve));
  private signalStop!: () => void;

  constructor(
    @Inject(FUNDTRAIL_DATABASE) private readonly database: FundtrailDatabase,
    private readonly repositories: FundingRepositories,
  ) {}

  onApplicationBootstrap(): void {
    if (process.env.FUNDTRAIL_PROJECTORS !== 'off') this.running = this.loop();
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      try {
        const from = await readCheckpoint(this.database.pool, CHECKPOINT);
        this.subscription = this.database.store.subscribeAll(from, { batchSize: 1000, idleMs: 200 });
        for await (const event of this.subscription) {
          if (event.type === 'BondProceedsAssigned') {
            const wait = event.recordedAt.getTime() + GRACE_MS - Date.now();
            if (wait > 0) await Promise.race([new Promise((resolve) => setTimeout(resolve, wait).unref()), this.stopping]);
            if (this.stopped) return;
            await this.repositories.receiveAssignedProceeds(event as unknown as BondProceedsAssigned, {
              actor: { id: 'process:bond-proceeds', role: 'admin' },
              correlationId: event.metadata.correlationId,
              causationId: event.eventId,
              effectiveDate: event.metadata.effectiveDate,
              idempotencyKey: `bond-proceeds:${event.eventId}`,
            });
            await this.database.pool.query(
              `INSERT INTO projection_checkpoints (projector, position) VALUES ($1, $2)
               ON CONFLICT (projector) DO UPDATE SET position = GREATEST(projection_checkpoints.position, EXCLUDED.position), updated_at = now()`,
              [CHECKPOINT, event.globalPosition.toString()],
            );
          }
        }
      } catch {
        if (!this.stopped) await new Promise((resolve) => setTimeout(resolve, 1_000));
      } finally {
        await this.subscription?.stop();
      }
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.signalStop();
    await this.subscription?.stop();
    await this.running?.catch(() => undefined);
  }
}
