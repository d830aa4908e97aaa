import { type CallHandler, type ExecutionContext, Inject, Injectable, type NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { createHash } from 'node:crypto';
import { from, lastValueFrom, type Observable } from 'rxjs';
import type { Actor } from '@fundtrail/auth';
import { canonicalJson, FUNDTRAIL_DATABASE, type FundtrailDatabase } from '@fundtrail/event-store';
import { problem, ProblemException } from '../problem/problem';
import { ProblemFilter } from '../problem/problem.filter';

const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;
/** How long a claimed key stays locked before another attempt may take it over (crash recovery). */
const LEASE_SECONDS = 30;
/** How long a retry waits for an in-flight first attempt before answering 409. */
const WAIT_MS = 10_000;
const TAKEN_OVER = Symbol('taken over');

interface StoredRow {
  fingerprint: string;
  state: 'in-flight' | 'done';
  status: number | null;
  response: unknown;
  expired: boolean;
}

/**
 * Idempotency-Key on POST: the first request with a key runs; a retry with the same key and body
 * gets the first answer again (waiting while the first is still running); the same key with a
 * different body is refused with 422. Keys are scoped to the actor.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly problems = new ProblemFilter();

  constructor(@Inject(FUNDTRAIL_DATABASE) private readonly database: FundtrailDatabase) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request & { actor?: Actor }>();
    const response = context.switchToHttp().getResponse<Response>();
    const key = request.headers['idempotency-key'];
    if (request.method !== 'POST' || key === undefined) return next.handle();
    return from(this.run(request, response, key, next));
  }

  private async run(request: Request & { actor?: Actor }, response: Response, key: string | string[], next: CallHandler): Promise<unknown> {
    if (typeof key !== 'string' || !KEY_PATTERN.test(key)) {
      throw new ProblemException(
        problem(400, 'INVALID_IDEMPOTENCY_KEY', 'Idempotency-Key must be 1 to 200 printable ASCII characters', {
          errors: [{ field: 'Idempotency-Key', code: 'MATCHES', message: 'printable ASCII, at most 200 characters' }],
        }),
      );
    }
    const actorId = request.actor?.id ?? 'anonymous';
    const fingerprint = createHash('sha256')
      .update(`${request.method} ${request.path}\n${canonicalJson(request.body ?? null)}`)
      .digest('hex');
    if (!(await this.claim(actorId, key, fingerprint))) {
      const earlier = await this.replay(actorId, key, fingerprint, response);
      if (earlier !== TAKEN_OVER) return earlier;
    }
    try {
      const body = await lastValueFrom(next.handle(), { defaultValue: undefined });
      await this.complete(actorId, key, response.statusCode || 201, body);
      return body;
    } catch (error) {
      const [answer] = this.problems.toProblem(error);
      if (answer.status < 500) await this.complete(actorId, key, answer.status, answer).catch(() => undefined);
      else await this.release(actorId, key).catch(() => undefined);
      throw error;
    }
  }

  private async claim(actorId: string, key: string, fingerprint: string): Promise<boolean> {
    const { rowCount } = await this.database.pool.query(
      `INSERT INTO idempotency_keys (actor_id, key, fingerprint, state, locked_until)
       VALUES ($1, $2, $3, 'in-flight', now() + make_interval(secs => $4))
       ON CONFLICT (actor_id, key) DO NOTHING`,
      [actorId, key, fingerprint, LEASE_SECONDS],
    );
    return rowCount === 1;
  }

  /** A later attempt: answer as the first did, wait for it, or take over its expired lease. */
  private async replay(actorId: string, key: string, fingerprint: string, response: Response): Promise<unknown> {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const { rows } = await this.database.pool.query<StoredRow>(
        `SELECT fingerprint, state, status, response, locked_until < now() AS expired
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
        if (status >= 400) throw new ProblemException(row.response as ReturnType<typeof problem>);
        response.status(status);
        return row.response;
      }
      if (!row || row.expired) {
        // The first attempt died (or failed transiently): this one takes its place. Deterministic
        // event ids and the deciders' id rules keep a re-run from posting twice.
        await this.database.pool.query(
          `DELETE FROM idempotency_keys WHERE actor_id = $1 AND key = $2 AND state = 'in-flight' AND locked_until < now()`,
          [actorId, key],
        );
        if (await this.claim(actorId, key, fingerprint)) return TAKEN_OVER;
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

  private async complete(actorId: string, key: string, status: number, body: unknown): Promise<void> {
    await this.database.pool.query(
      `UPDATE idempotency_keys SET state = 'done', status = $3, response = $4 WHERE actor_id = $1 AND key = $2`,
      [actorId, key, status, JSON.stringify(body ?? null)],
    );
  }

  private async release(actorId: string, key: string): Promise<void> {
    await this.database.pool.query(`DELETE FROM idempotency_keys WHERE actor_id = $1 AND key = $2 AND state = 'in-flight'`, [
      actorId,
      key,
    ]);
  }
}
