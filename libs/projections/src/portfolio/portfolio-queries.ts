import type { Pool } from 'pg';
import type { EventStore } from '@fundtrail/event-store';
import {
  computeFigure,
  computeFigures,
  definitionIn,
  eventsAsOf,
  type Figure,
  type FigureTime,
  foldEvents,
  isNow,
  mergeTerms,
  parseFigureKey,
  type ProjectTerms,
  resolveTerm,
  termsFromJson,
} from '../figures';
import type { ProgrammeDetails } from '../programmes/programme-details';
import { PROGRAMME_STREAM } from '../programmes/programmes.projector';
import type { PortfolioFilter } from '../queries/portfolio-filter';
import { HEADLINE_FIGURES } from '../queries/read-model-queries';
import { compareFigureValues, type FigureCondition, passes } from './figure-condition';
import { foldFromLog, inReadSnapshot, type PortfolioProject, selectPortfolio } from './portfolio-selection';

export const BREAKDOWN_DIMENSIONS = ['programme', 'region', 'department', 'category', 'source'] as const;
export type BreakdownDimension = (typeof BREAKDOWN_DIMENSIONS)[number];

export interface PortfolioFigures {
  asOfPosition: string;
  projectCount: number;
  figures: Figure[];
}

export interface BreakdownGroup {
  /** The programme id, region path, department, category or source; null for projects without one. */
  group: string | null;
  label: string;
  projectCount: number;
  figures: Figure[];
}

export interface PortfolioTrace {
  key: string;
  formula: string;
  formulaVersion: number;
  asOfPosition: string;
  value: string | null;
  numerator?: string;
  denominator?: string;
  reason?: string;
  /** The value equals the one folded again from each selected project's stream in the log. */
  matches: boolean;
  /** The projects whose terms the portfolio figure sums, in project-id order. */
  projects: { projectId: string; name: string; value: string | null; numerator?: string; denominator?: string }[];
}

export interface ProjectListItem {
  projectId: string;
  name: string;
  department?: string;
  category: string;
  programmeId?: string;
  region?: string;
  figures: Figure[];
}

export interface ProjectListRequest {
  filter: PortfolioFilter;
  time: FigureTime;
  search?: string;
  sort?: { key: string; order: 'asc' | 'desc' };
  conditions: FigureCondition[];
  page: number;
  pageSize: number;
}

export interface ProgrammeSummary {
  programmeId: string;
  name: string;
  level?: string;
  region?: string;
}

export interface ProgrammeView {
  programme: ProgrammeSummary & { parentId?: string };
  children: ProgrammeSummary[];
  /** The projects registered directly under it; its figures also count those of its descendants. */
  projects: { projectId: string; name: string; department: string; category: string; region?: string }[];
  indicators: ProgrammeDetails['indicators'];
  asOfPosition: string;
  projectCount: number;
  figures: Figure[];
}

const NO_GROUP_LABEL = '—';

/** Questions about a selection of projects (the portfolio filter) at a time: figures, breakdowns, traces, lists, programmes. */
export class PortfolioQueries {
  constructor(
    private readonly pool: Pool,
    private readonly store: EventStore,
  ) {}

  /** The figures of §4 over the selected projects: their terms merged, then the one formula chain. */
  async figures(filter: PortfolioFilter, time: FigureTime): Promise<PortfolioFigures> {
    const selection = await selectPortfolio(this.pool, this.store, filter, time);
    return {
      asOfPosition: selection.asOfPosition.toString(),
      projectCount: selection.projects.length,
      figures: computeFigures(mergeTerms(selection.projects.map((p) => p.terms)), selection.asOfPosition),
    };
  }

