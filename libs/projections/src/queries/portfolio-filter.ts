import { REGION_PATH_PATTERN } from '@fundtrail/funding';

/**
 * Which projects a portfolio question is about. Every portfolio answer (figures, breakdowns,
 * traces, the project list, exports) takes this one filter, so a new way of selecting projects
 * is added here once.
 *
 * - `department`, `category`: the project's own, exactly (after NFC at the edge).
 * - `fiscalYear`: the fiscal year the project was registered for.
 * - `region`: the project's region path or anything under it (`yunnan/kunming` selects
 *   `yunnan/kunming/xishan`, not `yunnan/kunming-east`).
 * - `programme`: the projects of that programme and of every programme under it (the scope).
 *   An id no programme has selects none, like a department no project has.
 */
export interface PortfolioFilter {
  programme?: string;
  region?: string;
  department?: string;
  category?: string;
  fiscalYear?: number;
}

export const PORTFOLIO_FILTER_FIELDS = ['programme', 'region', 'department', 'category', 'fiscalYear'] as const;

/** A region is a path of slugs, broadest first, at most ten levels: the one pattern projects are registered with. */
export const REGION_PATTERN = REGION_PATH_PATTERN;

/** The programmes a programme filter stands for: itself and its descendants (programmeScopeIn). */
export type ProgrammeScope = (programmeId: string) => Promise<string[]>;

/**
 * The filter as an SQL condition on a project read-model table (alias-free column names), with
 * its parameters numbered from `firstParameter`. An empty filter is `TRUE`.
 */
export async function portfolioFilterSql(
  filter: PortfolioFilter,
  firstParameter: number,
  programmeScope: ProgrammeScope,
): Promise<{ condition: string; parameters: unknown[] }> {
  const conditions: string[] = [];
  const parameters: unknown[] = [];
  const next = (value: unknown) => {
    parameters.push(value);
    return `$${firstParameter + parameters.length - 1}`;
  };
  if (filter.department !== undefined) conditions.push(`department = ${next(filter.department)}`);
  if (filter.category !== undefined) conditions.push(`category = ${next(filter.category)}`);
  if (filter.fiscalYear !== undefined) conditions.push(`details->'fiscalYear' = to_jsonb(${next(filter.fiscalYear)}::int)`);
  if (filter.region !== undefined) {
    const region = next(filter.region);
    conditions.push(`(details->>'region' = ${region} OR starts_with(details->>'region', ${region} || '/'))`);
  }
  if (filter.programme !== undefined) {
    conditions.push(`details->>'programmeId' = ANY(${next(await programmeScope(filter.programme))}::text[])`);
  }
  return { condition: conditions.length === 0 ? 'TRUE' : conditions.join(' AND '), parameters };
}
