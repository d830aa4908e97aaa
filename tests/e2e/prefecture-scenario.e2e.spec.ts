import { type ApiHarness, startApi } from '../support/api-harness';

/**
 * A document the Xishan report never needed: a prefecture's rural water programme across three
 * counties, amounts typed in 亿元 and 万元, payments approved (核拨) before they are paid, work
 * done (完成投资) reported apart from money paid, an acceptance rate measured against another
 * indicator, and a correction of every kind of money fact. Everything goes through HTTP; every
 * figure the API answers, per project and for the prefecture and each county, is compared with a
 * fold written here from the scenario's own facts, not from the product's code.
 */

type Fen = bigint;
type Unit = 'yuan' | 'wan' | 'yi';
const UNIT_FEN: Record<Unit, Fen> = { yuan: 100n, wan: 1_000_000n, yi: 10_000_000_000n };

/** A decimal string in a unit, in fen, exactly (the scenario's amounts never need rounding). */
function fen(text: string, unit: Unit): Fen {
  const [whole, fraction = ''] = text.split('.');
  const digits = BigInt(whole + fraction);
  const scale = 10n ** BigInt(fraction.length);
  const value = digits * UNIT_FEN[unit];
  if (value % scale !== 0n) throw new Error(`${text} ${unit} is not a whole number of fen`);
  return value / scale;
}
const yuanText = (amount: Fen) => {
  const sign = amount < 0n ? '-' : '';
  const abs = amount < 0n ? -amount : amount;
  return `${sign}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
};
/** numerator / denominator × 100, half-up to 2 decimals (all terms here are non-negative). */
const percent = (numerator: bigint, denominator: bigint): string | null => {
  if (denominator === 0n) return null;
  const hundredths = (numerator * 20000n + denominator) / (2n * denominator);
  return `${hundredths / 100n}.${(hundredths % 100n).toString().padStart(2, '0')}`;
};

// ---- the scenario's facts, as a clerk or officer would type them --------------------------------

interface Ledger {
  planned?: Fen;
  allocations: Map<string, { amount: Fen; reversed: boolean }>;
  receipts: Map<string, { amount: Fen; source: string; reversed: boolean }>;
  approvals: Map<string, { amount: Fen; receiptId?: string; contractId?: string; reversed: boolean }>;
  contracts: Map<string, { amount: Fen }>;
  payments: Map<string, { amount: Fen; category: string; receiptId?: string; contractId?: string; reversed: boolean }>;
  investment?: Fen;
  indicators: Map<string, { target?: string; actual?: string; denominator?: string; withdrawn: boolean }>;
}
const emptyLedger = (): Ledger => ({
  allocations: new Map(),
  receipts: new Map(),
  approvals: new Map(),
  contracts: new Map(),
  payments: new Map(),
  indicators: new Map(),
});

const PROGRAMMES = [
  { programmeId: 'zt-water', name: '昭通市农村供水保障工程', level: 'prefecture', region: 'yunnan/zhaotong' },
  { programmeId: 'zy-water', name: '昭阳区农村供水', level: 'district', region: 'yunnan/zhaotong/zhaoyang', parentId: 'zt-water' },
  { programmeId: 'ld-water', name: '鲁甸县农村供水', level: 'county', region: 'yunnan/zhaotong/ludian', parentId: 'zt-water' },
  { programmeId: 'qj-water', name: '巧家县农村供水', level: 'county', region: 'yunnan/zhaotong/qiaojia', parentId: 'zt-water' },
];
const PROJECTS = [
  { projectId: 'zt-main', name: '昭通市水源调配主干管', programmeId: 'zt-water', region: 'yunnan/zhaotong', category: 'water', planned: ['2.4', 'yi'] },
  { projectId: 'zy-pipes', name: '昭阳区管网改造', programmeId: 'zy-water', region: 'yunnan/zhaotong/zhaoyang', category: 'water', planned: ['0.85', 'yi'] },
  { projectId: 'ld-plant', name: '鲁甸县水厂扩建', programmeId: 'ld-water', region: 'yunnan/zhaotong/ludian', category: 'water', planned: ['12000', 'wan'] },
  { projectId: 'qj-village', name: '巧家县村级供水点', programmeId: 'qj-water', region: 'yunnan/zhaotong/qiaojia', category: 'water', planned: ['0.3', 'yi'] },
] as const;

describe('a prefecture with counties, in 亿元, with approvals, work done and corrections: every figure against an independent fold', () => {
  let api: ApiHarness;
  let officer: string;
  let clerk: string;
  let auditor: string;
  let lastPosition = 0;
  const ledgers = new Map<string, Ledger>(PROJECTS.map((p) => [p.projectId, emptyLedger()]));
  const ledger = (projectId: string) => ledgers.get(projectId)!;

  beforeAll(async () => {
    api = await startApi();
    officer = `Bearer ${api.token('budget-officer')}`;
    clerk = `Bearer ${api.token('clerk')}`;
    auditor = `Bearer ${api.token('auditor')}`;
  });
  afterAll(async () => api.close());

  async function post(path: string, token: string, body: object): Promise<void> {
    const response = await api.http.post(path).set('Authorization', token).send(body);
    if (response.status !== 201) throw new Error(`${path}: expected 201, got ${response.status} ${JSON.stringify(response.body)}`);
    lastPosition = Number(response.body.globalPosition);
  }
  async function get(path: string): Promise<Record<string, unknown>> {
    const separator = path.includes('?') ? '&' : '?';
    const response = await api.http.get(`${path}${separator}minPosition=${lastPosition}`).set('Authorization', auditor);
    if (response.status !== 200) throw new Error(`${path}: expected 200, got ${response.status} ${JSON.stringify(response.body)}`);
    return response.body as Record<string, unknown>;
  }

  // Each helper posts a fact and writes it into the test's own ledger.
  const allocate = (p: string, id: string, source: string, amount: string, unit: Unit) =>
    post(`/api/projects/${p}/allocations`, officer, { allocationId: id, source, amount, amountUnit: unit, fiscalYear: 2024 }).then(() =>
      ledger(p).allocations.set(id, { amount: fen(amount, unit), reversed: false }),
    );
  const receive = (p: string, id: string, source: string, amount: string, unit: Unit, allocationId?: string) =>
    post(`/api/projects/${p}/receipts`, clerk, { receiptId: id, source, amount, amountUnit: unit, ...(allocationId && { allocationId }) }).then(() =>
      ledger(p).receipts.set(id, { amount: fen(amount, unit), source, reversed: false }),
    );
  const contract = (p: string, id: string, amount: string, unit: Unit) =>
    post(`/api/projects/${p}/contracts`, clerk, { contractId: id, counterparty: '云南某水务工程有限公司', amount, amountUnit: unit }).then(() =>
      ledger(p).contracts.set(id, { amount: fen(amount, unit) }),
    );
  const approve = (p: string, id: string, amount: string, unit: Unit, links: { receiptId?: string; contractId?: string } = {}) =>
    post(`/api/projects/${p}/payment-approvals`, officer, { approvalId: id, amount, amountUnit: unit, ...links }).then(() =>
      ledger(p).approvals.set(id, { amount: fen(amount, unit), ...links, reversed: false }),
    );
  /** A payment drawn against an approval carries the approval's receipt and contract. */
  const pay = (p: string, id: string, amount: string, unit: Unit, approvalId: string) =>
    post(`/api/projects/${p}/disbursements`, clerk, { disbursementId: id, amount, amountUnit: unit, category: 'construction', approvalId }).then(() => {
      const approval = ledger(p).approvals.get(approvalId)!;
      ledger(p).payments.set(id, {
        amount: fen(amount, unit),
        category: 'construction',
        receiptId: approval.receiptId,
        contractId: approval.contractId,
        reversed: false,
      });
    });
  const reportWork = (p: string, amount: string, unit: Unit) =>
    post(`/api/projects/${p}/investment-completed`, officer, { amount, amountUnit: unit }).then(() => {
      ledger(p).investment = fen(amount, unit);
    });
  const target = (p: string, id: string, name: string, unitName: string, fields: { target?: string; denominatorIndicatorId?: string }) =>
    post(`/api/projects/${p}/indicators`, officer, { indicatorId: id, name, unit: unitName, ...fields }).then(() =>
      ledger(p).indicators.set(id, { target: fields.target, denominator: fields.denominatorIndicatorId, withdrawn: false }),
    );
  const actual = (p: string, id: string, value: string) =>
    post(`/api/projects/${p}/indicators/${id}/actuals`, officer, { actual: value }).then(() => {
      ledger(p).indicators.get(id)!.actual = value;
    });

  it('records the programme tree, the projects and a year of facts, with a correction of every kind', async () => {
    for (const programme of PROGRAMMES) await post('/api/programmes', officer, programme);
    for (const p of PROJECTS) {
      await post('/api/projects', officer, {
        projectId: p.projectId,
        name: p.name,
        programmeId: p.programmeId,
        region: p.region,
        category: p.category,
        plannedTotal: p.planned[0],
        amountUnit: p.planned[1],
      });
      ledger(p.projectId).planned = fen(p.planned[0], p.planned[1]);
    }

    // The prefecture's trunk main: central money and a special bond, approved, then paid in part.
    await allocate('zt-main', 'a-central', 'central-subsidy', '1.2', 'yi');
    await receive('zt-main', 'r-central', 'central-subsidy', '1.2', 'yi', 'a-central');
    await receive('zt-main', 'r-bond', 'special-bond', '0.65', 'yi');
    await contract('zt-main', 'c-trunk', '1.5', 'yi');
    await approve('zt-main', 'ap-1', '9000', 'wan', { receiptId: 'r-central', contractId: 'c-trunk' });
    await pay('zt-main', 'd-1', '6000', 'wan', 'ap-1');
    await pay('zt-main', 'd-2', '2500.75', 'wan', 'ap-1');
    await reportWork('zt-main', '1.1', 'yi');
    await target('zt-main', 'km-pipe', '新建主干管', '公里', { target: '48' });
    await actual('zt-main', 'km-pipe', '30.5');
    // Correction: the contract was amended upward by a supplementary agreement.
    await post('/api/projects/zt-main/contracts/c-trunk/amendment', officer, { amount: '1.62', amountUnit: 'yi', reason: '补充协议（一）' });
    ledger('zt-main').contracts.get('c-trunk')!.amount = fen('1.62', 'yi');

    // 昭阳区: a receipt typed twice is reversed; an approval issued in error is withdrawn.
    await allocate('zy-pipes', 'a-prov', 'provincial-subsidy', '3000', 'wan');
    await receive('zy-pipes', 'r-prov', 'provincial-subsidy', '3000', 'wan', 'a-prov');
    await receive('zy-pipes', 'r-prov-dup', 'provincial-subsidy', '3000', 'wan');
    await post('/api/projects/zy-pipes/receipts/r-prov-dup/reversal', officer, { reason: '重复录入' });
    ledger('zy-pipes').receipts.get('r-prov-dup')!.reversed = true;
    await receive('zy-pipes', 'r-carry', 'carry-over', '412.3456', 'wan');
    await approve('zy-pipes', 'ap-1', '2000', 'wan', { receiptId: 'r-prov' });
    await approve('zy-pipes', 'ap-wrong', '300', 'wan');
    await post('/api/projects/zy-pipes/payment-approvals/ap-wrong/reversal', officer, { reason: '核拨对象错误' });
    ledger('zy-pipes').approvals.get('ap-wrong')!.reversed = true;
    await pay('zy-pipes', 'd-1', '1750.5', 'wan', 'ap-1');
    await reportWork('zy-pipes', '0.2', 'yi');
    await reportWork('zy-pipes', '0.26', 'yi'); // cumulative: the latest stands
    await target('zy-pipes', 'finished', '完工改造片区', '个', { target: '12' });
    await target('zy-pipes', 'accepted', '验收合格片区', '个', { denominatorIndicatorId: 'finished' });
    await actual('zy-pipes', 'finished', '9');
    await actual('zy-pipes', 'accepted', '7');

    // 鲁甸县: an allocation entered under the wrong document is reversed; a payment is reversed; a target revised.
    await allocate('ld-plant', 'a-district', 'district-budget', '5000', 'wan');
    await allocate('ld-plant', 'a-typo', 'district-budget', '500', 'wan');
    await post('/api/projects/ld-plant/allocations/a-typo/reversal', officer, { reason: '文号录错' });
    ledger('ld-plant').allocations.get('a-typo')!.reversed = true;
    await receive('ld-plant', 'r-district', 'district-budget', '0.45', 'yi', 'a-district');
    await approve('ld-plant', 'ap-1', '3000', 'wan', { receiptId: 'r-district' });
    await pay('ld-plant', 'd-1', '1200', 'wan', 'ap-1');
    await pay('ld-plant', 'd-dup', '1200', 'wan', 'ap-1');
    await post('/api/projects/ld-plant/disbursements/d-dup/reversal', officer, { reason: '重复支付' });
    ledger('ld-plant').payments.get('d-dup')!.reversed = true;
    await reportWork('ld-plant', '4800', 'wan');
    await target('ld-plant', 'capacity', '日供水能力', '万吨', { target: '3' });
    await actual('ld-plant', 'capacity', '1.8');
    await post('/api/projects/ld-plant/indicators/capacity/target', officer, { target: '2.5', reason: '实施方案调整' });
    ledger('ld-plant').indicators.get('capacity')!.target = '2.5';

    // 巧家县: money arrived but nothing approved or paid yet; a stray indicator withdrawn.
    await receive('qj-village', 'r-central', 'central-subsidy', '0.1', 'yi');
    await reportWork('qj-village', '600', 'wan');
    await target('qj-village', 'points', '新建供水点', '处', { target: '40' });
    await target('qj-village', 'stray', '误录指标', '个', { target: '1' });
    await post('/api/projects/qj-village/indicators/stray/withdrawal', officer, { reason: '指标录错' });
    ledger('qj-village').indicators.get('stray')!.withdrawn = true;
  });

  // ---- the independent fold --------------------------------------------------------------------

  interface Sums {
    planned?: Fen;
    allocated: Fen;
    received: Fen;
    arrived: Fen;
    disbursed: Fen;
    contractPaid: Fen;
    contracts: Fen;
    approved: Fen;
    investment?: Fen;
  }
  const net = <T extends { amount: Fen; reversed?: boolean }>(facts: Iterable<T>, where: (fact: T) => boolean = () => true) =>
    [...facts].filter((fact) => !fact.reversed && where(fact)).reduce((sum, fact) => sum + fact.amount, 0n);
  function sums(l: Ledger): Sums {
    return {
      planned: l.planned,
      allocated: net(l.allocations.values()),
      received: net(l.receipts.values()),
      arrived: net(l.receipts.values(), (r) => r.source !== 'carry-over'),
      disbursed: net(l.payments.values()),
      contractPaid: net(l.payments.values(), (d) => d.contractId !== undefined),
      contracts: [...l.contracts.values()].reduce((s, c) => s + c.amount, 0n),
      approved: net(l.approvals.values()),
      investment: l.investment,
    };
  }
  function fixedFigures(s: Sums): Record<string, string | null> {
    return {
      planned_total: s.planned === undefined ? null : yuanText(s.planned),
      allocated_total: yuanText(s.allocated),
      received_total: yuanText(s.received),
      disbursed_total: yuanText(s.disbursed),
      available_balance: yuanText(s.received - s.disbursed),
      arrival_rate: s.planned === undefined ? null : percent(s.arrived, s.planned),
      execution_rate: percent(s.disbursed, s.received),
      allocation_execution_rate: percent(s.disbursed, s.allocated),
      contract_payment_progress: percent(s.contractPaid, s.contracts),
      approved_total: yuanText(s.approved),
      approval_rate: percent(s.approved, s.received),
      investment_completed: s.investment === undefined ? null : yuanText(s.investment),
      investment_completion_rate: s.investment === undefined || s.planned === undefined ? null : percent(s.investment, s.planned),
    };
  }
  /** A quantity as a ratio of hundredths-free decimals: both scaled to the same number of places. */
  const quantityPercent = (numerator: string, denominator: string) => {
    const places = Math.max(numerator.split('.')[1]?.length ?? 0, denominator.split('.')[1]?.length ?? 0);
    const scaled = (q: string) => {
      const [w, f = ''] = q.split('.');
      return BigInt(w + f.padEnd(places, '0'));
    };
    return percent(scaled(numerator), scaled(denominator));
  };
  function projectFigures(l: Ledger): Record<string, string | null> {
    const figures = fixedFigures(sums(l));
    for (const [id, r] of l.receipts) {
      if (r.reversed) continue;
      figures[`receipt_usage_rate:${id}`] = percent(
        net(l.payments.values(), (d) => d.receiptId === id),
        r.amount,
      );
    }
    const sources = new Set([...l.receipts.values()].map((r) => r.source));
    for (const source of sources) figures[`received_by_source:${source}`] = yuanText(net(l.receipts.values(), (r) => r.source === source));
    const categories = new Set([...l.payments.values()].map((d) => d.category));
    for (const category of categories) figures[`disbursed_by_category:${category}`] = yuanText(net(l.payments.values(), (d) => d.category === category));
    for (const [id, indicator] of l.indicators) {
      if (indicator.withdrawn) continue;
      // An indicator measured against another has no target of its own: the figure exists, unknown.
      figures[`output_target:${id}`] = indicator.target ?? null;
      figures[`output_actual:${id}`] = indicator.actual ?? null;
      const base = indicator.denominator === undefined ? indicator.target : l.indicators.get(indicator.denominator)!.actual;
      figures[`output_completion:${id}`] = indicator.actual === undefined || base === undefined ? null : quantityPercent(indicator.actual, base);
    }
    return figures;
  }
  function portfolioFigures(projectIds: string[]): Record<string, string | null> {
    const parts = projectIds.map((id) => sums(ledger(id)));
    const withPlanned = parts.filter((s) => s.planned !== undefined);
    const withBoth = withPlanned.filter((s) => s.investment !== undefined);
    const total = (pick: (s: Sums) => Fen, from = parts) => from.reduce((sum, s) => sum + pick(s), 0n);
    const figures = fixedFigures({
      planned: withPlanned.length === 0 ? undefined : total((s) => s.planned!, withPlanned),
      allocated: total((s) => s.allocated),
      received: total((s) => s.received),
      arrived: total((s) => s.arrived, withPlanned),
      disbursed: total((s) => s.disbursed),
      contractPaid: total((s) => s.contractPaid),
      contracts: total((s) => s.contracts),
      approved: total((s) => s.approved),
      investment: withBoth.length === 0 ? undefined : total((s) => s.investment!, withBoth),
    });
    // Work done against plan: only over projects that state both terms.
    figures.investment_completion_rate =
      withBoth.length === 0
        ? null
        : percent(
            total((s) => s.investment!, withBoth),
            total((s) => s.planned!, withBoth),
          );
    return figures;
  }

  type FigureBody = { key: string; value: string | null };
  const valuesOf = (figures: FigureBody[]) => Object.fromEntries(figures.map((f) => [f.key, f.value]));

  it.each(PROJECTS.map((p) => [p.projectId]))('%s: every figure the API answers is the fold’s, and none is missing', async (projectId) => {
    const body = await get(`/api/projects/${projectId}/figures?pageSize=200`);
    const answered = valuesOf(body.figures as FigureBody[]);
    const expected = projectFigures(ledger(projectId));
    // Vocabulary figures with no events (a source never received) are zero by definition: checked as such.
    for (const key of Object.keys(answered)) {
      if (!(key in expected) && /^(received_by_source|disbursed_by_category):/.test(key)) expected[key] = '0.00';
    }
    expect(answered).toEqual(expected);
  });

  const prefecture = PROJECTS.map((p) => p.projectId);
  const portfolioCases: [string, string, string[]][] = [
    ['the prefecture programme, with its counties', 'programme=zt-water', prefecture],
    ['the prefecture by region prefix', 'region=yunnan/zhaotong', prefecture],
    ['昭阳区 by programme', 'programme=zy-water', ['zy-pipes']],
    ['鲁甸县 by region', 'region=yunnan/zhaotong/ludian', ['ld-plant']],
    ['巧家县 by programme', 'programme=qj-water', ['qj-village']],
  ];
  it.each(portfolioCases)('portfolio figures for %s are the fold over its projects', async (_label, query, projectIds) => {
    const body = await get(`/api/portfolio/figures?${query}`);
    expect(body.projectCount).toBe(projectIds.length);
    const answered = valuesOf(body.figures as FigureBody[]);
    const expected = portfolioFigures(projectIds);
    for (const [key, value] of Object.entries(expected)) expect({ key, value: answered[key] }).toEqual({ key, value });
  });

  it('a county’s series takes the same filter: its one yearly point is the fold over that county’s project', async () => {
    const body = await get('/api/portfolio/series?programme=ld-water&keys=received_total,approval_rate&interval=year');
    expect(body.projects).toBe(1);
    const points = body.points as { figures: FigureBody[] }[];
    expect(points).toHaveLength(1);
    const expected = portfolioFigures(['ld-plant']);
    expect(valuesOf(points[0].figures)).toEqual({ received_total: expected.received_total, approval_rate: expected.approval_rate });
  });

  it('a monitoring rule scoped to the prefecture programme watches the counties’ projects too', async () => {
    await post('/api/monitoring/rules', officer, {
      ruleId: 'zt-schedule',
      kind: 'execution-lag',
      params: { checkpoints: [{ by: '01-01', minExecutionRate: '60' }] },
      scope: { programme: 'zt-water' },
      effectiveDate: '2024-01-01',
    });
    const warnings = (await get('/api/monitoring/warnings?asOfEffective=2200-12-31')) as unknown as { projectId: string; ruleId: string; value: string }[];
    const lagging = prefecture.filter((id) => Number(projectFigures(ledger(id)).execution_rate) < 60);
    expect(lagging.length).toBeGreaterThan(1); // the trunk main and at least one county
    expect(
      warnings
        .filter((w) => w.ruleId === 'zt-schedule')
        .map((w) => [w.projectId, w.value])
        .sort(),
    ).toEqual(lagging.map((id) => [id, projectFigures(ledger(id)).execution_rate]).sort());
  });

  it('the breakdown of the prefecture by programme gives each county its own group and the trunk main its own', async () => {
    const body = await get('/api/portfolio/breakdown?by=programme&programme=zt-water');
    const groups = body.groups as { group: string | null; projectCount: number; figures: FigureBody[] }[];
    const expectedGroups: Record<string, string[]> = {
      'zt-water': ['zt-main'],
      'zy-water': ['zy-pipes'],
      'ld-water': ['ld-plant'],
      'qj-water': ['qj-village'],
    };
    expect(groups.map((g) => g.group).sort()).toEqual(Object.keys(expectedGroups).sort());
    for (const group of groups) {
      const projectIds = expectedGroups[group.group!];
      expect(group.projectCount).toBe(projectIds.length);
      const answered = valuesOf(group.figures);
      for (const [key, value] of Object.entries(portfolioFigures(projectIds)))
        expect({ group: group.group, key, value: answered[key] }).toEqual({ group: group.group, key, value });
    }
  });

  it('the prefecture’s approval rate traces to its four projects, whose terms sum to the figure', async () => {
    const body = await get('/api/portfolio/figures/approval_rate/trace?programme=zt-water');
    expect(body.value).toBe(portfolioFigures(prefecture).approval_rate);
    expect(body.matches).toBe(true);
    const projects = body.projects as { projectId: string; numerator?: string; denominator?: string }[];
    expect(projects.map((p) => p.projectId).sort()).toEqual([...prefecture].sort());
    const sumOf = (key: 'numerator' | 'denominator') => projects.reduce((s, p) => s + fen(p[key] ?? '0', 'yuan'), 0n);
    expect(percent(sumOf('numerator'), sumOf('denominator'))).toBe(body.value);
  });
});
