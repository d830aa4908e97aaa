import { EventIdConflictError, EventStoreUnavailableError, WrongExpectedVersionError } from '../event-store.port';

/** SQLSTATE classes and codes that mean "the database is not there right now", not "your request is wrong". */
const UNAVAILABLE_CODES = new Set(['57P01', '57P02', '57P03', '53300', '53400', '40001', '40P01', '55P03']);
const UNAVAILABLE_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH']);

export function isUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || code.startsWith('08') || UNAVAILABLE_NODE_CODES.has(code))) {
    return true;
  }
  const message = (error as { message?: unknown }).message;
  return (
    typeof message === 'string' &&
    /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Cannot use a pool after calling end|terminating connection/i.test(
      message,
    )
  );
}

/** Maps driver errors to the port's errors; anything unrecognised is passed through unchanged. */
export function toStoreError(error: unknown): unknown {
  if (
    error instanceof WrongExpectedVersionError ||
    error instanceof EventIdConflictError ||
    error instanceof EventStoreUnavailableError
  ) {
    return error;
  }
  if (isUnavailable(error)) {
    return new EventStoreUnavailableError(`event store unavailable: ${(error as Error).message}`, error);
  }
  return error;
}
