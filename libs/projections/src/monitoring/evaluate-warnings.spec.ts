import assert from 'node:assert/strict';
import type { RecordedEvent } from '@fundtrail/event-store';
import { type MonitoringRuleDefinition, type ProjectRegistered, type WarningSeen, warningId } from '@fundtrail/funding';
import { projectEvents } from '../figures/figure-events.testing';
import { evaluateWarnings, type MonitoringWarning, type WarningEvaluation } from './evaluate-warnings';
import { TestLedger } from './monitoring.testing';

// ---------------------------------------------------------------------------
// The rules: one of each kind, and a second version of the execution schedule from 1 July.
// ---------------------------------------------------------------------------

const executionSchedule = (june: string): MonitoringRuleDefinition => ({
  ruleId: 'execution-schedule',
  kind: 'execution-lag',
  params: {
    basis: 'received',
    checkpoints: [
      { by: '06-30', minExecutionRate: june },
      { by: '09-30', minExecutionRate: '75.00' },
    ],
  },
});
const bondIdle: MonitoringRuleDefinition = {
  ruleId: 'bond-idle',
  kind: 'idle-funds',
  params: { minUnspentPercent: '50.00', afterDays: 90, sources: ['special-bond'] },
};
const outputSchedule: MonitoringRuleDefinition = { ruleId: 'output-schedule', kind: 'output-lag', params: { points: '20.00' } };
const overArrival: MonitoringRuleDefinition = { ruleId: 'over-arrival', kind: 'over-arrival', params: {} };
const planSchedule: MonitoringRuleDefinition = {
  ruleId: 'plan-schedule',
  kind: 'execution-lag',
  params: { basis: 'planned', checkpoints: [{ by: '06-30', minExecutionRate: '30.00' }] },
  scope: { category: 'drainage' },
};

const registered = (projectId: string, category: string, plannedTotal: string, fiscalYear?: number): ProjectRegistered => ({
  type: 'ProjectRegistered',
  data: { projectId, name: projectId, department: '西山区住房和城乡建设局', category, plannedTotal, ...(fiscalYear !== undefined && { fiscalYear }) },
});

// ---------------------------------------------------------------------------
// The ledger. Three projects:
// - drainage (category drainage, fiscal year 2024, planned 1,000,000): a bond receipt and a district
//   receipt, pooled and named payments, one output indicator at 3 of 10;
// - park (category parks, no fiscal year, planned 500,000 then 700,000): receives more than planned,
//   then less after the plan is revised, then more again;
// - school (category education): planned, an allocation, an indicator without an actual, no money.
// ---------------------------------------------------------------------------

const ledger = new TestLedger();
ledger.postRule(executionSchedule('50.00'), '2024-01-01');
ledger.postRule(bondIdle, '2024-01-01');
ledger.postRule(outputSchedule, '2024-01-01');
ledger.postRule(overArrival, '2024-01-01');
ledger.postRule(planSchedule, '2024-01-01');

const drainage = projectEvents('drainage');
ledger.project('drainage', registered('drainage', 'drainage', '1000000.00', 2024), '2024-01-10');
ledger.project('drainage', drainage.targetSet('pipes', '10'), '2024-01-10');
ledger.project('drainage', drainage.received('r-bond', '600000.00', 'special-bond'), '2024-02-01');
ledger.project('drainage', drainage.received('r-district', '200000.00', 'district-budget'), '2024-03-01');
ledger.project('drainage', drainage.disbursed('d1', '150000.00'), '2024-04-15');
ledger.project('drainage', drainage.disbursed('d2', '100000.00', { receiptId: 'r-district' }), '2024-05-20');
ledger.project('drainage', drainage.reported('pipes', '3'), '2024-06-01');
ledger.project('drainage', drainage.disbursed('d3', '250000.00'), '2024-07-20');