  async breakdown(
    by: BreakdownDimension,
    filter: PortfolioFilter,
    time: FigureTime,
  ): Promise<{ by: BreakdownDimension; asOfPosition: string; groups: BreakdownGroup[] }> {
    const selection = await selectPortfolio(this.pool, this.store, filter, time);
    const groupsOf = by === 'programme' ? await this.programmeGrouping(filter.programme) : DIMENSION_GROUPS[by];
    const members = new Map<string | null, { label: string; projects: PortfolioProject[] }>();
    for (const project of selection.projects) {
      for (const { group, label } of groupsOf(project)) {
        const entry = members.get(group) ?? { label, projects: [] };
        entry.projects.push(project);
        members.set(group, entry);
      }
    }
    const groups = [...members.entries()]
      .sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : a < b ? -1 : a > b ? 1 : 0))
      .map(([group, { label, projects }]) => ({
        group,
        label,
        projectCount: projects.length,
        figures: computeFigures(mergeTerms(projects.map((p) => p.terms)), selection.asOfPosition),
      }));
    return { by, asOfPosition: selection.asOfPosition.toString(), groups };
  }

  /**
   * One portfolio figure and the projects behind it: each project that moves one of its merged
   * terms, with its own value and terms (its own trace is one call away). Undefined when the key
   * names no portfolio figure.
   */
  async trace(key: string, filter: PortfolioFilter, time: FigureTime): Promise<PortfolioTrace | undefined> {
    if (parseFigureKey(key) === undefined) return undefined;
    const selection = await selectPortfolio(this.pool, this.store, filter, time);
    const merged = mergeTerms(selection.projects.map((p) => p.terms));
    if (definitionIn(key, merged) === undefined) return undefined;
    const figure = computeFigure(key, merged, selection.asOfPosition)!;
    const replayed = isNow(time) ? await foldFromLog(this.store, selection.projects, {}) : selection.projects;
    const again = computeFigure(key, mergeTerms(replayed.map((p) => p.terms)), selection.asOfPosition);
    const projects = selection.projects
      .filter((project) => movesMergedTerms(key, project.terms))
      .map((project) => {
        const own = computeFigure(key, project.terms, selection.asOfPosition);
        return {
          projectId: project.projectId,
          name: project.details.name,
          value: own?.value ?? null,
          ...(own?.numerator !== undefined && { numerator: own.numerator }),
          ...(own?.denominator !== undefined && { denominator: own.denominator }),
        };
      });
    return {
      key,
      formula: figure.formula,
      formulaVersion: figure.formulaVersion,
      asOfPosition: figure.asOfPosition,
      value: figure.value,
      ...(figure.numerator !== undefined && { numerator: figure.numerator }),
      ...(figure.denominator !== undefined && { denominator: figure.denominator }),
      ...(figure.reason !== undefined && { reason: figure.reason }),
      matches: again?.value === figure.value,
      projects,
    };
  }

  /** The project list: filtered, searched, then kept by figure conditions and sorted by a figure (missing values last). */
  async listProjects(request: ProjectListRequest): Promise<{ items: ProjectListItem[]; total: number; page: number; pageSize: number; asOfPosition: string }> {
    const selection = await selectPortfolio(this.pool, this.store, request.filter, request.time, request.search);
    const keys = [...new Set([...HEADLINE_FIGURES, ...(request.sort ? [request.sort.key] : []), ...request.conditions.map((c) => c.key)])];
    const rows = selection.projects
      .map((project) => {
        const figures = keys.map((key) => computeFigure(key, project.terms, selection.asOfPosition)).filter((f): f is Figure => f !== undefined);
        return { project, figures, value: (key: string) => figures.find((f) => f.key === key)?.value };
      })
      .filter((row) => request.conditions.every((condition) => passes(row.value(condition.key), condition)));
    const sort = request.sort;
    if (sort)
      rows.sort((a, b) => compareFigureValues(a.value(sort.key), b.value(sort.key), sort.order) || (a.project.projectId < b.project.projectId ? -1 : 1));
    const start = (request.page - 1) * request.pageSize;
    return {
      items: rows.slice(start, start + request.pageSize).map(({ project, figures }) => ({
        projectId: project.projectId,
        name: project.details.name,
        department: project.details.department,
        category: project.details.category,
        ...(project.details.programmeId !== undefined && { programmeId: project.details.programmeId }),
        ...(project.details.region !== undefined && { region: project.details.region }),
        figures,
      })),
      total: rows.length,
      page: request.page,
      pageSize: request.pageSize,
      asOfPosition: selection.asOfPosition.toString(),
    };
  }

  /** A programme, its children and projects, and the portfolio figures of its scope with its own indicators among them. */
  async programme(programmeId: string, time: FigureTime): Promise<ProgrammeView | undefined> {
    const read = await inReadSnapshot(this.pool, async (client, checkpoint) => {
      const { rows } = await client.query<{ details: ProgrammeDetails; terms: unknown; last_position: string }>(
        'SELECT details, terms, last_position FROM programme_read_models WHERE programme_id = $1',
        [programmeId],
      );
      if (rows.length === 0) return undefined;
      const children = await client.query<{ details: ProgrammeDetails }>(
        'SELECT details FROM programme_read_models WHERE parent_id = $1 ORDER BY programme_id',
        [programmeId],
      );
      const projects = await client.query<{ project_id: string; details: { name: string; department: string; category: string; region?: string } }>(
        "SELECT project_id, details FROM project_read_models WHERE details->>'programmeId' = $1 ORDER BY project_id",
        [programmeId],
      );
      return { checkpoint, row: rows[0], children: children.rows.map((r) => r.details), projects: projects.rows };
    });
    if (!read) return undefined;
    const portfolio = await this.figures({ programme: programmeId }, time);
    const position = BigInt(portfolio.asOfPosition);
    const ownTerms = isNow(time)
      ? (termsFromJson(read.row.terms) as ProjectTerms)
      : await this.programmeTermsAt(programmeId, BigInt(read.row.last_position), time);
    const own = computeFigures(ownTerms, position).filter((figure) => parseFigureKey(figure.key)?.family === 'output_completion');
    const details = read.row.details;
    return {
      programme: summary(details, true),
      children: read.children.map((child) => summary(child, false)),
      projects: read.projects.map((row) => ({
        projectId: row.project_id,
        name: row.details.name,
        department: row.details.department,
        category: row.details.category,
        ...(row.details.region !== undefined && { region: row.details.region }),
      })),
      indicators: details.indicators,
      asOfPosition: portfolio.asOfPosition,
      projectCount: portfolio.projectCount,
      figures: [...portfolio.figures, ...own],
    };
  }

  private async programmeTermsAt(programmeId: string, lastPosition: bigint, time: FigureTime): Promise<ProjectTerms> {
    const stream = await this.store.readStream(`${PROGRAMME_STREAM}${programmeId}`);
    return foldEvents(
      eventsAsOf(
        stream.filter((event) => event.globalPosition <= lastPosition),
        time,
      ),
    );
  }

  /**
   * by=programme: the direct children of the filter's programme (the roots without one). A project
   * counts under the child whose subtree holds its programme; one directly in the filter's programme
   * is its own group.
   */
  private async programmeGrouping(under: string | undefined): Promise<(project: PortfolioProject) => { group: string | null; label: string }[]> {
    const { rows } = await this.pool.query<{ programme_id: string; parent_id: string | null; name: string }>(
      'SELECT programme_id, parent_id, name FROM programme_read_models',
    );
    const byId = new Map(rows.map((row) => [row.programme_id, row]));
    return (project) => {
      let current = project.details.programmeId === undefined ? undefined : byId.get(project.details.programmeId);
      const seen = new Set<string>();
      while (current !== undefined && !seen.has(current.programme_id)) {
        seen.add(current.programme_id);
        if (current.programme_id === under || (current.parent_id ?? undefined) === under) {
          return [{ group: current.programme_id, label: current.name }];
        }
        current = current.parent_id === null ? undefined : byId.get(current.parent_id);
      }
      return [{ group: null, label: NO_GROUP_LABEL }];
    };
  }
}

