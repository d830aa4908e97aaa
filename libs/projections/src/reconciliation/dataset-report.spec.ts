import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decideReport, initialReportState, type StatedFigure } from '@fundtrail/funding';
import { parseStatedValue } from '@fundtrail/money';
import { figureDefinition } from '../figures';
import { checkStatedSum, datasetReport, statedUnitFits, type DatasetStatedFigure } from './index';

/*
 * The real data set, converted and read back against the JSON it came from. Expected counts and rows
 * are taken from seeds/xishan-2024/stated-figures.json by hand (its README counts 146 stated figures).
 */

const json: DatasetStatedFigure[] = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'seeds', 'xishan-2024', 'stated-figures.json'), 'utf8'));
const details = { reportId: 'xishan-2024', title: '2024年西山区重大政策和重点项目绩效执行结果说明' };
const report = datasetReport(json, details);
const byId = new Map(report.statedFigures.map((figure) => [figure.statedId, figure]));

describe('datasetReport on the Xishan stated figures', () => {
  it('keeps every figure, in order, with the report details given', () => {
    expect(report).toMatchObject(details);
    expect(Object.keys(report).sort()).toEqual(['reportId', 'statedFigures', 'title']);
    expect(report.statedFigures).toHaveLength(146);
    expect(report.statedFigures.map((f) => f.statedId)).toEqual(json.map((f) => f.id));
    expect(report.statedFigures.map((f) => f.stated)).toEqual(json.map((f) => f.stated));
    expect(report.statedFigures.map((f) => f.citation)).toEqual(json.map((f) => f.citation));
  });

  it('counts: 64 printed but not keyed, 12 sums, 65 in 万元, 38 in percent, the rest in their own units', () => {
    const count = (test: (figure: StatedFigure) => boolean) => report.statedFigures.filter(test).length;
    expect(count((f) => f.key === undefined)).toBe(64);
    expect(count((f) => f.sumOf !== undefined)).toBe(12);
    expect(count((f) => f.unit === 'wan')).toBe(65);
    expect(count((f) => f.unit === 'percent')).toBe(38);
    expect(count((f) => f.unit === '个')).toBe(26);
    expect(count((f) => f.unit === '吨')).toBe(6);
    expect(count((f) => f.unit === 'wan-yuan')).toBe(0);
    expect(count((f) => !('projectId' in f.scope))).toBe(0);
  });

  it('converts a total with its parts, a keyless figure, an indicator quantity and a bond receipt key', () => {
    expect(byId.get('changpo-received-total')).toEqual({
      statedId: 'changpo-received-total',
      scope: { projectId: 'changpo-shantytown-phase2-plot1' },
      key: 'received_total',
      stated: '111,969.90',
      unit: 'wan',
      citation: { section: '一（二）', quote: '共计到位资金111,969.90万元' },
      sumOf: ['changpo-received-special-bond', 'changpo-fiscal-budget-funds', 'changpo-received-self-raised'],
    });
    expect(byId.get('changpo-fiscal-budget-funds')).toEqual({
      statedId: 'changpo-fiscal-budget-funds',
      scope: { projectId: 'changpo-shantytown-phase2-plot1' },
      stated: '2,517.8',
      unit: 'wan',
      citation: { section: '一（二）', quote: '财政预算安排资金2,517.8万元' },
      sumOf: ['changpo-received-central-subsidy', 'changpo-received-provincial-subsidy', 'changpo-received-preliminary-work-funds'],
    });
    expect(byId.get('garbage-disposed-haikou')).toMatchObject({ stated: '17092.8', unit: '吨' });
    expect(byId.get('garbage-disposed-haikou')).not.toHaveProperty('key');
    // sha256("changpo-plot1-special-bond-2023-renewal/changpo-plot1"), first 24 hex digits
    expect(byId.get('changpo-2023-renewal-bond-usage-rate')).toMatchObject({
      key: 'receipt_usage_rate:bond-937b435838ec5928c0dd3669',
      stated: '100',
      unit: 'percent',
    });
    expect(byId.get('changpo-2023-renewal-bond-usage-rate')?.sumOf).toBeUndefined();
  });

  it('is a report the decider accepts, and every keyed figure is stated in a unit its figure takes', () => {
    expect(decideReport({ type: 'PublishReport', data: report }, initialReportState)).toEqual([{ type: 'ReportPublished', data: report }]);
    for (const figure of report.statedFigures) {
      expect(() => parseStatedValue(figure.stated, figure.unit)).not.toThrow();
      if (figure.key === undefined) continue;
      const definition = figureDefinition(figure.key);
      expect({ key: figure.key, known: definition !== undefined }).toEqual({ key: figure.key, known: true });
      expect({ id: figure.statedId, fits: statedUnitFits(definition!.unit, figure.unit) }).toEqual({
        id: figure.statedId,
        fits: true,
      });
    }
  });

  it('its stated totals: ten add up as printed, one is within printed precision, one does not add up', () => {
    const sums = report.statedFigures
      .filter((figure) => figure.sumOf !== undefined)
      .map((figure) => [
        figure.statedId,
        checkStatedSum(
          figure,
          figure.sumOf!.map((id) => byId.get(id)!),
        ).status,
      ]);
    expect(Object.fromEntries(sums)).toEqual({
      // 75,000.00 + 2,517.8 + 34,452.09 = 111,969.89; 2,517.8 is printed to 0.1万元, so ± 0.06万元 holds .90
      'changpo-received-total': 'within-printed-precision',
      'changpo-fiscal-budget-funds': 'adds-up',
      'changpo-disbursed-total': 'adds-up',
      'main-drainage-disbursed-total': 'adds-up',
      'second-ring-received-total': 'adds-up',
      'garbage-disbursed-total': 'adds-up',
      'garbage-disposed-total': 'adds-up',
      'gas-planned-total': 'adds-up',
      'new-infra-received-total': 'adds-up',
      'new-infra-disbursed-total': 'adds-up',
      // 5 + 7 + 6 + 3 = 21 个, stated 20: counted things are exact
      'new-infra-subprojects-total': 'does-not-add-up',
      'eldercare-disbursed-total': 'adds-up',
    });
  });
});
