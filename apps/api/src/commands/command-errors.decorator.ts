import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { RULE_CODES, type RuleCode } from '@fundtrail/funding';
import { ProblemSchema } from '../openapi/schemas';

/** Documents a command's problem responses: the common ones plus the rule codes it can raise. */
export function CommandErrors(...codes: RuleCode[]) {
  const byStatus = new Map<number, string[]>();
  for (const code of codes) byStatus.set(RULE_CODES[code], [...(byStatus.get(RULE_CODES[code]) ?? []), code]);
  const conflict = byStatus.get(409) ?? [];
  byStatus.set(409, [...conflict, 'WRONG_EXPECTED_VERSION', 'IDEMPOTENCY_IN_FLIGHT']);
  return applyDecorators(
    ApiResponse({
      status: 400,
      type: ProblemSchema,
      description:
        'application/problem+json: VALIDATION_FAILED, INVALID_BODY, MALFORMED_JSON, INVALID_PATH, INVALID_IDEMPOTENCY_KEY (errors[] names each field)',
    }),
    ApiResponse({ status: 401, type: ProblemSchema, description: 'UNAUTHENTICATED, INVALID_TOKEN, TOKEN_EXPIRED' }),
    ApiResponse({ status: 403, type: ProblemSchema, description: 'FORBIDDEN: the role may not do this' }),
    ApiResponse({ status: 413, type: ProblemSchema, description: 'PAYLOAD_TOO_LARGE' }),
    ApiResponse({ status: 415, type: ProblemSchema, description: 'UNSUPPORTED_CHARSET, UNSUPPORTED_ENCODING' }),
    ApiResponse({ status: 503, type: ProblemSchema, description: 'STORE_UNAVAILABLE (Retry-After)' }),
    ApiResponse({ status: 422, type: ProblemSchema, description: ['IDEMPOTENCY_KEY_REUSED', ...(byStatus.get(422) ?? [])].join(', ') }),
    ...[...byStatus.entries()].filter(([s]) => s !== 422).map(([status, list]) => ApiResponse({ status, type: ProblemSchema, description: list.join(', ') })),
  );
}
