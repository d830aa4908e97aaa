import { bondReceiptId } from '@fundtrail/funding';
import type { Response } from 'supertest';
import { type ApiHarness, startApi } from '../support/api-harness';
import { runSql } from '../support/test-database';
import { bearer, describeResponse, PROBLEM_JSON, problemFields } from './support-fixtures';

/**
 * Payment approval (核拨), investment completed (完成投资), a correction for every fact, and amounts
 * typed in 万元 / 亿元, through HTTP: each endpoint's success and refusals, and the figures after
 * the corrections checked against a ledger this test keeps itself.
 */

const PROJECT = 'cx-county-water';
const BOND = 'cx-special-2024';
const BOND_RECEIPT = bondReceiptId(BOND, 'as1');

/** The test's own ledger, in fen, kept as facts are accepted: the figures are checked against it. */
interface Fact {
  fen: bigint;
  reversed?: boolean;
}
const ledger = {
  planned: 0n,
  allocations: new Map<string, Fact>(),
  receipts: new Map<string, Fact & { source: string }>(),
  contracts: new Map<string, Fact>(),
  approvals: new Map<string, Fact>(),
  disbursements: new Map<string, Fact & { contract: boolean }>(),
  investment: 0n,
};

const sum = <T extends Fact>(facts: Iterable<T>, where: (fact: T) => boolean = () => true) =>
  [...facts].filter((f) => !f.reversed && where(f)).reduce((total, f) => total + f.fen, 0n);
const yuan = (fen: bigint) => `${fen < 0n ? '-' : ''}${(fen < 0n ? -fen : fen) / 100n}.${((fen < 0n ? -fen : fen) % 100n).toString().padStart(2, '0')}`;
/** Percent, half-up to 2 decimals, from the two fen totals: written here, not taken from libs/money. */
const percent = (numerator: bigint, denominator: bigint) => {
  const hundredths = (numerator * 10_000n * 2n + denominator) / (2n * denominator);
  return `${hundredths / 100n}.${(hundredths % 100n).toString().padStart(2, '0')}`;
};
const quantityPercent = (numerator: number, denominator: number) => percent(BigInt(numerator), BigInt(denominator));

