/**
 * Pure mapping between the port (event-store.port.ts) and @eventstore/db-client 6.x.
 * No I/O here: everything is unit-tested without a server (eventstoredb-mapping.spec.ts).
 */
import {
  ANY,
  type AllStreamResolvedEvent,
  type AppendExpectedRevision,
  CancelledError,
  type CurrentRevision,
  DeadlineExceededError,
  type EventData,
  jsonEvent,
  NO_STREAM,
  NotLeaderError,
  type Position,
  type ReadPosition,
  type ResolvedEvent,
  START,
  TimeoutError,
  UnavailableError,
  WrongExpectedVersionError as EsdbWrongExpectedVersionError,
} from '@eventstore/db-client';
import {
  EventIdConflictError,
  type EventMetadata,
  EventStoreUnavailableError,
  type ExpectedRevision,
  type RecordedEvent,
  WrongExpectedVersionError,
} from '../event-store.port';

// ---------------------------------------------------------------------------------------------
// Expected revision
// ---------------------------------------------------------------------------------------------

/** 'no_stream' -> NO_STREAM, 'any' -> ANY, a revision -> the same revision. */
export function toEsdbExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  if (expected === 'no_stream') return NO_STREAM;
  if (expected === 'any') return ANY;
  if (typeof expected !== 'bigint' || expected < 0n) {
    throw new RangeError(`expected revision must be 'no_stream', 'any' or a revision >= 0, got ${String(expected)}`);
  }
  return expected;
}

/** ESDB's "current revision" of a stream: 'no_stream' (or -1 when the client does not throw) -> 'no_stream'. */
export function fromEsdbCurrentRevision(current: CurrentRevision | undefined | null): bigint | 'no_stream' {
  if (current === undefined || current === null || current === NO_STREAM) return 'no_stream';
  return current < 0n ? 'no_stream' : current;
}

// ---------------------------------------------------------------------------------------------
// Positions: our globalPosition is ESDB's commit position
// ---------------------------------------------------------------------------------------------

/**
 * Largest position ESDB really uses. Servers before 22.6 answer stream reads with
 * commit = prepare = 2^64 - 1 (ulong -1) meaning "no position"; anything above this bound is that sentinel.
 */
const MAX_REAL_POSITION = (1n << 63n) - 1n;

/**
 * Where to start an ESDB `$all` read or subscription so that `globalPosition` is reached.
 * 0 means "from the start"; any other value must be a position this adapter returned, i.e. the
 * commit position of an event written in an implicit transaction, whose prepare position equals it.
 */
export function toEsdbPosition(globalPosition: bigint): ReadPosition {
  if (globalPosition < 0n) throw new RangeError(`a global position is >= 0, got ${globalPosition}`);
  if (globalPosition === 0n) return START;
  return { commit: globalPosition, prepare: globalPosition };
}

/** ESDB position -> our globalPosition (its commit position), or undefined when the server did not report one. */
export function fromEsdbPosition(position: Position | undefined | null): bigint | undefined {
  if (!position) return undefined;
  if (position.commit < 0n || position.commit > MAX_REAL_POSITION) return undefined;
  return position.commit;
}

/** Orders two ESDB positions the way `$all` does: by commit, then prepare. */
export function compareEsdbPositions(a: Position, b: Position): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

