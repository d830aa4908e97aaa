import { type DynamicModule, type INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { EventStoreModule, type FundtrailDatabase, loadConfig, openDatabase } from '@fundtrail/event-store';
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
  static forRoot(database: FundtrailDatabase): DynamicModule {
    return { module: CliWorkModule, imports: [EventStoreModule.forRoot(database), FundingModule, ProjectionsModule] };
  }
}

/**
 * Opens the configured store (or attaches to the embedded one a running API serves), runs `work`
 * with the command bus and the read side, and closes everything. Projectors run only when asked.
 */
export async function withFundtrail<T>(work: (context: FundtrailContext) => Promise<T>, options: { projectors?: boolean } = {}): Promise<T> {
  const config = loadConfig();
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    eventStoreConnectionString: config.eventStoreConnectionString,
    poolSize: Math.min(config.poolSize, 8),
    applicationName: 'fundtrail-cli',
    migrations: APPLICATION_MIGRATIONS,
    attachToRunning: true,
  });
  const previous = process.env.FUNDTRAIL_PROJECTORS;
  if (!options.projectors) process.env.FUNDTRAIL_PROJECTORS = 'off';
  let app: INestApplicationContext | undefined;
  try {
    app = await NestFactory.createApplicationContext(CliWorkModule.forRoot(database), { logger: ['error', 'warn'], abortOnError: false });
    await app.init();
    return await work({ app, database, commands: app.get(CommandBus), projections: app.get(Projections) });
  } finally {
    if (app) await app.close();
    else await database.close();
    if (previous === undefined) delete process.env.FUNDTRAIL_PROJECTORS;
    else process.env.FUNDTRAIL_PROJECTORS = previous;
  }
}
