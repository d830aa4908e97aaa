import { ApiResponse } from '@nestjs/swagger';
import { ProblemSchema } from '../openapi/schemas';

/** Every role may read. */
export const EVERYONE = ['clerk', 'budget-officer', 'auditor', 'analyst'] as const;

/** The problems any read may answer with, documented on an endpoint; `badInput` says what its 400 means. */
export const readErrorsFor =
  (badInput: string) =>
  (...extra: MethodDecorator[]): MethodDecorator =>
  (target, key, descriptor) => {
    for (const decorate of [
      ApiResponse({ status: 400, type: ProblemSchema, description: badInput }),
      ApiResponse({ status: 401, type: ProblemSchema, description: 'UNAUTHENTICATED, INVALID_TOKEN, TOKEN_EXPIRED' }),
      ApiResponse({ status: 403, type: ProblemSchema, description: 'FORBIDDEN' }),
      ApiResponse({ status: 503, type: ProblemSchema, description: 'PROJECTION_BEHIND (minPosition not reached in 5 s), STORE_UNAVAILABLE' }),
      ...extra,
    ])
      decorate(target, key, descriptor);
  };

export const readErrors = readErrorsFor('VALIDATION_FAILED, INVALID_PATH');
