import type { Response } from 'supertest';
import { type ApiHarness, startApi } from '../support/api-harness';
import { describeResponse, PROBLEM_JSON, problemFields } from './support-fixtures';

/**
 * Answers that grow with a project are paged: /events, /history, /figures, /projects/:id and a
 * figure's trace answer at most `pageSize` items (default 100, at most 1000) with `page`,
 * `pageSize`, `total` and `next` (the next page's URL, null on the last page). A trace's value
 * and `matches` are over the whole figure, whatever page is shown.
 */

const P = 'pg-busy';
const RECEIPTS = 130;
/** Receipts 1…65 happened early in 2024, the rest in June. */
const EARLY = 65;
const receiptId = (i: number) => `r-${String(i).padStart(3, '0')}`;
/** Receipt i brings i yuan and one fen, so every amount differs. */
const amountFen = (i: number) => BigInt(i) * 100n + 1n;
const yuan = (fen: bigint) => `${fen / 100n}.${(fen % 100n).toString().padStart(2, '0')}`;

interface Paged {
  page: number;
  pageSize: number;
  total: number;
  next: string | null;
}

describe('paged answers (events, history, figures, project, trace)', () => {
  let api: ApiHarness;
  let auditor: string;
  let head = 0;
  beforeAll(async () => {
    api = await startApi();
    const officer = `Bearer ${api.token('budget-officer')}`;
    const clerk = `Bearer ${api.token('clerk')}`;
    auditor = `Bearer ${api.token('auditor')}`;
    await api.http
      .post('/api/projects')
      .set('Authorization', officer)
      .send({ projectId: P, name: '分页测试项目', department: '区财政局', category: 'roads', plannedTotal: '100000.00', effectiveDate: '2024-01-01' })
      .expect(201);
    for (let i = 1; i <= RECEIPTS; i += 1) {
      const response = await api.http
        .post(`/api/projects/${P}/receipts`)
        .set('Authorization', clerk)
        .send({ receiptId: receiptId(i), source: 'other', amount: yuan(amountFen(i)), effectiveDate: i <= EARLY ? '2024-01-15' : '2024-06-15' });
      if (response.status !== 201) throw new Error(`receipt ${i}: ${describeResponse(response)}`);
      head = response.body.globalPosition;
    }
    await api.http.get(`/api/projects/${P}?minPosition=${head}`).set('Authorization', auditor).expect(200);
  }, 120_000);
  afterAll(async () => api?.close());

  const get = (path: string) => api.http.get(path).set('Authorization', auditor);

  /** Follows `next` from a first page; every page is checked against its own paging fields. */
  async function walk<T>(first: string, list: (body: Record<string, unknown>) => T[]): Promise<{ pages: Response[]; items: T[] }> {
    const pages: Response[] = [];
    const items: T[] = [];
    let path: string | null = first;
    while (path !== null) {
      const response = await get(path);
      if (response.status !== 200) throw new Error(`${path}: ${describeResponse(response)}`);
      const body = response.body as Paged & Record<string, unknown>;
      expect(body.page).toBe(pages.length + 1);
      expect(list(body).length).toBeLessThanOrEqual(body.pageSize);
      pages.push(response);
      items.push(...list(body));
      if (pages.length > 50) throw new Error('next never ends');
      path = body.next;
      if (path !== null) expect(path).toMatch(/^\/api\//);
    }
    return { pages, items };
  }

  const expectedFigureKeys = () => [
    'planned_total',
    'allocated_total',
    'received_total',
    'disbursed_total',
    'available_balance',
    'arrival_rate',
    'execution_rate',
    'allocation_execution_rate',
    'contract_payment_progress',
    'approved_total',
    'approval_rate',
    'investment_completed',
    'investment_completion_rate',
    ...Array.from({ length: RECEIPTS }, (_, i) => `receipt_usage_rate:${receiptId(i + 1)}`),
    // Breakdowns appear for the sources and categories the project has: every receipt came from 'other'.
    'received_by_source:other',
  ];
  const receivedTotal = () => yuan(Array.from({ length: RECEIPTS }, (_, i) => amountFen(i + 1)).reduce((a, b) => a + b, 0n));

  it('events: 100 by default, `next` to the rest, every event once and in stream order', async () => {
    const first = await get(`/api/projects/${P}/events`);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ projectId: P, page: 1, pageSize: 100, total: RECEIPTS + 1, count: 100 });
    expect(first.body.events).toHaveLength(100);
    expect(typeof first.body.next).toBe('string');
    const { pages, items } = await walk(`/api/projects/${P}/events`, (body) => body.events as { streamRevision: string }[]);
    expect(pages).toHaveLength(2);
    expect(pages[1].body).toMatchObject({ page: 2, count: RECEIPTS + 1 - 100, total: RECEIPTS + 1, next: null });
    expect(items.map((e) => e.streamRevision)).toEqual(Array.from({ length: RECEIPTS + 1 }, (_, i) => String(i)));
  });

  it('events: page and pageSize chosen by the client; past the end is an empty last page', async () => {
    const last = await get(`/api/projects/${P}/events?pageSize=7&page=19`);
    expect(last.status).toBe(200);
    // 131 events = 18 pages of 7 + 5.
    expect(last.body).toMatchObject({ page: 19, pageSize: 7, total: RECEIPTS + 1, count: 5, next: null });
    expect(last.body.events.map((e: { streamRevision: string }) => e.streamRevision)).toEqual(['126', '127', '128', '129', '130']);
    const beyond = await get(`/api/projects/${P}/events?pageSize=7&page=20`);
    expect(beyond.body).toMatchObject({ page: 20, total: RECEIPTS + 1, count: 0, events: [], next: null });
    const whole = await get(`/api/projects/${P}/events?pageSize=1000`);
    expect(whole.body).toMatchObject({ page: 1, pageSize: 1000, total: RECEIPTS + 1, count: RECEIPTS + 1, next: null });
  });

  it('figures: bounded by page, fixed figures first, every key on exactly one page, the rest named by `next`', async () => {
    const expected = expectedFigureKeys();
    const first = await get(`/api/projects/${P}/figures`);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ projectId: P, page: 1, pageSize: 100, total: expected.length });
    expect(first.body.figures).toHaveLength(100);
    expect(first.body.figures[0].key).toBe('planned_total');
    expect(first.body.figures.find((f: { key: string }) => f.key === 'received_total').value).toBe(receivedTotal());
    const { pages, items } = await walk(`/api/projects/${P}/figures`, (body) => body.figures as { key: string }[]);
    expect(pages).toHaveLength(Math.ceil(expected.length / 100));
    expect(items.map((f) => f.key).sort()).toEqual([...expected].sort());
  });

  it('a project: its figures are paged the same way', async () => {
    const expected = expectedFigureKeys();
    const first = await get(`/api/projects/${P}`);
    expect(first.status).toBe(200);
    expect(first.body.project).toMatchObject({ projectId: P, eventCount: RECEIPTS + 1 });
    expect(first.body).toMatchObject({ page: 1, pageSize: 100, total: expected.length });
    expect(first.body.figures).toHaveLength(100);
    const { items } = await walk(`/api/projects/${P}?pageSize=40`, (body) => body.figures as { key: string }[]);
    expect(items.map((f) => f.key).sort()).toEqual([...expected].sort());
  });

  it('history: the figures as they stood, paged; `next` keeps asOf', async () => {
    const expected = expectedFigureKeys();
    const first = await get(`/api/projects/${P}/history?asOf=${head}`);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ projectId: P, asOf: String(head), events: RECEIPTS + 1, page: 1, pageSize: 100, total: expected.length });
    expect(first.body.figures).toHaveLength(100);
    expect(first.body.next).toContain(`asOf=${head}`);
    const { items } = await walk(`/api/projects/${P}/history?asOf=${head}&pageSize=60`, (body) => body.figures as { key: string; value: string | null }[]);
    expect(items.map((f) => f.key).sort()).toEqual([...expected].sort());
    expect(items.find((f) => f.key === 'received_total')?.value).toBe(receivedTotal());
  });

  it('trace: terms paged; value, numerator and matches are over the whole figure on every page', async () => {
    const first = await get(`/api/projects/${P}/figures/received_total/trace`);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      key: 'received_total',
      page: 1,
      pageSize: 100,
      total: RECEIPTS,
      value: receivedTotal(),
      numerator: receivedTotal(),
      matches: true,
    });
    expect(first.body.terms).toHaveLength(100);
    const { pages, items } = await walk(`/api/projects/${P}/figures/received_total/trace`, (body) => body.terms as { signedAmount: string; eventId: string }[]);
    expect(pages).toHaveLength(2);
    for (const page of pages) expect(page.body).toMatchObject({ value: receivedTotal(), matches: true, total: RECEIPTS });
    expect(new Set(items.map((t) => t.eventId)).size).toBe(RECEIPTS);
    const sum = items.reduce((total, t) => total + BigInt(t.signedAmount.replace('.', '')), 0n);
    expect(yuan(sum)).toBe(receivedTotal());
    const whole = await get(`/api/projects/${P}/figures/received_total/trace?pageSize=1000`);
    expect(whole.body).toMatchObject({ total: RECEIPTS, next: null });
    expect(whole.body.terms).toHaveLength(RECEIPTS);
  });

  it.each([
    ['events', `/api/projects/${P}/events`],
    ['figures', `/api/projects/${P}/figures`],
    ['project', `/api/projects/${P}`],
    ['history', `/api/projects/${P}/history?asOf=1`],
    ['trace', `/api/projects/${P}/figures/received_total/trace`],
  ])('%s: bad paging parameters are 400 naming the parameter', async (_name, path) => {
    const join = path.includes('?') ? '&' : '?';
    for (const [query, field] of [
      ['page=0', 'page'],
      ['page=-1', 'page'],
      ['page=1.5', 'page'],
      ['page=abc', 'page'],
      ['page=1&page=2', 'page'],
      ['page=1000000', 'page'],
      ['pageSize=0', 'pageSize'],
      ['pageSize=1001', 'pageSize'],
      ['pageSize=1e2', 'pageSize'],
      ['pageSize=', 'pageSize'],
    ] as const) {
      const response = await get(`${path}${join}${query}`);
      if (response.status !== 400 || !problemFields(response).includes(field))
        throw new Error(`${path}${join}${query}: expected 400 naming ${field}, got ${describeResponse(response)}`);
      expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(response.body.code).toBe('VALIDATION_FAILED');
    }
  });

  it('the OpenAPI document names the paging parameters and fields of every paged answer', async () => {
    const doc = (await api.http.get('/docs-json')).body as {
      paths: Record<
        string,
        { get: { parameters: { name: string; in: string }[]; responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }> } }
      >;
      components: { schemas: Record<string, { properties: Record<string, unknown> }> };
    };
    for (const path of [
      '/api/projects/{projectId}',
      '/api/projects/{projectId}/figures',
      '/api/projects/{projectId}/figures/{key}/trace',
      '/api/projects/{projectId}/events',
      '/api/projects/{projectId}/history',
    ]) {
      const get = doc.paths[path].get;
      expect({ path, query: get.parameters.filter((p) => p.in === 'query').map((p) => p.name) }).toEqual({
        path,
        query: expect.arrayContaining(['page', 'pageSize']),
      });
      const ref = get.responses['200'].content?.['application/json'].schema.$ref ?? '';
      const schema = doc.components.schemas[ref.split('/').pop() ?? ''];
      expect({ path, fields: Object.keys(schema?.properties ?? {}) }).toEqual({ path, fields: expect.arrayContaining(['page', 'pageSize', 'total', 'next']) });
    }
  });

  // Last: it appends to the project.
  it('events: `next` keeps the filters and the snapshot (a write between pages changes nothing)', async () => {
    const first = await get(`/api/projects/${P}/events?asOfEffective=2024-03-01&pageSize=20`);
    expect(first.status).toBe(200);
    // The registration and the 65 early receipts.
    expect(first.body).toMatchObject({ total: EARLY + 1, count: 20 });
    expect(first.body.next).toContain('asOfEffective=2024-03-01');
    expect(first.body.next).toContain('pageSize=20');
    await api.http
      .post(`/api/projects/${P}/receipts`)
      .set('Authorization', `Bearer ${api.token('clerk')}`)
      .send({ receiptId: 'r-late', source: 'other', amount: '1.00', effectiveDate: '2024-02-01' })
      .expect(201);
    const { pages, items } = await walk(first.body.next.replace('page=2', 'page=1'), (body) => body.events as { streamRevision: string }[]);
    expect(pages.map((p) => p.body.total)).toEqual([EARLY + 1, EARLY + 1, EARLY + 1, EARLY + 1]);
    expect(items.map((e) => e.streamRevision)).toEqual(Array.from({ length: EARLY + 1 }, (_, i) => String(i)));
    // Without the snapshot the late receipt is there.
    const fresh = await get(`/api/projects/${P}/events?asOfEffective=2024-03-01&pageSize=20`);
    expect(fresh.body.total).toBe(EARLY + 2);
  });
});
