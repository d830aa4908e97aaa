import { type ApiHarness, startApi } from '../support/api-harness';
import { runSql } from '../support/test-database';

describe('query API: figures, trace, events, history, verify', () => {
  let api: ApiHarness;
  let officer: string;
  let clerk: string;
  let auditor: string;
  let lastPosition = 0;
  beforeAll(async () => {
    api = await startApi();
    officer = `Bearer ${api.token('budget-officer')}`;
    clerk = `Bearer ${api.token('clerk')}`;
    auditor = `Bearer ${api.token('auditor')}`;
  });
  afterAll(async () => api.close());

  const post = async (path: string, token: string, body: object) => {
    const response = await api.http.post(path).set('Authorization', token).send(body);
    expect(response.status).toBe(201);
    lastPosition = response.body.globalPosition;
    return response.body as { globalPosition: number; eventIds: string[] };
  };

  it('a client reads its own write with minPosition, and the figures follow DESIGN §4', async () => {
    await post('/api/projects', officer, {
      projectId: 'drain',
      name: '西山区主城区排水项目',
      department: '区住建局',
      category: 'drainage',
      plannedTotal: '447408400.00',
    });
    await post('/api/projects/drain/receipts', clerk, { receiptId: 'bond-2024', source: 'special-bond', amount: '227000000.00', effectiveDate: '2024-08-08' });
    await post('/api/projects/drain/receipts', clerk, { receiptId: 'carry', source: 'carry-over', amount: '1000.00', effectiveDate: '2024-08-08' });
    await post('/api/projects/drain/disbursements', clerk, {
      disbursementId: 'd1',
      amount: '161145300.00',
      category: 'construction',
      receiptId: 'bond-2024',
      effectiveDate: '2024-08-08',
    });
    await post('/api/projects/drain/disbursements', clerk, {
      disbursementId: 'd2',
      amount: '6046300.00',
      category: 'engineering-services',
      receiptId: 'bond-2024',
      effectiveDate: '2024-08-08',
    });
    const response = await api.http.get(`/api/projects/drain/figures?minPosition=${lastPosition}`).set('Authorization', clerk);
    expect(response.status).toBe(200);
    const figures = Object.fromEntries(response.body.figures.map((f: { key: string; value: string | null }) => [f.key, f.value]));
    expect(figures.planned_total).toBe('447408400.00');
    expect(figures.received_total).toBe('227001000.00');
    expect(figures.disbursed_total).toBe('167191600.00');
    expect(figures.arrival_rate).toBe('50.74'); // carry-over excluded
    expect(figures['receipt_usage_rate:bond-2024']).toBe('73.65');
    expect(figures.contract_payment_progress).toBeNull();
    const rate = response.body.figures.find((f: { key: string }) => f.key === 'arrival_rate');
    expect(rate).toMatchObject({ unit: 'percent', numerator: '227000000.00', denominator: '447408400.00', formulaVersion: 1 });
    expect(rate.label.zh).toMatch(/到位率/);
  });

  it('lists projects with headline figures and searches by name', async () => {
    const list = await api.http.get(`/api/projects?search=${encodeURIComponent('排水')}&minPosition=${lastPosition}`).set('Authorization', auditor);
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(1);
    expect(list.body.items[0]).toMatchObject({ projectId: 'drain', name: '西山区主城区排水项目' });
    const none = await api.http.get('/api/projects?search=nothing-like-this').set('Authorization', auditor);
    expect(none.body).toMatchObject({ total: 0, items: [] });
  });

  it('text is one form (NFC): a name sent decomposed is stored composed, and a search finds it typed either way', async () => {
    const registered = await post('/api/projects', officer, { projectId: 'cafe-nfc', name: 'Cafe\u0301 西山', department: '区财政局', category: 'culture' });
    const { rows } = (await runSql(api.db.url, 'SELECT data FROM events WHERE event_id = $1', [registered.eventIds[0]])) as {
      rows: { data: { name: string } }[];
    };
    expect(rows[0].data.name).toBe('Caf\u00e9 西山');
    for (const search of ['Caf\u00e9', 'Cafe\u0301']) {
      const list = await api.http.get(`/api/projects?search=${encodeURIComponent(search)}&minPosition=${lastPosition}`).set('Authorization', auditor);
      expect({ search, status: list.status, total: list.body.total }).toEqual({ search, status: 200, total: 1 });
      expect(list.body.items[0]).toMatchObject({ projectId: 'cafe-nfc', name: 'Caf\u00e9 西山' });
    }
  });

  it('traces every figure to its events: the terms sum to the figure and match the read model', async () => {
    const { body } = await api.http.get(`/api/projects/drain/figures?minPosition=${lastPosition}`).set('Authorization', auditor);
    for (const figure of body.figures as { key: string; value: string | null }[]) {
      const trace = await api.http.get(`/api/projects/drain/figures/${figure.key}/trace`).set('Authorization', auditor);
      expect(trace.status).toBe(200);
      expect(trace.body.matches).toBe(true);
      expect(trace.body.value).toBe(figure.value);
      for (const term of trace.body.terms) {
        expect(term).toMatchObject({ eventId: expect.any(String), globalPosition: expect.any(String), actor: { id: expect.any(String) } });
      }
    }
    const disbursed = await api.http.get('/api/projects/drain/figures/disbursed_total/trace').set('Authorization', auditor);
    expect(disbursed.body.terms.map((t: { signedAmount: string }) => t.signedAmount)).toEqual(['161145300.00', '6046300.00']);
    expect(disbursed.body.matches).toBe(true);
    const clerkTrace = await api.http.get('/api/projects/drain/figures/disbursed_total/trace').set('Authorization', clerk);
    expect(clerkTrace.status).toBe(403);
    const unknown = await api.http.get('/api/projects/drain/figures/no_such_figure/trace').set('Authorization', auditor);
    expect(unknown.status).toBe(404);
  });

  it('history before a reversal shows the figure before it; events filter by position and dates', async () => {
    const before = lastPosition;
    await post('/api/projects/drain/disbursements/d2/reversal', officer, { reason: 'entered twice', effectiveDate: '2024-09-01' });
    const now = await api.http.get(`/api/projects/drain/figures?minPosition=${lastPosition}`).set('Authorization', auditor);
    expect(now.body.figures.find((f: { key: string }) => f.key === 'disbursed_total').value).toBe('161145300.00');
    const then = await api.http.get(`/api/projects/drain/history?asOf=${before}`).set('Authorization', auditor);
    expect(then.status).toBe(200);
    expect(then.body.figures.find((f: { key: string }) => f.key === 'disbursed_total').value).toBe('167191600.00');
    const effective = await api.http.get('/api/projects/drain/events?asOfEffective=2024-08-31').set('Authorization', auditor);
    expect(effective.body.events.map((e: { type: string }) => e.type)).not.toContain('DisbursementReversed');
    const upTo = await api.http.get(`/api/projects/drain/events?toPosition=${before}`).set('Authorization', auditor);
    expect(upTo.body.count).toBe(5);
    const recorded = await api.http.get('/api/projects/drain/events?asOfRecorded=2000-01-01T00:00:00Z').set('Authorization', auditor);
    expect(recorded.body.count).toBe(0);
    const clerkEvents = await api.http.get('/api/projects/drain/events').set('Authorization', clerk);
    expect(clerkEvents.status).toBe(403);
  });

  it('verify passes on an untouched log and names the exact event after tampering', async () => {
    const clean = await api.http.get(`/api/audit/verify?minPosition=${lastPosition}`).set('Authorization', auditor);
    expect(clean.status).toBe(200);
    expect(clean.body).toMatchObject({ ok: true, hashChains: { ok: true }, readModels: { ok: true } });
    const { rows } = (await runSql(
      api.db.url,
      "SELECT event_id, stream_revision FROM events WHERE stream_id = 'project-drain' AND type = 'DisbursementRecorded' ORDER BY stream_revision LIMIT 1",
    )) as {
      rows: { event_id: string; stream_revision: string }[];
    };
    await runSql(
      api.db.url,
      `BEGIN; ALTER TABLE events DISABLE TRIGGER events_append_only;
       UPDATE events SET data = jsonb_set(data, '{amount}', '"1.00"') WHERE event_id = '${rows[0].event_id}';
       ALTER TABLE events ENABLE TRIGGER events_append_only; COMMIT;`,
    );
    const tampered = await api.http.get('/api/audit/verify').set('Authorization', auditor);
    expect(tampered.body.ok).toBe(false);
    expect(tampered.body.hashChains.brokenLinks).toEqual([
      expect.objectContaining({ streamId: 'project-drain', streamRevision: rows[0].stream_revision, eventId: rows[0].event_id, problem: 'hash-mismatch' }),
    ]);
    expect(tampered.body.readModels.differences.length).toBeGreaterThan(0);
  });

  it('bonds and portfolio figures', async () => {
    await post('/api/bonds', officer, { bondId: 'b1', name: '2023年专项债券', kind: 'special', amount: '500.00', issueDate: '2023-06-01' });
    await post('/api/bonds/b1/assignments', officer, { assignmentId: 'a1', projectId: 'drain', amount: '200.00' });
    const bond = await api.http.get(`/api/bonds/b1?minPosition=${lastPosition}`).set('Authorization', clerk);
    expect(bond.status).toBe(200);
    expect(bond.body).toMatchObject({ bondId: 'b1', amount: '500.00', assignedTotal: '200.00', assignments: { a1: { projectId: 'drain', amount: '200.00' } } });
    const portfolio = await api.http.get(`/api/portfolio/figures?minPosition=${lastPosition}`).set('Authorization', clerk);
    expect(portfolio.status).toBe(200);
    expect(portfolio.body.figures.find((f: { key: string }) => f.key === 'received_total').value).toBe('227001200.00');
    const missing = await api.http.get('/api/bonds/nope').set('Authorization', clerk);
    expect(missing.status).toBe(404);
  });

  it('minPosition beyond the log answers 503 with Retry-After within the bound', async () => {
    const started = Date.now();
    const response = await api.http.get(`/api/projects/drain?minPosition=${lastPosition * 2}`).set('Authorization', clerk);
    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBe('1');
    expect(response.body.code).toBe('PROJECTION_BEHIND');
    expect(Date.now() - started).toBeLessThan(8_000);
  });
});
