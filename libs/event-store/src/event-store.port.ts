/** The one port every event-store adapter implements. */

export type ExpectedRevision = 'no_stream' | 'any' | bigint;

export interface ActorRef {
  id: string;
  role: string;
}

export interface EventMetadata {
  actor: ActorRef;
  correlationId: string;
  causationId: string;
  idempotencyKey?: string;
  /** When it happened (ISO date), as opposed to when it was recorded. */
  effectiveDate: string;
  schemaVersion: number;
}

/** What a writer hands to `append`. */
export interface NewEvent {
  eventId: string;
  type: string;
  data: Record<string, unknown>;
  metadata: EventMetadata;
}

/** An event as stored, with its place in its stream and in the whole log. */
export interface RecordedEvent {
  eventId: string;
  type: string;
  streamId: string;
  streamRevision: bigint;
  globalPosition: bigint;
  recordedAt: Date;
  data: Record<string, unknown>;
  metadata: EventMetadata;
  hash: string;
  prevHash: string;
}

export interface AppendResult {
  streamId: string;
  /** Revision of the last event of this append. */
  streamRevision: bigint;
  /** Global position of the last event of this append. */
  globalPosition: bigint;
  eventIds: string[];
}

export interface ReadStreamOptions {
  /** First revision to read (inclusive) when forwards, last when backwards. */
  from?: bigint;
  direction?: 'forwards' | 'backwards';
  maxCount?: number;
}

/** What a projection reads of an event: not its id, revision, metadata or hashes (audit fields). */
export type ProjectedEvent = Pick<RecordedEvent, 'globalPosition' | 'streamId' | 'type' | 'data' | 'recordedAt'>;

export interface ReadAllOptions {
  /** Read events with globalPosition > fromPosition (exclusive), 0 = from the start. */
  fromPosition?: bigint;
  maxCount?: number;
  /** Events per round trip. */
  batchSize?: number;
}

export interface Subscription extends AsyncIterable<RecordedEvent> {
  /** Ends the iteration; pending `next()` calls resolve done. */
  stop(): Promise<void>;
}

export interface SubscribeOptions {
  /** Poll interval when idle, in ms (adapters that can be notified use it as a fallback). */
  idleMs?: number;
  batchSize?: number;
}

/**
 * Back-dated events: recorded more than `graceDays` after the day they took effect. The recording
 * day is the date of `recordedAt` in the bureau's calendar, the calendar of effective dates.
 */
export interface BackdatedQuery {
  /** Only events whose effective date lies more than this many days before their recording day. */
  graceDays: number;
  /** First and last recording day (YYYY-MM-DD, inclusive). */
  recordedFrom?: string;
  recordedTo?: string;
  /** Matching events to skip, in global order, and how many to return after them. */
  offset?: number;
  limit?: number;
}

export interface BackdatedEvents {
  /** This page, in global order. */
  events: RecordedEvent[];
  /** Every matching event, not only this page. */
  total: number;
}

export interface EventStore {
  append(streamId: string, events: NewEvent[], options: { expectedRevision: ExpectedRevision }): Promise<AppendResult>;
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** The events of `streamId` stored under any of `eventIds`, in revision order (ids not stored are absent). */
  findEvents(streamId: string, eventIds: string[]): Promise<RecordedEvent[]>;
  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent>;
  /**
   * The same events in the same order, with only what a projection folds (ProjectedEvent): a
   * rebuild reads and parses a third less per event. A store may hand out whole events.
   */
  readAllForProjection(options?: ReadAllOptions): AsyncIterable<ProjectedEvent>;
  /** Catch-up then live, in global order; delivers events with globalPosition > fromPosition. */
  subscribeAll(fromPosition: bigint, options?: SubscribeOptions): Subscription;
  /** Position of the last event a subscriber can safely see (no earlier event still in flight). */
  headPosition(): Promise<bigint>;
  /** Across every stream, the events recorded long after they took effect (see isBackdated). */
  readBackdated(query: BackdatedQuery): Promise<BackdatedEvents>;
  close(): Promise<void>;
}

export const EVENT_STORE = Symbol('EVENT_STORE');

export class WrongExpectedVersionError extends Error {
  readonly code = 'WRONG_EXPECTED_VERSION';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    readonly actual: bigint | 'no_stream',
  ) {
    super(`stream ${streamId}: expected revision ${String(expected)}, actual ${String(actual)}`);
    this.name = 'WrongExpectedVersionError';
  }
}

/** The database is unreachable or failed transiently: the caller may retry (HTTP 503). */
export class EventStoreUnavailableError extends Error {
  readonly code = 'STORE_UNAVAILABLE';
  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'EventStoreUnavailableError';
  }
}

/** An event id re-appended with different content: a client bug, not a retry. */
export class EventIdConflictError extends Error {
  readonly code = 'EVENT_ID_CONFLICT';
  constructor(readonly eventId: string) {
    super(`event ${eventId} is already stored with different content`);
    this.name = 'EventIdConflictError';
  }
}
