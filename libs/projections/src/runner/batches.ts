import type { RecordedEvent } from '@fundtrail/event-store';

const LINGER = Symbol('linger');

/**
 * Groups an event stream into batches: as many as are ready (up to `max`), without waiting
 * more than `lingerMs` for the next one. Catch-up fills whole batches; live traffic flows at once.
 */
export async function* inBatches(source: AsyncIterable<RecordedEvent>, max: number, lingerMs = 2): AsyncGenerator<RecordedEvent[]> {
  const iterator = source[Symbol.asyncIterator]();
  let pending = iterator.next();
  for (;;) {
    const first = await pending;
    if (first.done) return;
    const batch = [first.value];
    pending = iterator.next();
    while (batch.length < max) {
      let timer: NodeJS.Timeout | undefined;
      const linger = new Promise<typeof LINGER>((resolve) => {
        timer = setTimeout(() => resolve(LINGER), lingerMs);
      });
      const next = await Promise.race([pending, linger]);
      clearTimeout(timer);
      if (next === LINGER) break;
      if (next.done) {
        yield batch;
        return;
      }
      batch.push(next.value);
      pending = iterator.next();
    }
    yield batch;
  }
}
