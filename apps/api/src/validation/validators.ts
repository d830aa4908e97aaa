import { registerDecorator, ValidateIf, type ValidationOptions } from 'class-validator';
import { DecimalFormatError, parseDecimal, parseQuantity, parseYuan } from '@fundtrail/money';

/** A validator over one of the money library's parsers: the edge and the domain share one definition. */
function parsedBy(name: string, parse: (value: unknown) => unknown, describe: string, options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName,
      options,
      validator: {
        validate(value: unknown) {
          try {
            parse(value);
            return true;
          } catch (error) {
            if (error instanceof DecimalFormatError) return false;
            throw error;
          }
        },
        defaultMessage(args) {
          try {
            parse(args?.value);
          } catch (error) {
            if (error instanceof DecimalFormatError) return `${propertyName} ${error.message} (${describe})`;
          }
          return `${propertyName} must be ${describe}`;
        },
      },
    });
}

/** Yuan as a string: positive, at most 2 decimals, at most 10^13 ("1234.56"). */
export const IsYuan = (options?: ValidationOptions) =>
  parsedBy('isYuan', (v) => parseYuan(v), 'a positive yuan amount as a string, e.g. "1234.56"', options);

/** A quantity as a string: zero or positive, at most 4 decimals ("328500", "3.5"). */
export const IsQuantity = (options?: ValidationOptions) =>
  parsedBy('isQuantity', (v) => parseQuantity(v), 'a quantity as a decimal string with at most 4 decimals', options);

/** A percent as a string, 0 to 100 with at most 4 decimals ("3.25"). */
export const IsPercent = (options?: ValidationOptions) =>
  parsedBy('isPercent', (v) => parseDecimal(v, { scale: 4, max: 100_0000n, allowZero: true }), 'a percent from "0" to "100"', options);

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date YYYY-MM-DD between 1949 and 2200. */
export function IsCalendarDate(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isCalendarDate',
      target: target.constructor,
      propertyName,
      options,
      validator: {
        validate(value: unknown) {
          if (typeof value !== 'string') return false;
          const match = ISO_DATE.exec(value);
          if (!match) return false;
          const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
          if (year < 1949 || year > 2200) return false;
          const date = new Date(Date.UTC(year, month - 1, day));
          return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
        },
        defaultMessage: () => `${propertyName} must be a calendar date YYYY-MM-DD between 1949 and 2200`,
      },
    });
}

/**
 * Text without control characters (they corrupt logs, CSV exports and terminals) and without lone
 * UTF-16 surrogates (not Unicode text at all: PostgreSQL refuses them in jsonb, so they used to
 * end in a 500). A surrogate is accepted only as half of a well-formed pair.
 */
export const PRINTABLE = /^(?:[^\u0000-\u001f\u007f-\u009f\u2028\u2029\ud800-\udfff]|[\ud800-\udbff][\udc00-\udfff])*$/;
/** Free text with line breaks allowed (reasons); the same rule on surrogates. */
export const PRINTABLE_MULTILINE = /^(?:[^\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f\ud800-\udfff]|[\ud800-\udbff][\udc00-\udfff])*$/;

/**
 * An optional field: it may be absent, but when present it is validated, `null` included.
 * (class-validator's IsOptional also skips `null`, which then reached the controllers: a
 * `"plannedTotal": null` was a 500 and a `"termYears": null` was stored as null.)
 */
export const IsOptionalField = (options?: ValidationOptions) => ValidateIf((_object: object, value: unknown) => value !== undefined, options);

/** The message every slug field (ids in bodies) gives when it is not one. */
export const SLUG_MESSAGE = { message: '$property must be a slug: lowercase letters, digits and "-", 2 to 64 characters, not starting with "-"' };

/**
 * An id the client chooses, outside the namespace the system derives ids in (a derived id taken
 * first by a client would block the fact it belongs to). Errors carry the code RESERVED_ID.
 */
export function IsNotReservedId(isReserved: (id: string) => boolean, rule: string, options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'reservedId',
      target: target.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || !isReserved(value),
        defaultMessage: () => `${propertyName} is reserved: ${rule}`,
      },
    });
}
