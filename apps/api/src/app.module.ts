import { type DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD, APP_PIPE } from '@nestjs/core';
import { AuthGuard, JWT_SECRET, resolveJwtSecret } from '@fundtrail/auth';
import { EventStoreModule, type FundtrailConfig, type FundtrailDatabase } from '@fundtrail/event-store';
import { FundingModule } from '@fundtrail/funding';
import { ProjectionsModule } from '@fundtrail/projections';
import { BondQueriesController, PortfolioAuditController, ProjectQueriesController } from './queries/query.controllers';
import { ReadYourWritesInterceptor } from './queries/read-your-writes.interceptor';
import { BondCommandsController } from './commands/bond-commands.controller';
import { ProjectCommandsController } from './commands/project-commands.controller';
import { BondProceedsCatchUp } from './process-managers/bond-proceeds.catch-up';
import { IdempotencyInterceptor } from './idempotency/idempotency.interceptor';
import { createValidationPipe } from './validation/validation';
import { HealthController } from './health/health.controller';
import { ExportsController } from './exports/exports.controller';
import { DASHBOARD_OPTIONS, DashboardController } from './dashboard/dashboard.controller';
import { FundtrailMetrics, MetricsController } from './metrics/metrics';
import { ReportsController } from './reports/reports.controller';

export interface AppOptions {
  config: FundtrailConfig;
  metrics: FundtrailMetrics;
  database: FundtrailDatabase;
}

@Module({})
export class AppModule {
  static forRoot({ config, metrics, database }: AppOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        EventStoreModule.forRoot(database),
        FundingModule,
        ProjectionsModule,
      ],
      controllers: [
        HealthController,
        MetricsController,
        ProjectCommandsController,
        BondCommandsController,
        ProjectQueriesController,
        BondQueriesController,
        PortfolioAuditController,
        ExportsController,
        DashboardController,
        ReportsController,
      ],
      providers: [
        { provide: FundtrailMetrics, useValue: metrics },
        { provide: DASHBOARD_OPTIONS, useValue: { embedded: !config.databaseUrl } },
        { provide: JWT_SECRET, useFactory: () => resolveJwtSecret(config) },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        IdempotencyInterceptor,
        ReadYourWritesInterceptor,
        BondProceedsCatchUp,
      ],
      exports: [FundtrailMetrics],
    };
  }
}
