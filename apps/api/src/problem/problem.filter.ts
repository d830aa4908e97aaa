import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import {
  EventIdConflictError,
  EventStoreUnavailableError,
  isUnavailable,
  WrongExpectedVersionError,
} from '@fundtrail/event-store';
import { AuthError } from '@fundtrail/auth';
import { FundingRuleViolation, RULE_CODES } from '@fundtrail/funding';
import { type Problem, problem, PROBLEM_CONTENT_TYPE, ProblemException } from './problem';

/** body-parser signals its refusals with `type`; each maps to a stable code. */
const BODY_PARSER_PROBLEMS: Record<string, [number, string, string]> = {
  'entity.too.large': [413, 'PAYLOAD_TOO_LARGE', 'the request body is larger than the limit'],
  'entity.parse.failed': [400, 'MALFORMED_JSON', 'the request body is not valid JSON'],
  'entity.verify.failed': [400, 'MALFORMED_JSON', 'the request body could not be verified'],
  'encoding.unsupported': [415, 'UNSUPPORTED_ENCODING', 'the request body encoding is not supported'],
  'charset.unsupported': [415, 'UNSUPPORTED_CHARSET', 'the request body must be UTF-8'],
  'request.aborted': [400, 'REQUEST_ABORTED', 'the request was aborted by the client'],
  'request.size.invalid': [400, 'MALFORMED_REQUEST', 'the request body size does not match Content-Length'],
  'stream.encoding.set': [500, 'INTERNAL_ERROR', 'stream encoding misconfigured'],
};

/** Every error leaves the API as application/problem+json; nothing a client sends yields a 500. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const context = host.switchToHttp();
    const response = context.getResponse<Response>();
    const request = context.getRequest<Request>();
    const [body, headers] = this.toProblem(exception);
    body.instance = request.originalUrl?.split('?')[0];
    if (body.status >= 500 && body.code === 'INTERNAL_ERROR') {
      this.logger.error(exception instanceof Error ? exception.stack ?? exception.message : String(exception));
    }
    if (response.headersSent) return;
    for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
    response.status(body.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
  }

  toProblem(exception: unknown): [Problem, Record<string, string>] {
    if (exception instanceof ProblemException) return [{ ...exception.problem }, exception.headers];
    if (exception instanceof AuthError) {
      const headers: Record<string, string> = exception.status === 401 ? { 'WWW-Authenticate': 'Bearer realm="fundtrail"' } : {};
      return [problem(exception.status, exception.code, exception.message), headers];
    }
    if (exception instanceof FundingRuleViolation) {
      const status = RULE_CODES[exception.code];
      const errors = exception.field ? [{ field: exception.field, code: exception.code, message: exception.message }] : undefined;
      return [problem(status, exception.code, exception.message, errors ? { errors } : {}), {}];
    }
    if (exception instanceof WrongExpectedVersionError) {
      return [problem(409, 'WRONG_EXPECTED_VERSION', 'the stream changed while the command was decided; retry it'), {}];
    }
    if (exception instanceof EventIdConflictError) {
      return [problem(409, 'DUPLICATE_ID', exception.message), {}];
    }
    if (exception instanceof EventStoreUnavailableError || isUnavailable(exception)) {
      return [problem(503, 'STORE_UNAVAILABLE', 'the database is unavailable; retry shortly'), { 'Retry-After': '1' }];
    }
    const parserType = (exception as { type?: unknown })?.type;
    if (typeof parserType === 'string' && BODY_PARSER_PROBLEMS[parserType]) {
      const [status, code, detail] = BODY_PARSER_PROBLEMS[parserType];
      return [problem(status, code, detail), {}];
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const cause = exception.cause as { type?: string } | undefined;
      if (cause?.type && BODY_PARSER_PROBLEMS[cause.type]) {
        const [s, code, detail] = BODY_PARSER_PROBLEMS[cause.type];
        return [problem(s, code, detail), {}];
      }
      const code = status === 404 ? 'NOT_FOUND' : status === 413 ? 'PAYLOAD_TOO_LARGE' : `HTTP_${status}`;
      return [problem(status, code, exception.message), {}];
    }
    return [problem(500, 'INTERNAL_ERROR', 'an unexpected error occurred; it has been logged'), {}];
  }
}
