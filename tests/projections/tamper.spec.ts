import { type ApiHarness, startApi } from '../support/api-harness';
import { runSql } from '../support/test-database';
import { runCli } from './support/processes';

/**
 * Issue 4 acceptance, trace and tamper evidence (DESIGN §2, §4, §5):
 *  - for every figure key of a seeded project, the trace's effective terms sum to the figure's
 *    terms, the value follows from them, and `matches` is true;
 *  - tampering with the log behind the database's back (the append-only trigger disabled by a
 *    superuser) is reported by GET /api/audit/verify and by `verify` (exit code 1), naming the
 *    exact stream, revision and event. One fresh database per tampering case.
 */
const P = 'xs-incinerator';

interface Figure {
  key: string;
  value: string | null;
  unit: 'yuan' | 'percent' | 'quantity';
  numerator?: string;
  denominator?: string;
}
interface TracedTerm {
  eventId: string;
  type: string;
  globalPosition: string;
  streamRevision: string;
  recordedAt: string;
  effectiveDate: string;
  actor: { id: string; role: string };
  term: 'numerator' | 'denominator';
  mode: 'add' | 'set';
  signedAmount: string;
  effective: boolean;
}
interface StoredEvent {
  eventId: string;
  type: string;
  streamRevision: string;
  globalPosition: string;
  actor: { id: string; role: string };
  data: Record<string, unknown>;
}
interface BrokenLink {
  streamId: string;
  streamRevision: string;
  eventId: string;
  globalPosition: string;
  problem: string;
  detail: string;
}