const park = projectEvents('park');
ledger.project('park', registered('park', 'parks', '500000.00'), '2023-11-01');
ledger.project('park', park.received('r1', '300000.00', 'special-bond'), '2023-12-15');
ledger.project('park', park.received('r2', '300000.00', 'central-subsidy'), '2024-01-20');
ledger.project('park', park.disbursed('d1', '100000.00', { receiptId: 'r1' }), '2024-03-01');
ledger.project('park', park.disbursed('d2', '350000.00'), '2024-05-10');
ledger.project('park', park.revised('700000.00'), '2024-07-15');
ledger.project('park', park.received('r3', '400000.00', 'special-bond'), '2024-08-01');

const school = projectEvents('school');
ledger.project('school', registered('school', 'education', '300000.00', 2024), '2024-01-05');
ledger.project('school', school.allocated('a1', '100000.00'), '2024-01-05');
ledger.project('school', school.targetSet('classrooms', '12'), '2024-01-05');

// Dispositions, through their decider, each seeing the warning as the handler would have found it.
const seen = (
  ruleId: string,
  projectId: string,
  subject: string,
  values: Omit<WarningSeen, 'warningId' | 'ruleId' | 'projectId' | 'subject'>,
): WarningSeen => ({
  warningId: warningId(ruleId, projectId, subject),
  ruleId,
  projectId,
  subject,
  ...values,
});
const parkArrival = seen('over-arrival', 'park', 'arrival', {
  ruleVersion: 1,
  asOfEffective: '2024-02-05',
  raisedAsOf: '2024-01-20',
  figure: 'arrival_rate',
  value: '120.00',
  threshold: '100.00',
});
ledger.dispose({ type: 'AcknowledgeWarning', data: { warningId: parkArrival.warningId }, lookedUp: { warning: parkArrival } }, '2024-02-05');
// By 16 July the plan was revised and the warning had cleared: resolved without a warning to see.
ledger.dispose({ type: 'ResolveWarning', data: { warningId: parkArrival.warningId, note: '总投资调整为70万元' }, lookedUp: {} }, '2024-07-16');
const drainageBond = seen('bond-idle', 'drainage', 'receipt/r-bond', {
  ruleVersion: 1,
  asOfEffective: '2024-06-10',
  raisedAsOf: '2024-05-01',
  figure: 'receipt_unspent_rate:r-bond',
  value: '75.00',
  threshold: '50.00',
});
ledger.dispose(
  { type: 'ExplainWarning', data: { warningId: drainageBond.warningId, note: '征地拆迁滞后' }, lookedUp: { warning: drainageBond } },
  '2024-06-10',
  {
    id: 'auditor-zhao',
    role: 'auditor',
  },
);
const drainageSchedule = seen('execution-schedule', 'drainage', 'checkpoint/2024-06-30', {
  ruleVersion: 1,
  asOfEffective: '2024-07-02',
  raisedAsOf: '2024-06-30',
  figure: 'execution_rate',
  value: '31.25',
  threshold: '60.00',
});
ledger.dispose({ type: 'AcknowledgeWarning', data: { warningId: drainageSchedule.warningId }, lookedUp: { warning: drainageSchedule } }, '2024-07-02');

// The schedule tightened from 1 July (posted in June, recorded last of all).
const [scheduleV2] = ledger.postRule(executionSchedule('60.00'), '2024-06-20', '2024-07-01');

const evaluation = (asOfEffective: string, extra: Partial<WarningEvaluation> = {}): WarningEvaluation => ({
  projects: [ledger.monitored('drainage'), ledger.monitored('park'), ledger.monitored('school')],
  ruleEvents: ledger.ruleEvents(),
  dispositionEvents: ledger.dispositionEvents(),
  asOfEffective,
  ...extra,
});

/** The fields a reader checks, in the evaluation's order. */
function summary(warnings: MonitoringWarning[]) {
  return warnings.map(({ ruleId, ruleVersion, projectId, subject, raisedAsOf, figure, value, threshold, status, warningId: id }) => ({
    ruleId,
    ruleVersion,
    projectId,
    subject,
    raisedAsOf,
    figure,
    value,
    threshold,
    status,
    idMatches: id === warningId(ruleId, projectId, subject),
  }));
}

