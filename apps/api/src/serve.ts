import type { INestApplication } from '@nestjs/common';
import type { FundtrailConfig } from '@fundtrail/platform';
import { seedOnEmpty, useSeedsDirectory } from '@fundtrail/reports';
import { createApp } from './app';
import { createRootLogger } from './logging/pino-logger';

/** Runs the API until SIGINT/SIGTERM: `npm start`, `npm run start:prod` and `cli serve`. */
export async function serve(config: FundtrailConfig): Promise<INestApplication> {
  const logger = createRootLogger(config.logLevel);
  const app = await createApp(config, logger);
  await app.listen(config.port);
  // One owner for shutdown: close the app (requests drain, pools close, then the embedded server
  // stops and the data-dir lock is released), then exit 0.
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
  useSeedsDirectory(config.seedsDir);
  if (config.seedOnEmpty) void seedOnEmpty(app, logger);
  return app;
}