/** A realistic project: allocations, receipts of several sources (incl. carry-over and bond proceeds), contracts, payments, a reversal, a revised plan, indicators. */
async function seed(api: ApiHarness): Promise<number> {
  const officer = `Bearer ${api.token('budget-officer', 'officer-wang')}`;
  const clerk = `Bearer ${api.token('clerk', 'clerk-zhang')}`;
  let last = 0;
  const post = async (path: string, token: string, body: object) => {
    const response = await api.http.post(path).set('Authorization', token).send(body);
    expect({ path, status: response.status, body: response.body }).toMatchObject({ status: 201 });
    last = Math.max(last, response.body.globalPosition);
  };
  const base = `/api/projects/${P}`;
  await post('/api/projects', officer, {
    projectId: P,
    name: '西山区生活垃圾焚烧发电厂提标改造项目',
    department: '区城管局',
    category: 'environment',
    plannedTotal: '348223000.00',
    plannedTotalLabel: '总投资',
    fiscalYear: 2024,
    effectiveDate: '2023-11-20',
  });
  await post(`${base}/allocations`, officer, {
    allocationId: 'dist-2024',
    source: 'district-budget',
    amount: '60000000.00',
    fiscalYear: 2024,
    documentRef: '西财预〔2024〕12号',
    effectiveDate: '2024-01-15',
  });
  await post(`${base}/allocations`, officer, {
    allocationId: 'central-2024',
    source: 'central-subsidy',
    amount: '40000000.00',
    fiscalYear: 2024,
    effectiveDate: '2024-02-01',
  });
  await post(`${base}/receipts`, clerk, {
    receiptId: 'dist-1',
    source: 'district-budget',
    amount: '35000000.00',
    allocationId: 'dist-2024',
    effectiveDate: '2024-02-10',
  });
  await post(`${base}/receipts`, clerk, {
    receiptId: 'central-1',
    source: 'central-subsidy',
    amount: '40000000.00',
    allocationId: 'central-2024',
    effectiveDate: '2024-03-01',
  });
  await post(`${base}/receipts`, clerk, { receiptId: 'carry-2023', source: 'carry-over', amount: '8123456.78', effectiveDate: '2024-01-02' });
  await post(`${base}/receipts`, clerk, { receiptId: 'self-1', source: 'self-raised', amount: '5000000.00', effectiveDate: '2024-03-15' });
  await post('/api/bonds', officer, {
    bondId: 'xs-2024-sb-3',
    name: '2024年云南省政府专项债券（三期）',
    kind: 'special',
    amount: '500000000.00',
    issueDate: '2024-04-01',
  });
  await post('/api/bonds/xs-2024-sb-3/assignments', officer, {
    assignmentId: 'incinerator',
    projectId: P,
    amount: '120000000.00',
    effectiveDate: '2024-04-08',
  });
  await post(`${base}/contracts`, clerk, { contractId: 'epc', counterparty: '云南某环保工程有限公司', amount: '210000000.00', effectiveDate: '2024-03-20' });
  await post(`${base}/contracts`, clerk, { contractId: 'supervision', counterparty: '昆明某监理有限公司', amount: '3200000.00', effectiveDate: '2024-03-22' });
  await post(`${base}/disbursements`, clerk, {
    disbursementId: 'pay-001',
    amount: '30000000.00',
    category: 'construction',
    receiptId: 'central-1',
    contractId: 'epc',
    effectiveDate: '2024-04-01',
  });
  await post(`${base}/disbursements`, clerk, {
    disbursementId: 'pay-002',
    amount: '800000.00',
    category: 'engineering-services',
    contractId: 'supervision',
    effectiveDate: '2024-04-10',
  });
  await post(`${base}/disbursements`, clerk, {
    disbursementId: 'pay-003',
    amount: '12500000.33',
    category: 'construction',
    receiptId: 'dist-1',
    effectiveDate: '2024-05-06',
  });
  await post(`${base}/disbursements`, clerk, { disbursementId: 'pay-004', amount: '2000000.00', category: 'land-and-taxes', effectiveDate: '2024-05-20' });
  await post(`${base}/disbursements`, clerk, {
    disbursementId: 'pay-005',
    amount: '45000000.00',
    category: 'construction',
    contractId: 'epc',
    effectiveDate: '2024-06-18',
  });
  await post(`${base}/disbursements/pay-004/reversal`, officer, { reason: '凭证重复录入', effectiveDate: '2024-05-21' });
  await post(`${base}/disbursements`, clerk, { disbursementId: 'pay-006', amount: '321000.00', category: 'bond-issuance-fee', effectiveDate: '2024-06-30' });
  await post(`${base}/planned-total`, officer, { amount: '352000000.00', reason: '初步设计概算调整', effectiveDate: '2024-06-01' });
  await post(`${base}/indicators`, officer, {
    indicatorId: 'waste-incinerated',
    name: '焚烧垃圾量',
    unit: '吨',
    target: '328500',
    effectiveDate: '2024-01-01',
  });
  await post(`${base}/indicators/waste-incinerated/actuals`, officer, { actual: '150000.25', effectiveDate: '2024-06-30' });
  await post(`${base}/indicators/waste-incinerated/actuals`, officer, { actual: '329721.96', effectiveDate: '2024-12-31' });
  await post(`${base}/indicators`, officer, { indicatorId: 'emission-compliance', name: '排放达标率', unit: '%', target: '100', effectiveDate: '2024-01-01' });
  return last;
}

/** "12.5" at `scale` decimals -> integer units; no JS number. */
function units(text: string, scale: number): bigint {
  const negative = text.startsWith('-');
  const [int, frac = ''] = (negative ? text.slice(1) : text).split('.');
  const value = BigInt(int + frac.padEnd(scale, '0'));
  return negative ? -value : value;
}
/** Terms that are stated (the latest event wins) rather than summed, per DESIGN §4. */
function isStated(key: string, term: 'numerator' | 'denominator'): boolean {
  if (key === 'planned_total' || key === 'investment_completed') return term === 'numerator';
  if (key === 'arrival_rate' || key.startsWith('receipt_usage_rate:')) return term === 'denominator';
  return key === 'investment_completion_rate' || key.startsWith('output_');
}
function percent(num: bigint, den: bigint): string | null {
  if (den === 0n) return null;
  const hundredths = (num * 10000n * 2n + den) / (2n * den);
  return `${hundredths / 100n}.${(hundredths % 100n).toString().padStart(2, '0')}`;
}

