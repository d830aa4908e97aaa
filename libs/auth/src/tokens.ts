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

export function signToken(actor: { sub: string; role: Role }, secret: string, expiresIn = '8h'): string {
  if (!SUBJECT_PATTERN.test(actor.sub)) throw new RangeError(`sub must match ${SUBJECT_PATTERN}`);
  if (!isRole(actor.role)) throw new RangeError(`unknown role ${String(actor.role)}`);
  return jwt.sign({ role: actor.role }, secret, {
    algorithm: 'HS256',
    subject: actor.sub,
    expiresIn: expiresIn as jwt.SignOptions['expiresIn'],
    issuer: 'fundtrail',
  });
}

/** Verifies an HS256 token (no other algorithm is ever accepted) and returns the actor it names. */
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

export function verifyToken(token: string, secret: string): Actor {
  let payload: jwt.JwtPayload | string;
  try {
    payload = jwt.verify(token, secretKey(secret), { algorithms: ['HS256'], issuer: 'fundtrail', clockTolerance: 5 });
  } catch (error) {
    if (error instanceof jwt.TokenExpiredError) throw new AuthError(401, 'TOKEN_EXPIRED', 'the token has expired');
    throw new AuthError(401, 'INVALID_TOKEN', 'the token is not valid');
  }
  if (typeof payload === 'string' || typeof payload.sub !== 'string' || !SUBJECT_PATTERN.test(payload.sub)) {
    throw new AuthError(401, 'INVALID_TOKEN', 'the token has no valid subject');
  }
  if (!isRole(payload.role)) throw new AuthError(401, 'INVALID_TOKEN', 'the token has no valid role');
  return { id: payload.sub, role: payload.role };
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
