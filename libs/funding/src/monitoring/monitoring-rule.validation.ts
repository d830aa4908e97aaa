import { isCalendarDate } from '@fundtrail/calendar';
import { DecimalFormatError, formatDecimal, parseDecimal } from '@fundtrail/money';
import { FUNDING_SOURCES, type FundingSource, REGION_PATH_PATTERN, SLUG_PATTERN } from '../shared/vocabulary';
import {
  EXECUTION_BASES,
  type ExecutionBasis,
  type ExecutionCheckpoint,
  MONITORING_RULE_KINDS,
  type MonitoringRuleBody,
  type MonitoringRuleDefinition,
  type MonitoringRuleKind,
  type MonitoringScope,
  type PercentText,
} from './monitoring-rule';

/** One offending input, named by its path in the body ("params.checkpoints[1].by"). */
export interface RuleFieldError {
  field: string;
  code: RuleFieldErrorCode;
  message: string;
}

/** Stable codes, in the upper-snake style of the edge's validation codes. */
export type RuleFieldErrorCode =
  | 'IS_OBJECT'
  | 'IS_ARRAY'
  | 'UNKNOWN_FIELD'
  | 'REQUIRED'
  | 'MATCHES'
  | 'IS_IN'
  | 'IS_PERCENT'
  | 'IS_INT'
  | 'MIN'
  | 'MAX'
  | 'IS_MONTH_DAY'
  | 'ASCENDING'
  | 'ARRAY_NOT_EMPTY'
  | 'ARRAY_MAX_SIZE'
  | 'UNIQUE'
  | 'IS_LABEL'
  | 'IS_YEAR'
  | 'IS_CALENDAR_DATE';

export type MonitoringRuleParse = { ok: true; rule: MonitoringRuleDefinition; effectiveDate?: string } | { ok: false; errors: RuleFieldError[] };

/** Percents are kept to 4 decimals, like the edge's percent fields. */
export const PERCENT_SCALE = 4;
const PERCENT_MAX = 100n * 10n ** BigInt(PERCENT_SCALE);
/** Days after arrival, at most ten years. */
export const MAX_AFTER_DAYS = 3660;
/** At most one checkpoint per day of the year. */
export const MAX_CHECKPOINTS = 365;
const MONTH_DAY = /^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
// Control characters and lone surrogates have no place in a filter value.
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * The body of POST /api/monitoring/rules — `{ ruleId, kind, params, scope?, effectiveDate? }` —
 * checked in full and normalised, or every offending field with its path and code, so the edge
 * can answer 400 naming each one. Numeric params may be decimal strings or JSON numbers; a number
 * is read through its decimal text, never through float arithmetic (40.5 → "40.5"; 1e21 is refused).
 */
export function parseMonitoringRule(body: unknown): MonitoringRuleParse {
  const errors: RuleFieldError[] = [];
  const input = object(body, 'body', errors);
  if (input === undefined) return { ok: false, errors };
  unknownFields(input, ['ruleId', 'kind', 'params', 'scope', 'effectiveDate'], '', errors);

  const ruleId = slug(input.ruleId, 'ruleId', errors);
  const kind = oneOf(input.kind, MONITORING_RULE_KINDS, 'kind', errors);
  const params = input.params === undefined ? {} : object(input.params, 'params', errors);
  const shape = kind !== undefined && params !== undefined ? ruleBody(kind, params, errors) : undefined;
  const scope = input.scope === undefined ? undefined : monitoringScope(input.scope, 'scope', errors);
  const effectiveDate = input.effectiveDate === undefined ? undefined : calendarDate(input.effectiveDate, 'effectiveDate', errors);

  if (errors.length > 0 || ruleId === undefined || shape === undefined) return { ok: false, errors };
  const rule: MonitoringRuleDefinition = {
    ruleId,
    ...shape,
    ...(scope !== undefined && Object.keys(scope).length > 0 && { scope }),
  };
  return { ok: true, rule, ...(effectiveDate !== undefined && { effectiveDate }) };
}

function ruleBody(kind: MonitoringRuleKind, params: Record<string, unknown>, errors: RuleFieldError[]): MonitoringRuleBody | undefined {
  const before = errors.length;
  switch (kind) {
    case 'execution-lag': {
      unknownFields(params, ['checkpoints', 'basis'], 'params.', errors);
      const checkpoints = executionCheckpoints(params.checkpoints, errors);
      const basis: ExecutionBasis | undefined = params.basis === undefined ? 'received' : oneOf(params.basis, EXECUTION_BASES, 'params.basis', errors);
      if (errors.length > before || checkpoints === undefined || basis === undefined) return undefined;
      return { kind, params: { checkpoints, basis } };
    }
    case 'idle-funds': {
      unknownFields(params, ['minUnspentPercent', 'afterDays', 'sources'], 'params.', errors);
      const minUnspentPercent = percent(params.minUnspentPercent, 'params.minUnspentPercent', errors);
      const afterDays = dayCount(params.afterDays, 'params.afterDays', errors);
      const sources = params.sources === undefined ? undefined : fundingSources(params.sources, errors);
      if (errors.length > before || minUnspentPercent === undefined || afterDays === undefined) return undefined;
      return { kind, params: { minUnspentPercent, afterDays, ...(sources !== undefined && { sources }) } };
    }
    case 'output-lag': {
      unknownFields(params, ['points'], 'params.', errors);
      const points = percent(params.points, 'params.points', errors);
      if (errors.length > before || points === undefined) return undefined;
      return { kind, params: { points } };
    }
    case 'over-arrival': {
      unknownFields(params, [], 'params.', errors);
      if (errors.length > before) return undefined;
      return { kind, params: {} };
    }
    default: {
      const _exhaustive: never = kind;
      return _exhaustive;
    }
  }
}

