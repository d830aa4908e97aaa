import { type DynamicModule, type INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { EventStoreModule, FUNDTRAIL_DATABASE, type FundtrailDatabase, loadConfig } from '@fundtrail/event-store';
import { FundingModule } from '@fundtrail/funding';
import { Projections, ProjectionsModule } from '@fundtrail/projections';
import { APPLICATION_MIGRATIONS } from '../../api/src/migrations';

export interface FundtrailContext {
  app: INestApplicationContext;
  database: FundtrailDatabase;
  commands: CommandBus;
  projections: Projections;
}

@Module({})
class CliWorkModule {
  static forRoot(): DynamicModule {
    const config = loadConfig();
    return {
      module: CliWorkModule,
      imports: [
        EventStoreModule.forRoot(() => ({
          databaseUrl: config.databaseUrl,
          dataDir: config.dataDir,
          eventStoreConnectionString: config.eventStoreConnectionString,
          poolSize: Math.min(config.poolSize, 8),
          applicationName: 'fundtrail-cli',
          migrations: APPLICATION_MIGRATIONS,
          attachToRunning: true,
        })),
        FundingModule,
        ProjectionsModule,
      ],
    };
  }
}

/**
 * Opens the configured store (or attaches to the embedded one a running API serves), runs `work`
 * with the command bus and the read side, and closes everything. Projectors run only when asked.
 */
export async function withFundtrail<T>(work: (context: FundtrailContext) => Promise<T>, options: { projectors?: boolean } = {}): Promise<T> {
  const previous = process.env.FUNDTRAIL_PROJECTORS;
  if (!options.projectors) process.env.FUNDTRAIL_PROJECTORS = 'off';
  const app = await NestFactory.createApplicationContext(CliWorkModule.forRoot(), { logger: ['error', 'warn'] });
  try {
    await app.init();
    return await work({
      app,
      database: app.get<FundtrailDatabase>(FUNDTRAIL_DATABASE),
      commands: app.get(CommandBus),
      projections: app.get(Projections),
    });
  } finally {
    await app.close();
    if (previous === undefined) delete process.env.FUNDTRAIL_PROJECTORS;
    else process.env.FUNDTRAIL_PROJECTORS = previous;
  }
}
