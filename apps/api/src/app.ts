import { isUtf8 } from 'node:buffer';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { AuthFailureLimiter, BEARER_TOKEN, JWT_SECRET, verifyToken } from '@fundtrail/auth';
import { FUNDTRAIL_DATABASE, type FundtrailDatabase, openDatabase } from '@fundtrail/event-store';
import { APPLICATION_MIGRATIONS, type FundtrailConfig } from '@fundtrail/platform';
import { Projections } from '@fundtrail/projections';
import { AppModule } from './app.module';
import { PinoNestLogger } from './logging/pino-logger';
import { correlation } from './logging/correlation';
import { requestLogging } from './logging/request-logging';
import { FundtrailMetrics } from './metrics/metrics';
import { ProblemFilter } from './problem/problem.filter';
import { problem, PROBLEM_CONTENT_TYPE } from './problem/problem';

/** Longest wait for a client's request headers, and for its whole request (slowloris bounds). */
const HEADERS_TIMEOUT_MS = 15_000;
const REQUEST_TIMEOUT_MS = 30_000;

/** Builds the HTTP application (used by main.ts and by the e2e tests), not yet listening. */
export async function createApp(config: FundtrailConfig, logger: Logger): Promise<INestApplication> {
  const metrics = new FundtrailMetrics();
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    eventStoreConnectionString: config.eventStoreConnectionString,
    poolSize: config.poolSize,
    appendStatementsInFlight: config.appendStatementsInFlight,
    applicationName: 'fundtrail-api',
    migrations: APPLICATION_MIGRATIONS,
    onAppended: (count) => metrics.eventsAppended.inc(count),
    log: (message) => logger.debug({ context: 'postgres' }, message),
    notice: (message) => logger.warn({ context: 'postgres' }, message),
  });
  let app: NestExpressApplication;
  try {
    app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot({ config, metrics, database }), {
      logger: new PinoNestLogger(logger),
      bodyParser: false,
      abortOnError: false,
    });
  } catch (error) {
    await database.close();
    throw error;
  }
  guardPoolClients(app.get<FundtrailDatabase>(FUNDTRAIL_DATABASE), logger);
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(helmet());
  app.use(requestLogging(logger, metrics));
  if (config.requestTimeoutMs > 0) app.use(requestDeadline(config.requestTimeoutMs));
  const limiter = new AuthFailureLimiter(config.authFailureLimits);
  if (limiter.enabled) app.use(authFailureLimiting(limiter, app.get<string>(JWT_SECRET)));
  hardenHttpServer(app.getHttpServer());
  // Strict JSON only, bounded in size; anything else is refused before it reaches a controller.
  app.use(refuseAnnouncedOversize(config.bodyLimitBytes));
  app.useBodyParser('json', {
    limit: config.bodyLimitBytes,
    strict: true,
    type: ['application/json', 'application/*+json'],
    // Invalid UTF-8 is refused, not decoded into U+FFFD and stored in the ledger as something the client never sent.
    ...({ verify: refuseInvalidUtf8 } as object),
  });
  // After the body parser: its callbacks run in the socket's async context, not the request's.
  app.use(correlation());
  app.useGlobalFilters(new ProblemFilter());
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('FundTrail')
      .setDescription('Event-sourced ledger of public project funding: every figure traced to the events behind it.')
      .setVersion('0.1.0')
      .addBearerAuth({
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description: 'HS256, issuer fundtrail, with sub, role and exp (a token without exp is refused)',
      })
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  app.get(Projections).onError = (projector, error) =>
    logger.error({ projector, err: error instanceof Error ? { message: error.message, stack: error.stack } : String(error) }, 'projector failed; retrying');
  return app;
}

/**
 * pg emits 'error' on a client whose connection dies while it is checked out of the pool between
 * two queries (a projector's transaction when PostgreSQL restarts or pg_terminate_backend ends
 * it); pg-pool removes its own listener on checkout, and an 'error' event without a listener ends
 * the Node process. createPool gives every client a permanent listener; this one also logs it.
 * The next query on that client fails, which its caller already handles (503, projector retry).
 */
function guardPoolClients(database: FundtrailDatabase, logger: Logger): void {
  database.pool.on('connect', (client) => {
    client.on('error', (error: Error & { code?: string }) => {
      logger.warn({ context: 'postgres', code: error.code, err: { message: error.message } }, 'a database connection was lost');
    });
  });
}