/** The `$all` position of a resolved event: the record's own position, else the commit position of the read. */
export function positionOf(resolved: ResolvedEvent | AllStreamResolvedEvent): Position | undefined {
  const own = resolved.event?.position;
  if (own && fromEsdbPosition(own) !== undefined) return own;
  const commit = resolved.commitPosition;
  if (commit !== undefined && commit >= 0n && commit <= MAX_REAL_POSITION) return { commit, prepare: commit };
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// System events
// ---------------------------------------------------------------------------------------------

/** ESDB's own records ($-prefixed stream or type: links `$>`, `$metadata`, `$stats…`, projections' output …). */
export function isSystemEvent(resolved: ResolvedEvent | AllStreamResolvedEvent): boolean {
  const event = resolved.event;
  if (!event) return true;
  return event.type.startsWith('$') || event.streamId.startsWith('$');
}

/** Refuses names ESDB reserves for itself: such events would be invisible to `$all` readers and subscribers. */
export function assertUserStreamAndType(streamId: string, type: string): void {
  if (streamId.length === 0 || streamId.startsWith('$')) {
    throw new RangeError(`stream id ${JSON.stringify(streamId)} is empty or reserved by EventStoreDB ($-prefixed)`);
  }
  if (type.length === 0 || type.startsWith('$')) {
    throw new RangeError(`event type ${JSON.stringify(type)} is empty or reserved by EventStoreDB ($-prefixed)`);
  }
}

// ---------------------------------------------------------------------------------------------
// Metadata: our EventMetadata + the seal (recordedAt, hash, prevHash) in ESDB's custom metadata
// ---------------------------------------------------------------------------------------------

/** What the adapter decides at append time and ESDB cannot hold natively (its `created` is the server's clock). */
export interface Seal {
  recordedAt: Date;
  hash: string;
  prevHash: string;
}

/** Key of the seal inside ESDB's custom metadata. */
export const SEAL_KEY = 'fundtrail';

/**
 * The JSON stored as ESDB custom metadata:
 * `{ ...EventMetadata, $correlationId, $causationId, fundtrail: { recordedAt, hash, prevHash } }`.
 * `$correlationId`/`$causationId` are ESDB's conventional keys (its `$by_correlation_id` projection
 * and UI read them); they duplicate our ids and are dropped again on read.
 */
export interface StoredMetadata extends EventMetadata {
  $correlationId: string;
  $causationId: string;
  [SEAL_KEY]: { recordedAt: string; hash: string; prevHash: string };
}

export function mergeMetadata(metadata: EventMetadata, seal: Seal): StoredMetadata {
  return {
    ...metadata,
    $correlationId: metadata.correlationId,
    $causationId: metadata.causationId,
    [SEAL_KEY]: { recordedAt: seal.recordedAt.toISOString(), hash: seal.hash, prevHash: seal.prevHash },
  };
}

/** An event in the log that FundTrail did not write (no seal, or not JSON): never passed off as ours. */
export class UnsealedEventError extends Error {
  readonly code = 'UNSEALED_EVENT';
  constructor(
    readonly streamId: string,
    readonly eventId: string,
    reason: string,
  ) {
    super(`event ${eventId} in stream ${streamId} was not written by FundTrail: ${reason}`);
    this.name = 'UnsealedEventError';
  }
}

const HEX_64 = /^[0-9a-f]{64}$/;

/** Stored metadata -> our EventMetadata and the seal; throws UnsealedEventError when the seal is missing or malformed. */
export function splitMetadata(stored: unknown, where: { streamId: string; eventId: string }): { metadata: EventMetadata; seal: Seal } {
  const fail = (reason: string): never => {
    throw new UnsealedEventError(where.streamId, where.eventId, reason);
  };
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored) || stored instanceof Uint8Array) {
    return fail('its metadata is not a JSON object');
  }
  const { [SEAL_KEY]: rawSeal, ...rest } = stored as Record<string, unknown>;
  if (typeof rawSeal !== 'object' || rawSeal === null) return fail(`its metadata has no "${SEAL_KEY}" seal`);
  const { recordedAt, hash, prevHash } = rawSeal as Record<string, unknown>;
  if (typeof hash !== 'string' || !HEX_64.test(hash)) return fail('the seal has no valid hash');
  if (typeof prevHash !== 'string' || !HEX_64.test(prevHash)) return fail('the seal has no valid prevHash');
  const at = typeof recordedAt === 'string' ? new Date(recordedAt) : undefined;
  if (!at || Number.isNaN(at.getTime())) return fail('the seal has no valid recordedAt');
  const metadata = Object.fromEntries(Object.entries(rest).filter(([key]) => !key.startsWith('$'))) as unknown as EventMetadata;
  return { metadata, seal: { recordedAt: at, hash, prevHash } };
}

// ---------------------------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------------------------

/** What is written and hashed: data and metadata exactly as they will read back (a JSON round trip). */
export function asStoredJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export interface SealedEvent {
  eventId: string;
  type: string;
  data: Record<string, unknown>;
  metadata: EventMetadata;
  seal: Seal;
}

