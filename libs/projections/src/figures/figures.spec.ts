import type { BondIssued, BondProceedsAssigned, ProjectEvent } from '@fundtrail/funding';
import { projectEvents } from './figure-events.testing';
import {
  computeFigure,
  computeFigures,
  contributionsOf,
  emptyTerms,
  FIXED_FIGURE_KEYS,
  FigureEventDataError,
  FigureTermsJsonError,
  foldEvents,
  foldTerms,
  mergeTerms,
  termsFromJson,
  termsToJson,
  type Figure,
  type FigureTerms,
} from './index';

const asOf = 42n;

function figures(terms: FigureTerms): Record<string, Figure> {
  return Object.fromEntries(computeFigures(terms, asOf).map((figure) => [figure.key, figure]));
}
const figuresOf = (events: ProjectEvent[]) => figures(foldEvents(events));

// 西山区主城区城市排水管网排查、雨污分流…项目: 预算总金额44,740.84万元, 专项债资金22,700万元,
// 资金到位率50.74%, 支付16,719.16万元 (建安16,114.53 + 工程其他604.63), 执行率73.65%, 合同支付进度38.19%.
const drainage = projectEvents('main-city-drainage');
const drainageEvents: ProjectEvent[] = [
  drainage.registered('447408400.00'),
  drainage.received('special-bond-2024', '227000000.00', 'special-bond'),
  drainage.signed('drainage-works', '437790000.00'),
  drainage.disbursed('construction-1', '161145300.00', {
    category: 'construction',
    receiptId: 'special-bond-2024',
    contractId: 'drainage-works',
  }),
  drainage.disbursed('services-1', '6046300.00', {
    category: 'engineering-services',
    receiptId: 'special-bond-2024',
    contractId: 'drainage-works',
  }),
];