describe('warnings as of 2024-06-30 (the schedule of version 1 in force)', () => {
  const warnings = evaluateWarnings(evaluation('2024-06-30'));

  it('raises exactly these', () => {
    assert.deepStrictEqual(summary(warnings), [
      {
        // r-bond 600,000 arrived 02-01, due 90 days later on 05-01. Payments naming no receipt take
        // the oldest receipt first: d1 150,000 (04-15) from r-bond. d2 names r-district.
        // Unspent 450,000 / 600,000 = 75.00% > 50.00%, and so since 05-01. Explained on 06-10.
        ruleId: 'bond-idle',
        ruleVersion: 1,
        projectId: 'drainage',
        subject: 'receipt/r-bond',
        raisedAsOf: '2024-05-01',
        figure: 'receipt_unspent_rate:r-bond',
        value: '75.00',
        threshold: '50.00',
        status: 'explained',
        idMatches: true,
      },
      {
        // Paid 150,000 + 100,000 of 800,000 received: 31.25% < 50.00% once 06-30 has passed.
        // Acknowledged on 07-02, after the day asked about: open as of 06-30.
        ruleId: 'execution-schedule',
        ruleVersion: 1,
        projectId: 'drainage',
        subject: 'checkpoint/2024-06-30',
        raisedAsOf: '2024-06-30',
        figure: 'execution_rate',
        value: '31.25',
        threshold: '50.00',
        status: 'open',
        idMatches: true,
      },
      {
        // Against the plan: 250,000 / 1,000,000 = 25.00% < 30.00% (scope: category drainage).
        ruleId: 'plan-schedule',
        ruleVersion: 1,
        projectId: 'drainage',
        subject: 'checkpoint/2024-06-30',
        raisedAsOf: '2024-06-30',
        figure: 'planned_execution_rate',
        value: '25.00',
        threshold: '30.00',
        status: 'open',
        idMatches: true,
      },
      {
        // 600,000 received (r1 + r2 on 01-20) against 500,000 planned: 120.00%. Acknowledged 02-05.
        ruleId: 'over-arrival',
        ruleVersion: 1,
        projectId: 'park',
        subject: 'arrival',
        raisedAsOf: '2024-01-20',
        figure: 'arrival_rate',
        value: '120.00',
        threshold: '100.00',
        status: 'acknowledged',
        idMatches: true,
      },
    ]);
    // Not raised: drainage's pipes at 3/10 = 30.00% against 182/366 = 49.73% elapsed − 20 = 29.73;
    // park's execution 450,000 / 600,000 = 75.00%; park's r1, spent by 05-10; the school, with no money.
  });

  it('traces each figure to its events, with signed amounts', () => {
    const idle = warnings.find((warning) => warning.ruleId === 'bond-idle')!;
    assert.deepStrictEqual(
      idle.trace.terms.map((term) => [term.type, term.term, term.signedAmount, term.effectiveDate]),
      [
        ['FundsReceived', 'denominator', '600000.00', '2024-02-01'],
        ['FundsReceived', 'numerator', '600000.00', '2024-02-01'],
        ['DisbursementRecorded', 'numerator', '-150000.00', '2024-04-15'],
      ],
    );
    assert.deepStrictEqual(
      { numerator: idle.trace.numerator, denominator: idle.trace.denominator, receipt: idle.trace.receipt, applied: idle.trace.appliedRuleVersion },
      { numerator: '450000.00', denominator: '600000.00', receipt: { receiptId: 'r-bond', arrived: '2024-02-01', dueFrom: '2024-05-01' }, applied: 1 },
    );
    const schedule = warnings.find((warning) => warning.ruleId === 'execution-schedule')!;
    assert.deepStrictEqual(
      schedule.trace.terms.map((term) => [term.type, term.term, term.signedAmount]),
      [
        ['FundsReceived', 'denominator', '600000.00'],
        ['FundsReceived', 'denominator', '200000.00'],
        ['DisbursementRecorded', 'numerator', '150000.00'],
        ['DisbursementRecorded', 'numerator', '100000.00'],
      ],
    );
    assert.deepStrictEqual(schedule.trace.checkpoint, { date: '2024-06-30', minExecutionRate: '50.00' });
    const plan = warnings.find((warning) => warning.ruleId === 'plan-schedule')!;
    assert.deepStrictEqual(
      plan.trace.terms.map((term) => [term.type, term.term, term.signedAmount]),
      [
        ['ProjectRegistered', 'denominator', '1000000.00'],
        ['DisbursementRecorded', 'numerator', '150000.00'],
        ['DisbursementRecorded', 'numerator', '100000.00'],
      ],
    );
    assert.deepStrictEqual([plan.trace.numerator, plan.trace.denominator, plan.trace.formula], ['250000.00', '1000000.00', 'disbursed_total / planned_total']);
    for (const warning of warnings) for (const term of warning.trace.terms) assert.ok(ledger.events.some((event) => event.eventId === term.eventId));
  });
});

