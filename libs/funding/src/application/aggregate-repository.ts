import { type AppendResult, type EventStore, type ExpectedRevision, type RecordedEvent, WrongExpectedVersionError } from '@fundtrail/event-store';
import { FundingRuleViolation } from '../shared/funding-rule-violation';
import { type CommandContext, toNewEvents } from './command-context';

export interface Decider<C, E extends { type: string; data: object }, S> {
  initial: S;
  evolve(state: S, event: E): S;
  decide(command: C, state: S): E[];
}

interface Cached<S> {
  revision: bigint;
  state: S;
}

/** Attempts per command before a conflict is reported to the caller (409 WRONG_EXPECTED_VERSION). */
export const MAX_DECIDE_ATTEMPTS = 25;

/**
 * Load -> decide -> append with the expected revision, retried on a concurrent write.
 *
 * The cache is safe under concurrency: it only ever holds (revision r, fold of events 0..r), and
 * stored events never change, so that pair stays true forever. A decision made on it is appended
 * with expected revision r, which the store refuses if anything landed after r; then the stream is
 * read from r + 1 and the command decided again. Refusals are only ever reported after a read.
 */
export class AggregateRepository<C, E extends { type: string; data: object }, S> {
  private readonly cache = new Map<string, Cached<S>>();
  private readonly queues = new Map<string, Promise<void>>();

  constructor(
    private readonly store: EventStore,
    private readonly decider: Decider<C, E, S>,
    private readonly cacheLimit = 10_000,
  ) {}

  /** The stream's current state and revision ('no_stream' when it has no events). */
  async load(streamId: string): Promise<{ state: S; expected: ExpectedRevision }> {
    const cached = this.cache.get(streamId);
    const from = cached ? cached.revision + 1n : 0n;
    const events: RecordedEvent[] = await this.store.readStream(streamId, { from });
    let state = cached ? cached.state : this.decider.initial;
    for (const event of events) state = this.decider.evolve(state, { type: event.type, data: event.data } as unknown as E);
    const revision = events.length > 0 ? events[events.length - 1].streamRevision : cached?.revision;
    if (revision !== undefined) this.remember(streamId, revision, state);
    return { state, expected: revision === undefined ? 'no_stream' : revision };
  }

  /**
   * Commands on one stream run one at a time in this process: concurrent clerks on a hot project
   * would otherwise spend their attempts refusing each other. Other processes still meet the guard.
   */
  handle(streamId: string, command: C, context: CommandContext): Promise<AppendResult> {
    const previous = this.queues.get(streamId) ?? Promise.resolve();
    const run = previous.then(() => this.decideAndAppend(streamId, command, context));
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(streamId, settled);
    void settled.then(() => {
      if (this.queues.get(streamId) === settled) this.queues.delete(streamId);
    });
    return run;
  }

  private async decideAndAppend(streamId: string, command: C, context: CommandContext): Promise<AppendResult> {
    // First attempt decides on the cached state without a read: the append's revision guard
    // refuses it if the stream moved, and only then is the stream read. A refusal is never
    // reported from an unread cache: the stream is read and the command decided again.
    let verified = !this.cache.has(streamId);
    for (let attempt = 1; ; attempt += 1) {
      const { state, expected } = verified ? await this.load(streamId) : this.cached(streamId);
      let decided: E[];
      try {
        decided = this.decider.decide(command, state);
      } catch (error) {
        if (!verified) {
          verified = true;
          continue;
        }
        throw error;
      }
      if (decided.length === 0) throw new FundingRuleViolation('DUPLICATE_ID', 'the command changes nothing');
      const events = toNewEvents(streamId, decided as unknown as { type: string; data: Record<string, unknown> }[], context);
      try {
        const result = await this.store.append(streamId, events, { expectedRevision: expected });
        const next = decided.reduce((s, e) => this.decider.evolve(s, e), state);
        if (result.streamRevision === (expected === 'no_stream' ? -1n : (expected as bigint)) + BigInt(decided.length)) {
          this.remember(streamId, result.streamRevision, next);
        }
        return result;
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError) || attempt >= MAX_DECIDE_ATTEMPTS) throw error;
        // Someone else wrote first: read what they wrote and decide again, after a short jitter.
        if (verified) await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 3 * attempt)));
        verified = true;
      }
    }
  }

  private cached(streamId: string): { state: S; expected: ExpectedRevision } {
    const cached = this.cache.get(streamId) as Cached<S>;
    return { state: cached.state, expected: cached.revision };
  }

  private remember(streamId: string, revision: bigint, state: S): void {
    const cached = this.cache.get(streamId);
    if (cached && cached.revision >= revision) return;
    if (this.cache.size >= this.cacheLimit && !cached) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    this.cache.set(streamId, { revision, state });
  }
}
