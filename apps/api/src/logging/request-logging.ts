import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import type { FundtrailMetrics } from '../metrics/metrics';
import { correlationIdOf } from './correlation';

/** One JSON line per request (never headers or bodies, so no token or secret is logged) and a latency sample. */
export function requestLogging(logger: Logger, metrics: FundtrailMetrics) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    response.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = (request.route as { path?: string } | undefined)?.path ?? 'unmatched';
      metrics.httpDuration.observe({ method: request.method, route, status: String(response.statusCode) }, seconds);
      logger.info(
        {
          method: request.method,
          path: request.path,
          route,
          status: response.statusCode,
          ms: Math.round(seconds * 1e4) / 10,
          correlationId: correlationIdOf(request),
        },
        'request',
      );
    });
    next();
  };
}