describe('warnings as of 2024-08-31 (the schedule of version 2 in force)', () => {
  const warnings = evaluateWarnings(evaluation('2024-08-31'));

  it('raises exactly these', () => {
    assert.deepStrictEqual(summary(warnings), [
      {
        // 3/10 = 30.00% of the pipes; 244 of 366 days passed = 66.67%, less 20 points = 46.67.
        // Raised on the first day elapsed − 20 exceeded 30.00: day 184 (07-02, 50.27%); on day 183
        // (07-01) elapsed was exactly 50.00%.
        ruleId: 'output-schedule',
        ruleVersion: 1,
        projectId: 'drainage',
        subject: 'indicator/pipes/2024',
        raisedAsOf: '2024-07-02',
        figure: 'output_completion:pipes',
        value: '30.00',
        threshold: '46.67',
        status: 'open',
        idMatches: true,
      },
      {
        // Received 300,000 + 300,000 + 400,000 (r3 on 08-01), paid 450,000: 45.00% < 60.00% (version 2).
        // Before 08-01 it stood at 75.00%: raised on 08-01, under version 2.
        ruleId: 'execution-schedule',
        ruleVersion: 2,
        projectId: 'park',
        subject: 'checkpoint/2024-06-30',
        raisedAsOf: '2024-08-01',
        figure: 'execution_rate',
        value: '45.00',
        threshold: '60.00',
        status: 'open',
        idMatches: true,
      },
      {
        // 1,000,000 received against the revised 700,000: 142.86%. It cleared on 07-15 (85.71%) and
        // was raised again on 08-01: a new occurrence, open again though the first was resolved.
        ruleId: 'over-arrival',
        ruleVersion: 1,
        projectId: 'park',
        subject: 'arrival',
        raisedAsOf: '2024-08-01',
        figure: 'arrival_rate',
        value: '142.86',
        threshold: '100.00',
        status: 'open',
        idMatches: true,
      },
    ]);
    // Not raised: drainage's execution 500,000 / 800,000 = 62.50% ≥ 60; r-bond with d1 and d3 pooled
    // on it, 200,000 / 600,000 = 33.33% unspent; against the plan 50.00% ≥ 30; park's r3 due on 10-30.
  });

  it('names the elapsed share behind an output warning', () => {
    const output = warnings.find((warning) => warning.ruleId === 'output-schedule')!;
    assert.deepStrictEqual(output.trace.elapsed, { fiscalYear: 2024, daysPassed: 244, daysInYear: 366, percent: '66.67', points: '20.00' });
    assert.deepStrictEqual(
      output.trace.terms.map((term) => [term.type, term.term, term.signedAmount]),
      [
        ['OutputTargetSet', 'denominator', '10'],
        ['OutputReported', 'numerator', '3'],
      ],
    );
  });
});

