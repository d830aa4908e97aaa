import { type CallHandler, type ExecutionContext, Inject, Injectable, type NestInterceptor, SetMetadata } from '@nestjs/common';
import type { Request, Response } from 'express';
import { createHash } from 'node:crypto';
import { from, lastValueFrom, type Observable } from 'rxjs';
import type { Actor } from '@fundtrail/auth';
import { canonicalJson, FUNDTRAIL_DATABASE, type FundtrailDatabase } from '@fundtrail/event-store';
import { bondStreamId, idempotentEventIds, projectStreamId, SLUG_PATTERN } from '@fundtrail/funding';
import { problem, ProblemException, type RenderedAnswer, RenderedAnswerException } from '../problem/problem';
import { renderAnswer, toProblem } from '../problem/problem.filter';

const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;
/**
 * How long a claimed key stays locked without a sign of life. The attempt that holds it renews
 * the lease every LEASE_SECONDS / 3 while it runs, so a live attempt keeps its key however long it
 * takes, and the key of an attempt whose process died (SIGKILL, crash) is free again within
 * LEASE_SECONDS.
 */
export const LEASE_SECONDS = 10;
/** How long a retry waits for an in-flight first attempt before answering 409 (longer than a lease). */
const WAIT_MS = 12_000;
/** Events one command may append per stream (the recovery looks for at most this many). */
const MAX_EVENTS_PER_STREAM = 8;
const TAKEN_OVER = Symbol('taken over');
/** Refusals that tell the client to retry the same request: never stored as the key's answer. */
const TRANSIENT_CODES = new Set(['WRONG_EXPECTED_VERSION', 'IDEMPOTENCY_IN_FLIGHT', 'STORE_UNAVAILABLE', 'TOO_MANY_REQUESTS']);
const ANSWER_FROM_LOG = 'fundtrail:idempotency-answer-from-log';

/**
 * On a controller whose every command appends once, to the one stream its route names: the 201 of
 * a request under an Idempotency-Key is not stored as a second write, because the event log holds
 * it already (the events' ids are fixed by actor, key and stream, and recover() rebuilds the same
 * bytes from them). A retry answers from the log as soon as the events are there. Refusals are
 * still stored, and an answer that recover() would not rebuild byte for byte is stored as before.
 */
export const AnswerFromLog = (): ClassDecorator => SetMetadata(ANSWER_FROM_LOG, true);

interface StoredRow {
  fingerprint: string;
  state: 'in-flight' | 'done';
  status: number | null;
  /** Rows stored before answers were kept as bytes: the answer as jsonb (its key order lost). */
  response: unknown;
  response_body: string | null;
  response_content_type: string | null;
  response_headers: string | null;
  answer_from_log: boolean;
  expired: boolean;
}

interface RecoveredAnswer {
  streamId: string;
  streamRevision: number;
  globalPosition: number;
  eventIds: string[];
}

