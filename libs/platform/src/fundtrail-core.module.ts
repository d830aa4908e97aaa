import { type DynamicModule, Module } from '@nestjs/common';
import { EventStoreModule, type FundtrailDatabase } from '@fundtrail/event-store';
import { FundingModule } from '@fundtrail/funding';
import { ProjectionsModule } from '@fundtrail/projections';

export interface FundtrailCoreOptions {
  database: FundtrailDatabase;
  /** Whether this process runs the projectors (the API by default; the CLI only when asked). */
  projectors: boolean;
}

/** The store, the write side and the read side: what the API and the CLI both run on. */
@Module({})
export class FundtrailCoreModule {
  static forRoot({ database, projectors }: FundtrailCoreOptions): DynamicModule {
    return {
      module: FundtrailCoreModule,
      // Feature modules of the API (monitoring, …) use the core's read and write sides without re-importing them.
      global: true,
      imports: [EventStoreModule.forRoot(database), FundingModule, ProjectionsModule.forRoot({ projectors })],
      exports: [FundingModule, ProjectionsModule],
    };
  }
}