describe('corrections, approvals, investment completed and units over HTTP', () => {
  let api: ApiHarness;
  let officer: string;
  let clerk: string;
  let auditor: string;
  let lastPosition = 0;

  beforeAll(async () => {
    api = await startApi();
    officer = bearer(api.token('budget-officer', 'officer-cx'));
    clerk = bearer(api.token('clerk', 'clerk-cx'));
    auditor = bearer(api.token('auditor', 'auditor-cx'));
  });
  afterAll(async () => api?.close());

  async function post(path: string, token: string, body: object, headers: Record<string, string> = {}): Promise<Response> {
    let request = api.http.post(path).set('Authorization', token);
    for (const [name, value] of Object.entries(headers)) request = request.set(name, value);
    const response = await request.send(body);
    if (response.status === 201) lastPosition = response.body.globalPosition;
    return response;
  }

  async function accepted(path: string, token: string, body: object): Promise<Response> {
    const response = await post(path, token, body);
    if (response.status !== 201) throw new Error(`${path}: expected 201, got ${describeResponse(response)}`);
    return response;
  }

  /** A refusal: the status, problem+json, the code, the field, and nothing appended. */
  async function refused(path: string, token: string, body: object, status: number, code: string, field?: string): Promise<void> {
    const before = await api.eventCount();
    const response = await post(path, token, body);
    if (response.status !== status || response.body.code !== code) throw new Error(`${path}: expected ${status} ${code}, got ${describeResponse(response)}`);
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    if (field !== undefined) expect(problemFields(response)).toContain(field);
    expect(await api.eventCount()).toBe(before);
  }

  async function eventData(eventId: string): Promise<Record<string, unknown>> {
    const { rows } = (await runSql(api.db.url, 'SELECT data FROM events WHERE event_id = $1', [eventId])) as { rows: { data: Record<string, unknown> }[] };
    return rows[0].data;
  }

  async function figures(): Promise<Record<string, string | null>> {
    const response = await api.http.get(`/api/projects/${PROJECT}/figures?minPosition=${lastPosition}&pageSize=1000`).set('Authorization', auditor);
    expect(response.status).toBe(200);
    return Object.fromEntries((response.body.figures as { key: string; value: string | null }[]).map((f) => [f.key, f.value]));
  }

  const at = (path: string) => `/api/projects/${PROJECT}${path}`;

  describe('amounts typed in 亿元 and 万元 are converted exactly and keep their printed precision', () => {
    it('RegisterProject: plannedTotal 1.2 亿元 is 120000000.00 yuan, printed { yi, 1 }', async () => {
      const response = await accepted('/api/projects', officer, {
        projectId: PROJECT,
        name: '某县农村供水保障工程',
        department: '县水务局',
        category: 'water',
        plannedTotal: '1.2',
        amountUnit: 'yi',
      });
      ledger.planned = 120_000_000_00n;
      expect(await eventData(response.body.eventIds[0])).toMatchObject({ plannedTotal: '120000000.00', printed: { unit: 'yi', decimals: 1 } });
    });

    it('allocations, receipts and contracts in 万元 and 亿元; yuan bodies keep no printed precision', async () => {
      const allocation = await accepted(at('/allocations'), officer, {
        allocationId: 'a1',
        source: 'district-budget',
        amount: '5000',
        amountUnit: 'wan',
        fiscalYear: 2024,
      });
      ledger.allocations.set('a1', { fen: 50_000_000_00n });
      expect(await eventData(allocation.body.eventIds[0])).toMatchObject({ amount: '50000000.00', printed: { unit: 'wan', decimals: 0 } });
      await accepted(at('/allocations'), officer, { allocationId: 'a2', source: 'provincial-subsidy', amount: '100', amountUnit: 'wan', fiscalYear: 2024 });
      ledger.allocations.set('a2', { fen: 1_000_000_00n });

      await accepted(at('/receipts'), clerk, { receiptId: 'r1', source: 'district-budget', allocationId: 'a1', amount: '0.5', amountUnit: 'yi' });
      ledger.receipts.set('r1', { fen: 50_000_000_00n, source: 'district-budget' });
      const r2 = await accepted(at('/receipts'), clerk, { receiptId: 'r2', source: 'central-subsidy', amount: '1234.56', amountUnit: 'wan' });
      ledger.receipts.set('r2', { fen: 12_345_600_00n, source: 'central-subsidy' });
      expect(await eventData(r2.body.eventIds[0])).toMatchObject({ amount: '12345600.00', printed: { unit: 'wan', decimals: 2 } });
      // 0.0001 万元 is one yuan: still exact
      const r3 = await accepted(at('/receipts'), clerk, { receiptId: 'r3', source: 'other', amount: '0.0300', amountUnit: 'wan' });
      ledger.receipts.set('r3', { fen: 300_00n, source: 'other' });
      expect(await eventData(r3.body.eventIds[0])).toMatchObject({ amount: '300.00', printed: { unit: 'wan', decimals: 4 } });
      const r4 = await accepted(at('/receipts'), clerk, { receiptId: 'r4', source: 'self-raised', amount: '100000000.00', amountUnit: 'yuan' });
      ledger.receipts.set('r4', { fen: 100_000_000_00n, source: 'self-raised' });
      expect(await eventData(r4.body.eventIds[0])).not.toHaveProperty('printed');
      const c1 = await accepted(at('/contracts'), clerk, { contractId: 'c1', counterparty: '某水利工程公司', amount: '3000', amountUnit: 'wan' });
      ledger.contracts.set('c1', { fen: 30_000_000_00n });
      expect(await eventData(c1.body.eventIds[0])).toMatchObject({ amount: '30000000.00', printed: { unit: 'wan', decimals: 0 } });
    });

    it.each([
      ['7 decimals of 万元', { amount: '1.2345678', amountUnit: 'wan' }],
      ['11 decimals of 亿元', { amount: '0.00000000001', amountUnit: 'yi' }],
      ['3 decimals of 元', { amount: '1.001' }],
      ['a trailing zero past the fen in 万元', { amount: '1.0000000', amountUnit: 'wan' }],
    ])('an amount that would need more than 2 decimals of yuan is 400 naming the field, never rounded: %s', async (_label, patch) => {
      await refused(at('/receipts'), clerk, { receiptId: 'r-bad', source: 'other', ...patch }, 400, 'VALIDATION_FAILED', 'amount');
    });

    it('a bad plannedTotal in 亿元 names plannedTotal', async () => {
      await refused(
        '/api/projects',
        officer,
        { projectId: 'cx-other', name: '项目', department: '局', category: 'x', plannedTotal: '1.00000000001', amountUnit: 'yi' },
        400,
        'VALIDATION_FAILED',
        'plannedTotal',
      );
    });
  });

  describe('payment approval (核拨) and investment completed (完成投资)', () => {
    it('ApprovePayment against a receipt and a contract, in 万元', async () => {
      const response = await accepted(at('/payment-approvals'), officer, {
        approvalId: 'ap1',
        amount: '2000',
        amountUnit: 'wan',
        receiptId: 'r1',
        contractId: 'c1',
      });
      ledger.approvals.set('ap1', { fen: 20_000_000_00n });
      expect(await eventData(response.body.eventIds[0])).toMatchObject({
        approvalId: 'ap1',
        amount: '20000000.00',
        receiptId: 'r1',
        contractId: 'c1',
        printed: { unit: 'wan', decimals: 0 },
      });
      await accepted(at('/payment-approvals'), officer, { approvalId: 'ap2', amount: '100', amountUnit: 'wan' });
      ledger.approvals.set('ap2', { fen: 1_000_000_00n });
    });

    it('refuses an approval above what was received and not yet approved (409 INSUFFICIENT_FUNDS), above its receipt, above its contract', async () => {
      await refused(at('/payment-approvals'), officer, { approvalId: 'ap-big', amount: '2', amountUnit: 'yi' }, 409, 'INSUFFICIENT_FUNDS', 'amount');
      await refused(
        at('/payment-approvals'),
        officer,
        { approvalId: 'ap-big', amount: '3001', amountUnit: 'wan', receiptId: 'r1' },
        409,
        'INSUFFICIENT_FUNDS',
        'amount',
      );
      await refused(
        at('/payment-approvals'),
        officer,
        { approvalId: 'ap-big', amount: '1001', amountUnit: 'wan', contractId: 'c1' },
        409,
        'CONTRACT_EXCEEDED',
        'amount',
      );
      await refused(at('/payment-approvals'), officer, { approvalId: 'ap1', amount: '1.00' }, 409, 'DUPLICATE_ID', 'approvalId');
      await refused(at('/payment-approvals'), clerk, { approvalId: 'ap-clerk', amount: '1.00' }, 403, 'FORBIDDEN');
    });

    it('RecordDisbursement against an approval draws on its receipt and contract, up to its amount', async () => {
      const response = await accepted(at('/disbursements'), clerk, {
        disbursementId: 'd1',
        amount: '1500',
        amountUnit: 'wan',
        category: 'construction',
        approvalId: 'ap1',
      });
      ledger.disbursements.set('d1', { fen: 15_000_000_00n, contract: true });
      expect(await eventData(response.body.eventIds[0])).toMatchObject({ approvalId: 'ap1', receiptId: 'r1', contractId: 'c1', amount: '15000000.00' });
      await refused(
        at('/disbursements'),
        clerk,
        { disbursementId: 'd-over', amount: '501', amountUnit: 'wan', category: 'construction', approvalId: 'ap1' },
        409,
        'APPROVAL_EXCEEDED',
        'amount',
      );
      await refused(
        at('/disbursements'),
        clerk,
        { disbursementId: 'd-other', amount: '1.00', category: 'construction', approvalId: 'ap1', receiptId: 'r2' },
        422,
        'APPROVAL_MISMATCH',
        'receiptId',
      );
      await refused(
        at('/disbursements'),
        clerk,
        { disbursementId: 'd-none', amount: '1.00', category: 'construction', approvalId: 'no-such' },
        422,
        'UNKNOWN_APPROVAL',
        'approvalId',
      );
    });

    it('ReportInvestmentCompleted: cumulative, the latest report stands', async () => {
      await accepted(at('/investment-completed'), officer, { amount: '0.25', amountUnit: 'yi', effectiveDate: '2024-06-30' });
      const latest = await accepted(at('/investment-completed'), officer, { amount: '0.3', amountUnit: 'yi', effectiveDate: '2024-09-30' });
      ledger.investment = 30_000_000_00n;
      expect(await eventData(latest.body.eventIds[0])).toMatchObject({ amount: '30000000.00', printed: { unit: 'yi', decimals: 1 } });
    });
  });

  describe('indicators: a ratio of indicators, a revised target, a withdrawal', () => {
    it('SetOutputTarget with denominatorIndicatorId needs no target; an unknown denominator is 422', async () => {
      await accepted(at('/indicators'), officer, { indicatorId: 'completed', name: '完工工程', unit: '处', target: '100' });
      await accepted(at('/indicators'), officer, { indicatorId: 'accepted', name: '验收合格工程', unit: '处', denominatorIndicatorId: 'completed' });
      await accepted(at('/indicators'), officer, { indicatorId: 'spare', name: '误录指标', unit: '个', target: '10' });
      await refused(
        at('/indicators'),
        officer,
        { indicatorId: 'orphan', name: '孤立', unit: '个', denominatorIndicatorId: 'no-such' },
        422,
        'UNKNOWN_INDICATOR',
        'denominatorIndicatorId',
      );
      await refused(at('/indicators'), officer, { indicatorId: 'orphan', name: '孤立', unit: '个' }, 400, 'VALIDATION_FAILED', 'target');
      await accepted(at('/indicators/completed/actuals'), officer, { actual: '80' });
      await accepted(at('/indicators/accepted/actuals'), officer, { actual: '60' });
    });

    it('ReviseOutputTarget records the previous target; WithdrawIndicator twice is ALREADY_REVERSED', async () => {
      const revised = await accepted(at('/indicators/completed/target'), officer, { target: '120', reason: '实施方案调整' });
      expect(await eventData(revised.body.eventIds[0])).toMatchObject({ target: '120', previousTarget: '100', reason: '实施方案调整' });
      await refused(at('/indicators/completed/withdrawal'), officer, { reason: '被引用' }, 409, 'INDICATOR_IN_USE', 'indicatorId');
      await accepted(at('/indicators/spare/withdrawal'), officer, { reason: '指标录错' });
      await refused(at('/indicators/spare/withdrawal'), officer, { reason: '再次撤回' }, 409, 'ALREADY_REVERSED', 'indicatorId');
      await refused(at('/indicators/spare/target'), officer, { target: '5', reason: '已撤回' }, 409, 'INDICATOR_WITHDRAWN', 'indicatorId');
      await refused(at('/indicators/spare/actuals'), officer, { actual: '5' }, 409, 'INDICATOR_WITHDRAWN', 'indicatorId');
    });
  });

  describe('corrections of money facts', () => {
    it('ReverseReceipt: refused while drawn or approved on (RECEIPT_IN_USE), or when received would fall below disbursed (INSUFFICIENT_FUNDS)', async () => {
      await refused(at('/receipts/r1/reversal'), officer, { reason: '录错' }, 409, 'RECEIPT_IN_USE', 'receiptId');
      // a pooled payment that only r4's money covers
      await accepted(at('/disbursements'), clerk, { disbursementId: 'd-pooled', amount: '1.2', amountUnit: 'yi', category: 'construction' });
      ledger.disbursements.set('d-pooled', { fen: 120_000_000_00n, contract: false });
      await refused(at('/receipts/r4/reversal'), officer, { reason: '录错' }, 409, 'INSUFFICIENT_FUNDS', 'receiptId');
      await accepted(at('/disbursements/d-pooled/reversal'), officer, { reason: '重复支付' });
      ledger.disbursements.get('d-pooled')!.reversed = true;
      await accepted(at('/receipts/r4/reversal'), officer, { reason: '自筹资金未到位，误录' });
      ledger.receipts.get('r4')!.reversed = true;
      await accepted(at('/receipts/r3/reversal'), officer, { reason: '重复录入' });
      ledger.receipts.get('r3')!.reversed = true;
      await refused(at('/receipts/r3/reversal'), officer, { reason: '再次冲销' }, 409, 'ALREADY_REVERSED', 'receiptId');
      await refused(at('/receipts/no-such/reversal'), officer, { reason: '不存在' }, 404, 'RECEIPT_NOT_FOUND', 'receiptId');
      await refused(at('/receipts/r2/reversal'), clerk, { reason: '出纳不能冲销' }, 403, 'FORBIDDEN');
    });

    it('ReverseAllocation: refused while receipts reference it (ALLOCATION_IN_USE); a second reversal is ALREADY_REVERSED', async () => {
      await refused(at('/allocations/a1/reversal'), officer, { reason: '文号录错' }, 409, 'ALLOCATION_IN_USE', 'allocationId');
      await accepted(at('/allocations/a2/reversal'), officer, { reason: '省级补助未下达' });
      ledger.allocations.get('a2')!.reversed = true;
      await refused(at('/allocations/a2/reversal'), officer, { reason: '再次冲销' }, 409, 'ALREADY_REVERSED', 'allocationId');
      await refused(
        at('/receipts'),
        clerk,
        { receiptId: 'r-late', source: 'provincial-subsidy', allocationId: 'a2', amount: '1.00' },
        422,
        'UNKNOWN_ALLOCATION',
        'allocationId',
      );
    });

    it('AmendContract: not below what was approved or paid (CONTRACT_EXCEEDED); in 万元 with printed precision', async () => {
      await refused(at('/contracts/c1/amendment'), officer, { amount: '1999.99', amountUnit: 'wan', reason: '核减' }, 409, 'CONTRACT_EXCEEDED', 'amount');
      const amended = await accepted(at('/contracts/c1/amendment'), officer, { amount: '3500.5', amountUnit: 'wan', reason: '补充协议（一）' });
      ledger.contracts.get('c1')!.fen = 35_005_000_00n;
      expect(await eventData(amended.body.eventIds[0])).toMatchObject({
        amount: '35005000.00',
        previousAmount: '30000000.00',
        printed: { unit: 'wan', decimals: 1 },
      });
      await refused(at('/contracts/no-such/amendment'), officer, { amount: '1.00', reason: '不存在' }, 404, 'CONTRACT_NOT_FOUND', 'contractId');
    });

    it('ReversePaymentApproval: refused while anything is paid against it (APPROVAL_IN_USE); twice is ALREADY_REVERSED', async () => {
      await refused(at('/payment-approvals/ap1/reversal'), officer, { reason: '核拨撤回' }, 409, 'APPROVAL_IN_USE', 'approvalId');
      await accepted(at('/payment-approvals/ap2/reversal'), officer, { reason: '重复核拨' });
      ledger.approvals.get('ap2')!.reversed = true;
      await refused(at('/payment-approvals/ap2/reversal'), officer, { reason: '再次撤回' }, 409, 'ALREADY_REVERSED', 'approvalId');
      await refused(
        at('/disbursements'),
        clerk,
        { disbursementId: 'd-ap2', amount: '1.00', category: 'other', approvalId: 'ap2' },
        422,
        'UNKNOWN_APPROVAL',
        'approvalId',
      );
    });

    it('a correction retried under its Idempotency-Key answers the first response; another reason under that key is 422', async () => {
      await accepted(at('/payment-approvals'), officer, { approvalId: 'ap3', amount: '10.00' });
      const key = { 'Idempotency-Key': 'cx-reverse-ap3' };
      const first = await post(at('/payment-approvals/ap3/reversal'), officer, { reason: '录错' }, key);
      expect(first.status).toBe(201);
      const before = await api.eventCount();
      const again = await post(at('/payment-approvals/ap3/reversal'), officer, { reason: '录错' }, key);
      expect({ status: again.status, body: again.body, replayed: again.headers['idempotency-replayed'] }).toEqual({
        status: 201,
        body: first.body,
        replayed: 'true',
      });
      const other = await post(at('/payment-approvals/ap3/reversal'), officer, { reason: '另一理由' }, key);
      expect({ status: other.status, code: other.body.code }).toEqual({ status: 422, code: 'IDEMPOTENCY_KEY_REUSED' });
      expect(await api.eventCount()).toBe(before);
    });
  });

  describe('a bond assignment in 亿元, and its reversal', () => {
    const receiptId = BOND_RECEIPT;

    it("the project's receipt keeps the assignment's printed precision", async () => {
      await accepted('/api/bonds', officer, {
        bondId: BOND,
        name: '2024年某省专项债券',
        kind: 'special',
        amount: '2',
        amountUnit: 'yi',
        issueDate: '2024-04-01',
      });
      const assigned = await accepted(`/api/bonds/${BOND}/assignments`, officer, { assignmentId: 'as1', projectId: PROJECT, amount: '0.8', amountUnit: 'yi' });
      ledger.receipts.set(receiptId, { fen: 80_000_000_00n, source: 'special-bond' });
      expect(assigned.body.eventIds).toHaveLength(2);
      expect(await eventData(assigned.body.eventIds[0])).toMatchObject({ amount: '80000000.00', printed: { unit: 'yi', decimals: 1 } });
      expect(await eventData(assigned.body.eventIds[1])).toMatchObject({
        receiptId,
        amount: '80000000.00',
        source: 'special-bond',
        printed: { unit: 'yi', decimals: 1 },
      });
    });

    it('is refused with RECEIPT_IN_USE while the project has drawn on its receipt, before anything is appended', async () => {
      await accepted(at('/disbursements'), clerk, { disbursementId: 'd-bond', amount: '100', amountUnit: 'wan', category: 'construction', receiptId });
      await refused(`/api/bonds/${BOND}/assignments/as1/reversal`, officer, { reason: '分配有误' }, 409, 'RECEIPT_IN_USE', 'assignmentId');
      await refused(at(`/receipts/${receiptId}/reversal`), officer, { reason: '直接冲销' }, 409, 'RECEIPT_IN_USE', 'receiptId');
      await accepted(at('/disbursements/d-bond/reversal'), officer, { reason: '付错资金' });
      await refused(at(`/receipts/${receiptId}/reversal`), officer, { reason: '直接冲销' }, 409, 'RECEIPT_FROM_BOND', 'receiptId');
    });

    it("reverses the assignment and the project's receipt of it in one request; a second reversal is ALREADY_REVERSED", async () => {
      const response = await accepted(`/api/bonds/${BOND}/assignments/as1/reversal`, officer, { reason: '项目调整，债券资金调出' });
      ledger.receipts.get(receiptId)!.reversed = true;
      expect(response.body.eventIds).toHaveLength(2);
      expect(await eventData(response.body.eventIds[0])).toMatchObject({
        bondId: BOND,
        assignmentId: 'as1',
        projectId: PROJECT,
        amount: '80000000.00',
        reason: '项目调整，债券资金调出',
      });
      expect(await eventData(response.body.eventIds[1])).toMatchObject({
        receiptId,
        bondId: BOND,
        assignmentId: 'as1',
        amount: '80000000.00',
        source: 'special-bond',
      });
      await refused(`/api/bonds/${BOND}/assignments/as1/reversal`, officer, { reason: '再次冲销' }, 409, 'ALREADY_REVERSED', 'assignmentId');
      await refused(`/api/bonds/${BOND}/assignments/no-such/reversal`, officer, { reason: '不存在' }, 404, 'ASSIGNMENT_NOT_FOUND', 'assignmentId');
      const bond = await api.http.get(`/api/bonds/${BOND}?minPosition=${lastPosition}`).set('Authorization', auditor);
      expect(bond.status).toBe(200);
      expect(bond.body.assignedTotal).toBe('0.00');
      expect(bond.body.assignments.as1).toMatchObject({ projectId: PROJECT, amount: '80000000.00', reversed: true, reversalReason: '项目调整，债券资金调出' });
    });

    it('is refused with INSUFFICIENT_FUNDS when, without its receipt, the project would have received less than it paid', async () => {
      await accepted(`/api/bonds/${BOND}/assignments`, officer, { assignmentId: 'as2', projectId: PROJECT, amount: '0.1', amountUnit: 'yi' });
      ledger.receipts.set(bondReceiptId(BOND, 'as2'), { fen: 10_000_000_00n, source: 'special-bond' });
      await accepted(at('/disbursements'), clerk, { disbursementId: 'd-pooled-2', amount: '5000', amountUnit: 'wan', category: 'construction' });
      ledger.disbursements.set('d-pooled-2', { fen: 50_000_000_00n, contract: false });
      await refused(`/api/bonds/${BOND}/assignments/as2/reversal`, officer, { reason: '分配有误' }, 409, 'INSUFFICIENT_FUNDS', 'receiptId');
      await accepted(at('/disbursements/d-pooled-2/reversal'), officer, { reason: '支付有误' });
      ledger.disbursements.get('d-pooled-2')!.reversed = true;
    });

    it('verify finds every link consistent after the reversal', async () => {
      const verify = await api.http.get(`/api/audit/verify?minPosition=${lastPosition}`).set('Authorization', auditor);
      expect(verify.status).toBe(200);
      expect(verify.body.crossLinks).toMatchObject({ ok: true, broken: [] });
    });
  });

  describe('figures after the corrections', () => {
    it('every figure equals the test ledger', async () => {
      const f = await figures();
      const received = sum(ledger.receipts.values());
      const receivedNoCarry = sum(ledger.receipts.values(), (r) => r.source !== 'carry-over');
      const disbursed = sum(ledger.disbursements.values());
      const contractPaid = sum(ledger.disbursements.values(), (d) => d.contract);
      const approved = sum(ledger.approvals.values());
      const expected: Record<string, string | null> = {
        planned_total: yuan(ledger.planned),
        allocated_total: yuan(sum(ledger.allocations.values())),
        received_total: yuan(received),
        disbursed_total: yuan(disbursed),
        available_balance: yuan(received - disbursed),
        approved_total: yuan(approved),
        approval_rate: percent(approved, received),
        execution_rate: percent(disbursed, received),
        arrival_rate: percent(receivedNoCarry, ledger.planned),
        contract_payment_progress: percent(contractPaid, sum(ledger.contracts.values())),
        investment_completed: yuan(ledger.investment),
        investment_completion_rate: percent(ledger.investment, ledger.planned),
        'receipt_usage_rate:r1': percent(15_000_000_00n, 50_000_000_00n),
        'output_completion:completed': quantityPercent(80, 120),
        'output_completion:accepted': quantityPercent(60, 80),
        'output_target:completed': '120',
        'output_actual:accepted': '60',
      };
      // the hand-written values the ledger stands for, so that the ledger itself is checked too
      expect(expected).toMatchObject({
        received_total: '72345600.00',
        approved_total: '20000000.00',
        approval_rate: '27.65',
        investment_completion_rate: '25.00',
        'output_completion:completed': '66.67',
        'output_completion:accepted': '75.00',
      });
      expect(Object.fromEntries(Object.keys(expected).map((key) => [key, f[key]]))).toEqual(expected);
      for (const gone of [
        'output_completion:spare',
        'output_target:spare',
        'receipt_usage_rate:r3',
        'receipt_usage_rate:r4',
        `receipt_usage_rate:${BOND_RECEIPT}`,
      ]) {
        expect(f[gone] ?? null).toBeNull();
      }
    });

    it('the trace lists each correction as a term with a negative signedAmount, and the terms add up', async () => {
      const cents = (amount: string) => BigInt(amount.replace('.', ''));
      for (const [key, corrections] of [
        [
          'received_total',
          [
            ['ReceiptReversed', '-100000000.00'],
            ['ReceiptReversed', '-300.00'],
            ['ReceiptReversed', '-80000000.00'],
          ],
        ],
        ['allocated_total', [['AllocationReversed', '-1000000.00']]],
        [
          'approved_total',
          [
            ['PaymentApprovalReversed', '-1000000.00'],
            ['PaymentApprovalReversed', '-10.00'],
          ],
        ],
        [
          'disbursed_total',
          [
            ['DisbursementReversed', '-120000000.00'],
            ['DisbursementReversed', '-1000000.00'],
            ['DisbursementReversed', '-50000000.00'],
          ],
        ],
      ] as const) {
        const trace = await api.http.get(`/api/projects/${PROJECT}/figures/${key}/trace?minPosition=${lastPosition}`).set('Authorization', auditor);
        expect(trace.status).toBe(200);
        expect(trace.body.matches).toBe(true);
        const terms = trace.body.terms as { type: string; signedAmount: string }[];
        expect(terms.filter((t) => t.type.endsWith('Reversed')).map((t) => [t.type, t.signedAmount])).toEqual(corrections);
        expect(yuan(terms.reduce((total, t) => total + cents(t.signedAmount), 0n))).toBe(trace.body.value);
      }
    });

    it('the project read model shows approvals, investment completed and the corrected facts', async () => {
      const response = await api.http.get(`/api/projects/${PROJECT}?minPosition=${lastPosition}`).set('Authorization', auditor);
      expect(response.status).toBe(200);
      const project = response.body.project;
      expect(project.approvals.ap1).toMatchObject({ amount: '20000000.00', receiptId: 'r1', contractId: 'c1', printed: { unit: 'wan', decimals: 0 } });
      expect(project.approvals.ap2).toMatchObject({ reversed: true, reversalReason: '重复核拨' });
      expect(project.investmentCompleted).toEqual({ amount: '30000000.00', printed: { unit: 'yi', decimals: 1 } });
      expect(project.receipts.r3).toMatchObject({ reversed: true, reversalReason: '重复录入' });
      expect(project.receipts.r2).toMatchObject({ amount: '12345600.00', printed: { unit: 'wan', decimals: 2 } });
      expect(project.receipts.r2.reversed).toBeUndefined();
      expect(project.allocations.a2).toMatchObject({ reversed: true });
      expect(project.contracts.c1).toMatchObject({
        amount: '35005000.00',
        amendments: [{ amount: '35005000.00', previousAmount: '30000000.00', reason: '补充协议（一）' }],
      });
      expect(project.indicators.spare).toMatchObject({ withdrawn: true, withdrawalReason: '指标录错' });
      expect(project.indicators.accepted).toMatchObject({ denominatorIndicatorId: 'completed' });
      expect(project.indicators.completed).toMatchObject({ target: '120', targetRevisions: 1 });
    });
  });

  it('OpenAPI documents every new endpoint with its refusals', async () => {
    const document = (await api.http.get('/docs-json').expect(200)).body as {
      paths: Record<string, { post?: { responses: Record<string, { description?: string }> } }>;
    };
    const expectations: [string, string[]][] = [
      ['/api/projects/{projectId}/payment-approvals', ['INSUFFICIENT_FUNDS', 'CONTRACT_EXCEEDED']],
      ['/api/projects/{projectId}/investment-completed', []],
      ['/api/projects/{projectId}/receipts/{receiptId}/reversal', ['RECEIPT_IN_USE', 'INSUFFICIENT_FUNDS', 'ALREADY_REVERSED']],
      ['/api/projects/{projectId}/allocations/{allocationId}/reversal', ['ALLOCATION_IN_USE', 'ALREADY_REVERSED']],
      ['/api/projects/{projectId}/contracts/{contractId}/amendment', ['CONTRACT_EXCEEDED']],
      ['/api/projects/{projectId}/payment-approvals/{approvalId}/reversal', ['APPROVAL_IN_USE', 'ALREADY_REVERSED']],
      ['/api/projects/{projectId}/indicators/{indicatorId}/target', []],
      ['/api/projects/{projectId}/indicators/{indicatorId}/withdrawal', ['ALREADY_REVERSED']],
      ['/api/bonds/{bondId}/assignments/{assignmentId}/reversal', ['RECEIPT_IN_USE', 'ALREADY_REVERSED']],
    ];
    for (const [path, conflicts] of expectations) {
      const operation = document.paths[path]?.post;
      if (operation === undefined) throw new Error(`OpenAPI has no POST ${path}`);
      expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '403']));
      for (const code of conflicts) expect(operation.responses['409'].description).toContain(code);
    }
  });
});
