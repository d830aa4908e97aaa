import { type ApiHarness, startApi } from '../support/api-harness';

/**
 * Figures as of a 截至 day, as known at a moment: project figures and trace, restatement, series
 * (project and portfolio) and the back-dating report, each checked against a fold written here,
 * independently of libs/projections, over the events the log serves. Effective dates are chosen
 * per command; recording times are real and split in two batches by the instant T.
 */
interface EventView {
  eventId: string;
  type: string;
  streamId: string;
  globalPosition: string;
  recordedAt: string;
  effectiveDate: string;
  actor: { id: string; role: string };
  data: Record<string, unknown>;
}
interface FigureView {
  key: string;
  value: string | null;
  asOfPosition: string;
}
type Values = Record<string, string | null>;

const P = 'ft-museum';
const Q = 'ft-library';
const D = '2024-08-31';

// ---- the independent fold --------------------------------------------------------------------

const fen = (yuan: unknown): bigint => {
  const [whole, fraction = ''] = String(yuan).split('.');
  return BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0'));
};
const yuan = (amount: bigint): string =>
  `${amount < 0n ? '-' : ''}${(amount < 0n ? -amount : amount) / 100n}.${String((amount < 0n ? -amount : amount) % 100n).padStart(2, '0')}`;
/** numerator / denominator in percent, rounded half-up to 2 decimals (non-negative terms here). */
const percent = (numerator: bigint, denominator: bigint | undefined): string | null => {
  if (denominator === undefined || denominator === 0n) return null;
  const hundredths = (numerator * 20_000n + denominator) / (2n * denominator);
  return `${hundredths / 100n}.${String(hundredths % 100n).padStart(2, '0')}`;
};

/** The figures this suite checks, folded from a list of events in log order. */
function fold(events: readonly EventView[]): Values {
  let planned: bigint | undefined;
  let received = 0n;
  let receivedNotCarried = 0n;
  let disbursed = 0n;
  let contracts = 0n;
  let paidOnContracts = 0n;
  const receipts = new Map<string, { amount: bigint; drawn: bigint }>();
  for (const { type, data } of events) {
    if (type === 'ProjectRegistered' && data.plannedTotal !== undefined) planned = fen(data.plannedTotal);
    if (type === 'PlannedTotalRevised') planned = fen(data.amount);
    if (type === 'FundsReceived') {
      received += fen(data.amount);
      if (data.source !== 'carry-over') receivedNotCarried += fen(data.amount);
      receipts.set(String(data.receiptId), { amount: fen(data.amount), drawn: 0n });
    }
    if (type === 'ContractSigned') contracts += fen(data.amount);
    if (type === 'DisbursementRecorded' || type === 'DisbursementReversed') {
      const signed = type === 'DisbursementRecorded' ? fen(data.amount) : -fen(data.amount);
      disbursed += signed;
      if (data.contractId !== undefined) paidOnContracts += signed;
      const receipt = data.receiptId === undefined ? undefined : receipts.get(String(data.receiptId));
      if (receipt) receipt.drawn += signed;
    }
  }
  const values: Values = {
    planned_total: planned === undefined ? null : yuan(planned),
    received_total: yuan(received),
    disbursed_total: yuan(disbursed),
    available_balance: yuan(received - disbursed),
    arrival_rate: percent(receivedNotCarried, planned),
    execution_rate: percent(disbursed, received),
    contract_payment_progress: percent(paidOnContracts, contracts),
  };
  for (const [id, receipt] of receipts) values[`receipt_usage_rate:${id}`] = percent(receipt.drawn, receipt.amount);
  return values;
}

/** The one time filter, written again: effective on or before the day, recorded by the moment. */
function cut(events: readonly EventView[], time: { asOfEffective?: string; knownAt?: string }): EventView[] {
  return events.filter((event) => {
    if (time.asOfEffective !== undefined && event.effectiveDate > time.asOfEffective) return false;
    if (time.knownAt === undefined) return true;
    if (/^\d+$/.test(time.knownAt)) return BigInt(event.globalPosition) <= BigInt(time.knownAt);
    return Date.parse(event.recordedAt) <= Date.parse(time.knownAt);
  });
}

const valuesOf = (figures: FigureView[], keys: readonly string[]): Values =>
  Object.fromEntries(keys.map((key) => [key, figures.find((f) => f.key === key)?.value ?? null]));
