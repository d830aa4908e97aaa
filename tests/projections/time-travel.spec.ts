import { type ApiHarness, startApi } from '../support/api-harness';

/**
 * Issue 4 acceptance, time travel (DESIGN §5): `history?asOf=<position | ISO instant>` shows the
 * figures as they stood then, and `events` filters by `toPosition`, `asOfRecorded` (when it was
 * entered) and `asOfEffective` (when it happened). Beyond tests/e2e/queries.e2e.spec.ts, every
 * historic figure is checked against the figures the API actually served at that moment.
 */
type Values = Record<string, string | null>;
interface EventView {
  type: string;
  globalPosition: string;
  streamRevision: string;
  recordedAt: string;
  effectiveDate: string;
  data: Record<string, unknown>;
}

describe('time travel: history and events as they stood', () => {
  let api: ApiHarness;
  let officer: string;
  let clerk: string;
  let auditor: string;
  /** What GET figures answered right after each accepted command. */
  const snapshots: { position: number; figures: Values; label: string }[] = [];
  let reversalPosition = 0;
  let between = '';
  let firstBatchSize = 0;
  const P = 'tt-museum';

  const values = (figures: { key: string; value: string | null }[]): Values => Object.fromEntries(figures.map((f) => [f.key, f.value]));

  async function post(label: string, path: string, token: string, body: object): Promise<number> {
    const response = await api.http.post(path).set('Authorization', token).send(body);
    expect({ label, status: response.status, body: response.body }).toMatchObject({ status: 201 });
    const position = response.body.globalPosition as number;
    const figures = await api.http.get(`/api/projects/${P}/figures?minPosition=${position}`).set('Authorization', auditor);
    expect(figures.status).toBe(200);
    snapshots.push({ position, figures: values(figures.body.figures), label });
    return position;
  }

  beforeAll(async () => {
    api = await startApi();
    officer = `Bearer ${api.token('budget-officer')}`;
    clerk = `Bearer ${api.token('clerk')}`;
    auditor = `Bearer ${api.token('auditor')}`;
    const base = `/api/projects/${P}`;
    // Recorded first, in the order below; effective dates deliberately out of order.
    await post('register', '/api/projects', officer, {
      projectId: P,
      name: '西山区博物馆改扩建项目',
      department: '区文旅局',
      category: 'culture',
      plannedTotal: '80000000.00',
      effectiveDate: '2023-12-01',
    });
    await post('allocation', `${base}/allocations`, officer, {
      allocationId: 'dist-2024',
      source: 'district-budget',
      amount: '30000000.00',
      fiscalYear: 2024,
      effectiveDate: '2024-01-10',
    });
    await post('receipt r1 (effective 2024-03-01)', `${base}/receipts`, clerk, {
      receiptId: 'r1',
      source: 'district-budget',
      amount: '20000000.00',
      allocationId: 'dist-2024',
      effectiveDate: '2024-03-01',
    });
    await post('carry-over (effective 2024-01-02)', `${base}/receipts`, clerk, {
      receiptId: 'carry',
      source: 'carry-over',
      amount: '1500000.00',
      effectiveDate: '2024-01-02',
    });
    await post('contract', `${base}/contracts`, clerk, {
      contractId: 'lot-1',
      counterparty: '云南某建设工程有限公司',
      amount: '12000000.00',
      effectiveDate: '2024-03-05',
    });
    await post('disbursement d1', `${base}/disbursements`, clerk, {
      disbursementId: 'd1',
      amount: '4000000.00',
      category: 'construction',
      receiptId: 'r1',
      contractId: 'lot-1',
      effectiveDate: '2024-03-20',
    });
    firstBatchSize = snapshots.length;
    // The instant between the two batches (recording time).
    await new Promise((resolve) => setTimeout(resolve, 60));
    between = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 60));
    await post('disbursement d2 (back-dated 2024-02-15)', `${base}/disbursements`, clerk, {
      disbursementId: 'd2',
      amount: '2500000.00',
      category: 'engineering-services',
      receiptId: 'r1',
      effectiveDate: '2024-02-15',
    });
    await post('planned total revised', `${base}/planned-total`, officer, { amount: '95000000.00', reason: '初步设计概算调整', effectiveDate: '2024-04-01' });
    reversalPosition = await post('d1 reversed', `${base}/disbursements/d1/reversal`, officer, { reason: '凭证重复录入', effectiveDate: '2024-04-10' });
    await post('indicator', `${base}/indicators`, officer, {
      indicatorId: 'floor-area',
      name: '改扩建面积',
      unit: '平方米',
      target: '12000',
      effectiveDate: '2024-04-15',
    });
    await post('actual', `${base}/indicators/floor-area/actuals`, officer, { actual: '9000.5', effectiveDate: '2024-06-30' });
  });
  afterAll(async () => api?.close());

  const history = (asOf: string | number) => api.http.get(`/api/projects/${P}/history?asOf=${encodeURIComponent(String(asOf))}`).set('Authorization', auditor);
  const events = (query: string) => api.http.get(`/api/projects/${P}/events?${query}`).set('Authorization', auditor);

  it('history at each position equals the figures the API served right after that command', async () => {
    for (const [index, snapshot] of snapshots.entries()) {
      const response = await history(snapshot.position);
      expect(response.status).toBe(200);
      expect({ label: snapshot.label, figures: values(response.body.figures) }).toEqual({ label: snapshot.label, figures: snapshot.figures });
      expect(response.body.asOfPosition).toBe(String(snapshot.position));
      expect(response.body.events).toBe(index + 1);
      // A position between two events shows the earlier state.
      if (index + 1 < snapshots.length && snapshots[index + 1].position - 1 > snapshot.position) {
        const gap = await history(snapshots[index + 1].position - 1);
        expect(values(gap.body.figures)).toEqual(snapshot.figures);
        expect(gap.body.asOfPosition).toBe(String(snapshot.position));
      }
    }
  });

  it('history at a position before the reversal shows the figures before it', async () => {
    const before = await history(reversalPosition - 1);
    const after = await history(reversalPosition);
    const b = values(before.body.figures);
    const a = values(after.body.figures);
    expect(b).toMatchObject({
      disbursed_total: '6500000.00',
      available_balance: '15000000.00',
      'disbursed_by_category:construction': '4000000.00',
      'receipt_usage_rate:r1': '32.50',
      contract_payment_progress: '33.33',
      execution_rate: '30.23', // 6,500,000 / 21,500,000
    });
    expect(a).toMatchObject({
      disbursed_total: '2500000.00',
      available_balance: '19000000.00',
      'disbursed_by_category:construction': '0.00',
      'receipt_usage_rate:r1': '12.50',
      contract_payment_progress: '0.00',
      execution_rate: '11.63',
    });
    // The planned total was revised before the reversal: both see it; arrival excludes carry-over.
    expect(b.planned_total).toBe('95000000.00');
    expect(b.arrival_rate).toBe('21.05'); // 20,000,000 / 95,000,000
    const beforeRevision = await history(snapshots.find((s) => s.label === 'planned total revised')!.position - 1);
    expect(values(beforeRevision.body.figures)).toMatchObject({ planned_total: '80000000.00', arrival_rate: '25.00' });
    // Today's figures are the last ones.
    const now = await api.http.get(`/api/projects/${P}/figures`).set('Authorization', auditor);
    expect(values(now.body.figures)).toEqual(snapshots[snapshots.length - 1].figures);
    expect(values(now.body.figures)['output_completion:floor-area']).toBe('75.00'); // 9000.5 / 12000 = 75.004…
  });

  it('history?asOf=<ISO instant> and events?asOfRecorded= cut at the recording time', async () => {
    const firstBatch = snapshots[firstBatchSize - 1];
    const response = await history(between);
    expect(response.status).toBe(200);
    expect(values(response.body.figures)).toEqual(firstBatch.figures);
    expect(response.body).toMatchObject({ events: firstBatchSize, asOfPosition: String(firstBatch.position) });
    // The same instant written with a +08:00 offset.
    const instant = new Date(between);
    const local = new Date(instant.getTime() + 8 * 3600_000).toISOString().replace('Z', '+08:00');
    const offset = await history(local);
    expect(values(offset.body.figures)).toEqual(firstBatch.figures);

    const recorded = await events(`asOfRecorded=${encodeURIComponent(between)}`);
    expect(recorded.status).toBe(200);
    const list = recorded.body.events as EventView[];
    expect(list).toHaveLength(firstBatchSize);
    for (const event of list) expect(new Date(event.recordedAt).getTime()).toBeLessThanOrEqual(instant.getTime());
    const all = (await events('')).body.events as EventView[];
    expect(all).toHaveLength(snapshots.length);
    for (const event of all.slice(firstBatchSize)) expect(new Date(event.recordedAt).getTime()).toBeGreaterThan(instant.getTime());
    // Before anything was recorded: said, never answered with figures of zero.
    const early = await history('2000-01-01T00:00:00Z');
    expect({ status: early.status, code: early.body.code }).toEqual({ status: 404, code: 'PROJECT_NOT_YET_RECORDED' });
    const beforeFirst = await history(snapshots[0].position - 1);
    expect({ status: beforeFirst.status, code: beforeFirst.body.code }).toEqual({ status: 404, code: 'PROJECT_NOT_YET_RECORDED' });
  });

  it('events?asOfEffective= filters by effective date (inclusive), whatever the recording order', async () => {
    const types = async (date: string) => ((await events(`asOfEffective=${date}`)).body.events as EventView[]).map((e) => `${e.type}@${e.effectiveDate}`);
    expect(await types('2023-11-30')).toEqual([]);
    expect(await types('2024-01-02')).toEqual(['ProjectRegistered@2023-12-01', 'FundsReceived@2024-01-02']);
    // d2 was recorded after d1 but happened before it: it is in, d1 and r1 are not.
    expect(await types('2024-02-15')).toEqual([
      'ProjectRegistered@2023-12-01',
      'FundsAllocated@2024-01-10',
      'FundsReceived@2024-01-02',
      'DisbursementRecorded@2024-02-15',
    ]);
    expect(await types('2024-03-20')).toEqual([
      'ProjectRegistered@2023-12-01',
      'FundsAllocated@2024-01-10',
      'FundsReceived@2024-03-01',
      'FundsReceived@2024-01-02',
      'ContractSigned@2024-03-05',
      'DisbursementRecorded@2024-03-20',
      'DisbursementRecorded@2024-02-15',
    ]);
    expect(await types('2024-04-09')).not.toContain('DisbursementReversed@2024-04-10');
    expect(await types('2024-04-10')).toContain('DisbursementReversed@2024-04-10');
    expect(await types('2030-01-01')).toHaveLength(snapshots.length);
    // Combined with a recording-time cut: both conditions hold.
    const both = (await events(`asOfEffective=2024-02-15&asOfRecorded=${encodeURIComponent(between)}`)).body.events as EventView[];
    expect(both.map((e) => e.type)).toEqual(['ProjectRegistered', 'FundsAllocated', 'FundsReceived']);
  });

  it('events?toPosition= returns the stream up to a position, in stream order', async () => {
    for (const [index, snapshot] of snapshots.entries()) {
      const response = await events(`toPosition=${snapshot.position}`);
      expect(response.body.count).toBe(index + 1);
      const list = response.body.events as EventView[];
      expect(list.map((e) => e.streamRevision)).toEqual(list.map((_, i) => String(i)));
      expect(list[list.length - 1].globalPosition).toBe(String(snapshot.position));
    }
  });
});
