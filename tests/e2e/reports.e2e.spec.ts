import { CommandBus } from '@nestjs/cqrs';
import { type CommandContext, ExecuteProjectCommand, type ProjectCommand } from '@fundtrail/funding';
import { type ApiHarness, startApi } from '../support/api-harness';
import { runSql } from '../support/test-database';
import { bearer, PROBLEM_JSON } from './support-fixtures';

/**
 * Published reports over HTTP: POST once (201), again identically (200, the stored report), again with
 * other content (409); and the reconciliation, with numbers built so each status is the only answer:
 * expectations are worked out here with this file's own integer arithmetic, the printed-precision
 * interval included.
 */

const A = 'rc-alpha';
const B = 'rc-beta';
const WAN = 1_000_000n; // fen per 万元
const citation = (quote: string) => ({ section: '一（二）', quote });
const figure = (statedId: string, fields: Record<string, unknown>) => ({ statedId, citation: citation(statedId), ...fields });

const report = {
  reportId: 'rc-report',
  title: '对账测试报告',
  publisher: '区财政局',
  publishedAt: '2024-09-05',
  asOfEffective: '2024-08-31',
  statedFigures: [
    figure('a-received', { scope: { projectId: A }, key: 'received_total', stated: '300.00', unit: 'wan', sumOf: ['part-a2', 'part-b'] }),
    figure('a-rate', { scope: { projectId: A }, key: 'execution_rate', stated: '33.34', unit: 'percent' }),
    figure('b-rate', { scope: { projectId: B }, key: 'execution_rate', stated: '66.66', unit: 'percent' }),
    figure('b-disbursed', { scope: { projectId: B }, key: 'disbursed_total', stated: '0.03', unit: 'wan' }),
    figure('b-arrival', { scope: { projectId: B }, key: 'arrival_rate', stated: '100', unit: 'percent' }),
    figure('programme-received', { scope: { programmeId: 'rc-programme' }, key: 'received_total', stated: '1', unit: 'yi' }),
    figure('portfolio-received', { scope: { portfolio: { category: 'rc-testing' } }, key: 'received_total', stated: '3,000,300.00', unit: 'yuan' }),
    figure('a-note', { scope: { projectId: A }, stated: '12', unit: '个' }),
    figure('part-a', { scope: { projectId: A }, stated: '100.0', unit: 'wan' }),
    figure('part-a2', { scope: { projectId: A }, stated: '100.00', unit: 'wan' }),
    figure('part-b', { scope: { projectId: A }, stated: '200.00', unit: 'wan' }),
    figure('total-within', { scope: { projectId: A }, stated: '300.01', unit: 'wan', sumOf: ['part-a', 'part-b'] }),
    figure('c1', { scope: { projectId: A }, stated: '5', unit: '个' }),
    figure('c2', { scope: { projectId: A }, stated: '7', unit: '个' }),
    figure('c3', { scope: { projectId: A }, stated: '6', unit: '个' }),
    figure('c4', { scope: { projectId: A }, stated: '3', unit: '个' }),
    figure('c-total', { scope: { projectId: A }, stated: '20', unit: '个', sumOf: ['c1', 'c2', 'c3', 'c4'] }),
  ],
};

/** x / y as a percent rounded half-up to 2 decimals, in hundredths of a percent (own arithmetic). */
const percentHundredths = (x: bigint, y: bigint): bigint => (x * 10_000n * 2n + y) / (2n * y);