const lastPosition = (events: readonly EventView[]) =>
  events.reduce((max, e) => (BigInt(e.globalPosition) > max ? BigInt(e.globalPosition) : max), 0n).toString();
/** The bureau's calendar, independently: Asia/Shanghai has been UTC+8 since 1991. */
const bureauDay = (instant: string | Date) => new Date(new Date(instant).getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
const shiftDay = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const daysFrom = (from: string, to: string) => (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
const endOfMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);

describe('figures in time: as of a 截至 day, as known at a moment (HTTP)', () => {
  let api: ApiHarness;
  let auditor: string;
  let analyst: string;
  /** The instant between the two recording batches, and the last position before it. */
  let T = '';
  let positionAtT = '';
  let backdatedD3 = '';
  let revision = '';
  let events: EventView[] = [];
  let libraryEvents: EventView[] = [];
  let today = '';

  async function post(path: string, role: 'budget-officer' | 'clerk', body: object): Promise<{ globalPosition: number; eventIds: string[] }> {
    const response = await api.http
      .post(path)
      .set('Authorization', `Bearer ${api.token(role)}`)
      .send(body);
    if (response.status !== 201) throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  }
  const get = (path: string, token = auditor) => api.http.get(path).set('Authorization', token);
  const streamOf = async (projectId: string) => (await get(`/api/projects/${projectId}/events?pageSize=1000`)).body.events as EventView[];

  beforeAll(async () => {
    api = await startApi();
    auditor = `Bearer ${api.token('auditor')}`;
    analyst = `Bearer ${api.token('analyst')}`;
    today = bureauDay(new Date());
    const p = `/api/projects/${P}`;
    // Batch 1: the books as they stood when a report for 2024-08-31 was written.
    await post('/api/projects', 'budget-officer', {
      projectId: P,
      name: '西山区博物馆改扩建项目',
      department: '区文旅局',
      category: 'culture',
      plannedTotal: '80000000.00',
      effectiveDate: '2024-01-05',
    });
    await post(`${p}/allocations`, 'budget-officer', {
      allocationId: 'dist-2024',
      source: 'district-budget',
      amount: '30000000.00',
      fiscalYear: 2024,
      effectiveDate: '2024-01-10',
    });
    await post(`${p}/receipts`, 'clerk', {
      receiptId: 'r1',
      source: 'district-budget',
      amount: '20000000.00',
      allocationId: 'dist-2024',
      effectiveDate: '2024-03-01',
    });
    await post(`${p}/contracts`, 'clerk', { contractId: 'lot-1', counterparty: '云南某建设工程有限公司', amount: '12000000.00', effectiveDate: '2024-03-05' });
    await post(`${p}/disbursements`, 'clerk', {
      disbursementId: 'd1',
      amount: '4000000.00',
      category: 'construction',
      receiptId: 'r1',
      contractId: 'lot-1',
      effectiveDate: '2024-03-20',
    });
    const last = await post(`${p}/disbursements`, 'clerk', {
      disbursementId: 'd2',
      amount: '1000000.00',
      category: 'construction',
      receiptId: 'r1',
      effectiveDate: '2024-08-15',
    });
    positionAtT = String(last.globalPosition);
    await new Promise((resolve) => setTimeout(resolve, 60));
    T = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 60));
    // Batch 2, recorded after T: a payment back-dated to before the 截至 day, a revised plan, later facts.
    backdatedD3 = (
      await post(`${p}/disbursements`, 'clerk', {
        disbursementId: 'd3',
        amount: '2500000.00',
        category: 'construction',
        receiptId: 'r1',
        contractId: 'lot-1',
        effectiveDate: '2024-08-20',
      })
    ).eventIds[0];
    revision = (await post(`${p}/planned-total`, 'budget-officer', { amount: '95000000.00', reason: '初步设计概算调整', effectiveDate: '2024-04-01' }))
      .eventIds[0];
    await post(`${p}/receipts`, 'clerk', { receiptId: 'r2', source: 'municipal-subsidy', amount: '5000000.00', effectiveDate: '2024-09-10' });
    await post(`${p}/disbursements/d1/reversal`, 'budget-officer', { reason: '凭证重复录入', effectiveDate: '2024-09-15' });
    // A second project, with entries recorded on time, late and very late (relative to today).
    const q = `/api/projects/${Q}`;
    await post('/api/projects', 'budget-officer', {
      projectId: Q,
      name: '西山区图书馆项目',
      department: '区文旅局',
      category: 'culture',
      plannedTotal: '30000000.00',
      effectiveDate: '2024-05-01',
    });
    await post(`${q}/receipts`, 'clerk', { receiptId: 'q1', source: 'district-budget', amount: '10000000.00', effectiveDate: '2024-06-01' });
    await post(`${q}/disbursements`, 'clerk', {
      disbursementId: 'q-late',
      amount: '3000000.00',
      category: 'construction',
      receiptId: 'q1',
      effectiveDate: shiftDay(today, -45),
    });
    await post(`${q}/disbursements`, 'clerk', {
      disbursementId: 'q-grace',
      amount: '1000000.00',
      category: 'construction',
      receiptId: 'q1',
      effectiveDate: shiftDay(today, -30),
    });
    const final = await post(`${q}/disbursements`, 'clerk', { disbursementId: 'q-today', amount: '500000.00', category: 'construction', receiptId: 'q1' });
    await get(`/api/projects/${Q}?minPosition=${final.globalPosition}`);
    events = await streamOf(P);
    libraryEvents = await streamOf(Q);
  });
  afterAll(async () => api?.close());

  const KEYS = [
    'planned_total',
    'received_total',
    'disbursed_total',
    'available_balance',
    'arrival_rate',
    'execution_rate',
    'contract_payment_progress',
    'receipt_usage_rate:r1',
  ];

  it('the log holds what was posted, in two batches around T', () => {
    expect(events).toHaveLength(10);
    expect(cut(events, { knownAt: T })).toHaveLength(6);
    expect(cut(events, { knownAt: positionAtT })).toHaveLength(6);
  });

  describe('figures, a project and a trace take asOfEffective and knownAt', () => {
    const times = () => [
      { asOfEffective: D },
      { asOfEffective: D, knownAt: T },
      { asOfEffective: D, knownAt: positionAtT },
      { asOfEffective: '2024-03-31', knownAt: T },
      { asOfEffective: '2024-12-31' },
      { knownAt: T },
      // The same instant written with its +08:00 offset.
      { asOfEffective: D, knownAt: new Date(Date.parse(T) + 8 * 3_600_000).toISOString().replace('Z', '+08:00') },
    ];
    const query = (time: { asOfEffective?: string; knownAt?: string }) =>
      Object.entries(time)
        .map(([name, value]) => `${name}=${encodeURIComponent(value)}`)
        .join('&');

    it('each cut answers the independent fold of the same cut, and echoes the time as given', async () => {
      for (const time of times()) {
        const response = await get(`/api/projects/${P}/figures?${query(time)}`);
        expect(response.status).toBe(200);
        const expected = fold(cut(events, time));
        expect({ time, values: valuesOf(response.body.figures, KEYS) }).toEqual({
          time,
          values: valuesOf(
            KEYS.map((key) => ({ key, value: expected[key] ?? null, asOfPosition: '' })),
            KEYS,
          ),
        });
        expect(response.body).toMatchObject({
          asOfEffective: time.asOfEffective ?? null,
          knownAt: time.knownAt ?? null,
          asOfPosition: lastPosition(cut(events, time)),
        });
      }
    });

    it('the figure a report for 2024-08-31 printed on T differs from what the books say for that day now', async () => {
      const then = fold(cut(events, { asOfEffective: D, knownAt: T }));
      const now = fold(cut(events, { asOfEffective: D }));
      expect(then.execution_rate).toBe('25.00'); // 5,000,000 / 20,000,000
      expect(now.execution_rate).toBe('37.50'); // + d3, back-dated to 2024-08-20
      expect(then.arrival_rate).toBe('25.00'); // 20,000,000 / 80,000,000
      expect(now.arrival_rate).toBe('21.05'); // the plan revised with effect from 2024-04-01
    });

    it('without either, the read models answer as before, with both echoed as null', async () => {
      const response = await get(`/api/projects/${P}/figures`);
      expect(valuesOf(response.body.figures, KEYS)).toEqual(
        valuesOf(
          KEYS.map((key) => ({ key, value: fold(events)[key] ?? null, asOfPosition: '' })),
          KEYS,
        ),
      );
      expect(response.body).toMatchObject({ asOfEffective: null, knownAt: null });
    });

    it('GET /api/projects/:id folds its details from the same cut', async () => {
      const time = { asOfEffective: D, knownAt: T };
      const response = await get(`/api/projects/${P}?${query(time)}`);
      expect(response.status).toBe(200);
      expect(response.body.project).toMatchObject({ eventCount: cut(events, time).length, name: '西山区博物馆改扩建项目' });
      expect(Object.keys(response.body.project.receipts)).toEqual(['r1']);
      expect(response.body.project.disbursements).toEqual({ recorded: 2, reversed: 0 });
      expect(valuesOf(response.body.figures, KEYS)).toEqual(
        valuesOf(
          KEYS.map((key) => ({ key, value: fold(cut(events, time))[key] ?? null, asOfPosition: '' })),
          KEYS,
        ),
      );
    });

    it('a trace lists exactly the events of the cut behind the figure, and its terms give the figure', async () => {
      for (const time of times()) {
        const response = await get(`/api/projects/${P}/figures/execution_rate/trace?${query(time)}`);
        expect(response.status).toBe(200);
        const behind = cut(events, time).filter((e) => ['FundsReceived', 'DisbursementRecorded', 'DisbursementReversed'].includes(e.type));
        expect((response.body.terms as { eventId: string }[]).map((t) => t.eventId)).toEqual(behind.map((e) => e.eventId));
        expect(response.body).toMatchObject({
          value: fold(cut(events, time)).execution_rate,
          matches: true,
          asOfEffective: time.asOfEffective ?? null,
          knownAt: time.knownAt ?? null,
        });
      }
    });

    it('a time before anything was recorded is 404 PROJECT_NOT_YET_RECORDED, never figures of zero', async () => {
      for (const path of ['figures', '', 'figures/received_total/trace']) {
        for (const time of [
          { asOfEffective: '2024-01-04' },
          { knownAt: '0' },
          { knownAt: '2020-01-01T00:00:00Z' },
          { asOfEffective: D, knownAt: String(BigInt(events[0].globalPosition) - 1n) },
        ]) {
          const response = await get(`/api/projects/${P}${path ? `/${path}` : ''}?${query(time)}`);
          expect({ path, time, status: response.status, code: response.body.code }).toEqual({ path, time, status: 404, code: 'PROJECT_NOT_YET_RECORDED' });
        }
      }
      // The day it was registered, it exists.
      expect((await get(`/api/projects/${P}/figures?asOfEffective=2024-01-05`)).status).toBe(200);
      const unknown = await get('/api/projects/ft-nowhere/figures?asOfEffective=2024-08-31');
      expect({ status: unknown.status, code: unknown.body.code }).toEqual({ status: 404, code: 'PROJECT_NOT_FOUND' });
      const noFigure = await get(`/api/projects/${P}/figures/receipt_usage_rate:r2/trace?asOfEffective=${D}`);
      expect({ status: noFigure.status, code: noFigure.body.code }).toEqual({ status: 404, code: 'FIGURE_NOT_FOUND' });
    });
  });

  describe('restatement', () => {
    const restatement = (key: string, knownAt: string, asOfEffective = D) =>
      get(`/api/projects/${P}/figures/${key}/restatement?asOfEffective=${asOfEffective}&knownAt=${encodeURIComponent(knownAt)}`);

    it('then and now are the figure for the day as known at T and as known today; changedBy the late terms of that figure only', async () => {
      for (const knownAt of [T, positionAtT]) {
        const response = await restatement('execution_rate', knownAt);
        expect(response.status).toBe(200);
        const thenCut = cut(events, { asOfEffective: D, knownAt });
        const nowCut = cut(events, { asOfEffective: D });
        expect(response.body).toMatchObject({
          projectId: P,
          key: 'execution_rate',
          asOfEffective: D,
          knownAt,
          then: { key: 'execution_rate', value: fold(thenCut).execution_rate, asOfPosition: lastPosition(thenCut) },
          now: { key: 'execution_rate', value: fold(nowCut).execution_rate, asOfPosition: lastPosition(nowCut) },
        });
        // The revised plan came late too, but it is no term of the execution rate; r2 and d1's reversal take effect after D.
        expect((response.body.changedBy as { eventId: string }[]).map((t) => t.eventId)).toEqual([backdatedD3]);
        expect(response.body.changedBy[0]).toMatchObject({
          type: 'DisbursementRecorded',
          effectiveDate: '2024-08-20',
          term: 'numerator',
          signedAmount: '2500000.00',
        });
      }
    });

    it('each figure names its own late terms', async () => {
      const arrival = await restatement('arrival_rate', T);
      expect((arrival.body.changedBy as { eventId: string }[]).map((t) => t.eventId)).toEqual([revision]);
      expect([arrival.body.then.value, arrival.body.now.value]).toEqual(['25.00', '21.05']);
      const received = await restatement('received_total', T);
      expect(received.body.changedBy).toEqual([]);
      expect(received.body.then.value).toBe(received.body.now.value);
      // Known at the end: nothing came later.
      const settled = await restatement('execution_rate', lastPosition(events));
      expect(settled.body.changedBy).toEqual([]);
      expect(settled.body.then).toEqual(settled.body.now);
    });

    it('refuses what it cannot answer', async () => {
      const early = await restatement('execution_rate', '2020-01-01T00:00:00Z');
      expect({ status: early.status, code: early.body.code }).toEqual({ status: 404, code: 'PROJECT_NOT_YET_RECORDED' });
      const none = await restatement('receipt_usage_rate:nope', T);
      expect({ status: none.status, code: none.body.code }).toEqual({ status: 404, code: 'FIGURE_NOT_FOUND' });
      const missing = await get(`/api/projects/${P}/figures/execution_rate/restatement?asOfEffective=${D}`);
      expect({ status: missing.status, fields: (missing.body.errors as { field: string }[]).map((e) => e.field) }).toEqual({
        status: 400,
        fields: ['knownAt'],
      });
    });
  });

  describe('back-dating report', () => {
    interface Entry {
      eventId: string;
      streamId: string;
      type: string;
      effectiveDate: string;
      recordedAt: string;
      recordingDay: string;
      lagDays: number;
      actor: { id: string; role: string };
    }
    const all = () => [...events, ...libraryEvents].sort((a, b) => (BigInt(a.globalPosition) < BigInt(b.globalPosition) ? -1 : 1));
    const lagOf = (e: EventView) => daysFrom(e.effectiveDate, bureauDay(e.recordedAt));

    it('lists every entry recorded more than graceDays after it took effect, in log order, with its lag', async () => {
      const response = await get('/api/audit/backdated?graceDays=30');
      expect(response.status).toBe(200);
      const expected = all().filter((e) => lagOf(e) > 30);
      expect((response.body.items as Entry[]).map((i) => i.eventId)).toEqual(expected.map((e) => e.eventId));
      expect(response.body).toMatchObject({ graceDays: 30, total: expected.length, from: null, to: null });
      const d3 = (response.body.items as Entry[]).find((i) => i.eventId === backdatedD3)!;
      const d3Event = events.find((e) => e.eventId === backdatedD3)!;
      expect(d3).toEqual({
        eventId: backdatedD3,
        streamId: `project-${P}`,
        type: 'DisbursementRecorded',
        globalPosition: d3Event.globalPosition,
        effectiveDate: '2024-08-20',
        recordedAt: d3Event.recordedAt,
        recordingDay: bureauDay(d3Event.recordedAt),
        lagDays: daysFrom('2024-08-20', bureauDay(d3Event.recordedAt)),
        actor: { id: 'clerk-1', role: 'clerk' },
      });
      // Recorded 45 days late: in; exactly 30: out (more than the grace); on time: out.
      const ids = (response.body.items as Entry[]).map((i) => i.eventId);
      const byDisbursement = (id: string) => libraryEvents.find((e) => e.data.disbursementId === id)!;
      expect(ids).toContain(byDisbursement('q-late').eventId);
      if (lagOf(byDisbursement('q-grace')) === 30) expect(ids).not.toContain(byDisbursement('q-grace').eventId);
      expect(ids).not.toContain(byDisbursement('q-today').eventId);
    });

    it('a longer grace keeps the longer lags; the recording-day window and pages hold', async () => {
      const long = await get('/api/audit/backdated?graceDays=40');
      expect((long.body.items as Entry[]).map((i) => i.eventId)).toEqual(
        all()
          .filter((e) => lagOf(e) > 40)
          .map((e) => e.eventId),
      );
      const days = all()
        .map((e) => bureauDay(e.recordedAt))
        .sort();
      const before = await get(`/api/audit/backdated?to=${shiftDay(days[0], -1)}`);
      expect({ total: before.body.total, items: before.body.items }).toEqual({ total: 0, items: [] });
      const within = await get(`/api/audit/backdated?from=${days[0]}&to=${days.at(-1)}`);
      expect(within.body.total).toBe(all().filter((e) => lagOf(e) > 30).length);
      const walked: string[] = [];
      let next: string | null = '/api/audit/backdated?pageSize=3';
      while (next) {
        const page = await get(next);
        expect(page.status).toBe(200);
        walked.push(...(page.body.items as Entry[]).map((i) => i.eventId));
        next = page.body.next;
      }
      expect(walked).toEqual(
        all()
          .filter((e) => lagOf(e) > 30)
          .map((e) => e.eventId),
      );
    });

    it('is for auditors; a to before from is refused', async () => {
      expect((await get('/api/audit/backdated', analyst)).status).toBe(403);
      const reversed = await get('/api/audit/backdated?from=2024-09-02&to=2024-09-01');
      expect({ status: reversed.status, field: reversed.body.errors?.[0]?.field }).toEqual({ status: 400, field: 'to' });
    });
  });

  it('the OpenAPI document names every time parameter and the shape of each new answer', async () => {
    const doc = (await api.http.get('/docs-json')).body as {
      paths: Record<
        string,
        {
          get: {
            parameters: { name: string; in: string; required?: boolean }[];
            responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }>;
          };
        }
      >;
      components: { schemas: Record<string, { properties: Record<string, unknown> }> };
    };
    const expectations: [string, string[], string[]][] = [
      ['/api/projects/{projectId}', ['asOfEffective', 'knownAt'], ['asOfEffective', 'knownAt', 'figures']],
      ['/api/projects/{projectId}/figures', ['asOfEffective', 'knownAt'], ['asOfEffective', 'knownAt', 'figures']],
      ['/api/projects/{projectId}/figures/{key}/trace', ['asOfEffective', 'knownAt'], ['asOfEffective', 'knownAt', 'terms', 'matches']],
      ['/api/projects/{projectId}/figures/{key}/restatement', ['asOfEffective', 'knownAt'], ['then', 'now', 'changedBy', 'asOfEffective', 'knownAt']],
      ['/api/audit/backdated', ['graceDays', 'from', 'to', 'page', 'pageSize'], ['items', 'total', 'next', 'graceDays']],
      ['/api/projects/{projectId}/series', ['keys', 'interval', 'from', 'to', 'knownAt'], ['points', 'interval', 'keys']],
      ['/api/portfolio/series', ['keys', 'interval', 'from', 'to', 'knownAt'], ['points', 'interval', 'projects']],
    ];
    for (const [path, parameters, fields] of expectations) {
      const operation = doc.paths[path]?.get;
      expect({ path, query: operation?.parameters.filter((p) => p.in === 'query').map((p) => p.name) }).toEqual({
        path,
        query: expect.arrayContaining(parameters),
      });
      const ref = operation.responses['200'].content?.['application/json'].schema.$ref ?? '';
      expect({ path, fields: Object.keys(doc.components.schemas[ref.split('/').pop() ?? '']?.properties ?? {}) }).toEqual({
        path,
        fields: expect.arrayContaining(fields),
      });
      expect({ path, responses: Object.keys(operation.responses) }).toEqual({ path, responses: expect.arrayContaining(['200', '400', '401', '403']) });
    }
    const restatement = doc.paths['/api/projects/{projectId}/figures/{key}/restatement'].get.parameters;
    expect(
      restatement
        .filter((p) => p.required && p.in === 'query')
        .map((p) => p.name)
        .sort(),
    ).toEqual(['asOfEffective', 'knownAt']);
  });

  describe('series', () => {
    interface Point {
      period: string;
      asOfEffective: string;
      events: number;
      projects?: number;
      figures: FigureView[];
    }
    const SERIES_KEYS = ['received_total', 'disbursed_total', 'execution_rate'];

    it('a month per point, each the fold of the events effective by the last day of its month', async () => {
      const response = await get(`/api/projects/${P}/series?keys=${SERIES_KEYS.join(',')}&interval=month&from=2024-01&to=2024-12`, analyst);
      expect(response.status).toBe(200);
      const points = response.body.points as Point[];
      expect(points.map((p) => p.period)).toEqual(Array.from({ length: 12 }, (_, i) => `2024-${String(i + 1).padStart(2, '0')}`));
      for (const [i, point] of points.entries()) {
        const day = endOfMonth(2024, i + 1);
        expect(point.asOfEffective).toBe(day);
        const expected = fold(cut(events, { asOfEffective: day }));
        expect({ day, values: valuesOf(point.figures, SERIES_KEYS) }).toEqual({ day, values: Object.fromEntries(SERIES_KEYS.map((k) => [k, expected[k]])) });
        expect(point.events).toBe(cut(events, { asOfEffective: day }).length);
        expect(point.figures.map((f) => f.key)).toEqual(SERIES_KEYS);
      }
      expect(response.body).toMatchObject({ projectId: P, keys: SERIES_KEYS, interval: 'month', from: '2024-01', to: '2024-12', knownAt: null });
    });

    it('quarters and years end on their last day; knownAt shows the series as the books stood then', async () => {
      const quarters = await get(
        `/api/projects/${P}/series?keys=execution_rate&interval=quarter&from=2024-02-10&to=2024-12-31&knownAt=${encodeURIComponent(T)}`,
      );
      expect((quarters.body.points as Point[]).map((p) => [p.period, p.asOfEffective])).toEqual([
        ['2024-Q1', '2024-03-31'],
        ['2024-Q2', '2024-06-30'],
        ['2024-Q3', '2024-09-30'],
        ['2024-Q4', '2024-12-31'],
      ]);
      for (const point of quarters.body.points as Point[]) {
        expect(point.figures[0].value).toBe(fold(cut(events, { asOfEffective: point.asOfEffective, knownAt: T })).execution_rate);
      }
      const years = await get(`/api/projects/${P}/series?keys=received_total&interval=year&from=2023-06&to=2024-02`);
      expect((years.body.points as Point[]).map((p) => [p.period, p.asOfEffective, p.events, p.figures[0].value])).toEqual([
        ['2023', '2023-12-31', 0, '0.00'],
        ['2024', '2024-12-31', 10, '25000000.00'],
      ]);
    });

    it('without from and to, the span of the effective dates; without keys, the headline figures', async () => {
      const response = await get(`/api/projects/${P}/series`);
      const points = response.body.points as Point[];
      expect(points[0].period).toBe('2024-01');
      expect(points.at(-1)!.period).toBe('2024-09');
      expect(points[0].figures.map((f) => f.key)).toEqual([
        'planned_total',
        'received_total',
        'disbursed_total',
        'available_balance',
        'arrival_rate',
        'execution_rate',
      ]);
    });

    it('too many points, or to before from, is 400 naming to', async () => {
      const many = await get(`/api/projects/${P}/series?interval=month&from=2000-01&to=2024-12`);
      expect({ status: many.status, error: many.body.errors?.[0] }).toMatchObject({ status: 400, error: { field: 'to', code: 'TOO_MANY_POINTS' } });
      expect(many.body.errors[0].message).toMatch(/at most 240 points/);
      expect((await get(`/api/projects/${P}/series?interval=year&from=2000-01&to=2024-12`)).status).toBe(200);
      const backwards = await get(`/api/projects/${P}/series?from=2024-05&to=2024-04`);
      expect({ status: backwards.status, field: backwards.body.errors?.[0]?.field }).toEqual({ status: 400, field: 'to' });
      expect((await get('/api/projects/ft-nowhere/series')).status).toBe(404);
    });

    it('the portfolio series sums the projects folded at each day', async () => {
      const response = await get(`/api/portfolio/series?keys=received_total,disbursed_total,execution_rate&from=2024-04&to=2024-09`);
      expect(response.status).toBe(200);
      for (const point of response.body.points as Point[]) {
        const both = [cut(events, { asOfEffective: point.asOfEffective }), cut(libraryEvents, { asOfEffective: point.asOfEffective })];
        const received = both.reduce((sum, list) => sum + fen(fold(list).received_total), 0n);
        const disbursed = both.reduce((sum, list) => sum + fen(fold(list).disbursed_total), 0n);
        expect({ period: point.period, values: valuesOf(point.figures, SERIES_KEYS) }).toEqual({
          period: point.period,
          values: { received_total: yuan(received), disbursed_total: yuan(disbursed), execution_rate: percent(disbursed, received) },
        });
        expect(point.projects).toBe(both.filter((list) => list.length > 0).length);
      }
      expect((response.body.points as Point[]).map((p) => p.projects)).toEqual([1, 2, 2, 2, 2, 2]);
      const perReceipt = await get('/api/portfolio/series?keys=receipt_usage_rate:r1');
      expect({ status: perReceipt.status, field: perReceipt.body.errors?.[0]?.field }).toEqual({ status: 400, field: 'keys' });
    });
  });
});