function executionCheckpoints(value: unknown, errors: RuleFieldError[]): ExecutionCheckpoint[] | undefined {
  const field = 'params.checkpoints';
  const items = array(value, field, errors);
  if (items === undefined) return undefined;
  const checkpoints: ExecutionCheckpoint[] = [];
  let previous: string | undefined;
  items.forEach((item, index) => {
    const path = `${field}[${index}]`;
    const checkpoint = object(item, path, errors);
    if (checkpoint === undefined) return;
    unknownFields(checkpoint, ['by', 'minExecutionRate'], `${path}.`, errors);
    const by = monthDay(checkpoint.by, `${path}.by`, errors);
    const minExecutionRate = percent(checkpoint.minExecutionRate, `${path}.minExecutionRate`, errors);
    if (by !== undefined && previous !== undefined && by <= previous) {
      errors.push({ field: `${path}.by`, code: 'ASCENDING', message: `${path}.by must come after ${previous}: checkpoints are in order of date, one per day` });
    }
    if (by !== undefined) previous = by;
    if (by !== undefined && minExecutionRate !== undefined) checkpoints.push({ by, minExecutionRate });
  });
  return checkpoints.length === items.length ? checkpoints : undefined;
}

function fundingSources(value: unknown, errors: RuleFieldError[]): FundingSource[] | undefined {
  const field = 'params.sources';
  const items = array(value, field, errors);
  if (items === undefined) return undefined;
  const seen = new Set<FundingSource>();
  items.forEach((item, index) => {
    const source = oneOf(item, FUNDING_SOURCES, `${field}[${index}]`, errors);
    if (source === undefined) return;
    if (seen.has(source)) errors.push({ field: `${field}[${index}]`, code: 'UNIQUE', message: `${field}[${index}] repeats ${source}` });
    seen.add(source);
  });
  // Vocabulary order, so the same set always reads the same.
  return FUNDING_SOURCES.filter((source) => seen.has(source));
}

function monitoringScope(value: unknown, field: string, errors: RuleFieldError[]): MonitoringScope | undefined {
  const scope = object(value, field, errors);
  if (scope === undefined) return undefined;
  unknownFields(scope, ['programme', 'region', 'department', 'category', 'fiscalYear'], `${field}.`, errors);
  const result: MonitoringScope = {};
  if (scope.programme !== undefined) {
    const programme = slug(scope.programme, `${field}.programme`, errors);
    if (programme !== undefined) result.programme = programme;
  }
  if (scope.region !== undefined) {
    if (typeof scope.region === 'string' && REGION_PATH_PATTERN.test(scope.region)) result.region = scope.region;
    else
      errors.push({
        field: `${field}.region`,
        code: 'MATCHES',
        message: `${field}.region must be a path of slugs separated by "/", broadest first (e.g. yunnan/kunming/xishan), at most 10 levels`,
      });
  }
  for (const [name, maxLength] of [
    ['department', 200],
    ['category', 64],
  ] as const) {
    if (scope[name] === undefined) continue;
    const text = label(scope[name], `${field}.${name}`, maxLength, errors);
    if (text !== undefined) result[name] = text;
  }
  if (scope.fiscalYear !== undefined) {
    const year = fiscalYear(scope.fiscalYear, `${field}.fiscalYear`, errors);
    if (year !== undefined) result.fiscalYear = year;
  }
  return result;
}

// ---------------------------------------------------------------------------
// Field readers: each returns the normalised value, or undefined after pushing its error.
// ---------------------------------------------------------------------------

function object(value: unknown, field: string, errors: RuleFieldError[]): Record<string, unknown> | undefined {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  errors.push({ field, code: value === undefined ? 'REQUIRED' : 'IS_OBJECT', message: `${field} must be an object` });
  return undefined;
}

function array(value: unknown, field: string, errors: RuleFieldError[]): unknown[] | undefined {
  if (value === undefined) {
    errors.push({ field, code: 'REQUIRED', message: `${field} is required` });
    return undefined;
  }
  if (!Array.isArray(value)) {
    errors.push({ field, code: 'IS_ARRAY', message: `${field} must be an array` });
    return undefined;
  }
  if (value.length === 0) {
    errors.push({ field, code: 'ARRAY_NOT_EMPTY', message: `${field} must not be empty` });
    return undefined;
  }
  if (value.length > MAX_CHECKPOINTS) {
    errors.push({ field, code: 'ARRAY_MAX_SIZE', message: `${field} must hold at most ${MAX_CHECKPOINTS} entries` });
    return undefined;
  }
  return value as unknown[];
}

