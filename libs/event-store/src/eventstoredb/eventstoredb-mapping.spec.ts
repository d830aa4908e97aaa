import {
  AccessDeniedError,
  ANY,
  type AllStreamResolvedEvent,
  CancelledError,
  convertToCommandError,
  DeadlineExceededError,
  WrongExpectedVersionError as EsdbWrongExpectedVersionError,
  InvalidArgumentError,
  MaxAppendSizeExceededError,
  NO_STREAM,
  NotFoundError,
  type ResolvedEvent,
  START,
  StreamDeletedError,
  StreamNotFoundError,
  TimeoutError,
  UnavailableError,
  UnknownError,
} from '@eventstore/db-client';
import { EventIdConflictError, type EventMetadata, EventStoreUnavailableError, WrongExpectedVersionError } from '../event-store.port';
import { chainHash, GENESIS_HASH } from '../hash-chain';
import {
  assertUserStreamAndType,
  asStoredJson,
  compareEsdbPositions,
  fromEsdbCurrentRevision,
  fromEsdbPosition,
  fromEsdbWrongExpectedVersion,
  isEsdbUnavailable,
  isSystemEvent,
  mergeMetadata,
  positionOf,
  SEAL_KEY,
  splitMetadata,
  toEsdbEventData,
  toEsdbExpectedRevision,
  toEsdbPosition,
  toEsdbStoreError,
  toRecordedEvent,
  UnsealedEventError,
} from './eventstoredb-mapping';

const ULONG_MAX = (1n << 64n) - 1n;
const EVENT_ID = '6f0a5c1e-8f1a-4a38-9d8b-3c3f2b6b2a11';

const metadata: EventMetadata = {
  actor: { id: 'u-1', role: 'treasurer' },
  correlationId: 'c0a80101-0000-4000-8000-000000000001',
  causationId: 'c0a80101-0000-4000-8000-000000000002',
  idempotencyKey: 'idem-1',
  effectiveDate: '2024-08-31',
  schemaVersion: 2,
};
const recordedAt = new Date('2024-09-01T10:11:12.345Z');
const data = { projectId: 'p-1', amount: '1000.00', lines: [{ z: 1, a: 2 }] };
const hash = chainHash(GENESIS_HASH, {
  eventId: EVENT_ID,
  type: 'FundsAllocated',
  streamId: 'project-p-1',
  streamRevision: 3n,
  recordedAt,
  data,
  metadata,
});
const stored = mergeMetadata(metadata, { recordedAt, hash, prevHash: GENESIS_HASH });

/** A resolved event as @eventstore/db-client hands it out (see its convertGrpcEvent). */
function resolved(overrides: Record<string, unknown> = {}, commitPosition?: bigint): ResolvedEvent {
  return {
    event: {
      streamId: 'project-p-1',
      id: EVENT_ID,
      isJson: true,
      revision: 3n,
      type: 'FundsAllocated',
      created: new Date('2030-01-01T00:00:00Z'), // the server's clock: never used
      data,
      metadata: stored,
      position: { commit: 4242n, prepare: 4242n },
      ...overrides,
    },
    commitPosition,
  } as unknown as ResolvedEvent;
}

/** A gRPC ServiceError as @grpc/grpc-js rejects with; `exception` is ESDB's error header. */
function serviceError(code: number, details: string, headers: Record<string, string> = {}): Error {
  return Object.assign(new Error(`${code} ${details}`), { code, details, metadata: { getMap: () => headers } });
}