describe('published reports and their reconciliation (HTTP)', () => {
  let api: ApiHarness;
  let beforeLate: string;
  const as = (role: Parameters<ApiHarness['token']>[0]) => bearer(api.token(role, `${role}-rc`));

  async function send(command: ProjectCommand, effectiveDate: string): Promise<void> {
    const context: CommandContext = { actor: { id: 'rc-loader', role: 'admin' }, correlationId: 'rc', effectiveDate };
    await api.app.get(CommandBus).execute(new ExecuteProjectCommand(command, context));
  }
  const wan = (text: string): { amount: bigint; printed: { unit: 'wan'; decimals: number } } => {
    const [whole, fraction = ''] = text.split('.');
    return { amount: BigInt(whole) * WAN + BigInt(fraction.padEnd(6, '0')), printed: { unit: 'wan', decimals: fraction.length } };
  };

  beforeAll(async () => {
    api = await startApi();
    // Project A: amounts typed in 万元, so each is known to half its last printed digit.
    await send({ type: 'RegisterProject', data: { projectId: A, name: '对账甲', department: '区财政局', category: 'rc-testing' } }, '2024-01-01');
    await send({ type: 'ReceiveFunds', data: { projectId: A, receiptId: 'r1', source: 'district-budget', ...wan('100.00') } }, '2024-02-01');
    await send({ type: 'ReceiveFunds', data: { projectId: A, receiptId: 'r2', source: 'municipal-subsidy', ...wan('200.00') } }, '2024-03-01');
    await send({ type: 'RecordDisbursement', data: { projectId: A, disbursementId: 'd1', category: 'construction', ...wan('100.0') } }, '2024-04-01');
    // After the report's 截至 date: never part of its figures.
    const post = (path: string, body: object) => api.http.post(path).set('Authorization', as('admin')).send(body);
    expect((await post(`/api/projects/${A}/receipts`, { receiptId: 'r4', source: 'other', amount: '10000000.00', effectiveDate: '2024-09-10' })).status).toBe(
      201,
    );
    // Project B: exact yuan amounts, no planned total.
    expect((await post('/api/projects', { projectId: B, name: '对账乙', department: '区财政局', category: 'rc-testing' })).status).toBe(201);
    expect((await post(`/api/projects/${B}/receipts`, { receiptId: 'r1', source: 'other', amount: '300.00', effectiveDate: '2024-05-01' })).status).toBe(201);
    const last = await post(`/api/projects/${B}/disbursements`, {
      disbursementId: 'd1',
      amount: '200.00',
      category: 'other',
      receiptId: 'r1',
      effectiveDate: '2024-06-01',
    });
    expect(last.status).toBe(201);
    beforeLate = String(last.body.globalPosition);
  });
  afterAll(async () => api?.close());

  describe('POST /api/reports', () => {
    it('publishes a report on its own stream: 201', async () => {
      const before = await api.eventCount();
      const response = await api.http.post('/api/reports').set('Authorization', as('auditor')).send(report);
      expect(response.status).toBe(201);
      expect(response.body).toEqual({ streamId: 'report-rc-report', streamRevision: 0, globalPosition: expect.any(Number), eventIds: [expect.any(String)] });
      expect(await api.eventCount()).toBe(before + 1);
    });

    it('the identical report again: 200 with the stored report, nothing appended', async () => {
      const before = await api.eventCount();
      const reordered = Object.fromEntries(Object.entries(report).reverse());
      const response = await api.http.post('/api/reports').set('Authorization', as('budget-officer')).send(reordered);
      expect(response.status).toBe(200);
      expect(response.body).toEqual(report);
      expect(await api.eventCount()).toBe(before);
    });

    it('the same reportId with other content: 409 DUPLICATE_ID, nothing appended', async () => {
      const before = await api.eventCount();
      const other = { ...report, statedFigures: report.statedFigures.map((f) => (f.statedId === 'a-rate' ? { ...f, stated: '33.33' } : f)) };
      const response = await api.http.post('/api/reports').set('Authorization', as('auditor')).send(other);
      expect(response.status).toBe(409);
      expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(response.body).toMatchObject({ code: 'DUPLICATE_ID', errors: [{ field: 'reportId' }] });
      expect(await api.eventCount()).toBe(before);
    });
  });

  describe('GET /api/reports and /api/reports/:id', () => {
    it('lists the report once the read model has it, and answers it exactly as stored', async () => {
      const position = (await api.http.get(`/api/reports/rc-report`).set('Authorization', as('clerk'))).status;
      expect(position).toBe(200);
      const latest = await api.eventCount();
      const list = await api.http.get(`/api/reports?minPosition=${latest}`).set('Authorization', as('analyst'));
      expect(list.status).toBe(200);
      expect(list.body).toMatchObject({ total: 1, page: 1, pageSize: 100, next: null });
      expect(list.body.items).toEqual([
        expect.objectContaining({
          reportId: 'rc-report',
          title: report.title,
          asOfEffective: '2024-08-31',
          statedFigures: report.statedFigures.length,
          sums: 3,
        }),
      ]);
      const one = await api.http.get('/api/reports/rc-report').set('Authorization', as('clerk'));
      expect(one.body).toEqual(report);
    });

    it('verify checks the report list against the report streams, and names a row that differs', async () => {
      const latest = await api.eventCount();
      await api.http.get(`/api/reports?minPosition=${latest}`).set('Authorization', as('auditor')).expect(200);
      const clean = await api.http.get('/api/audit/verify').set('Authorization', as('auditor'));
      expect(clean.body.readModels).toMatchObject({ ok: true, reports: 1, reportDifferences: [] });
      await runSql(api.db.url, `UPDATE report_read_models SET summary = jsonb_set(summary, '{title}', '"篡改"') WHERE report_id = 'rc-report'`);
      const tampered = await api.http.get('/api/audit/verify').set('Authorization', as('auditor'));
      expect(tampered.body.readModels).toMatchObject({
        ok: false,
        reportDifferences: [{ reportId: 'rc-report', readModel: { title: '篡改' }, replayed: { title: report.title } }],
      });
      await runSql(api.db.url, "UPDATE report_read_models SET summary = jsonb_set(summary, '{title}', to_jsonb($1::text)) WHERE report_id = 'rc-report'", [
        report.title,
      ]);
      expect((await api.http.get('/api/audit/verify').set('Authorization', as('auditor'))).body.readModels).toMatchObject({ ok: true, reportDifferences: [] });
    });

    it('an unknown report is 404 REPORT_NOT_FOUND, for the report and its reconciliation', async () => {
      for (const path of ['/api/reports/rc-none', '/api/reports/rc-none/reconciliation']) {
        const response = await api.http.get(path).set('Authorization', as('auditor'));
        expect({ path, status: response.status, code: response.body.code }).toEqual({ path, status: 404, code: 'REPORT_NOT_FOUND' });
      }
    });
  });

  it('OpenAPI documents the four report operations, their parameters and refusals', async () => {
    const document = (await api.http.get('/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, { parameters?: { name: string }[]; responses: Record<string, { description?: string }> }>>;
    };
    expect(Object.keys(document.paths['/api/reports']).sort()).toEqual(['get', 'post']);
    expect(Object.keys(document.paths['/api/reports/{reportId}'])).toEqual(['get']);
    const reconciliation = document.paths['/api/reports/{reportId}/reconciliation'].get;
    expect(reconciliation.parameters?.map((p) => p.name)).toEqual(expect.arrayContaining(['reportId', 'knownAt', 'minPosition']));
    expect(reconciliation.responses['404'].description).toMatch(/REPORT_NOT_FOUND/);
    const publish = document.paths['/api/reports'].post.responses;
    expect(Object.keys(publish)).toEqual(expect.arrayContaining(['200', '201', '400', '403', '409', '422']));
    expect(publish['409'].description).toMatch(/DUPLICATE_ID/);
    expect(publish['422'].description).toMatch(/SUM_CYCLE/);
  });

  describe('GET /api/reports/:id/reconciliation', () => {
    let body: {
      reportId: string;
      asOfEffective: string;
      knownAt: string | null;
      summary: Record<string, number>;
      rows: Record<string, unknown>[];
      sums: Record<string, unknown>[];
    };
    const row = (id: string) => body.rows.find((r) => r.statedId === id)!;
    const sum = (id: string) => body.sums.find((s) => s.statedId === id)!;

    beforeAll(async () => {
      const response = await api.http.get(`/api/reports/rc-report/reconciliation?knownAt=${beforeLate}`).set('Authorization', as('auditor'));
      expect(response.status).toBe(200);
      body = response.body;
    });

    it('echoes the report, its 截至 date and knownAt as given, with the summary of the statuses', () => {
      expect(body).toMatchObject({ reportId: 'rc-report', asOfEffective: '2024-08-31', knownAt: beforeLate });
      expect(body.summary).toEqual({
        match: 2,
        withinPrintedPrecision: 1,
        mismatch: 2,
        notDerivable: 2,
        notKeyed: 10,
        sumsAddUp: 1,
        sumsWithinPrintedPrecision: 1,
        sumsDoNotAddUp: 1,
      });
      expect(body.rows.map((r) => r.statedId)).toEqual(report.statedFigures.map((f) => f.statedId));
    });

    it('match: 100.00 + 200.00 万元 received by 2024-08-31 (the receipt of 2024-09-10 left out) is the stated 300.00', () => {
      expect(row('a-received')).toEqual({
        statedId: 'a-received',
        scope: { projectId: A },
        key: 'received_total',
        stated: '300.00',
        unit: 'wan',
        recomputed: '300',
        recomputedYuan: '3000000.00',
        status: 'match',
        arithmetic: expect.stringContaining('received_total'),
        citation: citation('a-received'),
      });
      // Over the portfolio: A's 300.00 万元 and B's 300.00 元, in yuan.
      expect(row('portfolio-received')).toMatchObject({ status: 'match', recomputed: '3000300', recomputedYuan: '3000300.00' });
    });

    it('within printed precision: 100.0 / 300.00 = 33.33%, but the interval of the printed inputs, computed here, holds 33.34', () => {
      const exact = percentHundredths(100n * WAN, 300n * WAN);
      expect(exact).toBe(3333n);
      // 100.0 万元 ± 0.05; 100.00 + 200.00 万元 ± 0.005 each.
      const [dLow, dHigh] = [100n * WAN - WAN / 20n, 100n * WAN + WAN / 20n];
      const [rLow, rHigh] = [300n * WAN - WAN / 100n, 300n * WAN + WAN / 100n];
      const [low, high] = [percentHundredths(dLow, rHigh), percentHundredths(dHigh, rLow)];
      expect([low, high]).toEqual([3332n, 3335n]);
      expect(low <= 3334n && 3334n <= high).toBe(true);
      expect(row('a-rate')).toMatchObject({ status: 'within-printed-precision', stated: '33.34', unit: 'percent' });
      expect(row('a-rate').recomputed).toMatch(/^33\.3333/);
      expect(row('a-rate')).not.toHaveProperty('difference');
    });

    it('mismatch, truncated: 200.00 / 300.00 元 = 66.666…% rounds to 66.67; the report cut it to 66.66', () => {
      expect(percentHundredths(200n, 300n)).toBe(6667n);
      expect(row('b-rate')).toMatchObject({ status: 'mismatch', reason: 'truncated', stated: '66.66' });
      expect(row('b-rate').difference).toMatch(/^-0\.00666/);
    });

    it('mismatch: 200.00 元 is 0.02 万元, not the stated 0.03; the difference is in the stated unit', () => {
      expect(row('b-disbursed')).toMatchObject({ status: 'mismatch', recomputed: '0.02', recomputedYuan: '200.00', difference: '0.01' });
      expect(row('b-disbursed')).not.toHaveProperty('reason');
    });

    it('not derivable: no planned total; a programme no project belongs to', () => {
      expect(row('b-arrival')).toMatchObject({ status: 'not-derivable', recomputed: null, reason: expect.stringMatching(/planned total/) });
      expect(row('programme-received')).toMatchObject({ status: 'not-derivable', recomputed: null, reason: expect.stringMatching(/rc-programme/) });
    });

    it('not keyed: printed, with its citation, never checked', () => {
      expect(row('a-note')).toMatchObject({ status: 'not-keyed', key: null, recomputed: null, citation: citation('a-note') });
    });

    it('sums: 100.00 + 200.00 adds up; 100.0 + 200.00 holds 300.01 within ± 0.055; 5 + 7 + 6 + 3 counted is not 20', () => {
      expect(sum('a-received')).toMatchObject({ parts: ['part-a2', 'part-b'], stated: '300.00', sumOfParts: '300', status: 'adds-up' });
      expect(sum('total-within')).toMatchObject({ parts: ['part-a', 'part-b'], stated: '300.01', sumOfParts: '300', status: 'within-printed-precision' });
      expect(sum('c-total')).toMatchObject({ stated: '20', sumOfParts: '21', status: 'does-not-add-up', difference: '-1' });
    });

    it('knownAt changes the answer: a receipt recorded later but effective before 2024-08-31 enters once the books know it', async () => {
      await send({ type: 'ReceiveFunds', data: { projectId: A, receiptId: 'r3', source: 'other', ...wan('50.00') } }, '2024-08-15');
      const now = await api.http.get('/api/reports/rc-report/reconciliation').set('Authorization', as('analyst'));
      expect(now.status).toBe(200);
      expect(now.body.knownAt).toBeNull();
      const received = now.body.rows.find((r: { statedId: string }) => r.statedId === 'a-received');
      expect(received).toMatchObject({ status: 'mismatch', recomputed: '350', difference: '-50' });
      // As known before it: unchanged.
      const then = await api.http.get(`/api/reports/rc-report/reconciliation?knownAt=${beforeLate}`).set('Authorization', as('analyst'));
      expect(then.body).toEqual(body);
      // An instant before anything was recorded: the books knew nothing.
      const before = await api.http.get('/api/reports/rc-report/reconciliation?knownAt=2000-01-01T00:00:00%2B08:00').set('Authorization', as('analyst'));
      expect(before.body.rows.find((r: { statedId: string }) => r.statedId === 'a-received')).toMatchObject({ status: 'mismatch', recomputed: '0' });
      expect(before.body.knownAt).toBe('2000-01-01T00:00:00+08:00');
    });
  });
});
