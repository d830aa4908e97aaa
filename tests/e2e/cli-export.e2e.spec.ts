import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type ApiHarness, startApi, TEST_JWT_SECRET } from '../support/api-harness';

const run = promisify(execFile);
const CLI = join(__dirname, '..', '..', 'dist', 'apps', 'cli', 'src', 'main.js');

describe('CLI export and token beside a running API', () => {
  let api: ApiHarness;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    api = await startApi();
    env = { ...process.env, DATABASE_URL: api.db.url, FUNDTRAIL_JWT_SECRET: TEST_JWT_SECRET };
    const officer = `Bearer ${api.token('budget-officer')}`;
    await api.http
      .post('/api/projects')
      .set('Authorization', officer)
      .send({ projectId: 'p1', name: '项目, "甲"', department: 'd', category: 'c', plannedTotal: '200.00' })
      .expect(201);
    const receipt = await api.http
      .post('/api/projects/p1/receipts')
      .set('Authorization', officer)
      .send({ receiptId: 'r1', source: 'other', amount: '50.00' })
      .expect(201);
    await api.http.get(`/api/projects/p1?minPosition=${receipt.body.globalPosition}`).set('Authorization', officer).expect(200);
  });
  afterAll(async () => api.close());

  it('exports figures as CSV with the formula version and position, quoting names', async () => {
    const { stdout } = await run(process.execPath, [CLI, 'export', 'figures'], { env });
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toBe('project_id,name,key,value,unit,numerator,denominator,formula_version,as_of_position,reason');
    expect(lines).toContain(`p1,"项目, ""甲""",arrival_rate,25.00,percent,50.00,200.00,1,${lines[1].split(',').at(-2)},`);
  });

  it('exports the stream as JSON lines, one verified event per line', async () => {
    const { stdout } = await run(process.execPath, [CLI, 'export', 'events', '--stream', 'project-p1'], { env });
    const events = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(events.map((e) => e.type)).toEqual(['ProjectRegistered', 'FundsReceived']);
    expect(events[1]).toMatchObject({ streamRevision: '1', prevHash: events[0].hash, actor: { id: 'budget-officer-1' } });
  });

  it('prints a token the API accepts, alone on stdout', async () => {
    const { stdout } = await run(process.execPath, [CLI, 'token', '--role', 'auditor', '--sub', 'audit-1'], { env });
    expect(stdout.trim().split('\n')).toHaveLength(1);
    await api.http.get('/api/audit/verify').set('Authorization', `Bearer ${stdout.trim()}`).expect(200);
    await expect(run(process.execPath, [CLI, 'token', '--role', 'boss', '--sub', 'x'], { env })).rejects.toMatchObject({ code: 1 });
  });

  it('every token it prints expires: 8 hours by default, or --expires-in; a lifetime it cannot read is refused', async () => {
    const lifetime = async (...extra: string[]) => {
      const { stdout } = await run(process.execPath, [CLI, 'token', '--role', 'clerk', '--sub', 'c-1', ...extra], { env });
      const payload = JSON.parse(Buffer.from(stdout.trim().split('.')[1], 'base64url').toString('utf8')) as { iat: number; exp?: number };
      return payload.exp === undefined ? undefined : payload.exp - payload.iat;
    };
    expect(await lifetime()).toBe(8 * 3600);
    expect(await lifetime('--expires-in', '30m')).toBe(1800);
    await expect(run(process.execPath, [CLI, 'token', '--role', 'clerk', '--sub', 'c-1', '--expires-in', 'never'], { env })).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('--expires-in'),
    });
  });
});
