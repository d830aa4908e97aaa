import { formatDecimal, ratio, type PrintedPrecision } from '@fundtrail/money';
import type { ProjectEvent } from '@fundtrail/funding';
import { projectEvents } from '../figures/figure-events.testing';
import { figureInterval, foldIntervalTerms, type EventLike } from '../figures';
import { checkStatedFigure, notDerivable, notKeyed, StatedUnitMismatchError, statedUnitFits, type Recomputed, type StatedFigureCheck } from './index';

/*
 * Every expected status follows from numbers the test computes itself: a positive n / d as a percent
 * rounded half-up at 2 places is floor((n·10^4/d + ½)) in hundredths, written here as
 * (2·n·10^4 + d) div (2·d); the interval's ends are the corners taken by hand.
 */
const hundredthsHalfUp = (n: bigint, d: bigint): bigint => (2n * n * 10_000n + d) / (2n * d);
const asPercent = (hundredths: bigint): string => formatDecimal(hundredths, 2);

const p = projectEvents('east-ring-road');
const printedAs = <E extends ProjectEvent>(event: E, printed: PrintedPrecision): E => ({ ...event, data: { ...event.data, printed } });
const yi2: PrintedPrecision = { unit: 'yi', decimals: 2 };
const wan2: PrintedPrecision = { unit: 'wan', decimals: 2 };

function recomputed(key: string, events: readonly EventLike[]): Recomputed {
  const found = figureInterval(key, foldIntervalTerms(events));
  if (found === undefined || found.value === null) throw new Error(`${key} has no value`);
  return found;
}

// A report printing amounts to 0.01亿 and rates to 0.01%: received 3.27亿, disbursed 2.41亿.
const worked = [p.registered(), printedAs(p.received('bond-2024', '327000000.00'), yi2), printedAs(p.disbursed('works-1', '241000000.00'), yi2)];
const workedRate = recomputed('execution_rate', worked);
const centre = hundredthsHalfUp(241n, 327n); // 73.70
const lowest = hundredthsHalfUp(240_500_000n, 327_500_000n); // 2.405 / 3.275 → 73.44
const highest = hundredthsHalfUp(241_500_000n, 326_500_000n); // 2.415 / 3.265 → 73.97

// Typed in yuan (nothing printed): the Xishan 支付进度, 452,585,800 / 609,500,000 = 74.2552…%
const xishanTerms = [p.registered(), p.received('r1', '609500000.00'), p.disbursed('d1', '330000000.00'), p.disbursed('d2', '122585800.00')];
// The same amounts printed to 0.01万元: ± 50 元 each, 2 disbursements over 1 receipt.
const xishanPrinted = [
  p.registered(),
  printedAs(p.received('r1', '609500000.00'), wan2),
  printedAs(p.disbursed('d1', '330000000.00'), wan2),
  printedAs(p.disbursed('d2', '122585800.00'), wan2),
];

// Six receipts printed to 0.01万元 summing to 111,969.89万元: ± 6 × 50 元 = ± 0.03万元.
const sixReceipts = [
  p.registered(),
  ...[
    ['a', '650000000.00'],
    ['b', '100000000.00'],
    ['c', '16028000.00'],
    ['d', '8500000.00'],
    ['e', '650000.00'],
    ['f', '344520900.00'],
  ].map(([id, amount]) => printedAs(p.received(id, amount), wan2)),
];

type Case = [string, string, string, StatedFigureCheck['status'], string | undefined, () => Recomputed];

