import type { RecordedEvent } from '@fundtrail/event-store';
import type { MonitoringScope } from '@fundtrail/funding';

/** What a rule's scope is matched against: the project's place in the portfolio. */
export interface ProjectContext {
  programme?: string;
  region?: string;
  department?: string;
  category?: string;
  fiscalYear?: number;
}

/** A programme and its parent, to find a programme's descendants. */
export interface ProgrammeNode {
  programmeId: string;
  parentId?: string;
}

/** The context the project's own stream records: its registration, then each change of programme. */
export function projectContextOf(events: readonly RecordedEvent[]): ProjectContext {
  let context: ProjectContext = {};
  for (const event of events) {
    const data = event.data;
    if (event.type === 'ProjectRegistered') {
      context = {
        ...(typeof data.programmeId === 'string' && { programme: data.programmeId }),
        ...(typeof data.region === 'string' && { region: data.region }),
        ...(typeof data.department === 'string' && { department: data.department }),
        ...(typeof data.category === 'string' && { category: data.category }),
        ...(typeof data.fiscalYear === 'number' && { fiscalYear: data.fiscalYear }),
      };
    } else if (event.type === 'ProjectProgrammeChanged' && typeof data.programmeId === 'string') {
      context = { ...context, programme: data.programmeId };
    }
  }
  return context;
}

/**
 * Whether a rule's scope selects the project, with the portfolio filters' meaning: a programme
 * with its descendants, a region with everything under it, the other fields exactly. No scope
 * selects every project; a scope field the project does not record selects nothing.
 */
export function inScope(context: ProjectContext, scope: MonitoringScope | undefined, programmes: readonly ProgrammeNode[] = []): boolean {
  if (scope === undefined) return true;
  if (scope.department !== undefined && context.department !== scope.department) return false;
  if (scope.category !== undefined && context.category !== scope.category) return false;
  if (scope.fiscalYear !== undefined && context.fiscalYear !== scope.fiscalYear) return false;
  if (scope.region !== undefined && (context.region === undefined || !(context.region === scope.region || context.region.startsWith(`${scope.region}/`)))) {
    return false;
  }
  if (scope.programme !== undefined && (context.programme === undefined || !descendsFrom(context.programme, scope.programme, programmes))) return false;
  return true;
}

function descendsFrom(programmeId: string, ancestorId: string, programmes: readonly ProgrammeNode[]): boolean {
  const parents = new Map(programmes.map((node) => [node.programmeId, node.parentId]));
  const visited = new Set<string>();
  // The tree has no cycles (a parent must exist first), but a bad input must not loop forever.
  for (let current: string | undefined = programmeId; current !== undefined && !visited.has(current); current = parents.get(current)) {
    if (current === ancestorId) return true;
    visited.add(current);
  }
  return false;
}