describe('project figures', () => {
  describe('the drainage project of the Xishan report', () => {
    const figure = figuresOf(drainageEvents);

    it('reproduces 资金到位率 50.74% and 专项债资金执行率 73.65% with their terms', () => {
      expect(figure.arrival_rate).toMatchObject({
        value: '50.74',
        display: '50.74%',
        unit: 'percent',
        numerator: '227000000.00',
        denominator: '447408400.00',
        formulaVersion: 1,
      });
      expect(figure.execution_rate).toMatchObject({
        value: '73.65',
        numerator: '167191600.00',
        denominator: '227000000.00',
      });
      expect(figure.contract_payment_progress).toMatchObject({
        value: '38.19',
        numerator: '167191600.00',
        denominator: '437790000.00',
      });
      expect(figure['receipt_usage_rate:special-bond-2024']).toMatchObject({ value: '73.65' });
    });

    it('states amounts as yuan strings, displayed in 元 and 万元', () => {
      expect(figure.disbursed_total).toMatchObject({
        value: '167191600.00',
        display: '¥167,191,600.00 (16,719.16 万元)',
        unit: 'yuan',
      });
      expect(figure.disbursed_total).not.toHaveProperty('numerator');
      expect(figure.planned_total.value).toBe('447408400.00');
      expect(figure.received_total.value).toBe('227000000.00');
      expect(figure.available_balance.value).toBe('59808400.00');
      expect(figure['disbursed_by_category:construction'].value).toBe('161145300.00');
      expect(figure['disbursed_by_category:engineering-services'].value).toBe('6046300.00');
      expect(figure['received_by_source:special-bond'].value).toBe('227000000.00');
    });

    it('returns every figure with its label, formula and position, and no JS number', () => {
      const all = computeFigures(foldEvents(drainageEvents), asOf);
      expect(all.map((f) => f.key)).toEqual([
        ...FIXED_FIGURE_KEYS,
        'receipt_usage_rate:special-bond-2024',
        'received_by_source:special-bond',
        'disbursed_by_category:construction',
        'disbursed_by_category:engineering-services',
      ]);
      for (const f of all) {
        expect(f.asOfPosition).toBe('42');
        expect(f.label.zh.length).toBeGreaterThan(0);
        expect(f.label.en.length).toBeGreaterThan(0);
        expect(f.formula.length).toBeGreaterThan(0);
        for (const term of [f.value, f.numerator, f.denominator]) expect(['string', 'undefined']).toContain(typeof (term ?? undefined));
      }
      expect(figure.arrival_rate.label).toEqual({ zh: '资金到位率', en: 'Funds arrival rate' });
      expect(figure.arrival_rate.formula).toMatch(/source ≠ carry-over .*rounded half-up to 2 decimals/);
      expect(figure['receipt_usage_rate:special-bond-2024'].label.zh).toContain('special-bond-2024');
      expect(figure['received_by_source:special-bond'].label.zh).toBe('到位资金（专项债券）');
    });
  });

  it('recomputes 支付进度 45,258.58 / 60,950.00 万元 as 74.26 (the report prints 74.25)', () => {
    const p = projectEvents('ring-road-drainage');
    const figure = figuresOf([
      p.registered(),
      p.received('bond-2023', '330000000.00', 'special-bond'),
      p.received('treasury-2023', '200000000.00', 'treasury-bond'),
      p.received('central-2022', '79500000.00', 'central-subsidy'),
      p.disbursed('works', '452585800.00'),
    ]);
    expect(figure.received_total.value).toBe('609500000.00');
    expect(figure.execution_rate).toMatchObject({
      value: '74.26',
      numerator: '452585800.00',
      denominator: '609500000.00',
    });
  });

  it('counts carry-over in 到位资金 but not in 资金到位率', () => {
    const p = projectEvents('carry-over-project');
    const figure = figuresOf([
      p.registered('1000000.00'),
      p.received('new-money', '600000.00', 'district-budget'),
      p.received('last-year', '300000.00', 'carry-over'),
    ]);
    expect(figure.received_total.value).toBe('900000.00');
    expect(figure['received_by_source:carry-over'].value).toBe('300000.00');
    expect(figure.arrival_rate).toMatchObject({ value: '60.00', numerator: '600000.00', denominator: '1000000.00' });
  });

  it('takes a reversal back from every disbursement figure and frees the receipt and contract', () => {
    const p = projectEvents('reversal-project');
    const wrong = p.disbursed('twice', '40000.00', { category: 'construction', receiptId: 'r1', contractId: 'c1' });
    const before = [
      p.registered(),
      p.received('r1', '100000.00'),
      p.signed('c1', '80000.00'),
      p.disbursed('once', '40000.00', { category: 'construction', receiptId: 'r1', contractId: 'c1' }),
      wrong,
    ];
    expect(figuresOf(before)['receipt_usage_rate:r1'].value).toBe('80.00');

    const figure = figuresOf([...before, p.reversed(wrong)]);
    expect(figure.disbursed_total.value).toBe('40000.00');
    expect(figure.available_balance.value).toBe('60000.00');
    expect(figure['disbursed_by_category:construction'].value).toBe('40000.00');
    expect(figure['receipt_usage_rate:r1']).toMatchObject({ value: '40.00', numerator: '40000.00' });
    expect(figure.contract_payment_progress).toMatchObject({ value: '50.00', numerator: '40000.00' });
    expect(figure.execution_rate.value).toBe('40.00');
  });

  it('uses the latest planned total after a revision', () => {
    const p = projectEvents('revised-project');
    const figure = figuresOf([p.registered('1000000.00'), p.received('r1', '500000.00'), p.revised('2000000.00'), p.revised('1250000.00')]);
    expect(figure.planned_total.value).toBe('1250000.00');
    expect(figure.arrival_rate).toMatchObject({ value: '40.00', denominator: '1250000.00' });
  });

  it('a planned total stated only by revision still counts', () => {
    const p = projectEvents('late-plan');
    expect(figuresOf([p.registered(), p.revised('800.00')]).planned_total.value).toBe('800.00');
  });

  describe('a figure that cannot be known is null with a reason, never 0 or Infinity', () => {
    const p = projectEvents('bare-project');
    const figure = figuresOf([p.registered()]);

    it.each([
      ['planned_total', 'planned total not recorded'],
      ['arrival_rate', 'planned total not recorded'],
      ['execution_rate', 'no funds received'],
      ['allocation_execution_rate', 'no funds allocated'],
      ['contract_payment_progress', 'no contracts signed'],
    ])('%s: %s', (key, reason) => {
      expect(figure[key]).toMatchObject({ value: null, display: '—', reason });
    });

    it('keeps the known term beside an unknown one', () => {
      const withReceipt = figuresOf([p.registered(), p.received('r1', '10.00')]);
      expect(withReceipt.arrival_rate).toMatchObject({ value: null, numerator: '10.00' });
      expect(withReceipt.arrival_rate).not.toHaveProperty('denominator');
      expect(withReceipt.execution_rate).toMatchObject({ value: '0.00', numerator: '0.00', denominator: '10.00' });
    });

    it('amounts with no events are zero, not unknown', () => {
      expect(figure.received_total).toMatchObject({ value: '0.00', display: '¥0.00 (0.00 万元)' });
      expect(figure.received_total).not.toHaveProperty('reason');
    });
  });

  it('reports a rate above 100% as it is, never capped', () => {
    const p = projectEvents('over-allocated');
    const figure = figuresOf([p.registered('100.00'), p.allocated('a1', '100.00'), p.received('r1', '300.00', 'district-budget'), p.disbursed('d1', '250.00')]);
    expect(figure.allocation_execution_rate).toMatchObject({ value: '250.00', display: '250.00%' });
    expect(figure.arrival_rate.value).toBe('300.00');
  });

  describe('output completion (产出完成率)', () => {
    const p = projectEvents('waste-incineration');

    it('reproduces 329721.96 / 328500 吨 = 100.37% with quantity terms', () => {
      const figure = figuresOf([
        p.registered(),
        p.targetSet('waste-disposed', '328500'),
        p.reported('waste-disposed', '300000'),
        p.reported('waste-disposed', '329721.96'),
      ]);
      expect(figure['output_completion:waste-disposed']).toMatchObject({
        value: '100.37',
        numerator: '329721.96',
        denominator: '328500',
        unit: 'percent',
      });
      expect(figure['output_completion:waste-disposed'].label.en).toContain('waste-disposed');
    });

    it('is unknown until an actual is reported, and when the target is zero', () => {
      expect(figuresOf([p.registered(), p.targetSet('roads', '12')])['output_completion:roads']).toMatchObject({
        value: null,
        reason: 'no actual reported',
        denominator: '12',
      });
      expect(figuresOf([p.registered(), p.targetSet('roads', '0'), p.reported('roads', '3')])['output_completion:roads']).toMatchObject({
        value: null,
        reason: 'target is zero',
      });
    });
  });

  it('bond events move no project figure: their proceeds arrive as FundsReceived', () => {
    const issued: BondIssued = {
      type: 'BondIssued',
      data: {
        bondId: 'sb-2023',
        name: '2023年专项债券',
        kind: 'special',
        amount: '750000000.00',
        issueDate: '2023-06-01',
      },
    };
    const assigned: BondProceedsAssigned = {
      type: 'BondProceedsAssigned',
      data: { bondId: 'sb-2023', assignmentId: 'a1', projectId: 'p', amount: '650000000.00' },
    };
    expect(contributionsOf(issued)).toEqual([]);
    expect(contributionsOf(assigned)).toEqual([]);
    expect(contributionsOf({ type: 'SomethingElse', data: {} })).toEqual([]);
  });

  describe('computeFigure', () => {
    const terms = foldEvents(drainageEvents);

    it('names no figure for an unknown key, receipt or indicator', () => {
      expect(computeFigure('nonsense', terms, asOf)).toBeUndefined();
      expect(computeFigure('execution_rate:extra', terms, asOf)).toBeUndefined();
      expect(computeFigure('receipt_usage_rate:', terms, asOf)).toBeUndefined();
      expect(computeFigure('receipt_usage_rate:no-such-receipt', terms, asOf)).toBeUndefined();
      expect(computeFigure('output_completion:no-such-indicator', terms, asOf)).toBeUndefined();
      expect(computeFigure('received_by_source:constructor', terms, asOf)).toBeUndefined();
    });

    it('gives zero for a vocabulary source or category nothing moved', () => {
      expect(computeFigure('received_by_source:treasury-bond', terms, asOf)?.value).toBe('0.00');
      expect(computeFigure('disbursed_by_category:subsidy', terms, asOf)?.label.zh).toBe('实际支出（补助发放）');
    });
  });

  describe('folding', () => {
    it('foldTerms leaves its input as it was', () => {
      const p = projectEvents('pure');
      const start = foldEvents([p.registered('100.00'), p.received('r1', '10.00')]);
      const snapshot = termsToJson(start);
      const next = foldTerms(start, p.disbursed('d1', '5.00'));
      expect(termsToJson(start)).toEqual(snapshot);
      expect(figures(next).disbursed_total.value).toBe('5.00');
      expect(foldTerms(start, p.registered())).toBe(start); // moves nothing
    });

    it('fails loudly on an event missing a figure field', () => {
      expect(() => foldTerms(emptyTerms(), { type: 'FundsReceived', data: { receiptId: 'r1', source: 'other' } })).toThrow(FigureEventDataError);
      expect(() => contributionsOf({ type: 'DisbursementRecorded', data: { amount: '1.00', category: 'other', receiptId: 7 } })).toThrow(
        /DisbursementRecorded\.receiptId/,
      );
    });
  });

  describe('stored terms (jsonb)', () => {
    it('has a stable shape: units as decimal strings, keys sorted', () => {
      const p = projectEvents('stored');
      const json = termsToJson(foldEvents([p.registered('500.00'), p.received('r1', '200.00', 'carry-over'), p.targetSet('km', '2.865')]));
      expect(JSON.stringify(json)).toBe(
        JSON.stringify({
          termsVersion: 1,
          scope: 'project',
          figures: {
            arrival_rate: { denominator: '50000' },
            available_balance: { numerator: '20000' },
            execution_rate: { denominator: '20000' },
            'output_completion:km': { denominator: '28650' },
            planned_total: { numerator: '50000' },
            'receipt_usage_rate:r1': { denominator: '20000' },
            'received_by_source:carry-over': { numerator: '20000' },
            received_total: { numerator: '20000' },
          },
        }),
      );
      expect(termsFromJson(JSON.parse(JSON.stringify(json)))).toEqual(termsFromJson(json));
    });

    it.each([
      ['a wrong version', { termsVersion: 2, scope: 'project', figures: {} }],
      ['an unknown key', { termsVersion: 1, scope: 'project', figures: { whatever: { numerator: '1' } } }],
      ['a number for a term', { termsVersion: 1, scope: 'project', figures: { received_total: { numerator: 1 } } }],
      ['a fraction', { termsVersion: 1, scope: 'project', figures: { received_total: { numerator: '1.5' } } }],
      ['a denominator on an amount', { termsVersion: 1, scope: 'project', figures: { received_total: { denominator: '1' } } }],
      ['a stray field', { termsVersion: 1, scope: 'project', figures: { received_total: { numerator: '1', n: '2' } } }],
      ['a portfolio without counts', { termsVersion: 1, scope: 'portfolio', figures: {} }],
      ['no object', null],
    ])('refuses %s', (_, json) => {
      expect(() => termsFromJson(json)).toThrow(FigureTermsJsonError);
    });
  });

  describe('portfolio (district totals)', () => {
    const a = projectEvents('a');
    const b = projectEvents('b');
    const c = projectEvents('c');
    const projectA = foldEvents([
      a.registered('1000.00'),
      a.received('r1', '400.00'),
      a.received('r2', '100.00', 'carry-over'),
      a.disbursed('d1', '250.00', { receiptId: 'r1' }),
      a.targetSet('km', '10'),
    ]);
    const projectB = foldEvents([b.registered('3000.00'), b.received('r1', '1500.00', 'district-budget')]);
    const projectC = foldEvents([c.registered(), c.received('r9', '700.00'), c.disbursed('d1', '700.00', { category: 'other' })]);
    const portfolio = mergeTerms([projectA, projectB, projectC]);
    const figure = figures(portfolio);

    it('sums amounts over every project', () => {
      expect(figure.received_total.value).toBe('2700.00');
      expect(figure.disbursed_total.value).toBe('950.00');
      expect(figure.available_balance.value).toBe('1750.00');
      expect(figure['received_by_source:special-bond'].value).toBe('1100.00');
      expect(figure.execution_rate).toMatchObject({ value: '35.19', numerator: '950.00', denominator: '2700.00' });
    });

    it('sums planned totals and arrivals only over projects that state a planned total, and says so', () => {
      expect(figure.planned_total).toMatchObject({
        value: '4000.00',
        note: '1 of 3 projects state no planned total and are left out',
      });
      expect(figure.arrival_rate).toMatchObject({
        value: '47.50',
        numerator: '1900.00',
        denominator: '4000.00',
        note: '1 of 3 projects state no planned total and are left out',
      });
      expect(figure.arrival_rate.formula).toMatch(/over the projects that state a planned total/);
    });

    it('has no per-receipt or per-indicator figures', () => {
      expect(Object.keys(figure).filter((key) => key.includes('usage') || key.includes('output'))).toEqual([]);
      expect(computeFigure('receipt_usage_rate:r1', portfolio, asOf)).toBeUndefined();
    });

    it('merges associatively and survives storage', () => {
      const stepwise = mergeTerms([mergeTerms([projectA]), mergeTerms([projectB, projectC])]);
      expect(termsToJson(stepwise)).toEqual(termsToJson(portfolio));
      expect(termsFromJson(termsToJson(portfolio))).toEqual(portfolio);
    });

    it('is null with a reason when no project states a planned total', () => {
      const none = figures(mergeTerms([projectC]));
      expect(none.planned_total).toMatchObject({ value: null, reason: 'no project states a planned total' });
      expect(none.arrival_rate).toMatchObject({ value: null, reason: 'no project states a planned total' });
      expect(figures(mergeTerms([])).received_total.value).toBe('0.00');
    });
  });
});

