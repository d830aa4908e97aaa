import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { RecordedEvent } from '@fundtrail/event-store';
import { DEFAULT_MONITORING_RULES, type MonitoringRuleDefinition } from '@fundtrail/funding';
import { formatYuan } from '@fundtrail/money';
import { projectEvents } from '../figures/figure-events.testing';
import { evaluateWarnings, type MonitoredProject, type WarningEvaluation } from './evaluate-warnings';
import { addDays } from './fiscal-calendar';
import { TestLedger } from './monitoring.testing';

// Random ledgers: a few projects with receipts, payments (named or not), a plan revision and an
// indicator, dated between 2023-07-01 and 2024-12-22, recorded in a shuffled order; the default rules
// from 2023, and a second version of two of them from a random day.

const FIRST_DAY = '2023-07-01';
const day = fc.integer({ min: 0, max: 540 });
const dateOf = (offset: number) => addDays(FIRST_DAY, offset);

const projectArbitrary = fc.record({
  planned: fc.option(fc.integer({ min: 1, max: 2000 }), { nil: undefined }),
  fiscalYear: fc.option(fc.constantFrom(2023, 2024), { nil: undefined }),
  receipts: fc.array(fc.record({ day, amount: fc.integer({ min: 1, max: 1000 }), bond: fc.boolean() }), { maxLength: 4 }),
  payments: fc.array(fc.record({ day, share: fc.integer({ min: 1, max: 60 }), names: fc.option(fc.nat(), { nil: undefined }) }), { maxLength: 5 }),
  revision: fc.option(fc.record({ day, planned: fc.integer({ min: 1, max: 2000 }) }), { nil: undefined }),
  indicator: fc.option(fc.record({ target: fc.integer({ min: 1, max: 100 }), actual: fc.integer({ min: 0, max: 100 }), day }), { nil: undefined }),
});
type ProjectPlan = typeof projectArbitrary extends fc.Arbitrary<infer T> ? T : never;

const ledgerArbitrary = fc.record({
  projects: fc.array(projectArbitrary, { minLength: 1, maxLength: 3 }),
  secondVersionDay: day,
  secondJune: fc.integer({ min: 10, max: 90 }),
  secondPoints: fc.integer({ min: 0, max: 40 }),
  shuffle: fc.integer({ min: 1, max: 2 ** 31 - 2 }),
  asOf: day,
});

function build(plan: typeof ledgerArbitrary extends fc.Arbitrary<infer T> ? T : never) {
  const ledger = new TestLedger();
  for (const { rule } of DEFAULT_MONITORING_RULES) ledger.postRule(rule, '2023-01-01');
  const entries: Array<() => void> = [];
  plan.projects.forEach((project, index) => entries.push(...projectEntries(ledger, `p${index}`, project)));
  for (const enter of shuffled(entries, plan.shuffle)) enter();
  // Version 2 of the schedule and of the output rule, posted last, in force from a random day.
  const schedule = DEFAULT_MONITORING_RULES[0].rule as Extract<MonitoringRuleDefinition, { kind: 'execution-lag' }>;
  ledger.postRule(
    {
      ...schedule,
      params: { ...schedule.params, checkpoints: [{ by: '06-30', minExecutionRate: `${plan.secondJune}.00` }, ...schedule.params.checkpoints.slice(1)] },
    },
    '2024-01-01',
    dateOf(plan.secondVersionDay),
  );
  ledger.postRule(
    { ruleId: 'output-schedule', kind: 'output-lag', params: { points: `${plan.secondPoints}.00` } },
    '2024-01-01',
    dateOf(plan.secondVersionDay),
  );
  const projects: MonitoredProject[] = plan.projects.map((_, index) => ledger.monitored(`p${index}`));
  return { ledger, projects };
}