describe('EventStoreDB mapping (pure functions, no server)', () => {
  describe('expected revision', () => {
    it("maps 'no_stream' to NO_STREAM, 'any' to ANY and a revision to itself", () => {
      expect(toEsdbExpectedRevision('no_stream')).toBe(NO_STREAM);
      expect(toEsdbExpectedRevision('any')).toBe(ANY);
      expect(toEsdbExpectedRevision(0n)).toBe(0n);
      expect(toEsdbExpectedRevision(41n)).toBe(41n);
    });

    it('refuses a negative revision or something that is not a revision', () => {
      expect(() => toEsdbExpectedRevision(-1n)).toThrow(RangeError);
      expect(() => toEsdbExpectedRevision(3 as unknown as bigint)).toThrow(RangeError);
    });

    it("maps ESDB's current revision back: no_stream (or -1 from a non-throwing client) -> 'no_stream'", () => {
      expect(fromEsdbCurrentRevision('no_stream')).toBe('no_stream');
      expect(fromEsdbCurrentRevision(-1n)).toBe('no_stream');
      expect(fromEsdbCurrentRevision(undefined)).toBe('no_stream');
      expect(fromEsdbCurrentRevision(0n)).toBe(0n);
      expect(fromEsdbCurrentRevision(7n)).toBe(7n);
    });
  });

  describe('positions (globalPosition = commit position)', () => {
    it('0 reads from START, any other position from {commit, prepare} = that position', () => {
      expect(toEsdbPosition(0n)).toBe(START);
      expect(toEsdbPosition(4242n)).toEqual({ commit: 4242n, prepare: 4242n });
      expect(() => toEsdbPosition(-1n)).toThrow(RangeError);
    });

    it("takes the commit position, and treats a missing position or ESDB's ulong -1 sentinel as unknown", () => {
      expect(fromEsdbPosition({ commit: 4242n, prepare: 4100n })).toBe(4242n);
      expect(fromEsdbPosition({ commit: 0n, prepare: 0n })).toBe(0n);
      expect(fromEsdbPosition(undefined)).toBeUndefined();
      expect(fromEsdbPosition({ commit: ULONG_MAX, prepare: ULONG_MAX })).toBeUndefined();
      expect(fromEsdbPosition({ commit: -1n, prepare: -1n })).toBeUndefined();
    });

    it('round-trips: fromEsdbPosition(toEsdbPosition(p)) = p', () => {
      for (const p of [1n, 128n, 9_007_199_254_740_993n]) {
        expect(fromEsdbPosition(toEsdbPosition(p) as { commit: bigint; prepare: bigint })).toBe(p);
      }
    });

    it('orders positions by commit, then prepare', () => {
      expect(compareEsdbPositions({ commit: 1n, prepare: 9n }, { commit: 2n, prepare: 0n })).toBe(-1);
      expect(compareEsdbPositions({ commit: 2n, prepare: 1n }, { commit: 2n, prepare: 0n })).toBe(1);
      expect(compareEsdbPositions({ commit: 2n, prepare: 2n }, { commit: 2n, prepare: 2n })).toBe(0);
    });

    it("uses the record's own position, else the read's commit position", () => {
      expect(positionOf(resolved())).toEqual({ commit: 4242n, prepare: 4242n });
      expect(positionOf(resolved({ position: undefined }, 5000n))).toEqual({ commit: 5000n, prepare: 5000n });
      expect(positionOf(resolved({ position: { commit: ULONG_MAX, prepare: ULONG_MAX } }, 5000n))).toEqual({
        commit: 5000n,
        prepare: 5000n,
      });
      expect(positionOf(resolved({ position: undefined }))).toBeUndefined();
    });
  });

  describe('system events', () => {
    it('recognises $-prefixed types and streams, and records without an event, as system events', () => {
      expect(isSystemEvent(resolved())).toBe(false);
      expect(isSystemEvent(resolved({ type: '$>', streamId: '$ce-project' }))).toBe(true);
      expect(isSystemEvent(resolved({ type: '$metadata', streamId: '$$project-p-1' }))).toBe(true);
      expect(isSystemEvent(resolved({ type: 'StatsCollected', streamId: '$stats-127.0.0.1:2113' }))).toBe(true);
      expect(isSystemEvent(resolved({ type: '$ProjectionUpdated' }))).toBe(true);
      expect(isSystemEvent({ commitPosition: 10n })).toBe(true);
    });

    it('refuses to append to a $-prefixed stream or with a $-prefixed type (they would vanish from $all readers)', () => {
      expect(() => assertUserStreamAndType('project-1', 'Created')).not.toThrow();
      expect(() => assertUserStreamAndType('$project-1', 'Created')).toThrow(/reserved/);
      expect(() => assertUserStreamAndType('project-1', '$Created')).toThrow(/reserved/);
      expect(() => assertUserStreamAndType('', 'Created')).toThrow(RangeError);
      expect(() => assertUserStreamAndType('project-1', '')).toThrow(RangeError);
    });
  });

  describe('metadata merge / split', () => {
    it("stores our metadata verbatim, ESDB's $correlationId/$causationId, and the seal under one key", () => {
      expect(stored).toEqual({
        ...metadata,
        $correlationId: metadata.correlationId,
        $causationId: metadata.causationId,
        [SEAL_KEY]: { recordedAt: '2024-09-01T10:11:12.345Z', hash, prevHash: GENESIS_HASH },
      });
    });

    it('splits back into exactly our EventMetadata and the seal, recordedAt to the millisecond', () => {
      const split = splitMetadata(asStoredJson(stored), { streamId: 's', eventId: EVENT_ID });
      expect(split.metadata).toEqual(metadata);
      expect(Object.keys(split.metadata).some((k) => k.startsWith('$') || k === SEAL_KEY)).toBe(false);
      expect(split.seal).toEqual({ recordedAt, hash, prevHash: GENESIS_HASH });
      expect(split.seal.recordedAt.getTime()).toBe(recordedAt.getTime());
    });

    it('keeps an absent idempotencyKey absent', () => {
      const { idempotencyKey: _dropped, ...without } = metadata;
      const split = splitMetadata(asStoredJson(mergeMetadata(without, { recordedAt, hash, prevHash: GENESIS_HASH })), {
        streamId: 's',
        eventId: EVENT_ID,
      });
      expect('idempotencyKey' in split.metadata).toBe(false);
    });

    it.each([
      ['no metadata', undefined],
      ['binary metadata', new Uint8Array([1, 2])],
      ['an array', [1]],
      ['no seal', { ...metadata }],
      ['a seal without a valid hash', { ...metadata, [SEAL_KEY]: { recordedAt: recordedAt.toISOString(), hash: 'x', prevHash: GENESIS_HASH } }],
      ['a seal without a valid prevHash', { ...metadata, [SEAL_KEY]: { recordedAt: recordedAt.toISOString(), hash, prevHash: 1 } }],
      ['a seal without a valid recordedAt', { ...metadata, [SEAL_KEY]: { recordedAt: 'yesterday', hash, prevHash: GENESIS_HASH } }],
    ])('refuses metadata with %s as not written by FundTrail', (_label, value) => {
      expect(() => splitMetadata(value, { streamId: 'project-p-1', eventId: EVENT_ID })).toThrow(UnsealedEventError);
    });
  });

  describe('new event -> ESDB event data', () => {
    it('is jsonEvent({ id: eventId, type, data, metadata + seal })', () => {
      const eventData = toEsdbEventData({
        eventId: EVENT_ID,
        type: 'FundsAllocated',
        data,
        metadata,
        seal: { recordedAt, hash, prevHash: GENESIS_HASH },
      });
      expect(eventData).toEqual({ id: EVENT_ID, contentType: 'application/json', type: 'FundsAllocated', data, metadata: stored });
    });

    it('hashes what reads back: asStoredJson drops undefined and applies toJSON', () => {
      expect(asStoredJson({ a: undefined, b: new Date('2024-01-01T00:00:00Z'), c: [1, 'x'] })).toEqual({
        b: '2024-01-01T00:00:00.000Z',
        c: [1, 'x'],
      });
      expect(() => asStoredJson({ n: 1n })).toThrow(TypeError);
    });
  });

  describe('resolved event -> RecordedEvent', () => {
    it('maps every field, with recordedAt from our seal (not ESDB created) and globalPosition = commit position', () => {
      const event = toRecordedEvent(resolved());
      expect(event).toEqual({
        eventId: EVENT_ID,
        type: 'FundsAllocated',
        streamId: 'project-p-1',
        streamRevision: 3n,
        globalPosition: 4242n,
        recordedAt,
        data,
        metadata,
        hash,
        prevHash: GENESIS_HASH,
      });
    });

    it('maps back to an event whose hash the chain verifies', () => {
      const event = toRecordedEvent(resolved())!;
      expect(chainHash(event.prevHash, event)).toBe(event.hash);
    });

    it('maps a $all read (position on the record) and falls back to the commit position of the read', () => {
      const fromAll = { ...resolved(), commitPosition: 4242n } as AllStreamResolvedEvent;
      expect(toRecordedEvent(fromAll)?.globalPosition).toBe(4242n);
      expect(toRecordedEvent(resolved({ position: undefined }, 777n))?.globalPosition).toBe(777n);
    });

    it('filters system events out as null', () => {
      expect(toRecordedEvent(resolved({ type: '$>', streamId: '$et-FundsAllocated', isJson: false, data: new Uint8Array() }))).toBeNull();
      expect(toRecordedEvent(resolved({ type: '$metadata', streamId: '$$project-p-1', metadata: undefined }))).toBeNull();
      expect(toRecordedEvent({ commitPosition: 1n })).toBeNull();
    });

    it('refuses a user event FundTrail did not write (binary, non-object data, unsealed)', () => {
      expect(() => toRecordedEvent(resolved({ isJson: false, data: new Uint8Array([1]) }))).toThrow(UnsealedEventError);
      expect(() => toRecordedEvent(resolved({ data: 'text' }))).toThrow(UnsealedEventError);
      expect(() => toRecordedEvent(resolved({ metadata: { ...metadata } }))).toThrow(UnsealedEventError);
    });

    it('refuses to invent a position when the server reports none (stream reads before EventStoreDB 22.6)', () => {
      expect(() => toRecordedEvent(resolved({ position: { commit: ULONG_MAX, prepare: ULONG_MAX } }))).toThrow(/22\.6/);
    });
  });

  describe('errors', () => {
    it.each([
      ['UnavailableError', new UnavailableError(undefined, 'down')],
      ['DeadlineExceededError', new DeadlineExceededError(undefined, 'deadline')],
      ['TimeoutError (gRPC ABORTED, e.g. commit timeout)', new TimeoutError(undefined, 'timeout')],
      ['CancelledError (server-side)', new CancelledError(undefined, 'cancelled')],
      [
        'NotLeaderError',
        convertToCommandError(serviceError(5, 'not leader', { exception: 'not-leader', 'leader-endpoint-host': 'node2', 'leader-endpoint-port': '2113' })),
      ],
    ])('%s -> EventStoreUnavailableError, keeping the cause', (_label, error) => {
      expect(isEsdbUnavailable(error)).toBe(true);
      const mapped = toEsdbStoreError(error);
      expect(mapped).toBeInstanceOf(EventStoreUnavailableError);
      expect((mapped as EventStoreUnavailableError).cause).toBe(error);
    });

    it.each([
      [14, 'No connection established', UnavailableError],
      [4, 'Deadline exceeded', DeadlineExceededError],
      [10, 'Aborted', TimeoutError],
      [1, 'Cancelled by server', CancelledError],
    ])('gRPC status %i becomes the client class the mapping expects, then unavailable', (code, details, klass) => {
      const clientError = convertToCommandError(serviceError(code, details));
      expect(clientError).toBeInstanceOf(klass);
      expect(toEsdbStoreError(clientError)).toBeInstanceOf(EventStoreUnavailableError);
    });

    it('network failures and failed cluster discovery are unavailable too', () => {
      expect(toEsdbStoreError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:2113'), { code: 'ECONNREFUSED' }))).toBeInstanceOf(
        EventStoreUnavailableError,
      );
      expect(toEsdbStoreError(new Error('Failed to discover after 10 attempts.'))).toBeInstanceOf(EventStoreUnavailableError);
    });

    it("maps ESDB's WrongExpectedVersionError to ours: stream, what the caller expected, actual revision", () => {
      const esdb = new EsdbWrongExpectedVersionError(undefined, { streamName: 'project-p-1', expected: 1n, current: 2n });
      const mapped = toEsdbStoreError(esdb, { streamId: 'project-p-1', expected: 1n });
      expect(mapped).toBeInstanceOf(WrongExpectedVersionError);
      expect(mapped).toMatchObject({ streamId: 'project-p-1', expected: 1n, actual: 2n, code: 'WRONG_EXPECTED_VERSION' });
    });

    it("reports actual 'no_stream' for a stream that does not exist, and falls back to ESDB's own stream/expected", () => {
      const esdb = new EsdbWrongExpectedVersionError(undefined, { streamName: 'absent', expected: 0n, current: 'no_stream' });
      expect(fromEsdbWrongExpectedVersion(esdb)).toMatchObject({ streamId: 'absent', expected: 0n, actual: 'no_stream' });
      const noStream = new EsdbWrongExpectedVersionError(undefined, { streamName: 's', expected: 'no_stream', current: 4n });
      expect(fromEsdbWrongExpectedVersion(noStream)).toMatchObject({ expected: 'no_stream', actual: 4n });
    });

    it('maps the WrongExpectedVersion the server sends as gRPC headers', () => {
      const clientError = convertToCommandError(
        serviceError(9, 'wrong expected version', {
          exception: 'wrong-expected-version',
          'stream-name': 'project-p-1',
          'expected-version': '1',
          'actual-version': '3',
        }),
      );
      expect(clientError).toBeInstanceOf(EsdbWrongExpectedVersionError);
      expect(toEsdbStoreError(clientError)).toMatchObject({ name: 'WrongExpectedVersionError', streamId: 'project-p-1', expected: 1n, actual: 3n });
    });

    it.each([
      ['AccessDeniedError', new AccessDeniedError(undefined, 'denied')],
      ['StreamDeletedError', StreamDeletedError.fromStreamName('project-p-1')],
      ['StreamNotFoundError', new StreamNotFoundError(undefined, 'project-p-1')],
      ['MaxAppendSizeExceededError', MaxAppendSizeExceededError.fromMaxAppendSize(1024)],
      ['InvalidArgumentError', new InvalidArgumentError('bad')],
      ['NotFoundError', new NotFoundError(undefined, 'not found')],
      ['UnknownError', new UnknownError(undefined, 'boom')],
      ['UnsealedEventError', new UnsealedEventError('s', EVENT_ID, 'no seal')],
      ['a plain Error', new Error('bug')],
    ])('passes %s through unchanged (not retryable)', (_label, error) => {
      expect(isEsdbUnavailable(error)).toBe(false);
      expect(toEsdbStoreError(error)).toBe(error);
    });

    it("passes the port's own errors through unchanged", () => {
      const ours = [new WrongExpectedVersionError('s', 1n, 2n), new EventIdConflictError(EVENT_ID), new EventStoreUnavailableError('down')];
      for (const error of ours) expect(toEsdbStoreError(error)).toBe(error);
    });
  });
});
