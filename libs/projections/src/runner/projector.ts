import type { PoolClient } from 'pg';
import type { ProjectedEvent } from '@fundtrail/event-store';
import type { ReadModelCache } from './read-model-cache';

/** Which tables a projector writes: the live read models, or the shadow ones a rebuild fills. */
export interface ReadModelTables {
  projects: 'project_read_models' | 'project_read_models_rebuild';
  bonds: 'bond_read_models' | 'bond_read_models_rebuild';
  programmes: 'programme_read_models' | 'programme_read_models_rebuild';
  reports: 'report_read_models' | 'report_read_models_rebuild';
}

export const LIVE_TABLES: ReadModelTables = {
  projects: 'project_read_models',
  bonds: 'bond_read_models',
  programmes: 'programme_read_models',
  reports: 'report_read_models',
};
export const REBUILD_TABLES: ReadModelTables = {
  projects: 'project_read_models_rebuild',
  bonds: 'bond_read_models_rebuild',
  programmes: 'programme_read_models_rebuild',
  reports: 'report_read_models_rebuild',
};

/** Turns a batch of events into read-model changes, inside the runner's transaction. */
export interface Projector {
  readonly name: string;
  /** Whether an event can change this projector's read models; a batch without one costs no transaction. */
  relevant?(event: ProjectedEvent): boolean;
  /**
   * `cache`, when given, holds rows this projector wrote in earlier batches (the runner has
   * checked they are still what the table holds): fold onto them instead of reading them back,
   * and put the rows written into it.
   */
  apply(client: PoolClient, events: readonly ProjectedEvent[], tables: ReadModelTables, cache?: ReadModelCache<unknown>): Promise<void>;
}