describe('payment approval, work done and corrections', () => {
  const p = projectEvents('prefecture-road');

  it('approved_total and approval_rate (核拨率 = approved / received), net of a reversed approval', () => {
    const wrong = p.approved('ap-2', '100000.00');
    const figure = figuresOf([
      p.registered(),
      p.received('r1', '1000000.00', 'central-subsidy'),
      p.approved('ap-1', '600000.00', { receiptId: 'r1' }),
      wrong,
      p.approvalReversed(wrong),
    ]);
    expect(figure.approved_total).toMatchObject({ value: '600000.00', unit: 'yuan', formulaVersion: 1 });
    expect(figure.approved_total.label.zh).toBe('核拨资金');
    expect(figure.approval_rate).toMatchObject({
      value: '60.00',
      numerator: '600000.00',
      denominator: '1000000.00',
      label: { zh: '核拨率', en: 'Approval rate' },
    });
  });

  it('approval_rate is null with a reason before money is received', () => {
    expect(figuresOf([p.registered()]).approval_rate).toMatchObject({ value: null, reason: 'no funds received' });
    expect(figuresOf([p.registered()]).approved_total.value).toBe('0.00');
  });

  it('investment_completed is the latest report, and its rate is over the planned total (投资完成率)', () => {
    const figure = figuresOf([p.registered('2000000000.00'), p.investment('500000000.00'), p.investment('750000000.00')]);
    expect(figure.investment_completed).toMatchObject({
      value: '750000000.00',
      display: '¥750,000,000.00 (75,000.00 万元)',
    });
    expect(figure.investment_completion_rate).toMatchObject({
      value: '37.50',
      numerator: '750000000.00',
      denominator: '2000000000.00',
    });
  });

  it('investment figures are unknown until reported, and the rate needs a planned total', () => {
    expect(figuresOf([p.registered('100.00')]).investment_completed).toMatchObject({
      value: null,
      reason: 'investment completed not reported',
    });
    expect(figuresOf([p.registered('100.00')]).investment_completion_rate).toMatchObject({
      value: null,
      reason: 'investment completed not reported',
      denominator: '100.00',
    });
    expect(figuresOf([p.registered(), p.investment('5.00')]).investment_completion_rate).toMatchObject({
      value: null,
      reason: 'planned total not recorded',
      numerator: '5.00',
    });
  });

  it('a reversed receipt leaves every receipt figure, and its own usage rate drops out', () => {
    const wrong = p.received('r2', '300000.00', 'district-budget');
    const before = [p.registered('1000000.00'), p.received('r1', '500000.00', 'district-budget'), wrong, p.disbursed('d1', '200000.00')];
    expect(figuresOf(before)['receipt_usage_rate:r2'].value).toBe('0.00');
    const figure = figuresOf([...before, p.receiptReversed(wrong)]);
    expect(figure.received_total.value).toBe('500000.00');
    expect(figure.available_balance.value).toBe('300000.00');
    expect(figure['received_by_source:district-budget'].value).toBe('500000.00');
    expect(figure.arrival_rate).toMatchObject({ value: '50.00', numerator: '500000.00' });
    expect(figure.execution_rate).toMatchObject({ value: '40.00', denominator: '500000.00' });
    expect(figure).not.toHaveProperty('receipt_usage_rate:r2');
    expect(figure['receipt_usage_rate:r1']).toBeDefined();
  });

  it('a reversed carry-over receipt leaves 到位资金 but never touched 资金到位率', () => {
    const carried = p.received('r1', '100.00', 'carry-over');
    const figure = figuresOf([p.registered('1000.00'), p.received('r0', '200.00', 'district-budget'), carried, p.receiptReversed(carried)]);
    expect(figure.arrival_rate).toMatchObject({ value: '20.00', numerator: '200.00' });
    expect(figure['received_by_source:carry-over'].value).toBe('0.00');
  });

  it('a reversed allocation leaves allocated_total and the allocation execution rate', () => {
    const wrong = p.allocated('a2', '400.00');
    const figure = figuresOf([
      p.registered(),
      p.allocated('a1', '1000.00'),
      wrong,
      p.allocationReversed(wrong),
      p.received('r1', '1000.00'),
      p.disbursed('d1', '250.00'),
    ]);
    expect(figure.allocated_total.value).toBe('1000.00');
    expect(figure.allocation_execution_rate).toMatchObject({ value: '25.00', denominator: '1000.00' });
  });

  it('an amended contract moves contract_payment_progress by the difference, either way', () => {
    const base = [
      p.registered(),
      p.received('r1', '1000.00'),
      p.signed('c1', '800.00'),
      p.signed('c2', '200.00'),
      p.disbursed('d1', '400.00', { contractId: 'c1' }),
    ];
    expect(figuresOf(base).contract_payment_progress.value).toBe('40.00');
    expect(figuresOf([...base, p.amended('c1', '600.00', '800.00')]).contract_payment_progress).toMatchObject({
      value: '50.00',
      denominator: '800.00',
    });
    expect(figuresOf([...base, p.amended('c1', '600.00', '800.00'), p.amended('c1', '1800.00', '600.00')]).contract_payment_progress).toMatchObject({
      value: '20.00',
      denominator: '2000.00',
    });
  });
});

