import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import type { Logger } from 'pino';
import type { FundtrailConfig } from '@fundtrail/event-store';
import { Projections } from '@fundtrail/projections';
import { AppModule } from './app.module';
import { PinoNestLogger } from './logging/pino-logger';
import { requestLogging } from './logging/request-logging';
import { FundtrailMetrics } from './metrics/metrics';
import { ProblemFilter } from './problem/problem.filter';

/** Builds the HTTP application (used by main.ts and by the e2e tests), not yet listening. */
export async function createApp(config: FundtrailConfig, logger: Logger): Promise<INestApplication> {
  const metrics = new FundtrailMetrics();
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot({ config, metrics, log: (message) => logger.debug({ context: 'postgres' }, message) }),
    { logger: new PinoNestLogger(logger), bodyParser: false, abortOnError: false },
  );
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(helmet());
  app.use(requestLogging(logger, metrics));
  // Strict JSON only, bounded in size; anything else is refused before it reaches a controller.
  app.useBodyParser('json', { limit: config.bodyLimitBytes, strict: true, type: ['application/json', 'application/*+json'] });
  app.useGlobalFilters(new ProblemFilter());
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('FundTrail')
      .setDescription('Event-sourced ledger of public project funding: every figure traced to the events behind it.')
      .setVersion('0.1.0')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  app.get(Projections).onError = (projector, error) =>
    logger.error({ projector, err: error instanceof Error ? { message: error.message, stack: error.stack } : String(error) }, 'projector failed; retrying');
  return app;
}
