import { type ArgumentMetadata, Injectable, type PipeTransform, ValidationPipe, type ValidationError } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { SLUG_PATTERN } from '@fundtrail/funding';
import { badRequest, type FieldError, ProblemException } from '../problem/problem';

/**
 * Deepest nesting accepted inside one field. Every DTO field is a scalar, so anything nested is
 * wrong anyway; the bound only keeps class-transformer (which recurses) from overflowing the stack
 * on `[[[[…]]]]` and answering 500.
 */
const MAX_FIELD_DEPTH = 32;
/** Longest field name echoed back; longer ones are cut (a key can be most of a 64 KiB body). */
const MAX_FIELD_NAME = 128;
/** How many field names the `detail` line lists before "and N more". */
const MAX_DETAIL_FIELDS = 20;

/**
 * A field name as it is echoed in a problem: control characters and lone surrogates escaped as
 * \uXXXX (a client's key can hold anything; the problem is also stored as jsonb by the
 * idempotency layer, which refuses \u0000 and lone surrogates), and long names cut.
 */
export function displayField(name: string): string {
  const escaped = name.replace(
    /[\u0000-\u001f\u007f-\u009f\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return escaped.length > MAX_FIELD_NAME ? `${escaped.slice(0, MAX_FIELD_NAME)}…` : escaped;
}

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = displayField(parent ? `${parent}.${error.property}` : String(error.property));
    const own = Object.entries(error.constraints ?? {}).map(([constraint, message]) => ({
      field,
      code: constraint === 'whitelistValidation' ? 'UNKNOWN_FIELD' : constraint.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase(),
      message: constraint === 'whitelistValidation' ? `${field} is not a field of this request` : message,
    }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

function validationFailed(fieldErrors: FieldError[]): ProblemException {
  const fields = [...new Set(fieldErrors.map((e) => e.field))];
  const listed = fields.slice(0, MAX_DETAIL_FIELDS).join(', ');
  const more = fields.length > MAX_DETAIL_FIELDS ? ` and ${fields.length - MAX_DETAIL_FIELDS} more` : '';
  return badRequest('VALIDATION_FAILED', `invalid fields: ${listed}${more}`, fieldErrors);
}

/** Whether a value nests deeper than `limit` (iterative: no recursion on hostile input). */
function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (depth >= limit) return true;
    for (const child of Array.isArray(current) ? current : Object.values(current)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}

/** declaredFields per DTO class: decorators register a class's rules when it is defined, so they are fixed by the first request. */
const declaredFieldsOf = new WeakMap<object, Set<string> | undefined>();

/** The properties a DTO class declares (with validation rules), own and inherited. */
function declaredFields(metatype: abstract new (...args: never[]) => unknown): Set<string> | undefined {
  if (declaredFieldsOf.has(metatype)) return declaredFieldsOf.get(metatype);
  const metadatas = getMetadataStorage().getTargetValidationMetadatas(metatype, '', false, false);
  const fields = metadatas.length === 0 ? undefined : new Set(metadatas.map((m) => m.propertyName));
  declaredFieldsOf.set(metatype, fields);
  return fields;
}

/**
 * Every string of a body or query string in Unicode NFC, once, before anything validates or stores
 * it: a name typed with a combining accent and the same name typed precomposed are one name, and
 * lengths and searches count what a reader sees. (NFC, not NFKC: full-width digits stay as typed.)
 * Keys are left alone; nested values are refused by the DTOs anyway.
 */
function inNfc(value: object): object {
  const copy = Object.create(Object.getPrototypeOf(value) as object | null) as Record<string, unknown>;
  for (const key of Object.keys(value)) {
    const field = (value as Record<string, unknown>)[key];
    const normalised =
      typeof field === 'string'
        ? field.normalize('NFC')
        : Array.isArray(field)
          ? field.map((item: unknown) => (typeof item === 'string' ? item.normalize('NFC') : item))
          : field;
    Object.defineProperty(copy, key, { value: normalised, enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

const NOT_AN_OBJECT = (detail: string) => badRequest('INVALID_BODY', detail, [{ field: 'body', code: 'NOT_AN_OBJECT', message: 'expected a JSON object' }]);

/**
 * Bodies must be JSON objects; arrays, strings and null are refused before class-validator sees them.
 * Before class-transformer runs, the raw keys are checked against the DTO's declared fields (with a
 * Set: class-validator's own whitelist looks names up in a plain object, so `constructor`,
 * `hasOwnProperty` and `__proto__` slipped through it) and each field's nesting is bounded.
 */
class BodyValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && (typeof value !== 'object' || value === null || Array.isArray(value))) {
      throw NOT_AN_OBJECT(
        value === undefined ? 'the request body must be a JSON object sent with Content-Type: application/json' : 'the request body must be a JSON object',
      );
    }
    if ((metadata.type === 'body' || metadata.type === 'query') && typeof value === 'object' && value !== null && !Array.isArray(value)) value = inNfc(value);
    const declared =
      (metadata.type === 'body' || metadata.type === 'query') && typeof metadata.metatype === 'function' ? declaredFields(metadata.metatype) : undefined;
    if (!declared || typeof value !== 'object' || value === null) return super.transform(value, metadata);

    const early: FieldError[] = [];
    const kept: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      const field = displayField(key);
      const fieldValue = (value as Record<string, unknown>)[key];
      if (!declared.has(key)) {
        early.push({ field, code: 'UNKNOWN_FIELD', message: `${field} is not a field of this request` });
      } else if (nestsDeeperThan(fieldValue, MAX_FIELD_DEPTH)) {
        early.push({ field, code: 'TOO_DEEP', message: `${field} nests deeper than ${MAX_FIELD_DEPTH} levels` });
      } else {
        Object.defineProperty(kept, key, { value: fieldValue, enumerable: true, writable: true, configurable: true });
      }
    }
    if (early.length === 0) return super.transform(value, metadata);
    // Still report the other fields' problems in the same answer, from what is safe to look at.
    let later: FieldError[] = [];
    try {
      await super.transform(kept, metadata);
    } catch (error) {
      if (!(error instanceof ProblemException)) throw error;
      later = (error.problem.errors ?? []).filter((e) => !early.some((x) => x.field === e.field));
    }
    throw validationFailed([...early, ...later]);
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
      if (fieldErrors.length === 0) return NOT_AN_OBJECT('the request body must be a JSON object');
      return validationFailed(fieldErrors);
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