/**
 * Idempotency-Key on POST: the first request with a key runs; a retry with the same key and body
 * gets the first answer again, byte for byte (the first answer is rendered once, stored as those
 * bytes, and both the first answer and every replay send them), waiting while the first is still
 * running; the same key with a different body is refused with 422. Keys are scoped to the actor.
 *
 * When the first attempt died after its events were committed but before its answer was stored
 * (process killed, database connection lost), the retry that takes its key over answers from the
 * events already in the log (their ids are fixed by actor, key and stream) instead of running the
 * command again, which the deciders would refuse as a duplicate.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(@Inject(FUNDTRAIL_DATABASE) private readonly database: FundtrailDatabase) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request & { actor?: Actor }>();
    const response = context.switchToHttp().getResponse<Response>();
    const key = request.headers['idempotency-key'];
    if (request.method !== 'POST' || key === undefined) return next.handle();
    // The status the route answers on success (@HttpCode), not response.statusCode: by the time the
    // command finishes the request deadline (app.ts) may already have answered 503.
    const successStatus = (Reflect.getMetadata('__httpCode__', context.getHandler()) as number | undefined) ?? 201;
    const answerFromLog = successStatus === 201 && Reflect.getMetadata(ANSWER_FROM_LOG, context.getClass()) === true && candidateStreams(request).length === 1;
    return from(this.run(request, response, key, next, successStatus, answerFromLog));
  }

  private async run(
    request: Request & { actor?: Actor },
    response: Response,
    key: string | string[],
    next: CallHandler,
    successStatus: number,
    answerFromLog: boolean,
  ): Promise<unknown> {
    if (typeof key !== 'string' || !KEY_PATTERN.test(key)) {
      throw new ProblemException(
        problem(400, 'INVALID_IDEMPOTENCY_KEY', 'Idempotency-Key must be 1 to 200 printable ASCII characters', {
          errors: [{ field: 'Idempotency-Key', code: 'MATCHES', message: 'printable ASCII, at most 200 characters' }],
        }),
      );
    }
    const actorId = request.actor?.id ?? 'anonymous';
    const canonical = canonicalBody(request.body);
    // A body with no canonical form (nested too deep for it, or a number JSON.parse turned into
    // Infinity) cannot be a valid command: the validation pipe refuses it with 400 and nothing is
    // appended, so the key is not recorded rather than answering 500.
    if (canonical === undefined) return lastValueFrom(next.handle(), { defaultValue: undefined });
    const fingerprint = createHash('sha256').update(`${request.method} ${request.path}\n${canonical}`).digest('hex');
    let takenOver = false;
    if (!(await this.claim(actorId, key, fingerprint, answerFromLog))) {
      const earlier = await this.replay(request, actorId, key, fingerprint, response, answerFromLog);
      if (earlier !== TAKEN_OVER) return earlier;
      takenOver = true;
    }
    const heartbeat = setInterval(() => void this.renew(actorId, key).catch(() => undefined), (LEASE_SECONDS * 1000) / 3);
    heartbeat.unref();
    try {
      if (takenOver) {
        const recovered = await this.recover(request, actorId, key);
        if (recovered) return await this.answerRecovered(actorId, key, response, recovered);
      }
      let body: unknown;
      try {
        body = await lastValueFrom(next.handle(), { defaultValue: undefined });
      } catch (error) {
        // A taken-over attempt whose command is refused as a duplicate may be racing the attempt it
        // replaced (slow, not dead): if that one's events are in the log now, they are the answer.
        const [answer] = toProblem(error);
        if (takenOver && answer.status === 409) {
          const recovered = await this.recover(request, actorId, key).catch(() => undefined);
          if (recovered) return await this.answerRecovered(actorId, key, response, recovered);
        }
        throw error;
      }
      const answer = jsonAnswer(successStatus, body);
      // Stored as a second write only when the log cannot give these bytes back (see AnswerFromLog).
      if (!(answerFromLog && rebuiltFromLog(request, actorId, key, answer))) await this.complete(actorId, key, answer);
      return send(response, answer);
    } catch (error) {
      if (error instanceof RenderedAnswerException) throw error;
      const [refusal] = toProblem(error);
      // A refusal that is the request's own (400, 403, 404, 409 INSUFFICIENT_FUNDS, …) is its final
      // answer: rendered once, stored as those bytes, and sent as them now and on every replay. A
      // transient one (5xx, or a write conflict whose answer says "retry it") is not stored: a
      // retry under the same key runs the command again.
      if (refusal.status < 500 && !TRANSIENT_CODES.has(refusal.code)) {
        const answer = renderAnswer(error, request);
        await this.complete(actorId, key, answer).catch(() => undefined);
        throw new RenderedAnswerException(answer);
      }
      await this.expire(actorId, key).catch(() => undefined);
      throw error;
    } finally {
      clearInterval(heartbeat);
    }
  }

  private async claim(actorId: string, key: string, fingerprint: string, answerFromLog: boolean): Promise<boolean> {
    const { rowCount } = await this.database.pool.query({
      name: 'fundtrail-idempotency-claim',
      text: `INSERT INTO idempotency_keys (actor_id, key, fingerprint, state, locked_until, answer_from_log)
       VALUES ($1, $2, $3, 'in-flight', now() + make_interval(secs => $4), $5)
       ON CONFLICT (actor_id, key) DO NOTHING`,
      values: [actorId, key, fingerprint, LEASE_SECONDS, answerFromLog],
    });
    return rowCount === 1;
  }

  /** Takes over the key of an attempt that is no longer alive; atomic, so only one retry wins it. */
  private async takeOver(actorId: string, key: string, fingerprint: string): Promise<boolean> {
    const { rowCount } = await this.database.pool.query(
      `UPDATE idempotency_keys SET locked_until = now() + make_interval(secs => $4)
        WHERE actor_id = $1 AND key = $2 AND fingerprint = $3 AND state = 'in-flight' AND locked_until < now()`,
      [actorId, key, fingerprint, LEASE_SECONDS],
    );
    return rowCount === 1;
  }

  /** A later attempt: answer as the first did, wait for it, or take over its expired lease. */
  private async replay(
    request: Request & { actor?: Actor },
    actorId: string,
    key: string,
    fingerprint: string,
    response: Response,
    answerFromLog: boolean,
  ): Promise<unknown> {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const { rows } = await this.database.pool.query<StoredRow>(
        `SELECT fingerprint, state, status, response, response_body, response_content_type, response_headers, answer_from_log,
                locked_until < now() AS expired
           FROM idempotency_keys WHERE actor_id = $1 AND key = $2`,
        [actorId, key],
      );
      const row = rows[0];
      if (row && row.fingerprint !== fingerprint) {
        throw new ProblemException(
          problem(422, 'IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used with a different request', {
            errors: [{ field: 'Idempotency-Key', code: 'IDEMPOTENCY_KEY_REUSED', message: 'send a new key for a different request' }],
          }),
        );
      }
      if (row?.state === 'done') {
        response.setHeader('Idempotency-Replayed', 'true');
        const status = row.status ?? 201;
        if (row.response_body !== null) {
          const answer: RenderedAnswer = {
            status,
            contentType: row.response_content_type ?? 'application/json',
            headers: row.response_headers === null ? [] : (JSON.parse(row.response_headers) as [string, string][]),
            body: row.response_body,
          };
          if (status >= 400) throw new RenderedAnswerException(answer);
          return send(response, answer);
        }
        if (status >= 400) {
          const stored = row.response as ReturnType<typeof problem> | null;
          throw new ProblemException(
            stored && typeof stored === 'object' && stored.status === status
              ? stored
              : problem(status, 'IDEMPOTENT_REPLAY', 'the first request with this key was refused'),
          );
        }
        response.status(status);
        return row.response;
      }
      if (!row) {
        if (await this.claim(actorId, key, fingerprint, answerFromLog)) return TAKEN_OVER;
        continue;
      }
      if (row.answer_from_log) {
        // The first attempt's 201 is its events: answered from the log once they are there
        // (whether that attempt is still sending its answer or died after its append).
        const recovered = await this.recover(request, actorId, key);
        if (recovered) return this.answerRecovered(actorId, key, response, recovered);
      }
      if (row.expired) {
        // The first attempt died (or failed transiently): this one takes its place. Deterministic
        // event ids, the recovery below and the deciders' id rules keep a re-run from posting twice.
        if (await this.takeOver(actorId, key, fingerprint)) return TAKEN_OVER;
        continue;
      }
      if (Date.now() > deadline) {
        throw new ProblemException(problem(409, 'IDEMPOTENCY_IN_FLIGHT', 'the first request with this key is still running'), {
          'Retry-After': '1',
        });
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /**
   * The events an earlier attempt of this request already appended, found by the ids it gave them
   * (fixed by actor, key and stream: see libs/funding command-context), shaped as the command's
   * 201 answer: the command's own stream first (its revision), then a stream it caused an append
   * on (a bond assignment's receipt); globalPosition is the highest of them.
   */
  private async recover(request: Request & { actor?: Actor }, actorId: string, key: string): Promise<RecoveredAnswer | undefined> {
    if (!request.actor) return undefined;
    const streams = candidateStreams(request);
    if (streams.length === 0) return undefined;
    const found: { streamId: string; revision: bigint; position: bigint; eventIds: string[] }[] = [];
    for (const streamId of streams) {
      const ids = idempotentEventIds(actorId, key, streamId, MAX_EVENTS_PER_STREAM);
      const stored = new Map((await this.database.store.findEvents(streamId, ids)).map((event) => [event.eventId, event]));
      const eventIds: string[] = [];
      let revision = -1n;
      let position = 0n;
      for (const id of ids) {
        const event = stored.get(id);
        if (!event) break;
        eventIds.push(id);
        revision = event.streamRevision;
        if (event.globalPosition > position) position = event.globalPosition;
      }
      if (eventIds.length > 0) found.push({ streamId, revision, position, eventIds });
    }
    // The command's own stream must hold its events. A bond assignment whose attempt died between
    // its two appends has no receipt under this key: the assignment is answered as done (it is),
    // and the project's receipt is completed by the bond-proceeds catch-up (libs/funding/src/bond).
    const [own] = found;
    if (!own || own.streamId !== streams[0]) return undefined;
    const position = found.reduce((max, f) => (f.position > max ? f.position : max), 0n);
    return {
      streamId: own.streamId,
      streamRevision: Number(own.revision),
      globalPosition: Number(position),
      eventIds: found.flatMap((f) => f.eventIds),
    };
  }

  private async answerRecovered(actorId: string, key: string, response: Response, recovered: RecoveredAnswer): Promise<string> {
    const answer = jsonAnswer(201, recovered);
    await this.complete(actorId, key, answer);
    if (!response.headersSent) response.setHeader('Idempotency-Replayed', 'true');
    return send(response, answer);
  }

  private async renew(actorId: string, key: string): Promise<void> {
    await this.database.pool.query(
      `UPDATE idempotency_keys SET locked_until = now() + make_interval(secs => $3)
        WHERE actor_id = $1 AND key = $2 AND state = 'in-flight'`,
      [actorId, key, LEASE_SECONDS],
    );
  }

  private async complete(actorId: string, key: string, answer: RenderedAnswer): Promise<void> {
    await this.database.pool.query(
      `UPDATE idempotency_keys
          SET state = 'done', status = $3, response = NULL, response_body = $4, response_content_type = $5, response_headers = $6
        WHERE actor_id = $1 AND key = $2`,
      [actorId, key, answer.status, answer.body, answer.contentType, JSON.stringify(answer.headers)],
    );
  }

  /**
   * The attempt failed for a reason that is not the request's (5xx): its key stays bound to this
   * request (a different body under it is still 422) and a retry may take it over at once.
   */
  private async expire(actorId: string, key: string): Promise<void> {
    await this.database.pool.query(
      `UPDATE idempotency_keys SET locked_until = now() - interval '1 second' WHERE actor_id = $1 AND key = $2 AND state = 'in-flight'`,
      [actorId, key],
    );
  }
}

/** A command's JSON answer, serialised once: what is stored is what is sent. */
function jsonAnswer(status: number, body: unknown): RenderedAnswer {
  return { status, contentType: 'application/json', headers: [], body: JSON.stringify(body ?? null) };
}

/**
 * Prepares the response for a rendered success answer and returns its text for Nest to send
 * (Express sends a string with the Content-Type already set, adding "; charset=utf-8" as
 * res.json would). Nothing to do when the request deadline has already answered.
 */
function send(response: Response, answer: RenderedAnswer): string {
  if (!response.headersSent) {
    for (const [name, value] of answer.headers) response.setHeader(name, value);
    response.status(answer.status).type(answer.contentType);
  }
  return answer.body;
}

/**
 * Whether recover() rebuilds exactly this answer from the log: a 201 naming the route's one stream
 * and, in order, the first ids the actor's key gives events on it (see idempotentEventIds), so the
 * events it lists are the ones recover() finds, and its bytes are what jsonAnswer makes of them.
 */
function rebuiltFromLog(request: Request & { actor?: Actor }, actorId: string, key: string, answer: RenderedAnswer): boolean {
  if (!request.actor || answer.status !== 201 || answer.headers.length > 0 || answer.contentType !== 'application/json') return false;
  const [streamId, ...others] = candidateStreams(request);
  if (streamId === undefined || others.length > 0) return false;
  let body: Partial<RecoveredAnswer>;
  try {
    body = JSON.parse(answer.body) as Partial<RecoveredAnswer>;
  } catch {
    return false;
  }
  const { eventIds } = body;
  if (body.streamId !== streamId || !Array.isArray(eventIds) || eventIds.length === 0 || eventIds.length > MAX_EVENTS_PER_STREAM) return false;
  const keyed = idempotentEventIds(actorId, key, streamId, eventIds.length);
  if (eventIds.some((id, index) => id !== keyed[index])) return false;
  const rebuilt: RecoveredAnswer = { streamId, streamRevision: Number(body.streamRevision), globalPosition: Number(body.globalPosition), eventIds: keyed };
  return jsonAnswer(201, rebuilt).body === answer.body;
}

/** Deeper than any command body can be (every DTO field is a scalar); bounds canonicalJson's recursion. */
const MAX_BODY_DEPTH = 64;

function canonicalBody(body: unknown): string | undefined {
  const stack: [unknown, number][] = [[body, 0]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (typeof value === 'number' && !Number.isFinite(value)) return undefined;
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_BODY_DEPTH) return undefined;
    for (const child of Object.values(value)) stack.push([child, depth + 1]);
  }
  try {
    return canonicalJson(body ?? null);
  } catch {
    return undefined;
  }
}

/** The streams a command on this route appends to, its own first (from the path, else the body). */
function candidateStreams(request: Request): string[] {
  const params = (request.params ?? {}) as Record<string, unknown>;
  const body = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as Record<string, unknown>;
  const slug = (value: unknown): value is string => typeof value === 'string' && SLUG_PATTERN.test(value);
  const streams: string[] = [];
  if (slug(params.projectId)) streams.push(projectStreamId(params.projectId));
  if (slug(params.bondId)) streams.push(bondStreamId(params.bondId));
  if (slug(body.bondId) && !slug(params.bondId) && !slug(params.projectId)) streams.push(bondStreamId(body.bondId));
  if (slug(body.projectId) && !slug(params.projectId)) streams.push(projectStreamId(body.projectId));
  return [...new Set(streams)];
}