function unknownFields(input: Record<string, unknown>, known: readonly string[], prefix: string, errors: RuleFieldError[]): void {
  for (const name of Object.keys(input)) {
    if (!known.includes(name)) errors.push({ field: `${prefix}${name}`, code: 'UNKNOWN_FIELD', message: `${prefix}${name} is not a field of this request` });
  }
}

function slug(value: unknown, field: string, errors: RuleFieldError[]): string | undefined {
  if (typeof value === 'string' && SLUG_PATTERN.test(value)) return value;
  errors.push({
    field,
    code: value === undefined ? 'REQUIRED' : 'MATCHES',
    message: `${field} must be a slug: lowercase letters, digits and "-", 2 to 64 characters, not starting with "-"`,
  });
  return undefined;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string, errors: RuleFieldError[]): T | undefined {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  errors.push({ field, code: value === undefined ? 'REQUIRED' : 'IS_IN', message: `${field} must be one of: ${allowed.join(', ')}` });
  return undefined;
}

/**
 * A percent from 0 to 100 with at most 4 decimals, as a string or a JSON number, normalised to
 * two to four decimals ("40" and 40 and "40.00" are all "40.00").
 */
export function parsePercentParam(value: unknown): PercentText {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  const units = parseDecimal(text, { scale: PERCENT_SCALE, max: PERCENT_MAX, allowZero: true });
  return percentText(units);
}

/** Units of 10^-4 percent as text with two to four decimals ("-12.5" → "-12.50"). */
export function percentText(units: bigint): PercentText {
  const [whole, fraction] = formatDecimal(units, PERCENT_SCALE).split('.');
  return `${whole}.${fraction.replace(/0+$/, '').padEnd(2, '0')}`;
}

function percent(value: unknown, field: string, errors: RuleFieldError[]): PercentText | undefined {
  if (value === undefined) {
    errors.push({ field, code: 'REQUIRED', message: `${field} is required` });
    return undefined;
  }
  try {
    return parsePercentParam(value);
  } catch (error) {
    if (!(error instanceof DecimalFormatError)) throw error;
    errors.push({ field, code: 'IS_PERCENT', message: `${field} ${error.message} (a percent from "0" to "100", at most ${PERCENT_SCALE} decimals)` });
    return undefined;
  }
}

/** A whole number of days, 1 to MAX_AFTER_DAYS, as a JSON integer or a string of digits. */
function dayCount(value: unknown, field: string, errors: RuleFieldError[]): number | undefined {
  if (value === undefined) {
    errors.push({ field, code: 'REQUIRED', message: `${field} is required` });
    return undefined;
  }
  const days = typeof value === 'number' ? value : typeof value === 'string' && /^(0|[1-9][0-9]{0,8})$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(days)) {
    errors.push({ field, code: 'IS_INT', message: `${field} must be a whole number of days` });
    return undefined;
  }
  if (days < 1) {
    errors.push({ field, code: 'MIN', message: `${field} must be at least 1` });
    return undefined;
  }
  if (days > MAX_AFTER_DAYS) {
    errors.push({ field, code: 'MAX', message: `${field} must be at most ${MAX_AFTER_DAYS}` });
    return undefined;
  }
  return days;
}

/** MM-DD of a day every year has: 02-29 is refused, since most years would have no such checkpoint. */
function monthDay(value: unknown, field: string, errors: RuleFieldError[]): string | undefined {
  const match = typeof value === 'string' ? MONTH_DAY.exec(value) : null;
  if (match !== null && Number(match[2]) <= DAYS_IN_MONTH[Number(match[1]) - 1]) return value as string;
  errors.push({
    field,
    code: value === undefined ? 'REQUIRED' : 'IS_MONTH_DAY',
    message: `${field} must be a day of every year as MM-DD (e.g. 06-30; 02-29 is not one)`,
  });
  return undefined;
}

function label(value: unknown, field: string, maxLength: number, errors: RuleFieldError[]): string | undefined {
  if (typeof value === 'string' && value.length >= 1 && value.length <= maxLength && value.trim() === value && !UNPRINTABLE.test(value)) return value;
  errors.push({ field, code: 'IS_LABEL', message: `${field} must be text of 1 to ${maxLength} characters, without control characters or surrounding spaces` });
  return undefined;
}

function fiscalYear(value: unknown, field: string, errors: RuleFieldError[]): number | undefined {
  const year = typeof value === 'number' ? value : typeof value === 'string' && /^[0-9]{4}$/.test(value) ? Number(value) : NaN;
  if (Number.isSafeInteger(year) && year >= 1949 && year <= 2200) return year;
  errors.push({ field, code: 'IS_YEAR', message: `${field} must be a year from 1949 to 2200` });
  return undefined;
}

function calendarDate(value: unknown, field: string, errors: RuleFieldError[]): string | undefined {
  if (isCalendarDate(value)) return value;
  errors.push({ field, code: 'IS_CALENDAR_DATE', message: `${field} must be a calendar date YYYY-MM-DD that exists, 1949 to 2200` });
  return undefined;
}
