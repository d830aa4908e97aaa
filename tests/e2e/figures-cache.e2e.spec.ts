import { type ApiHarness, startApi } from '../support/api-harness';
import { runSql } from '../support/test-database';

/**
 * GET /figures answers from figures kept computed per version of the project's read-model row
 * (ReadModelQueries.project). Whatever changes the row (the projector, a rebuild, an UPDATE behind
 * the API's back) or the checkpoint is answered at once; a repeated read is the same answer, byte
 * for byte, as the first.
 */
describe('figures kept computed per read-model row version', () => {
  let api: ApiHarness;
  let officer: string;
  let clerk: string;
  let lastPosition = 0;
  beforeAll(async () => {
    api = await startApi();
    officer = `Bearer ${api.token('budget-officer')}`;
    clerk = `Bearer ${api.token('clerk')}`;
  });
  afterAll(async () => api.close());

  const post = async (path: string, token: string, body: object) => {
    const response = await api.http.post(path).set('Authorization', token).send(body);
    expect(response.status).toBe(201);
    lastPosition = response.body.globalPosition;
  };
  const figures = async (projectId: string) => {
    const response = await api.http.get(`/api/projects/${projectId}/figures?minPosition=${lastPosition}`).set('Authorization', clerk);
    expect(response.status).toBe(200);
    return response;
  };
  const value = (body: { figures: Array<{ key: string; value: string | null }> }, key: string) => body.figures.find((f) => f.key === key)?.value;
  const register = (projectId: string) =>
    post('/api/projects', officer, { projectId, name: `项目 ${projectId}`, department: '区住建局', category: 'drainage', plannedTotal: '1000000.00' });

  it('repeats the same answer, follows every write, the checkpoint, a change behind its back and a deleted row', async () => {
    await register('cache-a');
    await post('/api/projects/cache-a/receipts', clerk, { receiptId: 'r1', source: 'special-bond', amount: '400000.00', effectiveDate: '2024-08-08' });
    const first = await figures('cache-a');
    const again = await figures('cache-a');
    expect(again.text).toBe(first.text);
    expect(value(first.body, 'received_total')).toBe('400000.00');

    // A write to the project: a new row version.
    await post('/api/projects/cache-a/receipts', clerk, { receiptId: 'r2', source: 'special-bond', amount: '100000.00', effectiveDate: '2024-08-09' });
    const written = await figures('cache-a');
    expect(value(written.body, 'received_total')).toBe('500000.00');
    expect(value(written.body, 'arrival_rate')).toBe('50.00');

    // A write to another project moves the checkpoint: same row, figures as of the new position.
    await register('cache-b');
    const moved = await figures('cache-a');
    expect(moved.body.asOfPosition).toBe(String(lastPosition));
    expect(moved.body.figures.every((f: { asOfPosition: string }) => f.asOfPosition === String(lastPosition))).toBe(true);
    expect(value(moved.body, 'received_total')).toBe('500000.00');
    expect(moved.body.asOfPosition).not.toBe(written.body.asOfPosition);

    // The row changed behind the API's back (as a rebuild or an operator would): answered at once.
    const { rows } = (await runSql(api.db.url, "SELECT terms FROM project_read_models WHERE project_id = 'cache-a'")) as { rows: Array<{ terms: unknown }> };
    const tampered = JSON.parse(JSON.stringify(rows[0].terms).replace(/"50000000"/g, '"60000000"'));
    expect(JSON.stringify(tampered)).not.toBe(JSON.stringify(rows[0].terms));
    await runSql(api.db.url, "UPDATE project_read_models SET terms = $1 WHERE project_id = 'cache-a'", [JSON.stringify(tampered)]);
    const changed = await figures('cache-a');
    expect(value(changed.body, 'received_total')).toBe('600000.00');

    await runSql(api.db.url, "DELETE FROM project_read_models WHERE project_id = 'cache-a'");
    const gone = await api.http.get('/api/projects/cache-a/figures').set('Authorization', clerk);
    expect(gone.status).toBe(404);
  });
});