/**
 * Every /api request is answered within `ms`: when the work behind it is stuck (a database that
 * stopped answering, a lock held elsewhere) the client gets 503 problem+json with Retry-After
 * instead of waiting for the statement timeout (30 s) or forever. The work itself is not
 * cancelled: a command may still complete, and a retry under the same Idempotency-Key learns its
 * outcome. GET /api/audit/verify is exempt (it replays the whole log; use the CLI on a big one).
 */
function requestDeadline(ms: number) {
  return (request: Request, response: Response, next: NextFunction): void => {
    if (!request.path.startsWith('/api/') || (request.method === 'GET' && request.path === '/api/audit/verify')) {
      next();
      return;
    }
    const timer = setTimeout(() => {
      if (response.headersSent) return;
      const body = problem(
        503,
        'REQUEST_TIMEOUT',
        `no answer within ${ms} ms; retry (a POST under the same Idempotency-Key learns the first attempt's outcome)`,
      );
      body.instance = request.path;
      response.status(503).setHeader('Retry-After', '1');
      response.type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
    }, ms);
    timer.unref();
    const clear = () => clearTimeout(timer);
    response.on('finish', clear);
    response.on('close', clear);
    next();
  };
}

function refuseInvalidUtf8(_request: unknown, _response: unknown, buffer: Buffer): void {
  if (!isUtf8(buffer)) throw Object.assign(new Error('the request body is not valid UTF-8'), { type: 'encoding.invalid' });
}

/**
 * A body announced (Content-Length) larger than the limit is answered 413 at once and the
 * connection closed. body-parser would first read and discard the whole body to keep the
 * connection alive, so a client announcing 10 MB and sending nothing held the request open until
 * the request timeout.
 */
function refuseAnnouncedOversize(limit: number) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const announced = Number(request.headers['content-length']);
    if (!Number.isFinite(announced) || announced <= limit) {
      next();
      return;
    }
    const body = problem(413, 'PAYLOAD_TOO_LARGE', 'the request body is larger than the limit', {
      errors: [{ field: 'body', code: 'PAYLOAD_TOO_LARGE', message: `at most ${limit} bytes` }],
    });
    body.instance = request.path;
    response.status(413).setHeader('Connection', 'close');
    response.type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
  };
}

/**
 * 401s are counted per client address; once an address is over the limit, its requests to /api
 * that carry no valid token get 429 problem+json with Retry-After (libs/auth AuthFailureLimiter).
 */
function authFailureLimiting(limiter: AuthFailureLimiter, secret: string) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const client = request.socket.remoteAddress ?? 'unknown';
    response.on('finish', () => {
      if (response.statusCode === 401) limiter.recordFailure(client);
    });
    const retryAfter = limiter.retryAfterSeconds(client);
    if (retryAfter === 0 || !request.path.startsWith('/api/') || presentsValidToken(request, secret)) {
      next();
      return;
    }
    const body = problem(429, 'TOO_MANY_AUTH_FAILURES', `too many failed authentications from this address; retry in ${retryAfter} s`);
    body.instance = request.path;
    response.status(429).setHeader('Retry-After', String(retryAfter));
    response.type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
  };
}

function presentsValidToken(request: Request, secret: string): boolean {
  const match = BEARER_TOKEN.exec(request.headers.authorization ?? '');
  if (!match) return false;
  try {
    verifyToken(match[1], secret);
    return true;
  } catch {
    return false;
  }
}

/**
 * Requests Node's HTTP parser refuses before Express sees them (a CR or LF inside a header value,
 * Content-Length together with Transfer-Encoding, headers over 16 KiB, a malformed request line)
 * are answered with problem+json too, not Node's bare "400 Bad Request"; and slow clients are cut
 * off (headers within 15 s, the whole request within 30 s).
 */
function hardenHttpServer(server: Server): void {
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  server.on('clientError', (error: Error & { code?: string }, socket: Socket) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const [status, reason, code, detail] =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? ([431, 'Request Header Fields Too Large', 'HEADERS_TOO_LARGE', 'the request line and headers exceed 16 KiB'] as const)
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? ([408, 'Request Timeout', 'REQUEST_TIMEOUT', 'the request was not received in time'] as const)
          : ([400, 'Bad Request', 'MALFORMED_REQUEST', 'the request is not valid HTTP/1.1 (e.g. a CR or LF inside a header value)'] as const);
    const body = JSON.stringify(problem(status, code, detail));
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Connection: close\r\nX-Content-Type-Options: nosniff\r\n\r\n${body}`,
    );
  });
}
