import { HttpException } from '@nestjs/common';

/** One offending input: where it is and what is wrong with it. */
export interface FieldError {
  field: string;
  code: string;
  message: string;
}

/** RFC 9457 problem details, with FundTrail's stable `code` and field `errors`. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  408: 'Request timeout',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  429: 'Too many requests',
  431: 'Request header fields too large',
  500: 'Internal server error',
  503: 'Service unavailable',
};

export function problem(status: number, code: string, detail: string, extra: Partial<Problem> = {}): Problem {
  return {
    type: `https://fundtrail.dev/problems/${code.toLowerCase().replace(/_/g, '-')}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    code,
    ...extra,
  };
}

/** Thrown anywhere in the HTTP layer to answer with a specific problem. */
export class ProblemException extends HttpException {
  constructor(
    readonly problem: Problem,
    readonly headers: Record<string, string> = {},
  ) {
    super(problem, problem.status);
  }
}

/** An answer rendered to the exact bytes that go on the wire: status, media type, extra headers, body. */
export interface RenderedAnswer {
  status: number;
  /** Without parameters: Express adds "; charset=utf-8" to a text body, the same way every time. */
  contentType: string;
  headers: [string, string][];
  body: string;
}

/** Thrown to send an answer rendered before (an idempotent request's refusal, first time and replayed): sent byte for byte. */
export class RenderedAnswerException extends HttpException {
  constructor(readonly answer: RenderedAnswer) {
    super(answer.body, answer.status);
  }
}

export function badRequest(code: string, detail: string, errors: FieldError[]): ProblemException {
  return new ProblemException(problem(400, code, detail, { errors }));
}
