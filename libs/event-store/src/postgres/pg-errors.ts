import { EventIdConflictError, EventStoreUnavailableError, WrongExpectedVersionError } from '../event-store.port';

/**
 * Every failure that means "the database cannot serve this right now, retry" rather than "this
 * request is wrong": the one place the API (503 STORE_UNAVAILABLE), the event store and the
 * projectors (back off, resume) learn it from. A SQLSTATE entry of two characters is a class.
 */
export const UNAVAILABLE_SQLSTATES: Readonly<Record<string, string>> = {
  '08': 'connection exception: the connection could not be made or was lost',
  '53': 'insufficient resources: too many connections, disk full, out of memory',
  '57': 'operator intervention: shutdown, crash restart, starting up, statement cancelled or timed out',
  '58000': 'system error beneath PostgreSQL',
  '58030': 'I/O error beneath PostgreSQL',
  '25006': 'read-only transaction: a standby (a failover in progress) refuses writes',
  '40001': 'serialization failure: transient, the retry succeeds',
  '40P01': 'deadlock detected: transient, the retry succeeds',
  '55P03': 'lock not available: transient, the retry succeeds',
};

/**
 * A FATAL (or PANIC) error ends the session, and none comes from what a request asked: the server
 * refused or dropped the connection (55000 database not accepting connections, 3D000 database
 * does not exist, 28xxx authentication, 42501 no CONNECT privilege, 57P0x shutdown). The same
 * codes at severity ERROR are statement errors and stay 500s.
 */
const SESSION_ENDING_SEVERITIES = new Set(['FATAL', 'PANIC']);

/** Errors of the driver (pg, net) that say the server could not be reached or went away. */
const UNAVAILABLE_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
const UNAVAILABLE_MESSAGES =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Cannot use a pool after calling end|terminating connection|Query read timeout/i;

/** Why `error` means the store is unavailable, or undefined when it does not (also looks through `cause` and TypeORM's `driverError`). */
export function unavailableReason(error: unknown, depth = 0): string | undefined {
  if (typeof error !== 'object' || error === null || depth > 3) return undefined;
  const { code, severity, message } = error as { code?: unknown; severity?: unknown; message?: unknown };
  if (typeof code === 'string') {
    const reason = UNAVAILABLE_SQLSTATES[code] ?? (/^[0-9A-Z]{5}$/.test(code) ? UNAVAILABLE_SQLSTATES[code.slice(0, 2)] : undefined);
    if (reason) return `${code} ${reason}`;
    if (UNAVAILABLE_NODE_CODES.has(code)) return `${code} the database server could not be reached`;
  }
  if (typeof severity === 'string' && SESSION_ENDING_SEVERITIES.has(severity)) return `${severity}: the server ended the session`;
  if (typeof message === 'string' && UNAVAILABLE_MESSAGES.test(message)) return 'the connection failed or was lost';
  const { cause, driverError } = error as { cause?: unknown; driverError?: unknown };
  return unavailableReason(driverError, depth + 1) ?? unavailableReason(cause, depth + 1);
}

export function isUnavailable(error: unknown): boolean {
  return error instanceof EventStoreUnavailableError || unavailableReason(error) !== undefined;
}

/** Maps driver errors to the port's errors; anything unrecognised is passed through unchanged. */
export function toStoreError(error: unknown): unknown {
  if (error instanceof WrongExpectedVersionError || error instanceof EventIdConflictError || error instanceof EventStoreUnavailableError) {
    return error;
  }
  if (isUnavailable(error)) {
    return new EventStoreUnavailableError(`event store unavailable: ${(error as Error).message}`, error);
  }
  return error;
}
