import { CalendarFormatError, checkDay, daysInMonth, parseCalendarDate } from '@fundtrail/calendar';
import type { RecordedEvent } from '@fundtrail/event-store';
import { computeFigure, type Figure, figureDefinition, foldEvents, mergeTerms } from '../figures';
import type { FigureScope } from '../figures/figure-definitions';
import { eventsAsOf, type KnownAt } from '../figures/figure-time';
import { lastPositionOf } from './project-at';

export const SERIES_INTERVALS = ['month', 'quarter', 'year'] as const;
export type SeriesInterval = (typeof SERIES_INTERVALS)[number];
/** Points one series may hold: twenty years of months. */
export const MAX_SERIES_POINTS = 240;
/** Figure keys one series may ask for. */
export const MAX_SERIES_KEYS = 20;

/** One period of a series and the day its figures are as of: the period's last day. */
export interface SeriesPeriod {
  /** 2024-08 (month), 2024-Q3 (quarter), 2024 (year). */
  period: string;
  asOfEffective: string;
}

export interface SeriesPoint extends SeriesPeriod {
  /** Events folded into this point (for the portfolio: of every project): 0 before anything took effect. */
  events: number;
  /** The asked figures that exist at this point, in the order asked. */
  figures: Figure[];
}

export interface PortfolioSeriesPoint extends SeriesPoint {
  /** Projects with at least one event in this point. */
  projects: number;
}

/** A series range that cannot be answered; `field` names the parameter at fault. */
export class SeriesRangeError extends Error {
  constructor(
    readonly field: 'from' | 'to' | 'keys',
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'SeriesRangeError';
  }
}

const MONTH = /^([0-9]{4})-([0-9]{2})$/;

/** `from`/`to` as sent: YYYY-MM (the month) or YYYY-MM-DD (a day that exists); returned as a date. */
export function parseSeriesBound(input: unknown): string {
  if (typeof input === 'string') {
    const month = MONTH.exec(input);
    if (month) {
      checkDay(input, Number(month[1]), Number(month[2]), 1);
      return `${input}-01`;
    }
  }
  try {
    return parseCalendarDate(input);
  } catch (error) {
    if (error instanceof CalendarFormatError && error.reason === 'malformed') {
      throw new CalendarFormatError('malformed', input, 'must be a month YYYY-MM or a calendar date YYYY-MM-DD');
    }
    throw error;
  }
}

/** Figure keys as sent ("a,b"): each a figure of the scope, no repeats, at most MAX_SERIES_KEYS. */
export function parseSeriesKeys(input: unknown, scope: FigureScope): string[] {
  if (typeof input !== 'string' || input.length === 0) throw new SeriesRangeError('keys', 'FIGURE_KEYS', 'keys must be figure keys separated by commas');
  const keys = input.split(',');
  if (keys.length > MAX_SERIES_KEYS) throw new SeriesRangeError('keys', 'TOO_MANY_KEYS', `keys names ${keys.length} figures; at most ${MAX_SERIES_KEYS}`);
  for (const key of keys) {
    const definition = FIGURE_KEY.test(key) ? figureDefinition(key, scope) : undefined;
    if (definition === undefined || (scope === 'portfolio' && !definition.acrossProjects)) {
      throw new SeriesRangeError(
        'keys',
        'UNKNOWN_FIGURE',
        `keys: ${JSON.stringify(key.slice(0, 80))} is not a figure${scope === 'portfolio' ? ' of the portfolio' : ''}`,
      );
    }
  }
  const repeated = keys.find((key, index) => keys.indexOf(key) !== index);
  if (repeated !== undefined) throw new SeriesRangeError('keys', 'REPEATED_KEY', `keys names ${repeated} twice`);
  return keys;
}

/** A fixed key, or a family and a slug. */
const FIGURE_KEY = /^[a-z_]{1,40}(?::[a-z0-9][a-z0-9-]{0,63})?$/;

const MONTHS_PER: Record<SeriesInterval, number> = { month: 1, quarter: 3, year: 12 };

