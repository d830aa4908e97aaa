import { registerDecorator, ValidateIf, type ValidationOptions } from 'class-validator';
import { CalendarFormatError, parseCalendarDate, parseRecordedCutoff } from '@fundtrail/calendar';
import { type AmountUnit, DecimalFormatError, isAmountUnit, parseAmount, parseDecimal, parseQuantity, parseYuan, UNIT_ZH } from '@fundtrail/money';

/** What the shared parsers throw for input that is not what they take (anything else is a bug, rethrown). */
const isFormatError = (error: unknown): error is Error => error instanceof DecimalFormatError || error instanceof CalendarFormatError;

/** A validator over one of the shared parsers (money, calendar): the edge and the domain share one definition. */
export function parsedBy(name: string, parse: (value: unknown) => unknown, describe: string, options?: ValidationOptions) {
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
            if (isFormatError(error)) return false;
            throw error;
          }
        },
        defaultMessage(args) {
          try {
            parse(args?.value);
          } catch (error) {
            if (isFormatError(error)) return `${propertyName} ${error.message} (${describe})`;
          }
          return `${propertyName} must be ${describe}`;
        },
      },
    });
}

/** Yuan as a string: positive, at most 2 decimals, at most 10^13 ("1234.56"). */
export const IsYuan = (options?: ValidationOptions) => parsedBy('isYuan', (v) => parseYuan(v), 'a positive yuan amount as a string, e.g. "1234.56"', options);

/** The unit a body's money fields are typed in: its `amountUnit`, yuan when absent, undefined when not a unit (that field is refused on its own). */
export function amountUnitOf(body: object): AmountUnit | undefined {
  const unit = (body as { amountUnit?: unknown }).amountUnit;
  if (unit === undefined) return 'yuan';
  return isAmountUnit(unit) ? unit : undefined;
}

/**
 * A money amount as a string in the body's `amountUnit` (元, 万元 or 亿元): positive, exact to the fen
 * ("1.23" 亿元; "1.2345678" 万元 is refused: it would need more than 2 decimals of yuan), at most 10^13 yuan.
 */
export function IsAmount(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isYuan', // the code clients already know for a bad amount (IS_YUAN), whatever its unit
      target: target.constructor,
      propertyName,
      options,
      validator: {
        validate(value: unknown, args) {
          const unit = amountUnitOf(args!.object);
          return unit === undefined || amountProblem(value, unit) === undefined;
        },
        defaultMessage(args) {
          const unit = amountUnitOf(args!.object) ?? 'yuan';
          return `${propertyName} ${amountProblem(args!.value, unit) ?? 'is not an amount'} (a positive amount in ${UNIT_ZH[unit]} as a string, e.g. "1234.56")`;
        },
      },
    });
}

function amountProblem(value: unknown, unit: AmountUnit): string | undefined {
  try {
    parseAmount(value, unit);
    return undefined;
  } catch (error) {
    if (isFormatError(error)) return error.message;
    throw error;
  }
}

/** A quantity as a string: zero or positive, at most 4 decimals ("328500", "3.5"). */
export const IsQuantity = (options?: ValidationOptions) =>
  parsedBy('isQuantity', (v) => parseQuantity(v), 'a quantity as a decimal string with at most 4 decimals', options);

/** A percent as a string, 0 to 100 with at most 4 decimals ("3.25"). */
export const IsPercent = (options?: ValidationOptions) =>
  parsedBy('isPercent', (v) => parseDecimal(v, { scale: 4, max: 100_0000n, allowZero: true }), 'a percent from "0" to "100"', options);

/** A calendar date that exists, YYYY-MM-DD, 1949 to 2200 (libs/calendar: the one parser of dates, shared with the CLI). */
export const IsCalendarDate = (options?: ValidationOptions) =>
  parsedBy('isCalendarDate', parseCalendarDate, 'a calendar date YYYY-MM-DD between 1949 and 2200', options);

/** A cut on recording time: an ISO 8601 instant with its offset, or a calendar date meaning the end of that day in Asia/Shanghai. */
export const IsRecordedCutoff = (options?: ValidationOptions) =>
  parsedBy(
    'isRecordedCutoff',
    parseRecordedCutoff,
    'an ISO 8601 instant with its offset such as 2024-09-01T08:00:00%2B08:00, or a calendar date YYYY-MM-DD',
    options,
  );

/**
 * Text without control characters (they corrupt logs, CSV exports and terminals) and without lone
 * UTF-16 surrogates (not Unicode text at all: PostgreSQL refuses them in jsonb, so they used to
 * end in a 500). A surrogate is accepted only as half of a well-formed pair.
 */
export const PRINTABLE = /^(?:[^\u0000-\u001f\u007f-\u009f\u2028\u2029\ud800-\udfff]|[\ud800-\udbff][\udc00-\udfff])*$/;
/** Free text with line breaks allowed (reasons); the same rule on surrogates. */
export const PRINTABLE_MULTILINE = /^(?:[^\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f\ud800-\udfff]|[\ud800-\udbff][\udc00-\udfff])*$/;

/** Bidi controls: embeddings, overrides, isolates and marks. They change the order text is shown in ("Trojan Source"). */
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/;
/** Zero-width characters: a name holding one looks like another name that does not. */
const ZERO_WIDTH = /[\u200b-\u200d\u2060\ufeff]/;

const codePoint = (c: string) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * Why a text field's value is refused, completing "<field> …"; undefined when it is fine. A label
 * (a name, a counterparty, a unit, a reference) is one line without bidi controls or zero-width
 * characters. Free text (a reason) may span lines and may hold zero-width characters (emoji
 * sequences and several scripts need them) but no bidi controls either: a reason must read as it
 * was written. Values arrive here already in NFC (the validation pipe normalises every string once).
 */
export function textProblem(value: unknown, kind: 'label' | 'free-text'): string | undefined {
  if (typeof value !== 'string') return 'must be a string';
  if (!(kind === 'label' ? PRINTABLE : PRINTABLE_MULTILINE).test(value)) return 'must not contain control characters';
  const bidi = BIDI_CONTROL.exec(value);
  if (bidi) return `must not contain bidirectional control characters (${codePoint(bidi[0])} at index ${bidi.index}): they change how the text is displayed`;
  if (kind === 'label') {
    const invisible = ZERO_WIDTH.exec(value);
    if (invisible) return `must not contain zero-width characters (${codePoint(invisible[0])} at index ${invisible.index})`;
  }
  return undefined;
}

function textRule(name: string, kind: 'label' | 'free-text', options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown) => textProblem(value, kind) === undefined,
        defaultMessage: (args) => `${propertyName} ${textProblem(args?.value, kind) ?? 'is not valid text'}`,
      },
    });
}

/** A name, label, counterparty, unit or reference: one line, no control, bidi or zero-width characters. */
export const IsLabel = (options?: ValidationOptions) => textRule('isLabel', 'label', options);
/** A reason: line breaks and zero-width characters allowed; control and bidi characters not. */
export const IsFreeText = (options?: ValidationOptions) => textRule('isFreeText', 'free-text', options);

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
