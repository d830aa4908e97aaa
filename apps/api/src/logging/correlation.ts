import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

/** What a client may send as X-Correlation-Id; anything else is replaced by a fresh id. */
const CORRELATION = /^[A-Za-z0-9._:-]{1,100}$/;
const ASSIGNED = Symbol('correlationId');

const current = new AsyncLocalStorage<string>();

/** The request's correlation id: X-Correlation-Id when well-formed, else a UUID; the same on every call. */
export function correlationIdOf(request: Request): string {
  const holder = request as Request & { [ASSIGNED]?: string };
  if (holder[ASSIGNED] === undefined) {
    const header = request.headers['x-correlation-id'];
    holder[ASSIGNED] = typeof header === 'string' && CORRELATION.test(header) ? header : randomUUID();
  }
  return holder[ASSIGNED];
}

/** The correlation id of the request this code runs for, if any (pino's mixin adds it to every line). */
export function currentCorrelationId(): string | undefined {
  return current.getStore();
}

/** Runs the rest of the request inside its correlation id, so every log line on its path carries it. */
export function correlation() {
  return (request: Request, _response: Response, next: NextFunction): void => {
    current.run(correlationIdOf(request), next);
  };
}
