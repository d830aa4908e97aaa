import { spec } from '../testing/decider-spec';
import type { PublishReport } from './report.commands';
import { decideReport, evolveReport, initialReportState } from './report.decider';
import { reportStreamId, type ReportPublished, type StatedFigure } from './report.events';

const report = spec(decideReport, evolveReport, initialReportState);
const reportId = 'xishan-2024';

/** A stated figure; a field given as undefined is left out, as in a stored event. */
const figure = (statedId: string, fields: Partial<StatedFigure> = {}): StatedFigure =>
  Object.fromEntries(
    Object.entries({
      statedId,
      scope: { projectId: 'changpo-shantytown-phase2-plot1' },
      key: 'received_total',
      stated: '111,969.90',
      unit: 'wan',
      citation: { section: '一（二）', quote: '共计到位资金111,969.90万元' },
      ...fields,
    }).filter(([, value]) => value !== undefined),
  ) as StatedFigure;

const body = (statedFigures: StatedFigure[], fields: Partial<ReportPublished['data']> = {}): ReportPublished['data'] => ({
  reportId,
  title: '2024年西山区重大政策和重点项目绩效执行结果说明',
  statedFigures,
  ...fields,
});
const publish = (data: ReportPublished['data']): PublishReport => ({ type: 'PublishReport', data });
const published = (data: ReportPublished['data']): ReportPublished => ({ type: 'ReportPublished', data });

// A total and its parts, as the Xishan report prints them.
const total = figure('changpo-received-total', { sumOf: ['special-bond', 'budget-funds', 'self-raised'] });
const parts = [
  figure('special-bond', { key: 'received_by_source:special-bond', stated: '75,000.00' }),
  figure('budget-funds', { key: undefined, stated: '2,517.8', sumOf: ['central', 'provincial'] }),
  figure('self-raised', { key: 'received_by_source:self-raised', stated: '34,452.09' }),
  figure('central', { key: 'received_by_source:central-subsidy', stated: '1,602.80' }),
  figure('provincial', { key: 'received_by_source:provincial-subsidy', stated: '850.00' }),
];