/** Our sealed event -> ESDB's proposed event: `jsonEvent({ id: eventId, type, data, metadata })`. */
export function toEsdbEventData(event: SealedEvent): EventData {
  return jsonEvent({
    id: event.eventId,
    type: event.type,
    data: event.data,
    metadata: mergeMetadata(event.metadata, event.seal) as unknown as Record<string, unknown>,
  });
}

/**
 * ESDB resolved event -> RecordedEvent. Returns null for ESDB's own system events (which `$all`
 * carries alongside ours); throws UnsealedEventError for a user event FundTrail did not write, and
 * a plain Error when the server reports no `$all` position (stream reads before EventStoreDB 22.6).
 */
export function toRecordedEvent(resolved: ResolvedEvent | AllStreamResolvedEvent): RecordedEvent | null {
  if (isSystemEvent(resolved)) return null;
  const event = resolved.event!;
  const where = { streamId: event.streamId, eventId: event.id };
  if (!event.isJson) throw new UnsealedEventError(where.streamId, where.eventId, 'its data is not JSON');
  const data = event.data;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new UnsealedEventError(where.streamId, where.eventId, 'its data is not a JSON object');
  }
  const { metadata, seal } = splitMetadata(event.metadata, where);
  const globalPosition = fromEsdbPosition(positionOf(resolved));
  if (globalPosition === undefined) {
    throw new Error(
      `EventStoreDB reported no $all position for event ${event.id} in ${event.streamId}: this adapter needs EventStoreDB/KurrentDB 22.6 or later`,
    );
  }
  return {
    eventId: event.id,
    type: event.type,
    streamId: event.streamId,
    streamRevision: event.revision,
    globalPosition,
    recordedAt: seal.recordedAt,
    data: data,
    metadata,
    hash: seal.hash,
    prevHash: seal.prevHash,
  };
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

const UNAVAILABLE_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'EAI_AGAIN']);

/**
 * "The database is not there right now", so the caller may retry: gRPC UNAVAILABLE, deadlines
 * (an append that timed out may or may not have been written, and a retry with the same event
 * ids is safe), server-side aborts/cancellations, a leader change, and failed cluster discovery.
 */
export function isEsdbUnavailable(error: unknown): boolean {
  if (
    error instanceof UnavailableError ||
    error instanceof DeadlineExceededError ||
    error instanceof TimeoutError ||
    error instanceof CancelledError ||
    error instanceof NotLeaderError
  ) {
    return true;
  }
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && UNAVAILABLE_NODE_CODES.has(code)) return true;
  const message = (error as { message?: unknown }).message;
  return typeof message === 'string' && /Failed to discover after \d+ attempts|No connection established|ECONNREFUSED/i.test(message);
}

/** ESDB's WrongExpectedVersionError -> ours, reporting what the caller asked for and what the stream holds. */
export function fromEsdbWrongExpectedVersion(
  error: EsdbWrongExpectedVersionError,
  streamId: string = error.streamName,
  expected: ExpectedRevision = fromEsdbExpected(error.expectedVersion),
): WrongExpectedVersionError {
  return new WrongExpectedVersionError(streamId, expected, fromEsdbCurrentRevision(error.actualVersion));
}

function fromEsdbExpected(expected: AppendExpectedRevision): ExpectedRevision {
  if (typeof expected === 'bigint') return expected;
  return expected === NO_STREAM ? 'no_stream' : 'any';
}

/** Client errors -> the port's errors; anything unrecognised is passed through unchanged. */
export function toEsdbStoreError(error: unknown, context: { streamId?: string; expected?: ExpectedRevision } = {}): unknown {
  if (error instanceof WrongExpectedVersionError || error instanceof EventIdConflictError || error instanceof EventStoreUnavailableError) {
    return error;
  }
  if (error instanceof EsdbWrongExpectedVersionError) return fromEsdbWrongExpectedVersion(error, context.streamId, context.expected);
  if (isEsdbUnavailable(error)) {
    return new EventStoreUnavailableError(`event store unavailable: ${(error as Error).message}`, error);
  }
  return error;
}
