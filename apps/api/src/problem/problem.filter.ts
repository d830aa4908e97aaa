import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { EventIdConflictError, isUnavailable, WrongExpectedVersionError } from '@fundtrail/event-store';
import { AuthError } from '@fundtrail/auth';
import { FundingRuleViolation, RULE_CODES, type RuleCode } from '@fundtrail/funding';
import { DecimalFormatError } from '@fundtrail/money';
import { type Problem, problem, PROBLEM_CONTENT_TYPE, ProblemException, type RenderedAnswer, RenderedAnswerException } from './problem';

/** body-parser signals its refusals with `type`; each maps to a stable code. */
const BODY_PARSER_PROBLEMS: Record<string, [number, string, string]> = {
  'entity.too.large': [413, 'PAYLOAD_TOO_LARGE', 'the request body is larger than the limit'],
  'entity.parse.failed': [400, 'MALFORMED_JSON', 'the request body is not valid JSON'],
  'entity.verify.failed': [400, 'MALFORMED_JSON', 'the request body could not be verified'],
  'encoding.unsupported': [415, 'UNSUPPORTED_ENCODING', 'the request body encoding is not supported'],
  'encoding.invalid': [400, 'INVALID_UTF8', 'the request body is not valid UTF-8'],
  'charset.unsupported': [415, 'UNSUPPORTED_CHARSET', 'the request body must be UTF-8'],
  'request.aborted': [400, 'REQUEST_ABORTED', 'the request was aborted by the client'],
  'request.size.invalid': [400, 'MALFORMED_REQUEST', 'the request body size does not match Content-Length'],
  'stream.encoding.set': [500, 'INTERNAL_ERROR', 'stream encoding misconfigured'],
};

/**
 * The field a rule violation is about when the domain does not name one: the resource in the path.
 * (The deciders raise PROJECT_NOT_FOUND and BOND_NOT_FOUND without a field; errors[] must
 * name it.)
 */
const DEFAULT_RULE_FIELDS: Partial<Record<RuleCode, string>> = {
  PROJECT_NOT_FOUND: 'projectId',
  BOND_NOT_FOUND: 'bondId',
};

function bodyProblem(status: number, code: string, detail: string): Problem {
  return problem(status, code, detail, status < 500 ? { errors: [{ field: 'body', code, message: detail }] } : {});
}

/** http-errors instances (body-parser, raw-body) carry a numeric status and `expose`. */
function isClientHttpError(value: unknown): value is { status: number; type?: unknown; code?: unknown } {
  const status = (value as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 500 && typeof (value as { expose?: unknown }).expose === 'boolean';
}

function renderProblem(body: Problem, headers: Record<string, string>, request: Request): RenderedAnswer {
  body.instance = request.originalUrl?.split('?')[0];
  return { status: body.status, contentType: PROBLEM_CONTENT_TYPE, headers: Object.entries(headers), body: JSON.stringify(body) };
}

/** Sends a rendered answer as it is: the same answer always makes the same bytes. */
export function sendRendered(response: Response, answer: RenderedAnswer): void {
  for (const [name, value] of answer.headers) response.setHeader(name, value);
  response.status(answer.status).type(answer.contentType).send(answer.body);
}

/** Every error leaves the API as application/problem+json; nothing a client sends yields a 500. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const context = host.switchToHttp();
    const response = context.getResponse<Response>();
    const request = context.getRequest<Request>();
    if (response.headersSent) {
      // Already answered (the request deadline in app.ts answered 503 first): the late result or
      // error of the work behind it has nowhere to go.
      if ((exception as { code?: unknown })?.code !== 'ERR_HTTP_HEADERS_SENT') {
        this.logger.warn(`error after the answer was sent: ${exception instanceof Error ? exception.message : String(exception)}`);
      }
      return;
    }
    if (exception instanceof RenderedAnswerException) {
      sendRendered(response, exception.answer);
      return;
    }
    const [body, headers] = toProblem(exception);
    if (body.status >= 500 && body.code === 'INTERNAL_ERROR') {
      this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    }
    sendRendered(response, renderProblem(body, headers, request));
  }
}

/** The exact answer the filter sends for an error (the idempotency layer stores it to replay it byte for byte). */
export function renderAnswer(exception: unknown, request: Request): RenderedAnswer {
  if (exception instanceof RenderedAnswerException) return exception.answer;
  const [body, headers] = toProblem(exception);
  return renderProblem(body, headers, request);
}

/** The problem and headers an error is answered with. */
export function toProblem(exception: unknown): [Problem, Record<string, string>] {
  if (exception instanceof ProblemException && Number.isInteger(exception.problem.status)) return [{ ...exception.problem }, exception.headers];
  if (exception instanceof AuthError) {
    const headers: Record<string, string> = exception.status === 401 ? { 'WWW-Authenticate': 'Bearer realm="fundtrail"' } : {};
    return [problem(exception.status, exception.code, exception.message), headers];
  }
  if (exception instanceof FundingRuleViolation) {
    const status = RULE_CODES[exception.code];
    const field = exception.field ?? DEFAULT_RULE_FIELDS[exception.code];
    const errors = field ? [{ field, code: exception.code, message: exception.message }] : undefined;
    return [problem(status, exception.code, exception.message, errors ? { errors } : {}), {}];
  }
  if (exception instanceof DecimalFormatError) {
    // The DTOs validate every amount before a controller parses it; this is the safety net that
    // keeps a missed case a 400 rather than a 500.
    return [problem(400, 'VALIDATION_FAILED', `invalid amount: ${exception.message}`), {}];
  }
  if (exception instanceof WrongExpectedVersionError) {
    return [problem(409, 'WRONG_EXPECTED_VERSION', 'the stream changed while the command was decided; retry it'), {}];
  }
  if (exception instanceof EventIdConflictError) {
    return [problem(409, 'DUPLICATE_ID', exception.message), {}];
  }
  if (isUnavailable(exception)) {
    return [problem(503, 'STORE_UNAVAILABLE', 'the database is unavailable; retry shortly'), { 'Retry-After': '1' }];
  }
  const parserType = (exception as { type?: unknown })?.type;
  if (typeof parserType === 'string' && BODY_PARSER_PROBLEMS[parserType]) {
    const [status, code, detail] = BODY_PARSER_PROBLEMS[parserType];
    return [bodyProblem(status, code, detail), {}];
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const cause = exception.cause as { type?: string } | undefined;
    if (cause?.type && BODY_PARSER_PROBLEMS[cause.type]) {
      const [s, code, detail] = BODY_PARSER_PROBLEMS[cause.type];
      return [bodyProblem(s, code, detail), {}];
    }
    if (cause instanceof URIError && status === 400) {
      // Express could not percent-decode a path segment ("%E0%A4%A", "abc%").
      const detail = 'a path segment is not valid percent-encoded UTF-8';
      return [problem(400, 'INVALID_PATH', detail, { errors: [{ field: 'path', code: 'MALFORMED_URI', message: detail }] }), {}];
    }
    if (status === 400 && isClientHttpError(cause)) {
      // raw-body / zlib refusing the bytes themselves (e.g. "Content-Encoding: gzip" that is not gzip).
      return [bodyProblem(400, 'MALFORMED_REQUEST', 'the request body could not be read or decoded'), {}];
    }
    const code = status === 404 ? 'NOT_FOUND' : status === 413 ? 'PAYLOAD_TOO_LARGE' : `HTTP_${status}`;
    return [problem(status, code, exception.message), {}];
  }
  return [problem(500, 'INTERNAL_ERROR', 'an unexpected error occurred; it has been logged'), {}];
}
