import { createHmac, generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { type Role, ROLES } from '@fundtrail/auth';
import {
  type Answer,
  type ApiProcess,
  call,
  freshDatabase,
  type FreshDatabase,
  leakedSecrets,
  mustPost,
  PROBLEM_JSON,
  readLog,
  recordFigures,
  RELIABILITY_SECRET,
  sleep,
  spawnApi,
  token,
  waitForCatchUp,
} from './support/reliability';

/**
 * Promise 6 (security): forged, expired, wrong-algorithm (none, RS/HS confusion with a real RSA
 * key) and wrong-secret tokens are 401; every GET route × every role matches DESIGN §5 (the POST
 * routes × roles are tests/e2e/role-matrix); the actor on an event is the token's, whatever the
 * request says; secrets never appear in the logs; helmet's headers are on every answer; and
 * repeated 401s from one address are rate limited (429 problem+json with Retry-After).
 */

const b64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);
const claims = (role: string = 'admin', sub = 'mallory') => ({ sub, role, iss: 'fundtrail', iat: now(), exp: now() + 3600 });

function handMade(header: object, payload: object, sign: (input: string) => string): string {
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
  return `${input}.${sign(input)}`;
}

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const rsaPublicPem = rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });

/** Tokens that must never authenticate, with the 401 code each gets. */
const BAD_TOKENS: readonly [string, () => string, string][] = [
  [
    'signature tampered (last byte)',
    () => {
      const t = token('admin', 'mallory');
      return `${t.slice(0, -2)}${t.endsWith('AA') ? 'BB' : 'AA'}`;
    },
    'INVALID_TOKEN',
  ],
  [
    'payload swapped under a valid signature (clerk -> admin)',
    () => {
      const [h, , s] = token('clerk', 'mallory').split('.');
      return `${h}.${b64url(JSON.stringify(claims('admin')))}.${s}`;
    },
    'INVALID_TOKEN',
  ],
  ['expired an hour ago', () => jwt.sign({ ...claims(), iat: now() - 7200, exp: now() - 3600 }, RELIABILITY_SECRET, { algorithm: 'HS256' }), 'TOKEN_EXPIRED'],
  ['alg none, no signature', () => handMade({ alg: 'none', typ: 'JWT' }, claims(), () => ''), 'INVALID_TOKEN'],
  [
    'alg NONE with the right HMAC',
    () => handMade({ alg: 'NONE', typ: 'JWT' }, claims(), (i) => createHmac('sha256', RELIABILITY_SECRET).update(i).digest('base64url')),
    'INVALID_TOKEN',
  ],
  ['RS256 signed with a real RSA private key', () => jwt.sign(claims(), rsa.privateKey, { algorithm: 'RS256' }), 'INVALID_TOKEN'],
  [
    'HS256 keyed with the RSA public key PEM (RS/HS confusion)',
    () => handMade({ alg: 'HS256', typ: 'JWT' }, claims(), (i) => createHmac('sha256', rsaPublicPem).update(i).digest('base64url')),
    'INVALID_TOKEN',
  ],
  [
    'RS256 header, HMAC-signed with the real secret (confusion the other way)',
    () => handMade({ alg: 'RS256', typ: 'JWT' }, claims(), (i) => createHmac('sha256', RELIABILITY_SECRET).update(i).digest('base64url')),
    'INVALID_TOKEN',
  ],
  ['ES256 signed with an EC key', () => jwt.sign(claims(), ec.privateKey, { algorithm: 'ES256' }), 'INVALID_TOKEN'],
  ['HS384 with the right secret', () => jwt.sign(claims(), RELIABILITY_SECRET, { algorithm: 'HS384' }), 'INVALID_TOKEN'],
  [
    'jku/kid pointing at an attacker key',
    () =>
      handMade({ alg: 'HS256', typ: 'JWT', kid: '../../dev/null', jku: 'https://evil.example/jwks' }, claims(), (i) =>
        createHmac('sha256', '').update(i).digest('base64url'),
      ),
    'INVALID_TOKEN',
  ],
  ['wrong secret', () => jwt.sign(claims(), 'a-different-secret-that-is-long-enough-0123456789', { algorithm: 'HS256' }), 'INVALID_TOKEN'],
  ['empty secret', () => handMade({ alg: 'HS256', typ: 'JWT' }, claims(), (i) => createHmac('sha256', '').update(i).digest('base64url')), 'INVALID_TOKEN'],
  ['not yet valid', () => jwt.sign({ ...claims(), nbf: now() + 3600 }, RELIABILITY_SECRET, { algorithm: 'HS256' }), 'INVALID_TOKEN'],
  [
    'no exp claim, signed with the real secret (it would never expire)',
    () => jwt.sign({ sub: 'mallory', role: 'admin', iss: 'fundtrail', iat: now() }, RELIABILITY_SECRET, { algorithm: 'HS256' }),
    'INVALID_TOKEN',
  ],
  [
    'exp that is not a number of seconds',
    () => handMade({ alg: 'HS256', typ: 'JWT' }, { ...claims(), exp: 'never' }, (i) => createHmac('sha256', RELIABILITY_SECRET).update(i).digest('base64url')),
    'INVALID_TOKEN',
  ],
];

