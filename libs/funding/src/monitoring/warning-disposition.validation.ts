import { isCalendarDate } from '@fundtrail/calendar';
import type { RuleFieldError } from './monitoring-rule.validation';

export const DISPOSITION_ACTIONS = ['acknowledge', 'explain', 'resolve'] as const;
export type DispositionAction = (typeof DISPOSITION_ACTIONS)[number];

export const MAX_NOTE_LENGTH = 2000;
// Control characters other than line breaks and tabs, and lone surrogates, corrupt logs and exports.
const UNPRINTABLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export type DispositionBodyParse = { ok: true; note?: string; effectiveDate?: string } | { ok: false; errors: RuleFieldError[] };

/**
 * The body of POST /api/monitoring/warnings/:wid/<action>: `{ note, effectiveDate? }` for explain and
 * resolve (the note is required), `{ effectiveDate? }` for acknowledge.
 */
export function parseDispositionBody(action: DispositionAction, body: unknown): DispositionBodyParse {
  const errors: RuleFieldError[] = [];
  const input = body === undefined ? {} : body;
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, errors: [{ field: 'body', code: 'IS_OBJECT', message: 'body must be an object' }] };
  }
  const fields = input as Record<string, unknown>;
  const known = action === 'acknowledge' ? ['effectiveDate'] : ['note', 'effectiveDate'];
  for (const name of Object.keys(fields)) {
    if (!known.includes(name)) errors.push({ field: name, code: 'UNKNOWN_FIELD', message: `${name} is not a field of this request` });
  }
  let note: string | undefined;
  if (action !== 'acknowledge') {
    const value = fields.note;
    if (typeof value === 'string' && value.trim().length > 0 && value.length <= MAX_NOTE_LENGTH && !UNPRINTABLE.test(value)) note = value;
    else {
      errors.push({
        field: 'note',
        code: value === undefined ? 'REQUIRED' : 'IS_LABEL',
        message: `note must be text of 1 to ${MAX_NOTE_LENGTH} characters, not blank, without control characters`,
      });
    }
  }
  const effectiveDate = fields.effectiveDate;
  if (effectiveDate !== undefined && !isCalendarDate(effectiveDate)) {
    errors.push({ field: 'effectiveDate', code: 'IS_CALENDAR_DATE', message: 'effectiveDate must be a calendar date YYYY-MM-DD that exists, 1949 to 2200' });
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, ...(note !== undefined && { note }), ...(effectiveDate !== undefined && { effectiveDate: effectiveDate as string }) };
}