describe('rule versions', () => {
  it('leaves a warning that held across a rule change with the version that raised it, at the new limit', () => {
    // 07-10: drainage still at 31.25%. Under version 1 from 06-30, under version 2 (60%) from 07-01.
    const [warning] = evaluateWarnings(evaluation('2024-07-10')).filter((w) => w.projectId === 'drainage' && w.ruleId === 'execution-schedule');
    assert.deepStrictEqual(
      [warning.ruleVersion, warning.raisedAsOf, warning.value, warning.threshold, warning.trace.appliedRuleVersion, warning.status],
      [1, '2024-06-30', '31.25', '60.00', 2, 'acknowledged'],
    );
  });

  it('keeps the warnings of earlier days as their versions raised them once a new version is posted', () => {
    const before = evaluateWarnings(evaluation('2024-06-30', { knownAt: { position: scheduleV2.globalPosition - 1n } }));
    assert.deepStrictEqual(evaluateWarnings(evaluation('2024-06-30')), before);
  });

  it('shows the rules as they were known: before version 2 was recorded, park is held to 50%', () => {
    const known = evaluateWarnings(evaluation('2024-08-31', { knownAt: { position: scheduleV2.globalPosition - 1n } }));
    const parkSchedule = known.find((warning) => warning.projectId === 'park' && warning.ruleId === 'execution-schedule')!;
    assert.deepStrictEqual([parkSchedule.ruleVersion, parkSchedule.value, parkSchedule.threshold], [1, '45.00', '50.00']);
    // Drainage at 62.50% was under 60% only from 07-01 to 07-19 under version 2; under version 1 it passes.
    assert.equal(known.filter((warning) => warning.projectId === 'drainage' && warning.ruleId === 'execution-schedule').length, 0);
  });

  it('cuts facts by recording time too: as known on a day, later entries are left out', () => {
    const r3 = ledger.stream('project-park').find((event) => event.data.receiptId === 'r3')!;
    const known = evaluateWarnings(evaluation('2024-08-31', { knownAt: { recordedAt: new Date(r3.recordedAt.getTime() - 1) } }));
    // Without r3, park received 600,000 against 700,000 and paid 75.00%: neither warning.
    assert.equal(known.filter((warning) => warning.projectId === 'park').length, 0);
  });
});

describe('warning ids', () => {
  it('are the same on every evaluation, for every version, and for a copy of the log (a rebuild)', () => {
    const ids = (warnings: MonitoringWarning[]) => warnings.map((warning) => `${warning.projectId} ${warning.ruleId} ${warning.subject} ${warning.warningId}`);
    const drainageScheduleId = warningId('execution-schedule', 'drainage', 'checkpoint/2024-06-30');
    const atJune = evaluateWarnings(evaluation('2024-06-30'));
    const atJuly = evaluateWarnings(evaluation('2024-07-10'));
    assert.equal(atJune.find((w) => w.ruleId === 'execution-schedule')!.warningId, drainageScheduleId);
    assert.equal(atJuly.find((w) => w.ruleId === 'execution-schedule' && w.projectId === 'drainage')!.warningId, drainageScheduleId);
    // The park's over-arrival: one id for both occurrences.
    const parkId = warningId('over-arrival', 'park', 'arrival');
    assert.equal(atJune.find((w) => w.projectId === 'park')!.warningId, parkId);
    assert.equal(evaluateWarnings(evaluation('2024-08-31')).find((w) => w.ruleId === 'over-arrival')!.warningId, parkId);

    const copy = (events: RecordedEvent[]) => structuredClone(events);
    const rebuilt = evaluateWarnings({
      projects: ['school', 'park', 'drainage'].map((id) => ({ projectId: id, events: copy(ledger.monitored(id).events as RecordedEvent[]) })),
      ruleEvents: copy(ledger.ruleEvents()).reverse(),
      dispositionEvents: copy(ledger.dispositionEvents()).reverse(),
      asOfEffective: '2024-08-31',
    });
    assert.deepStrictEqual(rebuilt, evaluateWarnings(evaluation('2024-08-31')));
    assert.deepStrictEqual(ids(rebuilt), ids(evaluateWarnings(evaluation('2024-08-31'))));
  });
});