describe('output indicators: targets, actuals, ratios of indicators, revisions and withdrawals', () => {
  const p = projectEvents('village-toilets');

  it('gives each indicator its target and actual as quantities', () => {
    const figure = figuresOf([p.registered(), p.targetSet('built', '1200'), p.reported('built', '980.5')]);
    expect(figure['output_target:built']).toMatchObject({
      value: '1200',
      display: '1200',
      unit: 'quantity',
      label: { zh: '绩效目标值（built）', en: 'Target of built' },
    });
    expect(figure['output_target:built']).not.toHaveProperty('numerator');
    expect(figure['output_actual:built']).toMatchObject({ value: '980.5', unit: 'quantity' });
    expect(figure['output_completion:built']).toMatchObject({
      value: '81.71',
      numerator: '980.5',
      denominator: '1200',
    });
  });

  it('lists the target and actual right after the completion, indicator by indicator', () => {
    const keys = computeFigures(foldEvents([p.registered(), p.targetSet('b', '1'), p.targetSet('a', '2')]), asOf).map((f) => f.key);
    expect(keys.slice(FIXED_FIGURE_KEYS.length)).toEqual([
      'output_completion:a',
      'output_completion:b',
      'output_target:a',
      'output_target:b',
      'output_actual:a',
      'output_actual:b',
    ]);
  });

  it('an actual not yet reported is a null actual, not a missing figure', () => {
    expect(figuresOf([p.registered(), p.targetSet('built', '10')])['output_actual:built']).toMatchObject({
      value: null,
      reason: 'no actual reported',
    });
  });

  it('验收率 = accepted / completed: the denominator indicator’s report moves the ratio', () => {
    const history = [
      p.registered(),
      p.targetSet('completed', '20'),
      p.reported('completed', '16'),
      p.ratioSet('accepted', 'completed'),
      p.reported('accepted', '12'),
    ];
    const figure = figuresOf(history);
    expect(figure['output_completion:accepted']).toMatchObject({
      value: '75.00',
      numerator: '12',
      denominator: '16',
      formulaVersion: 2,
    });
    expect(figure['output_completion:accepted'].formula).toBe(
      'latest OutputReported.actual of indicator accepted / latest OutputReported.actual of indicator completed × 100, rounded half-up to 2 decimals',
    );
    expect(figure['output_target:accepted']).toMatchObject({ value: null, reason: 'no target set' });
    expect(figure['output_completion:completed']).toMatchObject({ value: '80.00', formulaVersion: 1 });
    expect(figuresOf([...history, p.reported('completed', '15')])['output_completion:accepted'].value).toBe('80.00');
  });

  it('a ratio waits for the denominator indicator’s actual, and a zero actual gives no value', () => {
    const history = [p.registered(), p.targetSet('completed', '20'), p.ratioSet('accepted', 'completed', '20'), p.reported('accepted', '3')];
    expect(figuresOf(history)['output_completion:accepted']).toMatchObject({
      value: null,
      reason: 'no actual reported for the denominator indicator',
    });
    expect(figuresOf(history)['output_target:accepted'].value).toBe('20');
    expect(figuresOf([...history, p.reported('completed', '0')])['output_completion:accepted']).toMatchObject({
      value: null,
      reason: "the denominator indicator's actual is zero",
    });
  });

  it('a revised target replaces the target', () => {
    const figure = figuresOf([p.registered(), p.targetSet('km', '100'), p.reported('km', '60'), p.targetRevised('km', '80')]);
    expect(figure['output_target:km'].value).toBe('80');
    expect(figure['output_completion:km']).toMatchObject({ value: '75.00', denominator: '80' });
  });

  it('a withdrawn indicator drops out of the figures', () => {
    const figure = figuresOf([p.registered(), p.targetSet('km', '100'), p.reported('km', '60'), p.targetSet('kept', '1'), p.withdrawn('km')]);
    expect(Object.keys(figure).filter((key) => key.endsWith(':km'))).toEqual([]);
    expect(figure['output_completion:kept']).toBeDefined();
  });

  it('stores the link with the indicator, and refuses links and derived figures where they do not belong', () => {
    const json = termsToJson(foldEvents([p.registered(), p.targetSet('completed', '20'), p.ratioSet('accepted', 'completed')]));
    expect(json.figures['output_completion:accepted']).toEqual({ denominatorFrom: 'output_completion:completed' });
    expect(termsFromJson(JSON.parse(JSON.stringify(json)))).toEqual(termsFromJson(json));
    for (const figures of [
      { approval_rate: { numerator: '1' } },
      { 'output_target:km': { numerator: '1' } },
      { received_total: { numerator: '1', denominatorFrom: 'output_completion:km' } },
      { 'output_completion:a': { denominatorFrom: 'received_total' } },
      { 'output_completion:a': { denominatorFrom: 7 } },
    ]) {
      expect(() => termsFromJson({ termsVersion: 1, scope: 'project', figures })).toThrow(FigureTermsJsonError);
    }
  });

  it('a programme’s own indicators fold the same way from its stream', () => {
    const programmeId = 'county-sanitation';
    const figure = figures(
      foldEvents([
        { type: 'ProgrammeRegistered', data: { programmeId, name: '县域厕所革命', level: 'county' } },
        {
          type: 'OutputTargetSet',
          data: { programmeId, indicatorId: 'toilets', name: '改厕', unit: '户', target: '5000' },
        },
        { type: 'OutputReported', data: { programmeId, indicatorId: 'toilets', actual: '4100' } },
      ]),
    );
    expect(figure['output_completion:toilets']).toMatchObject({ value: '82.00' });
    expect(figure['output_actual:toilets'].value).toBe('4100');
  });
});

