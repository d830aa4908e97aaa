import { EventStoreUnavailableError, WrongExpectedVersionError } from '../event-store.port';
import { isUnavailable, toStoreError } from './pg-errors';

/** What pg's DatabaseError carries. */
const pgError = (code: string, severity = 'ERROR', message = `error ${code}`) => Object.assign(new Error(message), { code, severity });

describe('which failures mean "the store is unavailable, retry" (503) rather than a bug or bad input', () => {
  it.each<[string, unknown, boolean]>([
    // the server refuses or ends the session
    [
      '55000 FATAL: database is not currently accepting connections (ALLOW_CONNECTIONS false)',
      pgError('55000', 'FATAL', 'database "x" is not currently accepting connections'),
      true,
    ],
    ['3D000 FATAL: the database does not exist (dropped under the API)', pgError('3D000', 'FATAL', 'database "x" does not exist'), true],
    ['28P01 FATAL: password authentication failed', pgError('28P01', 'FATAL'), true],
    ['42501 FATAL: no CONNECT privilege', pgError('42501', 'FATAL', 'permission denied for database "x"'), true],
    ['57P01 FATAL: terminating connection due to administrator command', pgError('57P01', 'FATAL'), true],
    ['57P02 crash shutdown', pgError('57P02', 'FATAL'), true],
    ['57P03 FATAL: the database system is starting up', pgError('57P03', 'FATAL'), true],
    ['57P05 idle session timeout', pgError('57P05', 'FATAL'), true],
    ['57014 canceling statement due to statement timeout', pgError('57014'), true],
    ['53300 too many connections', pgError('53300', 'FATAL'), true],
    ['53100 disk full', pgError('53100'), true],
    ['53200 out of memory', pgError('53200'), true],
    ['08006 connection failure', pgError('08006'), true],
    ['08P01 protocol violation', pgError('08P01'), true],
    ['58030 I/O error', pgError('58030'), true],
    ['25006 read-only transaction (a standby after failover)', pgError('25006'), true],
    ['40001 serialization failure', pgError('40001'), true],
    ['40P01 deadlock', pgError('40P01'), true],
    ['55P03 lock not available', pgError('55P03'), true],
    // statement errors: the request or the code is wrong, not the store
    ['55000 ERROR: lastval is not yet defined in this session', pgError('55000', 'ERROR', 'lastval is not yet defined in this session'), false],
    ['3D000 ERROR: cross-database reference', pgError('3D000', 'ERROR', 'cross-database references are not implemented'), false],
    ['42501 ERROR: permission denied for table', pgError('42501', 'ERROR'), false],
    ['23505 unique violation', pgError('23505'), false],
    ['22P02 invalid text representation', pgError('22P02'), false],
    ['42P01 undefined table', pgError('42P01'), false],
    ['XX000 internal error', pgError('XX000'), false],
    ['XX001 data corrupted', pgError('XX001'), false],
    ['58P01 undefined file (a broken install)', pgError('58P01'), false],
    ['P0001 raise_exception (the append-only trigger)', pgError('P0001', 'ERROR', 'events are append-only'), false],
    // the driver and the network
    ['ECONNREFUSED', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }), true],
    ['ECONNRESET', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), true],
    ['EAI_AGAIN (DNS)', Object.assign(new Error('getaddrinfo EAI_AGAIN db'), { code: 'EAI_AGAIN' }), true],
    ['pg: Connection terminated unexpectedly', new Error('Connection terminated unexpectedly'), true],
    ['pg-pool: timeout exceeded when trying to connect', new Error('timeout exceeded when trying to connect'), true],
    ['pg: Query read timeout', new Error('Query read timeout'), true],
    // wrapped
    ["TypeORM's QueryFailedError (driverError)", Object.assign(new Error('Query failed'), { driverError: pgError('57P01', 'FATAL') }), true],
    ['an error caused by one', new Error('append failed', { cause: pgError('55000', 'FATAL') }), true],
    ['EventStoreUnavailableError', new EventStoreUnavailableError('down'), true],
    // not errors of the store at all
    ['WrongExpectedVersionError', new WrongExpectedVersionError('project-1', 0n, 1n), false],
    ['a plain Error', new Error('something else'), false],
    ['a TypeError', new TypeError("Cannot read properties of undefined (reading 'x')"), false],
    ['undefined', undefined, false],
    ['a string', 'ECONNREFUSED', false],
  ])('%s → %s', (_case, error, unavailable) => {
    expect(isUnavailable(error)).toBe(unavailable);
    const mapped = toStoreError(error);
    if (unavailable) expect(mapped).toBeInstanceOf(EventStoreUnavailableError);
    else expect(mapped).toBe(error);
  });

  it('keeps the driver error as the cause', () => {
    const error = pgError('55000', 'FATAL');
    expect((toStoreError(error) as EventStoreUnavailableError).cause).toBe(error);
  });
});
