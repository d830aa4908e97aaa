import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { type FundtrailDatabase, openDatabase } from '@fundtrail/event-store';
import { Projections } from '@fundtrail/projections';
import { APPLICATION_MIGRATIONS, type FundtrailConfig, FundtrailCoreModule, loadConfig } from '@fundtrail/platform';
import { useSeedsDirectory } from '@fundtrail/reports';

export interface FundtrailContext {
  app: INestApplicationContext;
  database: FundtrailDatabase;
  commands: CommandBus;
  projections: Projections;
}

/**
 * Opens the configured store (or attaches to the embedded one a running API serves), runs `work`
 * with the command bus and the read side, and closes everything. Projectors run only when asked.
 */
export async function withFundtrail<T>(
  work: (context: FundtrailContext) => Promise<T>,
  options: { projectors?: boolean; config?: FundtrailConfig } = {},
): Promise<T> {
  const config = options.config ?? loadConfig();
  useSeedsDirectory(config.seedsDir);
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    eventStoreConnectionString: config.eventStoreConnectionString,
    poolSize: Math.min(config.poolSize, 8),
    appendStatementsInFlight: config.appendStatementsInFlight,
    applicationName: 'fundtrail-cli',
    migrations: APPLICATION_MIGRATIONS,
    attachToRunning: true,
  });
  let app: INestApplicationContext | undefined;
  try {
    const module = FundtrailCoreModule.forRoot({ database, projectors: options.projectors ?? false });
    app = await NestFactory.createApplicationContext(module, { logger: ['error', 'warn'], abortOnError: false });
    await app.init();
    return await work({ app, database, commands: app.get(CommandBus), projections: app.get(Projections) });
  } finally {
    if (app) await app.close();
    else await database.close();
  }
}