describe('a warning that cleared', () => {
  it('is listed on the days it held and not after', () => {
    // park r1: 300,000 on 2023-12-15, due 2024-03-14; d1 100,000 named it on 03-01, so 200,000 /
    // 300,000 = 66.67% unspent until d2 (05-10, 350,000, names none) took the 200,000 left, oldest first.
    const parkIdle = (date: string) => evaluateWarnings(evaluation(date)).filter((w) => w.projectId === 'park' && w.ruleId === 'bond-idle');
    assert.deepStrictEqual(summary(parkIdle('2024-04-30')), [
      {
        ruleId: 'bond-idle',
        ruleVersion: 1,
        projectId: 'park',
        subject: 'receipt/r1',
        raisedAsOf: '2024-03-14',
        figure: 'receipt_unspent_rate:r1',
        value: '66.67',
        threshold: '50.00',
        status: 'open',
        idMatches: true,
      },
    ]);
    assert.deepStrictEqual(parkIdle('2024-03-13'), []);
    assert.equal(parkIdle('2024-05-09').length, 1);
    assert.deepStrictEqual(parkIdle('2024-05-10'), []);
  });
});

describe('scope', () => {
  it('selects by the context the stream records, or the one the caller gives', () => {
    const planWarnings = (context?: { category: string }) =>
      evaluateWarnings({ ...evaluation('2024-06-30'), projects: [ledger.monitored('school', context)] }).filter(
        (warning) => warning.ruleId === 'plan-schedule',
      );
    // The school is in education: the drainage-only rule leaves it alone.
    assert.deepStrictEqual(planWarnings(), []);
    // Counted as drainage, it has paid nothing of its 300,000 plan: 0.00% < 30.00% from 06-30.
    assert.deepStrictEqual(
      planWarnings({ category: 'drainage' }).map(({ subject, raisedAsOf, value, threshold }) => ({ subject, raisedAsOf, value, threshold })),
      [{ subject: 'checkpoint/2024-06-30', raisedAsOf: '2024-06-30', value: '0.00', threshold: '30.00' }],
    );
  });
});

describe('execution-lag bases', () => {
  it('measures payments against what was received, allocated or planned, as the rule says', () => {
    const ledger = new TestLedger();
    const basis = (ruleId: string, chosen: 'received' | 'allocated' | 'planned'): MonitoringRuleDefinition => ({
      ruleId,
      kind: 'execution-lag',
      params: { basis: chosen, checkpoints: [{ by: '06-30', minExecutionRate: '30.00' }] },
    });
    ledger.postRule(basis('by-received', 'received'), '2024-01-01');
    ledger.postRule(basis('by-allocated', 'allocated'), '2024-01-01');
    ledger.postRule(basis('by-planned', 'planned'), '2024-01-01');
    const q = projectEvents('q');
    ledger.project('q', q.registered('400000.00'), '2024-01-02');
    ledger.project('q', q.allocated('a', '100000.00'), '2024-01-02');
    ledger.project('q', q.received('r', '50000.00', 'district-budget'), '2024-02-01');
    ledger.project('q', q.disbursed('d', '20000.00'), '2024-03-01');
    const warnings = evaluateWarnings({ projects: [ledger.monitored('q')], ruleEvents: ledger.ruleEvents(), asOfEffective: '2024-07-01' });
    // Received: 20,000 / 50,000 = 40.00% ≥ 30. Allocated: 20,000 / 100,000 = 20.00%. Planned: 20,000 / 400,000 = 5.00%.
    assert.deepStrictEqual(
      warnings.map(({ ruleId, figure, value, threshold }) => [ruleId, figure, value, threshold]),
      [
        ['by-allocated', 'allocation_execution_rate', '20.00', '30.00'],
        ['by-planned', 'planned_execution_rate', '5.00', '30.00'],
      ],
    );
  });
});
