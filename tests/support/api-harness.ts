import type { DestinationStream } from 'pino';
import type { INestApplication } from '@nestjs/common';
import { type Role, signToken } from '@fundtrail/auth';
import { loadConfig } from '@fundtrail/platform';
import request from 'supertest';
import { createApp } from '../../apps/api/src/app';
import { createRootLogger } from '../../apps/api/src/logging/pino-logger';
import { createServerDatabase, runSql, type TestDatabase } from './test-database';

export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';

export interface ApiHarness {
  app: INestApplication;
  http: ReturnType<typeof request>;
  db: TestDatabase;
  token(role: Role, sub?: string): string;
  eventCount(): Promise<number>;
  close(): Promise<void>;
}

/** The real API on a fresh database of the machine's PostgreSQL, in this process. */
export async function startApi(env: Record<string, string> = {}, logs?: DestinationStream): Promise<ApiHarness> {
  const db = await createServerDatabase();
  const config = loadConfig({
    DATABASE_URL: db.url,
    FUNDTRAIL_JWT_SECRET: TEST_JWT_SECRET,
    FUNDTRAIL_SEED_ON_EMPTY: 'false',
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
    ...env,
  });
  const app = await createApp(config, createRootLogger(config.logLevel, logs));
  await app.init();
  const http = request(app.getHttpServer());
  return {
    app,
    http,
    db,
    token: (role, sub = `${role}-1`) => signToken({ sub, role }, TEST_JWT_SECRET),
    async eventCount() {
      const result = (await runSql(db.url, 'SELECT count(*)::int AS n FROM events')) as { rows: { n: number }[] };
      return result.rows[0].n;
    },
    async close() {
      await app.close();
      await db.drop();
    },
  };
}