describe('PublishReport', () => {
  it('publishes the report on its own stream, with the stated figures as printed', () => {
    expect(reportStreamId(reportId)).toBe('report-xishan-2024');
    const full = body([total, ...parts], {
      publisher: '昆明市西山区财政局',
      publishedAt: '2025-03-31',
      asOfEffective: '2024-12-31',
    });
    report
      .given([])
      .when(publish(full))
      .then([published(full)]);
  });

  it('scopes a figure to a programme or to the projects a portfolio filter selects', () => {
    const scoped = body([
      figure('programme-total', { scope: { programmeId: 'kunming-rural-roads' } }),
      figure('district-rate', {
        key: 'execution_rate',
        stated: '74.25',
        unit: 'percent',
        scope: { portfolio: { region: 'yunnan/kunming/xishan', fiscalYear: 2024 } },
      }),
      figure('km-built', { key: 'output_actual:km', stated: '12.5', unit: '公里' }),
    ]);
    report
      .given([])
      .when(publish(scoped))
      .then([published(scoped)]);
  });

  it('leaves out optional fields that are absent', () => {
    const withHoles = body([{ ...figure('a'), key: undefined, sumOf: undefined }], {
      publisher: undefined,
      asOfEffective: undefined,
    });
    const { key: _key, ...keyless } = figure('a');
    report
      .given([])
      .when(publish(withHoles))
      .then([published(body([keyless]))]);
  });

  it('publishing the identical report again changes nothing, whatever the order of its keys', () => {
    const data = body([total, ...parts], { asOfEffective: '2024-12-31' });
    const reordered = JSON.parse(JSON.stringify({ ...data, statedFigures: data.statedFigures.map((f) => ({ ...f })) }));
    const shuffled = Object.fromEntries(Object.entries(reordered).reverse()) as ReportPublished['data'];
    report
      .given([published(data)])
      .when(publish(data))
      .then([]);
    report
      .given([published(data)])
      .when(publish(shuffled))
      .then([]);
  });

  it.each<[string, ReportPublished['data']]>([
    ['a stated value printed otherwise', body([figure('a', { stated: '111969.90' }), figure('b')])],
    ['another title', body([figure('a'), figure('b')], { title: 'revised' })],
    ['an effective date added', body([figure('a'), figure('b')], { asOfEffective: '2024-12-31' })],
    ['one more figure', body([figure('a'), figure('b'), figure('c')])],
    ['one figure fewer', body([figure('a')])],
    ['the figures in another order', body([figure('b'), figure('a')])],
  ])('refuses the same reportId with other content: %s', (_what, other) => {
    report
      .given([published(body([figure('a'), figure('b')]))])
      .when(publish(other))
      .thenThrows('DUPLICATE_ID', { field: 'reportId', message: /new reportId/ });
  });

  it('refuses two figures under one statedId', () => {
    report
      .given([])
      .when(publish(body([figure('a'), figure('b'), figure('a')])))
      .thenThrows('DUPLICATE_STATED_ID', { field: 'statedFigures[2].statedId', message: /statedFigures\[0\]/ });
  });

  it.each<[Partial<StatedFigure>, string, RegExp]>([
    [{ stated: '111,969.9.0' }, 'statedFigures[1].stated', /stated/],
    [{ stated: '1.5', unit: 'count' }, 'statedFigures[1].stated', /whole number/],
    [{ stated: '1.001', unit: 'yuan' }, 'statedFigures[1].stated', /fraction of a fen/],
    [{ stated: '74.25%', unit: 'percent' }, 'statedFigures[1].stated', /stated/],
    [{ unit: '万元' }, 'statedFigures[1].unit', /written wan/],
    [{ unit: '' }, 'statedFigures[1].unit', /unit must be/],
  ])('refuses a stated value that does not read in its unit: %j', (fields, field, message) => {
    report
      .given([])
      .when(publish(body([figure('a'), figure('b', fields)])))
      .thenThrows('INVALID_STATED_VALUE', { field, message });
  });

  it('refuses a part that is not a statedId of the report', () => {
    report
      .given([])
      .when(publish(body([figure('a'), figure('b'), figure('c'), figure('total', { sumOf: ['a', 'z', 'b'] })])))
      .thenThrows('UNKNOWN_STATED_ID', { field: 'statedFigures[3].sumOf[1]', message: /z/ });
  });

  it.each<[string, StatedFigure[], string, RegExp]>([
    ['no parts', [figure('a'), figure('t', { sumOf: [] })], 'statedFigures[1].sumOf', /at least one/],
    ['a part twice', [figure('a'), figure('b'), figure('t', { sumOf: ['a', 'b', 'a'] })], 'statedFigures[2].sumOf[2]', /twice/],
    [
      'a percent added to money',
      [figure('a'), figure('r', { unit: 'percent', stated: '5' }), figure('t', { sumOf: ['a', 'r'] })],
      'statedFigures[2].sumOf[1]',
      /percent cannot be added to a total in wan/,
    ],
    [
      'tonnes added to kilometres',
      [figure('a', { unit: '吨', stated: '1' }), figure('t', { unit: '公里', stated: '1', sumOf: ['a'] })],
      'statedFigures[1].sumOf[0]',
      /吨/,
    ],
  ])('refuses a sum with %s', (_what, figures, field, message) => {
    report
      .given([])
      .when(publish(body(figures)))
      .thenThrows('INVALID_SUM', { field, message });
  });

  it('adds money in any unit to a total in any other', () => {
    const mixed = body([figure('a', { unit: 'yi', stated: '3.27' }), figure('b'), figure('t', { unit: 'yuan', stated: '1.00', sumOf: ['a', 'b'] })]);
    report
      .given([])
      .when(publish(mixed))
      .then([published(mixed)]);
  });

  it.each<[string, StatedFigure[], string, RegExp]>([
    ['a total that is its own part', [figure('t', { sumOf: ['t'] })], 'statedFigures[0].sumOf[0]', /itself/],
    ['two totals that are parts of each other', [figure('a', { sumOf: ['b'] }), figure('b', { sumOf: ['a'] })], 'statedFigures[1].sumOf[0]', /a → b → a/],
    [
      'a longer cycle behind a sound sum',
      [figure('x'), figure('t', { sumOf: ['x', 'p'] }), figure('p', { sumOf: ['q'] }), figure('q', { sumOf: ['x', 'r'] }), figure('r', { sumOf: ['p'] })],
      'statedFigures[4].sumOf[0]',
      /p → q → r → p/,
    ],
  ])('refuses %s', (_what, figures, field, message) => {
    report
      .given([])
      .when(publish(body(figures)))
      .thenThrows('SUM_CYCLE', { field, message });
  });

  it('accepts one part in two sums, and sums of sums (no cycle)', () => {
    const diamond = body([figure('c'), figure('a', { sumOf: ['c'] }), figure('b', { sumOf: ['c', 'd'] }), figure('d'), figure('t', { sumOf: ['a', 'b'] })]);
    report
      .given([])
      .when(publish(diamond))
      .then([published(diamond)]);
  });

  it('keeps the published report in the state', () => {
    const data = body([figure('a')]);
    expect(evolveReport(initialReportState, published(data))).toEqual({ status: 'published', report: data });
    const later = evolveReport(evolveReport(initialReportState, published(data)), published(body([figure('b')])));
    expect(later).toEqual({ status: 'published', report: data });
  });
});
