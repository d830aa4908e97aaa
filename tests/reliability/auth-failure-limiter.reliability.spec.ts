import { AuthFailureLimiter, authFailureLimitsFromEnv } from '@fundtrail/auth';

/** The in-process limiter behind issue 7.6's rate limiting of repeated 401s (libs/auth). */
describe('AuthFailureLimiter', () => {
  it('limits an address after maxFailures within the window, and lifts when the oldest failure leaves it', () => {
    let now = 1_000_000;
    const limiter = new AuthFailureLimiter({ maxFailures: 3, windowSeconds: 10 }, () => now);
    for (let i = 0; i < 3; i += 1) {
      expect(limiter.retryAfterSeconds('a')).toBe(0);
      limiter.recordFailure('a');
      now += 1000;
    }
    // failures at t0, t0+1 s, t0+2 s; now t0+3 s: limited until t0+10 s.
    expect(limiter.retryAfterSeconds('a')).toBe(7);
    expect(limiter.retryAfterSeconds('b')).toBe(0);
    now += 6_500;
    expect(limiter.retryAfterSeconds('a')).toBe(1);
    now += 600;
    expect(limiter.retryAfterSeconds('a')).toBe(0);
    // A sliding window: one new failure puts it back over (t0+1 s and t0+2 s are still inside).
    limiter.recordFailure('a');
    expect(limiter.retryAfterSeconds('a')).toBe(1);
  });

  it('old failures outside the window do not count', () => {
    let now = 0;
    const limiter = new AuthFailureLimiter({ maxFailures: 2, windowSeconds: 5 }, () => now);
    limiter.recordFailure('a');
    now += 6000;
    limiter.recordFailure('a');
    expect(limiter.retryAfterSeconds('a')).toBe(0);
  });

  it('remembers a bounded number of addresses (address spraying cannot exhaust memory)', () => {
    const limiter = new AuthFailureLimiter({ maxFailures: 1, windowSeconds: 60 }, () => 0, 100);
    for (let i = 0; i < 1000; i += 1) limiter.recordFailure(`10.0.${Math.floor(i / 256)}.${i % 256}`);
    expect(limiter.retryAfterSeconds('10.0.0.0')).toBe(0); // forgotten
    expect(limiter.retryAfterSeconds('10.0.3.231')).toBe(60); // the most recent is remembered
  });

  it('is off at 0, and reads its settings from the environment with sane defaults', () => {
    const off = new AuthFailureLimiter({ maxFailures: 0, windowSeconds: 60 });
    for (let i = 0; i < 100; i += 1) off.recordFailure('a');
    expect(off.retryAfterSeconds('a')).toBe(0);
    expect(authFailureLimitsFromEnv({ NODE_ENV: 'production' })).toEqual({ maxFailures: 20, windowSeconds: 60 });
    expect(authFailureLimitsFromEnv({})).toEqual({ maxFailures: 20, windowSeconds: 60 });
    expect(authFailureLimitsFromEnv({ NODE_ENV: 'test' })).toEqual({ maxFailures: 0, windowSeconds: 60 });
    expect(authFailureLimitsFromEnv({ NODE_ENV: 'test', FUNDTRAIL_AUTH_FAILURE_LIMIT: '5', FUNDTRAIL_AUTH_FAILURE_WINDOW_SECONDS: '30' })).toEqual({
      maxFailures: 5,
      windowSeconds: 30,
    });
    expect(() => authFailureLimitsFromEnv({ FUNDTRAIL_AUTH_FAILURE_LIMIT: '-1' })).toThrow(/FUNDTRAIL_AUTH_FAILURE_LIMIT/);
    expect(() => authFailureLimitsFromEnv({ FUNDTRAIL_AUTH_FAILURE_WINDOW_SECONDS: '0' })).toThrow(/FUNDTRAIL_AUTH_FAILURE_WINDOW_SECONDS/);
  });
});
