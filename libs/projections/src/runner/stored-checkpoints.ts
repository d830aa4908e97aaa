import type { Pool } from 'pg';

/** Between two reads of the checkpoints while a request waits. */
const POLL_INTERVAL_MS = 50;

/**
 * How far the projectors have got, as the processes that run them store it
 * (projection_checkpoints): what read-your-writes waits on in a process that runs no projectors
 * (FUNDTRAIL_PROJECTORS=off, an extra API replica). The table is read only while some request
 * waits for a position not yet seen, once per interval however many wait.
 */
export class StoredCheckpoints {
  private seen = 0n;
  private waiters: Array<{ position: bigint; resolve: (reached: boolean) => void }> = [];
  private polling = false;

  constructor(
    private readonly pool: Pool,
    private readonly projectors: readonly string[],
  ) {}

  /** Each projector's stored position (0 before it stored one). */
  async read(): Promise<Map<string, bigint>> {
    const { rows } = await this.pool.query<{ projector: string; position: string }>({
      name: 'fundtrail-stored-checkpoints',
      text: 'SELECT projector, position::text FROM projection_checkpoints WHERE projector = ANY($1)',
      values: [this.projectors],
    });
    const stored = new Map(rows.map((row) => [row.projector, BigInt(row.position)]));
    return new Map(this.projectors.map((name) => [name, stored.get(name) ?? 0n]));
  }

  /** Resolves true once every projector has stored `position`, false after `timeoutMs`. */
  waitFor(position: bigint, timeoutMs: number): Promise<boolean> {
    if (this.seen >= position) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = {
        position,
        resolve: (reached: boolean) => {
          clearTimeout(timer);
          this.waiters = this.waiters.filter((w) => w !== waiter);
          resolve(reached);
        },
      };
      const timer = setTimeout(() => waiter.resolve(false), timeoutMs);
      timer.unref();
      this.waiters.push(waiter);
      if (!this.polling) {
        this.polling = true;
        void this.pollWhileWaited();
      }
    });
  }

  private async pollWhileWaited(): Promise<void> {
    for (;;) {
      try {
        const positions = [...(await this.read()).values()];
        const lowest = positions.reduce((low, p) => (p < low ? p : low), positions[0] ?? 0n);
        if (lowest > this.seen) this.seen = lowest;
        for (const waiter of this.waiters.filter((w) => w.position <= this.seen)) waiter.resolve(true);
      } catch {
        // The store is unavailable: keep trying until the waiters time out.
      }
      if (this.waiters.length === 0) {
        this.polling = false;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
    }
  }
}