/** DESIGN §5, the GET side (admin may do everything; POST × role is tests/e2e/role-matrix). */
const EVERYONE: readonly Role[] = ['clerk', 'budget-officer', 'auditor', 'analyst'];
const GET_MATRIX: readonly { path: string; allowed: readonly Role[] }[] = [
  { path: '/api/projects', allowed: EVERYONE },
  { path: '/api/projects/sec-p', allowed: EVERYONE },
  { path: '/api/projects/sec-p/figures', allowed: EVERYONE },
  { path: '/api/projects/sec-p/figures/received_total/trace', allowed: ['auditor', 'analyst'] },
  { path: '/api/projects/sec-p/events', allowed: ['auditor'] },
  { path: '/api/projects/sec-p/history?asOf=2099-01-01', allowed: ['auditor'] },
  { path: '/api/bonds/sec-b', allowed: EVERYONE },
  { path: '/api/portfolio/figures', allowed: EVERYONE },
  { path: '/api/audit/verify', allowed: ['auditor'] },
];
const PUBLIC = ['/health', '/metrics', '/docs'];

const HELMET: Record<string, RegExp> = {
  'content-security-policy': /default-src 'self'/,
  'strict-transport-security': /max-age=\d+/,
  'x-content-type-options': /^nosniff$/,
  'x-frame-options': /^SAMEORIGIN$/,
  'referrer-policy': /^no-referrer$/,
  'cross-origin-opener-policy': /^same-origin$/,
  'cross-origin-resource-policy': /^same-origin$/,
  'x-dns-prefetch-control': /^off$/,
  'x-permitted-cross-domain-policies': /^none$/,
};

