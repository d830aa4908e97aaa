import type { RecordedEvent, SubscribeOptions, Subscription } from '../event-store.port';
import { EventStoreUnavailableError } from '../event-store.port';

type ReadBatch = (afterPosition: bigint, limit: number) => Promise<RecordedEvent[]>;

/**
 * Catch-up then live by polling `readBatch`, which only returns events from finished
 * transactions; so advancing past what it returned never skips a late commit.
 * Transient database failures are retried with back-off instead of ending the subscription.
 */
export function pollingSubscription(readBatch: ReadBatch, fromPosition: bigint, options: SubscribeOptions = {}): Subscription {
  const idleMs = options.idleMs ?? 25;
  const batchSize = options.batchSize ?? 500;
  let stopped = false;
  let wake: (() => void) | undefined;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        wake = undefined;
        resolve();
      }, ms);
      wake = () => {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      };
    });

  async function* events(): AsyncGenerator<RecordedEvent> {
    let position = fromPosition;
    let failures = 0;
    while (!stopped) {
      let batch: RecordedEvent[];
      try {
        batch = await readBatch(position, batchSize);
        failures = 0;
      } catch (error) {
        if (!(error instanceof EventStoreUnavailableError)) throw error;
        failures += 1;
        await sleep(Math.min(2000, idleMs * 2 ** Math.min(failures, 7)));
        continue;
      }
      for (const event of batch) {
        if (stopped) return;
        yield event;
        position = event.globalPosition;
      }
      if (batch.length < batchSize && !stopped) await sleep(idleMs);
    }
  }

  const iterator = events();
  return {
    [Symbol.asyncIterator]: () => iterator,
    async stop() {
      stopped = true;
      wake?.();
    },
  };
}
