export type CalendarErrorReason = 'not-a-string' | 'malformed' | 'no-such-date' | 'out-of-range' | 'no-such-time' | 'no-offset' | 'no-such-offset';

/** A date or instant that is malformed or does not exist; `message` completes "<field> …". */
export class CalendarFormatError extends Error {
  constructor(
    readonly reason: CalendarErrorReason,
    readonly input: unknown,
    message: string,
  ) {
    super(message);
    this.name = 'CalendarFormatError';
  }
}