function summary(details: ProgrammeDetails, withParent: boolean): ProgrammeSummary & { parentId?: string } {
  return {
    programmeId: details.programmeId,
    name: details.name,
    ...(withParent && details.parentId !== undefined && { parentId: details.parentId }),
    ...(details.level !== undefined && { level: details.level }),
    ...(details.region !== undefined && { region: details.region }),
  };
}

const one = (value: string | undefined) => [value === undefined || value === '' ? { group: null, label: NO_GROUP_LABEL } : { group: value, label: value }];

/** Breakdowns read off the project itself. A project that received from two sources counts in both sources' groups. */
const DIMENSION_GROUPS: Record<Exclude<BreakdownDimension, 'programme'>, (project: PortfolioProject) => { group: string | null; label: string }[]> = {
  region: (project) => one(project.details.region),
  department: (project) => one(project.details.department),
  category: (project) => one(project.details.category),
  source: (project) => {
    const sources = [...project.terms.figures.entries()]
      .filter(([key, term]) => key.startsWith('received_by_source:') && (term.numerator ?? 0n) !== 0n)
      .map(([key]) => key.slice('received_by_source:'.length))
      .sort();
    return sources.length === 0 ? one(undefined) : sources.map((source) => ({ group: source, label: source }));
  },
};

/** Whether the project's terms reach the portfolio's merged terms of `key` (arrival_rate leaves out projects without a planned total). */
function movesMergedTerms(key: string, terms: ProjectTerms): boolean {
  const alone = mergeTerms([terms]);
  const term = resolveTerm(key, alone);
  return term !== undefined && (term.numerator !== undefined || term.denominator !== undefined);
}