describe('security (issue 7.6)', () => {
  let db: FreshDatabase;
  let api: ApiProcess;
  const officer = token('budget-officer', 'officer-sec');
  const clerk = token('clerk', 'clerk-sec');
  const figures: Record<string, unknown> = {};
  const sentAuthorization: string[] = [];

  beforeAll(async () => {
    db = await freshDatabase();
    // The limiter is off here: these tests send dozens of bad tokens on purpose. The rate-limiting
    // tests below start their own API with the defaults (NODE_ENV=production: 20 per 60 s).
    api = await spawnApi(db.url, { LOG_LEVEL: 'debug', FUNDTRAIL_AUTH_FAILURE_LIMIT: '0' });
    await api.waitReady();
    await mustPost(api.base, '/api/projects', officer, { projectId: 'sec-p', name: '安全测试', department: '区财政局', category: 'testing' });
    await mustPost(api.base, '/api/projects/sec-p/receipts', clerk, { receiptId: 'sec-r', source: 'other', amount: '1000.00' });
    await mustPost(api.base, '/api/bonds', officer, { bondId: 'sec-b', name: '债券', kind: 'special', amount: '100.00', issueDate: '2024-01-01' });
    await waitForCatchUp(db.url);
  }, 60_000);
  afterAll(async () => {
    recordFigures('security', figures);
    await api?.stop('SIGKILL');
    await db?.drop();
  });

  it('bad tokens (forged, expired, alg none, RS/HS confusion, wrong secret, …) are 401 problem+json on reads and writes', async () => {
    const results: string[] = [];
    for (const [name, make, code] of BAD_TOKENS) {
      for (const [method, path, body] of [
        ['GET', '/api/projects/sec-p', undefined],
        ['POST', '/api/projects/sec-p/receipts', { receiptId: 'sec-forged', source: 'other', amount: '1.00' }],
      ] as const) {
        const value = make();
        sentAuthorization.push(`Bearer ${value}`);
        const answer = await call(api.base, method, path, { token: value, body });
        results.push(`${name} ${method}: ${answer.status} ${answer.body?.code}`);
        expect({ name, method, status: answer.status, code: answer.body?.code, type: answer.contentType }).toEqual({
          name,
          method,
          status: 401,
          code,
          type: expect.stringMatching(PROBLEM_JSON),
        });
        expect(answer.headers?.get('www-authenticate')).toMatch(/^Bearer/);
      }
    }
    expect((await readLog(db.url)).filter((e) => e.data.receiptId === 'sec-forged')).toEqual([]);
    figures.badTokens = { kinds: BAD_TOKENS.length, requests: results.length, all401: true };
  });

  it('every GET route × every role matches DESIGN §5; public routes need no token', async () => {
    const roles = [...ROLES] as Role[];
    let checked = 0;
    for (const route of GET_MATRIX) {
      for (const role of roles) {
        const answer = await call(api.base, 'GET', route.path, { token: token(role, `${role}-matrix`) });
        const allowed = role === 'admin' || route.allowed.includes(role);
        expect({ path: route.path, role, status: answer.status }).toEqual({ path: route.path, role, status: allowed ? 200 : 403 });
        if (!allowed) expect(answer.body.code).toBe('FORBIDDEN');
        checked += 1;
      }
      const anonymous = await call(api.base, 'GET', route.path);
      expect(anonymous.status).toBe(401);
    }
    for (const path of PUBLIC) {
      const answer = await call(api.base, 'GET', path);
      expect({ path, status: answer.status }).toEqual({ path, status: 200 });
    }
    figures.getRoleMatrix = { routes: GET_MATRIX.length, roles: roles.length, checked, public: PUBLIC.length };
  });

  it('the actor is the token: body fields, spoofing headers and extra claims change nothing; keys are scoped per actor', async () => {
    const spoof = { 'X-User-Id': 'admin', 'X-Actor': 'admin', 'X-Forwarded-User': 'admin', 'X-Forwarded-For': '10.0.0.1', 'X-Role': 'admin' };
    const withActor = await call(api.base, 'POST', '/api/projects/sec-p/disbursements', {
      token: clerk,
      body: { disbursementId: 'sec-d1', amount: '1.00', category: 'other', actor: { id: 'admin', role: 'admin' } },
    });
    expect(withActor.status).toBe(400);
    expect(withActor.body.errors.map((e: { field: string }) => e.field)).toContain('actor');
    // A token with extra claims that look like another actor: the event records sub and role only.
    const extra = jwt.sign(
      { role: 'clerk', actor: { id: 'admin', role: 'admin' }, name: 'admin', roles: ['admin'], act: { sub: 'admin' } },
      RELIABILITY_SECRET,
      {
        algorithm: 'HS256',
        subject: 'clerk-real',
        issuer: 'fundtrail',
        expiresIn: '1h',
      },
    );
    const posted = await call(api.base, 'POST', '/api/projects/sec-p/disbursements', {
      token: extra,
      headers: spoof,
      idempotencyKey: 'sec-shared-key',
      body: { disbursementId: 'sec-d2', amount: '1.00', category: 'other' },
    });
    expect(posted.status).toBe(201);
    const [event] = (await readLog(db.url)).filter((e) => e.event_id === posted.body.eventIds[0]);
    expect(event.metadata.actor).toEqual({ id: 'clerk-real', role: 'clerk' });
    // Another clerk reusing the same Idempotency-Key does not get the first clerk's stored answer.
    const other = await call(api.base, 'POST', '/api/projects/sec-p/disbursements', {
      token: token('clerk', 'clerk-other'),
      idempotencyKey: 'sec-shared-key',
      body: { disbursementId: 'sec-d2', amount: '1.00', category: 'other' },
    });
    expect(other.headers?.get('idempotency-replayed')).toBeNull();
    expect({ status: other.status, code: other.body.code }).toEqual({ status: 409, code: 'DUPLICATE_ID' });
    // A clerk cannot undo a payment, whatever it claims.
    const reversal = await call(api.base, 'POST', '/api/projects/sec-p/disbursements/sec-d2/reversal', { token: extra, headers: spoof, body: { reason: 'x' } });
    expect(reversal.status).toBe(403);
    figures.actorSpoofing = {
      bodyActor: 400,
      extraClaimsRecordedAs: event.metadata.actor,
      keyReuseByAnotherActor: `${other.status} ${other.body.code}`,
      clerkReversal: 403,
    };
  });

  it("helmet's headers are on every kind of answer (200, 201, 400, 401, 403, 404, 413)", async () => {
    const answers: [string, Answer][] = [
      ['200 health', await call(api.base, 'GET', '/health')],
      ['200 read', await call(api.base, 'GET', '/api/projects', { token: clerk })],
      [
        '201 write',
        await call(api.base, 'POST', '/api/projects/sec-p/contracts', { token: clerk, body: { contractId: 'sec-c1', counterparty: '某公司', amount: '1.00' } }),
      ],
      ['400', await call(api.base, 'POST', '/api/projects/sec-p/contracts', { token: clerk, body: { contractId: 'X' } })],
      ['401', await call(api.base, 'GET', '/api/projects')],
      ['403', await call(api.base, 'GET', '/api/audit/verify', { token: clerk })],
      ['404', await call(api.base, 'GET', '/nothing-here')],
      ['413', await call(api.base, 'POST', '/api/projects/sec-p/contracts', { token: clerk, body: { counterparty: 'x'.repeat(70_000) } })],
    ];
    for (const [what, answer] of answers) {
      for (const [header, pattern] of Object.entries(HELMET)) {
        expect({ what, header, value: answer.headers?.get(header) }).toEqual({ what, header, value: expect.stringMatching(pattern) });
      }
      expect({ what, poweredBy: answer.headers?.get('x-powered-by') }).toEqual({ what, poweredBy: null });
    }
    expect(answers.map(([what, a]) => `${what}:${a.status}`)).toEqual([
      '200 health:200',
      '200 read:200',
      '201 write:201',
      '400:400',
      '401:401',
      '403:403',
      '404:404',
      '413:413',
    ]);
    figures.helmet = { headers: Object.keys(HELMET), answersChecked: answers.length };
  });

  it('rate limiting (defaults: 20 failures per 60 s): the 21st failure is 429 problem+json with Retry-After; valid tokens and public routes still pass', async () => {
    const defaults = await spawnApi(db.url, { LOG_LEVEL: 'warn' });
    try {
      await defaults.waitReady();
      const statuses: number[] = [];
      let limitedAnswer: Answer | undefined;
      for (let i = 0; i < 24; i += 1) {
        const answer = await call(defaults.base, 'GET', '/api/projects', { headers: { authorization: `Bearer not.a.token${i}` } });
        statuses.push(answer.status);
        if (answer.status === 429) limitedAnswer = answer;
      }
      expect(statuses).toEqual([...Array(20).fill(401), ...Array(4).fill(429)]);
      expect(limitedAnswer?.contentType).toMatch(PROBLEM_JSON);
      expect(limitedAnswer?.body).toMatchObject({ status: 429, code: 'TOO_MANY_AUTH_FAILURES' });
      const retryAfter = Number(limitedAnswer?.headers?.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(50);
      expect(retryAfter).toBeLessThanOrEqual(60);
      for (const [header, pattern] of Object.entries(HELMET)) expect(limitedAnswer?.headers?.get(header)).toMatch(pattern);
      // No token at all is a failure too, while limited; writes are limited like reads.
      expect((await call(defaults.base, 'GET', '/api/projects')).status).toBe(429);
      expect((await call(defaults.base, 'POST', '/api/projects/sec-p/receipts', { token: 'x.y.z', body: {} })).status).toBe(429);
      // A valid token from the same address, and the public routes, still pass.
      expect((await call(defaults.base, 'GET', '/api/projects', { token: clerk })).status).toBe(200);
      expect((await call(defaults.base, 'GET', '/health')).status).toBe(200);
      figures.rateLimitDefaults = { failuresSent: statuses.length, firstLimitedAt: statuses.indexOf(429) + 1, retryAfterSeconds: retryAfter };
    } finally {
      await defaults.stop('SIGKILL');
    }
  }, 60_000);

  it('rate limiting is configurable (FUNDTRAIL_AUTH_FAILURE_LIMIT, FUNDTRAIL_AUTH_FAILURE_WINDOW_SECONDS) and lifts when the window passes', async () => {
    const limited = await spawnApi(db.url, { FUNDTRAIL_AUTH_FAILURE_LIMIT: '3', FUNDTRAIL_AUTH_FAILURE_WINDOW_SECONDS: '2', LOG_LEVEL: 'warn' });
    try {
      await limited.waitReady();
      const statuses: number[] = [];
      for (let i = 0; i < 5; i += 1) statuses.push((await call(limited.base, 'GET', '/api/projects', { token: 'x.y.z' })).status);
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
      const limitedAnswer = await call(limited.base, 'POST', '/api/projects/sec-p/receipts', { token: 'x.y.z', body: {} });
      expect(Number(limitedAnswer.headers?.get('retry-after'))).toBeLessThanOrEqual(2);
      await sleep(Number(limitedAnswer.headers?.get('retry-after')) * 1000 + 100);
      expect((await call(limited.base, 'GET', '/api/projects', { token: 'x.y.z' })).status).toBe(401);
      figures.rateLimitConfigured = { limit: 3, windowSeconds: 2, statuses: statuses.join(' '), liftedAfterWindow: true };
    } finally {
      await limited.stop('SIGKILL');
    }
    const invalid = await spawnApi(db.url, { FUNDTRAIL_AUTH_FAILURE_LIMIT: 'lots' });
    expect(await invalid.exited).not.toBe(0);
    expect(invalid.output()).toMatch(/FUNDTRAIL_AUTH_FAILURE_LIMIT must be an integer/);
  }, 60_000);

  it('secrets never reach the log: JWT secret, tokens and Authorization values (debug level)', async () => {
    await sleep(200);
    const output = api.output();
    const secrets: Record<string, string> = { 'JWT secret': RELIABILITY_SECRET, 'officer token': officer, 'clerk token': clerk };
    sentAuthorization.forEach((value, i) => {
      const signature = value.split('.')[2];
      if (signature && signature.length >= 16) secrets[`sent token ${i} signature`] = signature;
    });
    expect(leakedSecrets(output, secrets)).toEqual([]);
    expect(output).toMatch(/"status":401/); // the scan saw the failed requests' log lines
    figures.logScan = { bytes: output.length, secretsLookedFor: Object.keys(secrets).length, found: 0 };
  });
});