describe('trace: every figure of a seeded project adds up from its events', () => {
  let api: ApiHarness;
  let auditor: string;
  let last: number;
  beforeAll(async () => {
    api = await startApi();
    auditor = `Bearer ${api.token('auditor')}`;
    last = await seed(api);
  });
  afterAll(async () => api?.close());

  it('for every key, the effective terms sum to the figure and matches is true', async () => {
    const { body } = await api.http.get(`/api/projects/${P}/figures?minPosition=${last}`).set('Authorization', auditor);
    const figures = body.figures as Figure[];
    const stream = (await api.http.get(`/api/projects/${P}/events`).set('Authorization', auditor)).body.events as StoredEvent[];
    const byId = new Map(stream.map((e) => [e.eventId, e]));
    expect(figures.map((f) => f.key)).toEqual(
      expect.arrayContaining([
        'planned_total',
        'allocated_total',
        'received_total',
        'disbursed_total',
        'available_balance',
        'arrival_rate',
        'execution_rate',
        'allocation_execution_rate',
        'contract_payment_progress',
        'receipt_usage_rate:central-1',
        'receipt_usage_rate:self-1',
        'output_completion:waste-incinerated',
        'output_completion:emission-compliance',
        'received_by_source:special-bond',
        'received_by_source:carry-over',
        'disbursed_by_category:land-and-taxes',
      ]),
    );
    const checked: string[] = [];
    for (const figure of figures) {
      const response = await api.http.get(`/api/projects/${P}/figures/${encodeURIComponent(figure.key)}/trace`).set('Authorization', auditor);
      expect({ key: figure.key, status: response.status }).toEqual({ key: figure.key, status: 200 });
      const trace = response.body as {
        value: string | null;
        matches: boolean;
        storedValue: string | null;
        numerator: string | null;
        denominator?: string | null;
        terms: TracedTerm[];
        formula: string;
      };
      expect({ key: figure.key, matches: trace.matches, value: trace.value, storedValue: trace.storedValue }).toEqual({
        key: figure.key,
        matches: true,
        value: figure.value,
        storedValue: figure.value,
      });
      expect(trace.formula.length).toBeGreaterThan(0);
      const scale = figure.key.startsWith('output_') ? 4 : 2;
      const total = (term: 'numerator' | 'denominator') => {
        const terms = trace.terms.filter((t) => t.term === term);
        const effective = terms.filter((t) => t.effective);
        // A stated ('set') term counts only its latest statement; a summed one counts every event.
        if (terms.some((t) => t.mode === 'set')) {
          expect({ key: figure.key, term, effective: effective.length }).toEqual({ key: figure.key, term, effective: Math.min(1, terms.length) });
          if (effective.length) expect(effective[0]).toBe(terms[terms.length - 1]);
        } else {
          expect(effective).toHaveLength(terms.length);
        }
        // A stated term with no statement is unknown; a sum of nothing is zero.
        if (terms.length === 0 && isStated(figure.key, term)) return null;
        return effective.reduce((s, t) => s + units(t.signedAmount, scale), 0n);
      };
      const numerator = total('numerator');
      if (figure.unit === 'yuan' || figure.unit === 'quantity') {
        expect({ key: figure.key, sum: numerator === null ? null : numerator.toString() }).toEqual({
          key: figure.key,
          sum: figure.value === null ? null : units(figure.value, scale).toString(),
        });
      } else {
        const denominator = total('denominator');
        // The terms add up to the trace's and the figure's numerator and denominator…
        expect({ key: figure.key, n: numerator?.toString() ?? null, d: denominator?.toString() ?? null }).toEqual({
          key: figure.key,
          n: trace.numerator === null ? null : units(trace.numerator, scale).toString(),
          d: trace.denominator == null ? null : units(trace.denominator, scale).toString(),
        });
        if (figure.numerator !== undefined) expect(units(figure.numerator, scale)).toBe(numerator);
        if (figure.denominator !== undefined) expect(units(figure.denominator, scale)).toBe(denominator);
        // …and the value is their ratio, half-up to 2 decimals.
        const recomputed = numerator === null || denominator === null ? null : percent(numerator, denominator);
        expect({ key: figure.key, value: figure.value }).toEqual({ key: figure.key, value: recomputed });
      }
      // Every term names a real event of the stream, with its position, revision and actor.
      for (const term of trace.terms) {
        const event = byId.get(term.eventId);
        expect(event).toBeDefined();
        expect({ type: term.type, globalPosition: term.globalPosition, streamRevision: term.streamRevision, actor: term.actor }).toEqual({
          type: event!.type,
          globalPosition: event!.globalPosition,
          streamRevision: event!.streamRevision,
          actor: event!.actor,
        });
        expect(term.effectiveDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(Number.isNaN(Date.parse(term.recordedAt))).toBe(false);
      }
      checked.push(figure.key);
    }
    expect(checked.length).toBeGreaterThanOrEqual(20);
    // Spot checks against the seed, by hand.
    const value = (key: string) => figures.find((f) => f.key === key)?.value;
    expect(value('received_total')).toBe('208123456.78');
    expect(value('disbursed_total')).toBe('88621000.33');
    expect(value('arrival_rate')).toBe('56.82'); // 200,000,000 / 352,000,000
    expect(value('contract_payment_progress')).toBe('35.55'); // 75,800,000 / 213,200,000
    expect(value('output_completion:waste-incinerated')).toBe('100.37');
    expect(value('output_completion:emission-compliance')).toBeNull();
    const reversal = (await api.http.get(`/api/projects/${P}/figures/disbursed_by_category:land-and-taxes/trace`).set('Authorization', auditor)).body;
    expect(reversal.terms.map((t: TracedTerm) => `${t.type} ${t.signedAmount} ${t.actor.id}`)).toEqual([
      'DisbursementRecorded 2000000.00 clerk-zhang',
      'DisbursementReversed -2000000.00 officer-wang',
    ]);
    expect(reversal.value).toBe('0.00');
  });
});

describe('tampering with the log is reported by verify, naming the stream and revision', () => {
  const cases: { api?: ApiHarness }[] = [];
  afterAll(async () => {
    for (const c of cases) await c.api?.close().catch(() => undefined);
  });

  /** A fresh database with the seeded project, the read models caught up, and verify clean. */
  async function fresh(): Promise<{ api: ApiHarness; auditor: string; stream: StoredEvent[] }> {
    const api = await startApi();
    cases.push({ api });
    const auditor = `Bearer ${api.token('auditor')}`;
    const last = await seed(api);
    const clean = await api.http.get(`/api/audit/verify?minPosition=${last}`).set('Authorization', auditor);
    expect(clean.status).toBe(200);
    expect(clean.body).toMatchObject({ ok: true, hashChains: { ok: true, brokenLinks: [] }, readModels: { ok: true } });
    const stream = (await api.http.get(`/api/projects/${P}/events`).set('Authorization', auditor)).body.events as StoredEvent[];
    return { api, auditor, stream };
  }

  async function tamper(api: ApiHarness, statement: string): Promise<void> {
    await runSql(
      api.db.url,
      `BEGIN; ALTER TABLE events DISABLE TRIGGER events_append_only; ${statement}; ALTER TABLE events ENABLE TRIGGER events_append_only; COMMIT;`,
    );
  }

  /** GET /api/audit/verify and `verify` agree: not ok, exactly these broken links; the CLI exits 1. */
  async function expectReported(
    api: ApiHarness,
    auditor: string,
    links: Partial<BrokenLink>[],
  ): Promise<{ http: Record<string, any>; cli: Record<string, any> }> {
    const http = await api.http.get('/api/audit/verify').set('Authorization', auditor);
    expect(http.status).toBe(200);
    expect(http.body.ok).toBe(false);
    expect(http.body.hashChains.brokenLinks).toEqual(links.map((link) => expect.objectContaining(link)));
    const cli = await runCli(['verify'], api.db.url);
    expect({ code: cli.code, stderr: cli.stderr }).toEqual({ code: 1, stderr: '' });
    const report = JSON.parse(cli.stdout);
    expect(report.ok).toBe(false);
    expect(report.hashChains.brokenLinks).toEqual(http.body.hashChains.brokenLinks);
    expect(report.readModels).toEqual(http.body.readModels);
    return { http: http.body, cli: report };
  }

  it('verify is clean on an untouched log (HTTP and CLI, exit code 0)', async () => {
    const { api } = await fresh();
    const cli = await runCli(['verify'], api.db.url);
    expect(cli.code).toBe(0);
    expect(JSON.parse(cli.stdout)).toMatchObject({ ok: true, hashChains: { brokenLinks: [] } });
  });

  it('a changed amount: hash-mismatch at that event, the read model differs from the replay, the trace no longer matches', async () => {
    const { api, auditor, stream } = await fresh();
    const target = stream.find((e) => e.type === 'DisbursementRecorded' && e.data.disbursementId === 'pay-003')!;
    await tamper(api, `UPDATE events SET data = jsonb_set(data, '{amount}', '"12.33"') WHERE event_id = '${target.eventId}'`);
    const { http } = await expectReported(api, auditor, [
      {
        streamId: `project-${P}`,
        streamRevision: target.streamRevision,
        eventId: target.eventId,
        globalPosition: target.globalPosition,
        problem: 'hash-mismatch',
      },
    ]);
    expect(http.readModels.ok).toBe(false);
    expect(http.readModels.differences).toEqual(
      expect.arrayContaining([{ projectId: P, key: 'disbursed_total', readModel: '88621000.33', replayed: '76121012.33' }]),
    );
    const trace = await api.http.get(`/api/projects/${P}/figures/disbursed_total/trace`).set('Authorization', auditor);
    expect(trace.body).toMatchObject({ matches: false, storedValue: '88621000.33', value: '76121012.33' });
  });

  it('a deleted event in the middle of a stream: the next revision is reported with the gap', async () => {
    const { api, auditor, stream } = await fresh();
    const target = stream.find((e) => e.type === 'FundsReceived' && e.data.receiptId === 'self-1')!;
    const next = stream[Number(target.streamRevision) + 1];
    await tamper(api, `DELETE FROM events WHERE event_id = '${target.eventId}'`);
    const { http } = await expectReported(api, auditor, [
      { streamId: `project-${P}`, streamRevision: next.streamRevision, eventId: next.eventId, globalPosition: next.globalPosition, problem: 'revision-gap' },
    ]);
    expect(http.hashChains.brokenLinks[0].detail).toContain(`revision ${next.streamRevision} where ${target.streamRevision} was expected`);
    expect(http.readModels.differences).toEqual(
      expect.arrayContaining([expect.objectContaining({ projectId: P, key: 'received_total', readModel: '208123456.78', replayed: '203123456.78' })]),
    );
  });

  it("a stream's last events deleted: reported as truncated at the first missing revision, and the read model differs", async () => {
    const { api, auditor, stream } = await fresh();
    const heads = await runCli(['verify', '--heads'], api.db.url);
    const before = JSON.parse(heads.stdout).heads[`project-${P}`];
    expect(before).toBe((stream[stream.length - 1] as unknown as { hash: string }).hash);
    const lastPayment = [...stream].reverse().find((e) => e.type === 'DisbursementRecorded')!;
    // Make the payment the last event of its stream by deleting what follows it, then delete it too.
    await tamper(api, `DELETE FROM events WHERE stream_id = 'project-${P}' AND stream_revision >= ${lastPayment.streamRevision}`);
    const { http, cli } = await expectReported(api, auditor, [{ streamId: `project-${P}`, streamRevision: lastPayment.streamRevision, problem: 'truncated' }]);
    expect(http.readModels.ok).toBe(false);
    expect(http.readModels.differences).toEqual(expect.arrayContaining([expect.objectContaining({ projectId: P, key: 'disbursed_total' })]));
    expect(cli.readModels.differences.length).toBeGreaterThan(0);
    // The head digest an auditor kept no longer matches.
    const after = JSON.parse((await runCli(['verify', '--heads'], api.db.url)).stdout).heads[`project-${P}`];
    expect(after).not.toBe(before);
  });

  it("two events' stream_revision swapped: the first out-of-place event is reported with the revision expected there", async () => {
    const { api, auditor, stream } = await fresh();
    const a = stream.find((e) => e.data.disbursementId === 'pay-001' && e.type === 'DisbursementRecorded')!;
    const b = stream.find((e) => e.data.disbursementId === 'pay-003' && e.type === 'DisbursementRecorded')!;
    expect(BigInt(a.streamRevision)).toBeLessThan(BigInt(b.streamRevision));
    await tamper(
      api,
      `UPDATE events SET stream_revision = 1000000 WHERE event_id = '${a.eventId}';
       UPDATE events SET stream_revision = ${a.streamRevision} WHERE event_id = '${b.eventId}';
       UPDATE events SET stream_revision = ${b.streamRevision} WHERE event_id = '${a.eventId}'`,
    );
    // In global order, pay-001 comes first and now claims pay-003's revision.
    const { http } = await expectReported(api, auditor, [
      { streamId: `project-${P}`, streamRevision: b.streamRevision, eventId: a.eventId, globalPosition: a.globalPosition, problem: 'revision-gap' },
    ]);
    expect(http.hashChains.brokenLinks[0].detail).toContain(`where ${a.streamRevision} was expected`);
    // The figures are sums: reordering does not change them, so only the chain tells.
    expect(http.readModels).toMatchObject({ ok: true, differences: [] });
  });

  it('a bond read model rewritten behind the projector: the chains are intact, the bond differs from the replay', async () => {
    const { api, auditor } = await fresh();
    await runSql(api.db.url, `UPDATE bond_read_models SET details = jsonb_set(details, '{assignedTotal}', '"1.00"') WHERE bond_id = 'xs-2024-sb-3'`);
    const { http } = await expectReported(api, auditor, []);
    expect(http.hashChains.ok).toBe(true);
    expect(http.readModels).toMatchObject({ ok: false, differences: [] });
    expect(http.readModels.bondDifferences).toEqual([{ bondId: 'xs-2024-sb-3', key: 'assignedTotal', readModel: '1.00', replayed: '120000000.00' }]);
  });

  it('an amount tampered into something that is not an amount is still reported, not a 500', async () => {
    const { api, auditor, stream } = await fresh();
    const target = stream.find((e) => e.type === 'FundsReceived' && e.data.receiptId === 'central-1')!;
    await tamper(api, `UPDATE events SET data = jsonb_set(data, '{amount}', '"forty million"') WHERE event_id = '${target.eventId}'`);
    const { http } = await expectReported(api, auditor, [
      {
        streamId: `project-${P}`,
        streamRevision: target.streamRevision,
        eventId: target.eventId,
        globalPosition: target.globalPosition,
        problem: 'hash-mismatch',
      },
    ]);
    expect(http.readModels.ok).toBe(false);
    expect(http.readModels.unreadable).toEqual([
      expect.objectContaining({
        streamId: `project-${P}`,
        streamRevision: target.streamRevision,
        eventId: target.eventId,
        detail: expect.stringContaining('amount'),
      }),
    ]);
    expect(http.readModels.differences).toEqual(
      expect.arrayContaining([expect.objectContaining({ projectId: P, key: 'received_total', readModel: '208123456.78', replayed: '168123456.78' })]),
    );
  });
});