describe('portfolio totals of the new figures', () => {
  const a = projectEvents('a');
  const b = projectEvents('b');
  const c = projectEvents('c');
  const portfolio = mergeTerms([
    foldEvents([a.registered('1000.00'), a.received('r1', '800.00'), a.approved('ap1', '500.00'), a.investment('400.00'), a.targetSet('km', '3')]),
    foldEvents([b.registered('3000.00'), b.received('r1', '200.00'), b.approved('ap1', '100.00')]),
    foldEvents([c.registered(), c.investment('900.00')]),
  ]);
  const figure = figures(portfolio);

  it('sums approvals over every project', () => {
    expect(figure.approved_total.value).toBe('600.00');
    expect(figure.approval_rate).toMatchObject({ value: '60.00', numerator: '600.00', denominator: '1000.00' });
  });

  it('sums work done over the projects that report it, and its rate over those that also state a plan', () => {
    expect(figure.investment_completed.value).toBe('1300.00');
    expect(figure.investment_completed.formula).toMatch(/projects without one are left out/);
    expect(figure.investment_completion_rate).toMatchObject({
      value: '40.00',
      numerator: '400.00',
      denominator: '1000.00',
    });
  });

  it('has no per-indicator figures, and says why a rate is unknown', () => {
    expect(Object.keys(figure).filter((key) => key.startsWith('output_'))).toEqual([]);
    expect(figures(mergeTerms([foldEvents([c.registered(), c.investment('1.00')])])).investment_completion_rate).toMatchObject({
      value: null,
      reason: 'no project states a planned total and reports investment completed',
    });
  });

  it('merges the stored district rate associatively and through storage', () => {
    const parts = [foldEvents([a.registered('10.00'), a.investment('5.00')]), foldEvents([b.registered('30.00'), b.investment('3.00')])];
    const stepwise = mergeTerms([mergeTerms([parts[0]]), mergeTerms([parts[1]])]);
    expect(termsToJson(stepwise)).toEqual(termsToJson(mergeTerms(parts)));
    expect(termsFromJson(JSON.parse(JSON.stringify(termsToJson(stepwise))))).toEqual(stepwise);
    expect(figures(stepwise).investment_completion_rate.value).toBe('20.00');
  });
});
