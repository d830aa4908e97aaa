import { type ArgumentMetadata, Injectable, type PipeTransform, ValidationPipe, type ValidationError } from '@nestjs/common';
import { SLUG_PATTERN } from '@fundtrail/funding';
import { badRequest, type FieldError } from '../problem/problem';

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([constraint, message]) => ({
      field,
      code: constraint === 'whitelistValidation' ? 'UNKNOWN_FIELD' : constraint.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase(),
      message: constraint === 'whitelistValidation' ? `${field} is not a field of this request` : message,
    }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** Bodies must be JSON objects; arrays, strings and null are refused before class-validator sees them. */
class BodyValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && (typeof value !== 'object' || value === null || Array.isArray(value))) {
      throw badRequest('INVALID_BODY', 'the request body must be a JSON object', [
        { field: 'body', code: 'NOT_AN_OBJECT', message: 'expected a JSON object' },
      ]);
    }
    return super.transform(value, metadata);
  }
}

/** class-validator at the edge: unknown fields refused, nothing coerced, every failure named by field. */
export function createValidationPipe(): ValidationPipe {
  return new BodyValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const fieldErrors = flatten(errors);
      if (fieldErrors.length === 0) {
        return badRequest('INVALID_BODY', 'the request body must be a JSON object', [{ field: 'body', code: 'NOT_AN_OBJECT', message: 'expected a JSON object' }]);
      }
      return badRequest('VALIDATION_FAILED', `invalid fields: ${[...new Set(fieldErrors.map((e) => e.field))].join(', ')}`, fieldErrors);
    },
  });
}

/** Path ids are slugs, like the ids in bodies. */
@Injectable()
export class SlugPipe implements PipeTransform<string, string> {
  transform(value: string, metadata: ArgumentMetadata): string {
    if (typeof value !== 'string' || !SLUG_PATTERN.test(value)) {
      const field = metadata.data ?? 'id';
      throw badRequest('INVALID_PATH', `${field} must be a slug`, [{ field, code: 'MATCHES', message: `${field} must be a slug: [a-z0-9][a-z0-9-]{1,63}` }]);
    }
    return value;
  }
}