function projectEntries(ledger: TestLedger, projectId: string, plan: ProjectPlan): Array<() => void> {
  const p = projectEvents(projectId);
  const yuan = (thousands: number | bigint) => formatYuan(BigInt(thousands) * 100_000n);
  const entries: Array<() => void> = [
    () =>
      ledger.project(
        projectId,
        {
          type: 'ProjectRegistered',
          data: {
            projectId,
            name: projectId,
            category: 'drainage',
            ...(plan.planned !== undefined && { plannedTotal: yuan(plan.planned) }),
            ...(plan.fiscalYear !== undefined && { fiscalYear: plan.fiscalYear }),
          },
        },
        FIRST_DAY,
      ),
  ];
  const amounts = plan.receipts.map((receipt) => BigInt(receipt.amount) * 100_000n);
  plan.receipts.forEach((receipt, index) =>
    entries.push(() =>
      ledger.project(projectId, p.received(`r${index}`, formatYuan(amounts[index]), receipt.bond ? 'special-bond' : 'district-budget'), dateOf(receipt.day)),
    ),
  );
  // Payments within their receipt and within the total, as the decider keeps them.
  const total = amounts.reduce((a, b) => a + b, 0n);
  const named = new Map<number, bigint>();
  let paid = 0n;
  plan.payments.forEach((payment, index) => {
    const target = payment.names === undefined || amounts.length === 0 ? undefined : payment.names % amounts.length;
    const amount = ((target === undefined ? total : amounts[target]) * BigInt(payment.share)) / 100n;
    if (amount === 0n || paid + amount > total || (target !== undefined && (named.get(target) ?? 0n) + amount > amounts[target])) return;
    if (target !== undefined) named.set(target, (named.get(target) ?? 0n) + amount);
    paid += amount;
    entries.push(() =>
      ledger.project(projectId, p.disbursed(`d${index}`, formatYuan(amount), target === undefined ? {} : { receiptId: `r${target}` }), dateOf(payment.day)),
    );
  });
  if (plan.revision !== undefined) {
    const { day: revised, planned } = plan.revision;
    entries.push(() => ledger.project(projectId, p.revised(yuan(planned)), dateOf(revised)));
  }
  if (plan.indicator !== undefined) {
    const { target, actual, day: reported } = plan.indicator;
    entries.push(() => ledger.project(projectId, p.targetSet('output', String(target)), FIRST_DAY));
    entries.push(() => ledger.project(projectId, p.reported('output', String(actual)), dateOf(reported)));
  }
  return entries;
}

/** A fixed permutation for a seed (Park–Miller), so a failing case replays. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const copy = [...items];
  let state = seed;
  for (let index = copy.length - 1; index > 0; index -= 1) {
    state = (state * 48271) % 2147483647;
    const other = state % (index + 1);
    [copy[index], copy[other]] = [copy[other], copy[index]];
  }
  return copy;
}

describe('warning evaluation, for any ledger', () => {
  it('is deterministic and does not depend on the order of its inputs', () => {
    fc.assert(
      fc.property(ledgerArbitrary, (plan) => {
        const { ledger, projects } = build(plan);
        const evaluation: WarningEvaluation = { projects, ruleEvents: ledger.ruleEvents(), asOfEffective: dateOf(plan.asOf) };
        const warnings = evaluateWarnings(evaluation);
        assert.deepStrictEqual(evaluateWarnings(evaluation), warnings);
        const reordered = evaluateWarnings({
          projects: shuffled(projects, plan.shuffle + 1).map((project) => ({
            ...project,
            events: shuffled(project.events as RecordedEvent[], plan.shuffle + 2),
          })),
          ruleEvents: shuffled(ledger.ruleEvents(), plan.shuffle + 3),
          asOfEffective: dateOf(plan.asOf),
        });
        assert.deepStrictEqual(reordered, warnings);
      }),
      { numRuns: 60 },
    );
  });

  it('raises each warning on the day it says, and on every day since, and not the day before', () => {
    fc.assert(
      fc.property(ledgerArbitrary, fc.double({ min: 0, max: 1, noNaN: true }), (plan, where) => {
        const { ledger, projects } = build(plan);
        const at = (asOfEffective: string) => evaluateWarnings({ projects, ruleEvents: ledger.ruleEvents(), asOfEffective });
        const date = dateOf(plan.asOf);
        for (const warning of at(date)) {
          const same = (date_: string) => at(date_).find((other) => other.warningId === warning.warningId);
          const first = same(warning.raisedAsOf);
          assert.ok(first, `${warning.warningId} (${warning.ruleId} ${warning.projectId} ${warning.subject}) holds on ${warning.raisedAsOf}`);
          assert.deepStrictEqual([first.raisedAsOf, first.ruleVersion], [warning.raisedAsOf, warning.ruleVersion]);
          assert.equal(
            same(addDays(warning.raisedAsOf, -1)),
            undefined,
            `${warning.ruleId} ${warning.subject} did not hold the day before ${warning.raisedAsOf}`,
          );
          const span = (Date.parse(date) - Date.parse(warning.raisedAsOf)) / 86_400_000;
          const between = addDays(warning.raisedAsOf, Math.floor(span * where));
          assert.deepStrictEqual(
            [same(between)?.raisedAsOf, same(between)?.ruleVersion],
            [warning.raisedAsOf, warning.ruleVersion],
            `${warning.ruleId} ${warning.subject} held on ${between}`,
          );
        }
      }),
      { numRuns: 60 },
    );
  });
});
