import type { EventStore, RecordedEvent, Subscription } from '@fundtrail/event-store';

interface Subscriber {
  /** Position of the last event queued for it (or where it started). */
  last: bigint;
  queue: RecordedEvent[];
  stopped: boolean;
}

interface Source {
  subscription: Subscription;
  iterator: AsyncIterator<RecordedEvent>;
}

/**
 * One subscription to the log for all the live projectors of a process: each event is read and
 * parsed once and handed to every projector that has not had it yet, instead of once per
 * projector (four reads of every event). Each subscriber still sees every event after its own
 * start, in order, exactly once, and starts and stops on its own (a projector that failed
 * resumes from its stored checkpoint: the log is read again from the lowest position asked for,
 * and the others skip what they already have). A subscriber holds at most `queueLimit` events not
 * yet taken: the others wait for it rather than grow its queue without bound.
 */
export class SharedLogTail {
  private readonly subscribers = new Set<Subscriber>();
  private source?: Source;
  /** Position the source's next event comes after. */
  private sourceAfter = 0n;
  private pulling?: Promise<void>;
  private drained: Array<() => void> = [];

  constructor(
    private readonly store: EventStore,
    private readonly batchSize = 1000,
    private readonly queueLimit = 2 * batchSize,
  ) {}

  subscribe(fromPosition: bigint): Subscription {
    const subscriber: Subscriber = { last: fromPosition, queue: [], stopped: false };
    let stop!: () => void;
    // A pending next() ends (done) when its subscriber stops, without waiting for the next event.
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    this.subscribers.add(subscriber);
    // A start before what the source has passed: read again from there (the others skip it).
    if (this.source && fromPosition < this.sourceAfter) this.dropSource();
    const iterator: AsyncIterator<RecordedEvent> = {
      next: async () => {
        for (;;) {
          if (subscriber.stopped) return { done: true, value: undefined };
          const event = subscriber.queue.shift();
          if (event) {
            if (subscriber.queue.length < this.queueLimit) this.wakeDrained();
            return { done: false, value: event };
          }
          await Promise.race([this.pull(), stopped]);
        }
      },
    };
    return {
      [Symbol.asyncIterator]: () => iterator,
      stop: async () => {
        subscriber.stopped = true;
        subscriber.queue = [];
        stop();
        this.subscribers.delete(subscriber);
        this.wakeDrained();
        if (this.subscribers.size === 0) this.dropSource();
      },
    };
  }

  /** One event from the source, queued for every subscriber it is new to; one pull at a time. */
  private pull(): Promise<void> {
    this.pulling ??= this.pullOnce().finally(() => (this.pulling = undefined));
    return this.pulling;
  }

  private async pullOnce(): Promise<void> {
    while ([...this.subscribers].some((s) => s.queue.length >= this.queueLimit)) {
      await new Promise<void>((resolve) => this.drained.push(resolve));
    }
    if (this.subscribers.size === 0) return;
    const source = (this.source ??= this.openSource());
    let result: IteratorResult<RecordedEvent>;
    try {
      result = await source.iterator.next();
    } catch (error) {
      // The subscriber that pulled sees the error (its runner resumes from its checkpoint); the
      // next pull reads from a fresh source.
      if (this.source === source) this.dropSource();
      throw error;
    }
    if (this.source !== source) return; // dropped meanwhile (a subscriber starting further back)
    if (result.done) {
      this.dropSource();
      return;
    }
    const event = result.value;
    this.sourceAfter = event.globalPosition;
    for (const subscriber of this.subscribers) {
      if (event.globalPosition > subscriber.last) {
        subscriber.queue.push(event);
        subscriber.last = event.globalPosition;
      }
    }
  }

  private openSource(): Source {
    const from = [...this.subscribers].reduce((low, s) => (s.last < low ? s.last : low), [...this.subscribers][0].last);
    const subscription = this.store.subscribeAll(from, { batchSize: this.batchSize });
    this.sourceAfter = from;
    return { subscription, iterator: subscription[Symbol.asyncIterator]() };
  }

  private dropSource(): void {
    const source = this.source;
    this.source = undefined;
    if (source) void source.subscription.stop().catch(() => undefined);
  }

  private wakeDrained(): void {
    const waiting = this.drained;
    this.drained = [];
    for (const resolve of waiting) resolve();
  }
}
