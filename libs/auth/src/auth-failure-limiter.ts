/**
 * Rate limiting of failed authentication: after `maxFailures` 401 answers to one client
 * address within `windowSeconds`, requests from that address that do not carry a valid token are
 * answered 429 with Retry-After until the oldest of those failures leaves the window. A valid
 * token is never refused by the limiter, so an attacker cannot lock colleagues behind the same
 * address out of the API; guessing a token gains nothing (HS256, ≥ 32-character secret), the
 * limiter is about flooding: it caps the 401 work and log lines one address can cause.
 *
 * In-process and per API instance (no shared store): the bound is per process.
 */
export interface AuthFailureLimits {
  /** Failures tolerated per address and window; 0 turns the limiter off. */
  maxFailures: number;
  windowSeconds: number;
}

export const DEFAULT_AUTH_FAILURE_LIMITS: AuthFailureLimits = { maxFailures: 20, windowSeconds: 60 };

export class AuthFailureLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthFailureLimitError';
  }
}

function integerSetting(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new AuthFailureLimitError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return Number(raw);
}

/**
 * FUNDTRAIL_AUTH_FAILURE_LIMIT (default 20; 0 = off) and FUNDTRAIL_AUTH_FAILURE_WINDOW_SECONDS
 * (default 60). Under Jest (NODE_ENV=test) the limit defaults to off, because suites there send
 * hundreds of deliberately bad tokens from 127.0.0.1; set the variable to test the limiter.
 */
export function authFailureLimitsFromEnv(env: NodeJS.ProcessEnv): AuthFailureLimits {
  const fallback = env.NODE_ENV === 'test' ? 0 : DEFAULT_AUTH_FAILURE_LIMITS.maxFailures;
  return {
    maxFailures: integerSetting(env, 'FUNDTRAIL_AUTH_FAILURE_LIMIT', fallback, 0, 1_000_000),
    windowSeconds: integerSetting(env, 'FUNDTRAIL_AUTH_FAILURE_WINDOW_SECONDS', DEFAULT_AUTH_FAILURE_LIMITS.windowSeconds, 1, 86_400),
  };
}

export class AuthFailureLimiter {
  /** Per address, the times (ms) of its most recent failures, oldest first, at most maxFailures. */
  private readonly failures = new Map<string, number[]>();

  constructor(
    readonly limits: AuthFailureLimits,
    private readonly now: () => number = Date.now,
    /** Addresses remembered at most (oldest forgotten first), so address spraying cannot exhaust memory. */
    private readonly maxClients = 10_000,
  ) {}

  get enabled(): boolean {
    return this.limits.maxFailures > 0;
  }

  /** Seconds until `client` may fail again; 0 when it is not limited. */
  retryAfterSeconds(client: string): number {
    if (!this.enabled) return 0;
    const times = this.failures.get(client);
    if (!times || times.length < this.limits.maxFailures) return 0;
    const until = times[0] + this.limits.windowSeconds * 1000;
    const left = until - this.now();
    if (left <= 0) return 0;
    return Math.max(1, Math.ceil(left / 1000));
  }

  recordFailure(client: string): void {
    if (!this.enabled) return;
    const now = this.now();
    const horizon = now - this.limits.windowSeconds * 1000;
    const times = (this.failures.get(client) ?? []).filter((t) => t > horizon);
    times.push(now);
    while (times.length > this.limits.maxFailures) times.shift();
    this.failures.delete(client); // re-inserted last: the map's order is least recently failed first
    this.failures.set(client, times);
    while (this.failures.size > this.maxClients) {
      const oldest = this.failures.keys().next().value;
      if (oldest === undefined) break;
      this.failures.delete(oldest);
    }
  }
}
