import { resolve } from 'node:path';
import { type AuthFailureLimits, authFailureLimitsFromEnv } from '@fundtrail/auth';

/** Runtime settings, read from the environment once at start-up (README: Configuration). */
export interface FundtrailConfig {
  port: number;
  /** Unset or empty: embedded PostgreSQL under `dataDir`. */
  databaseUrl?: string;
  dataDir: string;
  eventStoreConnectionString?: string;
  jwtSecret?: string;
  /** Load the xishan-2024 data set when the log is empty (`npm start`; never in start:prod). */
  seedOnEmpty: boolean;
  poolSize: number;
  /** Append statements in flight per process; appends arriving meanwhile are written together (group commit). */
  appendStatementsInFlight: number;
  logLevel: string;
  /** Largest accepted request body, in bytes. */
  bodyLimitBytes: number;
  /** Bound on the time to answer an /api request, in ms; 0 = none. */
  requestTimeoutMs: number;
  authFailureLimits: AuthFailureLimits;
  /** Whether this process runs the projectors and the bond catch-up (an extra API replica does not). */
  projectors: boolean;
  /** Where `seed` and `reconcile` find data sets; unset: the repository's seeds/. */
  seedsDir?: string;
}

/** Default bound on the time to answer an /api request (FUNDTRAIL_REQUEST_TIMEOUT_MS; 0 = none). */
export const DEFAULT_ANSWER_TIMEOUT_MS = 20_000;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return Number(raw);
}

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (/^(1|true|yes)$/i.test(raw)) return true;
  if (/^(0|false|no)$/i.test(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

function requestTimeout(env: NodeJS.ProcessEnv): number {
  const raw = env.FUNDTRAIL_REQUEST_TIMEOUT_MS;
  if (raw === undefined || raw === '') return DEFAULT_ANSWER_TIMEOUT_MS;
  if (!/^\d+$/.test(raw) || Number(raw) > 600_000 || (Number(raw) > 0 && Number(raw) < 100)) {
    throw new Error(`FUNDTRAIL_REQUEST_TIMEOUT_MS must be 0 (no bound) or an integer from 100 to 600000, got "${raw}"`);
  }
  return Number(raw);
}

/** The one place the environment is read: every setting of the API and the CLI, checked at start-up. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): FundtrailConfig {
  const logLevel = env.LOG_LEVEL || 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent; got "${logLevel}"`);
  }
  const jwtSecret = env.FUNDTRAIL_JWT_SECRET || undefined;
  if (jwtSecret !== undefined && jwtSecret.length < 32) {
    throw new ConfigError('FUNDTRAIL_JWT_SECRET must be at least 32 characters');
  }
  return {
    port: integer(env, 'PORT', 3000, 0, 65535),
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: resolve(env.FUNDTRAIL_DATA_DIR || './data'),
    eventStoreConnectionString: env.EVENTSTORE_CONNECTION_STRING || undefined,
    jwtSecret,
    seedOnEmpty: flag(env, 'FUNDTRAIL_SEED_ON_EMPTY', true),
    poolSize: integer(env, 'FUNDTRAIL_DB_POOL_SIZE', 20, 2, 500),
    appendStatementsInFlight: integer(env, 'FUNDTRAIL_APPEND_STATEMENTS_IN_FLIGHT', 2, 1, 64),
    logLevel,
    bodyLimitBytes: integer(env, 'FUNDTRAIL_BODY_LIMIT_BYTES', 65_536, 1_024, 10_485_760),
    requestTimeoutMs: requestTimeout(env),
    authFailureLimits: authFailureLimitsFromEnv(env),
    projectors: env.FUNDTRAIL_PROJECTORS !== 'off',
    seedsDir: env.FUNDTRAIL_SEEDS_DIR || undefined,
  };
}
