import { createHmac } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { AuthError, signToken, verifyToken } from './tokens';

const SECRET = 'unit-secret-that-is-long-enough-for-hs256-0123456789';
const now = () => Math.floor(Date.now() / 1000);
const claims = { sub: 'clerk-1', role: 'clerk', iss: 'fundtrail' };

/** Signed by hand: jsonwebtoken itself refuses to sign a malformed exp. */
function handSigned(payload: object): string {
  const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(payload)}`;
  return `${input}.${createHmac('sha256', SECRET).update(input).digest('base64url')}`;
}

function refusal(token: string): AuthError {
  try {
    verifyToken(token, SECRET);
  } catch (error) {
    if (error instanceof AuthError) return error;
    throw error;
  }
  throw new Error('the token was accepted');
}

describe('verifyToken', () => {
  it('accepts a signed token with an expiry', () => {
    expect(verifyToken(jwt.sign({ ...claims, exp: now() + 60 }, SECRET, { algorithm: 'HS256' }), SECRET)).toEqual({ id: 'clerk-1', role: 'clerk' });
  });

  it('refuses a token without exp: it would never expire', () => {
    const token = jwt.sign(claims, SECRET, { algorithm: 'HS256' });
    expect(jwt.decode(token)).not.toHaveProperty('exp');
    expect(refusal(token)).toMatchObject({ status: 401, code: 'INVALID_TOKEN' });
  });

  it('refuses an exp that is not a number of seconds', () => {
    const token = handSigned({ ...claims, iat: now(), exp: String(now() + 60) });
    expect(refusal(token)).toMatchObject({ status: 401, code: 'INVALID_TOKEN' });
  });

  it('reports an expired token as such', () => {
    const token = jwt.sign({ ...claims, iat: now() - 120, exp: now() - 60 }, SECRET, { algorithm: 'HS256' });
    expect(refusal(token)).toMatchObject({ status: 401, code: 'TOKEN_EXPIRED' });
  });
});

describe('verifyToken on a token it verified before', () => {
  afterEach(() => jest.useRealTimers());

  it('still refuses it once expired, at the same second as a first verification would', () => {
    jest.useFakeTimers({ now: Date.now() });
    const token = jwt.sign({ ...claims, exp: now() + 60 }, SECRET, { algorithm: 'HS256' });
    expect(verifyToken(token, SECRET)).toEqual({ id: 'clerk-1', role: 'clerk' });
    jest.setSystemTime(Date.now() + 64_000); // within exp + the 5 s clock tolerance
    expect(verifyToken(token, SECRET)).toEqual({ id: 'clerk-1', role: 'clerk' });
    jest.setSystemTime(Date.now() + 2_000); // past it
    expect(refusal(token)).toMatchObject({ status: 401, code: 'TOKEN_EXPIRED' });
    expect(refusal(token)).toMatchObject({ status: 401, code: 'TOKEN_EXPIRED' });
  });

  it('accepts it only under the secret that verified it', () => {
    const token = jwt.sign({ ...claims, exp: now() + 60 }, SECRET, { algorithm: 'HS256' });
    expect(verifyToken(token, SECRET)).toEqual({ id: 'clerk-1', role: 'clerk' });
    expect(() => verifyToken(token, `${SECRET}-other`)).toThrow(expect.objectContaining({ code: 'INVALID_TOKEN' }));
    expect(verifyToken(token, SECRET)).toEqual({ id: 'clerk-1', role: 'clerk' });
  });

  it('hands out a fresh actor each time (a caller changing it does not change the next)', () => {
    const token = jwt.sign({ ...claims, exp: now() + 60 }, SECRET, { algorithm: 'HS256' });
    const first = verifyToken(token, SECRET) as { id: string };
    first.id = 'someone-else';
    expect(verifyToken(token, SECRET)).toEqual({ id: 'clerk-1', role: 'clerk' });
  });
});

describe('signToken', () => {
  const lifetime = (token: string) => {
    const payload = jwt.decode(token) as { iat: number; exp: number };
    return payload.exp - payload.iat;
  };

  it('always sets exp: 8 hours by default, or the lifetime asked for', () => {
    expect(lifetime(signToken({ sub: 'a', role: 'auditor' }, SECRET))).toBe(8 * 3600);
    expect(lifetime(signToken({ sub: 'a', role: 'auditor' }, SECRET, '30m'))).toBe(1800);
    expect(lifetime(signToken({ sub: 'a', role: 'auditor' }, SECRET, '7d'))).toBe(7 * 86400);
    expect(lifetime(signToken({ sub: 'a', role: 'auditor' }, SECRET, '45s'))).toBe(45);
    expect(lifetime(signToken({ sub: 'a', role: 'auditor' }, SECRET, '90'))).toBe(90);
  });

  it.each(['', 'never', '0', '0h', '-1h', '1.5h', '8 hours', '1e3', '1y', ' 8h'])('refuses the lifetime %j', (value) => {
    expect(() => signToken({ sub: 'a', role: 'auditor' }, SECRET, value)).toThrow(RangeError);
  });
});