/** The period containing a day, counted from year 0 in units of the interval. */
function ordinalOf(interval: SeriesInterval, date: string): number {
  const [year, month] = date.split('-').map(Number);
  return year * (12 / MONTHS_PER[interval]) + Math.floor((month - 1) / MONTHS_PER[interval]);
}

function periodAt(interval: SeriesInterval, ordinal: number): SeriesPeriod {
  const perYear = 12 / MONTHS_PER[interval];
  const year = Math.floor(ordinal / perYear);
  const index = ordinal % perYear;
  const lastMonth = (index + 1) * MONTHS_PER[interval];
  const pad = (n: number) => String(n).padStart(2, '0');
  const period = interval === 'month' ? `${year}-${pad(lastMonth)}` : interval === 'quarter' ? `${year}-Q${index + 1}` : String(year);
  return { period, asOfEffective: `${year}-${pad(lastMonth)}-${pad(daysInMonth(year, lastMonth))}` };
}

/** Every period from the one containing `from` to the one containing `to`. */
export function seriesPeriods(interval: SeriesInterval, from: string, to: string): SeriesPeriod[] {
  if (to < from) throw new SeriesRangeError('to', 'BEFORE_FROM', `to (${to}) is before from (${from})`);
  const first = ordinalOf(interval, from);
  const count = ordinalOf(interval, to) - first + 1;
  if (count > MAX_SERIES_POINTS) {
    throw new SeriesRangeError(
      'to',
      'TOO_MANY_POINTS',
      `from ${from} to ${to} is ${count} ${interval}s; a series holds at most ${MAX_SERIES_POINTS} points: narrow from and to, or take a longer interval`,
    );
  }
  return Array.from({ length: count }, (_, i) => periodAt(interval, first + i));
}

/** The first and last effective dates of the events known at `knownAt`: a series' range when none is asked. */
export function effectiveSpan(streams: ReadonlyArray<readonly RecordedEvent[]>, knownAt?: KnownAt): { from: string; to: string } | undefined {
  let from: string | undefined;
  let to: string | undefined;
  for (const stream of streams) {
    for (const event of eventsAsOf(stream, { knownAt })) {
      const day = event.metadata.effectiveDate;
      if (from === undefined || day < from) from = day;
      if (to === undefined || day > to) to = day;
    }
  }
  return from === undefined || to === undefined ? undefined : { from, to };
}

/** A project's figures at the end of each period: its stream cut at that day and folded, as the projection folds it. */
export function projectSeries(stream: readonly RecordedEvent[], keys: readonly string[], periods: readonly SeriesPeriod[], knownAt?: KnownAt): SeriesPoint[] {
  return periods.map((period) => {
    const cut = eventsAsOf(stream, { asOfEffective: period.asOfEffective, knownAt });
    const terms = foldEvents(cut);
    const position = lastPositionOf(cut);
    return { ...period, events: cut.length, figures: keys.map((key) => computeFigure(key, terms, position)).filter((f): f is Figure => f !== undefined) };
  });
}

/** District totals at the end of each period: each project cut and folded, then merged as the portfolio merges read models. */
export function portfolioSeries(
  streams: ReadonlyArray<readonly RecordedEvent[]>,
  keys: readonly string[],
  periods: readonly SeriesPeriod[],
  knownAt?: KnownAt,
): PortfolioSeriesPoint[] {
  return periods.map((period) => {
    const cuts = streams.map((stream) => eventsAsOf(stream, { asOfEffective: period.asOfEffective, knownAt })).filter((cut) => cut.length > 0);
    const terms = mergeTerms(cuts.map((cut) => foldEvents(cut)));
    const position = cuts.reduce((max, cut) => (lastPositionOf(cut) > max ? lastPositionOf(cut) : max), 0n);
    return {
      ...period,
      events: cuts.reduce((sum, cut) => sum + cut.length, 0),
      projects: cuts.length,
      figures: keys.map((key) => computeFigure(key, terms, position)).filter((f): f is Figure => f !== undefined),
    };
  });
}
