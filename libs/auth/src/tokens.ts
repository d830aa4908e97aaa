import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createSecretKey, type KeyObject, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import { type Actor, isRole, type Role } from './roles';

/** Subjects are user or system ids; bounded so a token cannot smuggle a huge actor into the log. */
const SUBJECT_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@:-]{0,127}$/;

export class AuthError extends Error {
  constructor(
    readonly status: 401 | 403,
    readonly code: 'UNAUTHENTICATED' | 'INVALID_TOKEN' | 'TOKEN_EXPIRED' | 'FORBIDDEN',
    message: string,
  ) {
    super(message);
    this.name = 'AuthError';
  }
}

/** A token lifetime: a whole positive number of seconds, minutes, hours or days ("90", "30m", "8h", "7d"). */
const LIFETIME_PATTERN = /^([1-9]\d{0,6})([smhd]?)$/;
const SECONDS_PER_UNIT: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86400 };

/** Seconds in a lifetime such as "8h"; a RangeError for anything else (a token must always expire). */
export function lifetimeSeconds(text: string): number {
  const match = LIFETIME_PATTERN.exec(text);
  if (!match) throw new RangeError(`a token lifetime is a positive whole number of seconds, or of s, m, h or d (30m, 8h, 7d); got ${JSON.stringify(text)}`);
  return Number(match[1]) * SECONDS_PER_UNIT[match[2]];
}

/** Every token it signs carries exp: a token without one would be valid forever, and verifyToken refuses it. */
export function signToken(actor: { sub: string; role: Role }, secret: string, expiresIn = '8h'): string {
  if (!SUBJECT_PATTERN.test(actor.sub)) throw new RangeError(`sub must match ${SUBJECT_PATTERN}`);
  if (!isRole(actor.role)) throw new RangeError(`unknown role ${String(actor.role)}`);
  return jwt.sign({ role: actor.role }, secret, {
    algorithm: 'HS256',
    subject: actor.sub,
    expiresIn: lifetimeSeconds(expiresIn),
    issuer: 'fundtrail',
  });
}

/** jsonwebtoken turns a string secret into a key on every call (~0.6 ms); a key object is reused. */
const secretKeys = new Map<string, KeyObject>();
function secretKey(secret: string): KeyObject {
  let key = secretKeys.get(secret);
  if (!key) {
    key = createSecretKey(Buffer.from(secret, 'utf8'));
    if (secretKeys.size > 8) secretKeys.clear();
    secretKeys.set(secret, key);
  }
  return key;
}

/** Tokens already verified, per secret: the actor and the exp that still bounds each (see verifyToken). */
const verified = new Map<string, Map<string, { actor: Actor; exp: number }>>();
/** Clock tolerance of verifyToken, seconds (as jsonwebtoken applies it to exp and nbf). */
const CLOCK_TOLERANCE = 5;
/** Verified tokens remembered per secret; the cache starts over when full. */
const VERIFIED_LIMIT = 1000;

/**
 * Verifies an HS256 token (no other algorithm is ever accepted) and returns the actor it names.
 * A token that verified once is remembered (the signature, issuer, subject and role of a given
 * token never change): later calls only check its expiry again, against the clock as jsonwebtoken
 * does, so a remembered token expires at the same second. Refused tokens are never remembered.
 */
export function verifyToken(token: string, secret: string): Actor {
  let cache = verified.get(secret);
  const hit = cache?.get(token);
  if (hit) {
    if (Math.floor(Date.now() / 1000) >= hit.exp + CLOCK_TOLERANCE) {
      cache!.delete(token);
      throw new AuthError(401, 'TOKEN_EXPIRED', 'the token has expired');
    }
    return { id: hit.actor.id, role: hit.actor.role };
  }
  const { actor, exp } = verifyUncached(token, secret);
  if (!cache) {
    if (verified.size >= 8) verified.clear();
    cache = new Map();
    verified.set(secret, cache);
  }
  if (cache.size >= VERIFIED_LIMIT) cache.clear();
  cache.set(token, { actor: { id: actor.id, role: actor.role }, exp });
  return actor;
}

function verifyUncached(token: string, secret: string): { actor: Actor; exp: number } {
  let payload: jwt.JwtPayload | string;
  try {
    payload = jwt.verify(token, secretKey(secret), { algorithms: ['HS256'], issuer: 'fundtrail', clockTolerance: CLOCK_TOLERANCE });
  } catch (error) {
    if (error instanceof jwt.TokenExpiredError) throw new AuthError(401, 'TOKEN_EXPIRED', 'the token has expired');
    throw new AuthError(401, 'INVALID_TOKEN', 'the token is not valid');
  }
  if (typeof payload === 'string' || typeof payload.sub !== 'string' || !SUBJECT_PATTERN.test(payload.sub)) {
    throw new AuthError(401, 'INVALID_TOKEN', 'the token has no valid subject');
  }
  // jsonwebtoken checks exp only when present: a token without one would never expire.
  if (typeof payload.exp !== 'number') throw new AuthError(401, 'INVALID_TOKEN', 'the token has no expiry (exp)');
  if (!isRole(payload.role)) throw new AuthError(401, 'INVALID_TOKEN', 'the token has no valid role');
  return { actor: { id: payload.sub, role: payload.role }, exp: payload.exp };
}

/**
 * The signing secret: FUNDTRAIL_JWT_SECRET when set; in embedded mode one generated once into the
 * data directory, so `npm start` and `npm run cli -- token` agree without configuration.
 */
export function resolveJwtSecret(options: { jwtSecret?: string; databaseUrl?: string; dataDir: string }): string {
  if (options.jwtSecret) return options.jwtSecret;
  if (options.databaseUrl) {
    throw new Error('FUNDTRAIL_JWT_SECRET must be set (at least 32 characters) when DATABASE_URL is set');
  }
  const path = join(options.dataDir, 'jwt-secret');
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  mkdirSync(options.dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(path, secret, { mode: 0o600, flag: 'wx' });
  return secret;
}
