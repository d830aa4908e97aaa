import { type DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD, APP_PIPE } from '@nestjs/core';
import { AuthGuard, JWT_SECRET, resolveJwtSecret } from '@fundtrail/auth';
import type { FundtrailDatabase } from '@fundtrail/event-store';
import { BOND_PROCEEDS_OPTIONS, BOND_PROCEEDS_PROCESS, type BondProceedsOptions, BondProceedsCatchUp } from '@fundtrail/funding';
import { type FundtrailConfig, FundtrailCoreModule } from '@fundtrail/platform';
import { BondQueriesController, PortfolioAuditController, ProjectQueriesController } from './queries/query.controllers';
import { ReadYourWritesInterceptor } from './queries/read-your-writes.interceptor';
import { BondCommandsController } from './commands/bond-commands.controller';
import { ProjectCommandsController } from './commands/project-commands.controller';
import { IdempotencyInterceptor } from './idempotency/idempotency.interceptor';
import { createValidationPipe } from './validation/validation';
import { HealthController } from './health/health.controller';
import { ExportsController } from './exports/exports.controller';
import { DASHBOARD_OPTIONS, DashboardController } from './dashboard/dashboard.controller';
import { FundtrailMetrics, MetricsController } from './metrics/metrics';
import { MonitoringModule } from './monitoring/monitoring.module';
import { RestatementController } from './restatement/restatement.controller';
import { BackdatedController } from './audit/backdated.controller';
import { PortfolioSeriesController, ProjectSeriesController } from './series/series.controller';
import { PortfolioController } from './portfolio/portfolio.controller';
import { ProgrammeCommandsController } from './programmes/programme-commands.controller';
import { ProgrammeQueriesController } from './programmes/programme-queries.controller';
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
      imports: [FundtrailCoreModule.forRoot({ database, projectors: config.projectors }), MonitoringModule],
      controllers: [
        HealthController,
        MetricsController,
        ProjectCommandsController,
        BondCommandsController,
        ProjectQueriesController,
        BondQueriesController,
        PortfolioAuditController,
        RestatementController,
        BackdatedController,
        ProjectSeriesController,
        PortfolioSeriesController,
        PortfolioController,
        ProgrammeCommandsController,
        ProgrammeQueriesController,
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
        { provide: BOND_PROCEEDS_OPTIONS, useValue: bondProceedsOptions(config, metrics) },
        BondProceedsCatchUp,
      ],
      exports: [FundtrailMetrics],
    };
  }
}

/** The catch-up runs where the projectors run, and reports to this process's metrics. */
function bondProceedsOptions(config: FundtrailConfig, metrics: FundtrailMetrics): BondProceedsOptions {
  return {
    run: config.projectors,
    onFailure: (kind, by) => metrics.processFailures.inc({ process: BOND_PROCEEDS_PROCESS, kind }, by),
    onStuckEvents: (count) => metrics.processStuckEvents.set({ process: BOND_PROCEEDS_PROCESS }, count),
  };
}