describe('checkStatedFigure', () => {
  it('the worked example is what the test computes by hand', () => {
    expect([centre, lowest, highest].map(asPercent)).toEqual(['73.70', '73.44', '73.97']);
  });

  it.each<Case>([
    ['the rate rounds to the stated one', asPercent(centre), 'percent', 'match', undefined, () => workedRate],
    ['a rate the printed inputs allow', '73.72', 'percent', 'within-printed-precision', undefined, () => workedRate],
    ['the lowest rate the inputs allow', asPercent(lowest), 'percent', 'within-printed-precision', undefined, () => workedRate],
    ['one hundredth below it', asPercent(lowest - 1n), 'percent', 'mismatch', undefined, () => workedRate],
    ['the highest rate the inputs allow', asPercent(highest), 'percent', 'within-printed-precision', undefined, () => workedRate],
    ['one hundredth above it', asPercent(highest + 1n), 'percent', 'mismatch', undefined, () => workedRate],
    ['the same rate at one decimal', '73.7', 'percent', 'match', undefined, () => workedRate],
    ['a truncated rate, nothing printed', '74.25', 'percent', 'mismatch', 'truncated', () => recomputed('execution_rate', xishanTerms)],
    ['the rounded one', '74.26', 'percent', 'match', undefined, () => recomputed('execution_rate', xishanTerms)],
    // lowest 452,585,700 / 609,500,050 and highest 452,585,900 / 609,499,950 both round to 74.26
    ['a truncated rate, amounts to 0.01万元', '74.25', 'percent', 'mismatch', 'truncated', () => recomputed('execution_rate', xishanPrinted)],
    ['a total 0.01万元 off, nothing printed', '111,969.90', 'wan', 'mismatch', undefined, () => recomputed('received_total', sixReceipts.map(unprinted))],
    ['the same with six amounts to 0.01万元', '111,969.90', 'wan', 'within-printed-precision', undefined, () => recomputed('received_total', sixReceipts)],
    ['0.01万元 beyond ± 0.03万元', '111,969.93', 'wan', 'mismatch', undefined, () => recomputed('received_total', sixReceipts)],
    ['the total in 亿元', '11.20', 'yi', 'match', undefined, () => recomputed('received_total', sixReceipts)],
    ['the total in 亿元, truncated', '11.19', 'yi', 'mismatch', 'truncated', () => recomputed('received_total', sixReceipts)],
    ['the total in yuan', '1,119,698,900.00', 'yuan', 'match', undefined, () => recomputed('received_total', sixReceipts)],
    ['an actual as printed', '12.5', '公里', 'match', undefined, () => recomputed('output_actual:km', indicator)],
    ['an actual rounded half-up', '13', '公里', 'match', undefined, () => recomputed('output_actual:km', indicator)],
    ['an actual truncated', '12', '公里', 'mismatch', 'truncated', () => recomputed('output_actual:km', indicator)],
    ['a target as a count', '20', 'count', 'match', undefined, () => recomputed('output_target:km', indicator)],
  ])('%s: %p %s → %s %s', (_what, stated, unit, status, reason, compute) => {
    const check = checkStatedFigure(stated, unit, compute());
    expect(check.status).toBe(status);
    expect(check.status === 'mismatch' ? check.reason : undefined).toBe(reason);
  });

  it('gives the recomputed value in the stated unit at full precision, the difference and the arithmetic', () => {
    expect(checkStatedFigure('74.25', 'percent', recomputed('execution_rate', xishanTerms))).toEqual({
      status: 'mismatch',
      recomputed: '74.255258408532', // 74.25525840853158… does not end: 12 places, half-up
      range: { lower: '74.255258408531', upper: '74.255258408532' }, // cut outward: …531583
      difference: '-0.005258408532',
      reason: 'truncated',
      arithmetic:
        'recomputed 74.255258408532…% → 74.26 at the 2 printed decimals (half-up) ≠ stated 74.25%; ' +
        'no input amount was printed in 万元 or 亿元, so the recomputed value is exact, without 74.25%; ' +
        'stated − recomputed = -0.005258408532…%; ' +
        'cut instead of rounded, the recomputed value gives 74.25%: the report truncated',
    });
    expect(checkStatedFigure('111,969.90', 'wan', recomputed('received_total', sixReceipts))).toEqual({
      status: 'within-printed-precision',
      recomputed: '111969.89',
      recomputedYuan: '1119698900.00',
      range: { lower: '111969.86', upper: '111969.92' },
      arithmetic:
        'recomputed 111,969.89 万元 → 111,969.89 at the 2 printed decimals (half-up) ≠ stated 111,969.90 万元; ' +
        'with every printed input ± half its last digit it lies in [111,969.86 万元, 111,969.92 万元], ' +
        'which rounds to [111,969.86, 111,969.92] and holds 111,969.90 万元',
    });
    const match = checkStatedFigure('3.27', 'yi', recomputed('received_total', worked));
    expect(match).toMatchObject({ status: 'match', recomputed: '3.27', recomputedYuan: '327000000.00' });
    expect(match.arithmetic).toBe('recomputed 3.27 亿元 → 3.27 at the 2 printed decimals (half-up) = stated 3.27 亿元');
    const over = checkStatedFigure('75.00', 'percent', workedRate);
    expect(over).toMatchObject({ status: 'mismatch', difference: '1.299694189602' }); // 75 − 7370.03058…/100
    expect(over).not.toHaveProperty('reason');
  });

  it('a rate whose denominator may be zero within printed precision can be any value', () => {
    const unbounded: Recomputed = { unit: 'percent', value: ratio(50n, 1n), range: 'unbounded' };
    expect(checkStatedFigure('50.00', 'percent', unbounded).status).toBe('match');
    expect(checkStatedFigure('900.00', 'percent', unbounded)).toMatchObject({
      status: 'within-printed-precision',
      range: 'unbounded',
    });
  });

  it('refuses a figure stated in a unit of another kind, and a malformed stated value', () => {
    expect(() => checkStatedFigure('73.70', 'wan', workedRate)).toThrow(StatedUnitMismatchError);
    expect(() => checkStatedFigure('3.27', 'percent', recomputed('received_total', worked))).toThrow(StatedUnitMismatchError);
    expect(() => checkStatedFigure('73.7%', 'percent', workedRate)).toThrow(/stated/);
    expect(statedUnitFits('yuan', 'yi')).toBe(true);
    expect(statedUnitFits('quantity', 'count')).toBe(true);
    expect(statedUnitFits('quantity', 'percent')).toBe(false);
  });

  it('not derivable and not keyed carry no recomputed value', () => {
    expect(notDerivable('planned total not recorded')).toEqual({
      status: 'not-derivable',
      recomputed: null,
      reason: 'planned total not recorded',
      arithmetic: 'not derivable: planned total not recorded',
    });
    expect(notKeyed()).toMatchObject({ status: 'not-keyed', recomputed: null });
  });
});

const indicator = [p.registered(), p.targetSet('km', '20'), p.reported('km', '12.5')];

function unprinted(event: EventLike): EventLike {
  const { printed: _printed, ...data } = event.data;
  return { type: event.type, data };
}
