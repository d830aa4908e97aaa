import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import { from, type Observable, switchMap } from 'rxjs';
import { Projections } from '@fundtrail/projections';
import { problem, ProblemException } from '../problem/problem';

export const READ_YOUR_WRITES_TIMEOUT_MS = 5_000;

/** `?minPosition=N` on a GET: answer only once the projections include N, else 503 with Retry-After. */
@Injectable()
export class ReadYourWritesInterceptor implements NestInterceptor {
  constructor(private readonly projections: Projections) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const raw = context.switchToHttp().getRequest<Request>().query.minPosition;
    if (typeof raw !== 'string' || !/^\d{1,19}$/.test(raw)) return next.handle();
    return from(this.projections.reached(BigInt(raw), READ_YOUR_WRITES_TIMEOUT_MS)).pipe(
      switchMap((reached) => {
        if (!reached) {
          throw new ProblemException(problem(503, 'PROJECTION_BEHIND', `the read models have not reached position ${raw} yet; retry`), { 'Retry-After': '1' });
        }
        return next.handle();
      }),
    );
  }
}
