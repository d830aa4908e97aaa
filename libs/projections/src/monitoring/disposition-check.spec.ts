import assert from 'node:assert/strict';
import { type WarningSeen, warningId, warningStreamId } from '@fundtrail/funding';
import { DispositionCheck } from './disposition-check';
import { TestLedger } from './monitoring.testing';

const id = warningId('bond-idle', 'drainage', 'receipt/r-bond');
const seen: WarningSeen = {
  warningId: id,
  ruleId: 'bond-idle',
  ruleVersion: 1,
  projectId: 'drainage',
  subject: 'receipt/r-bond',
  asOfEffective: '2024-06-10',
  raisedAsOf: '2024-05-01',
  figure: 'receipt_unspent_rate:r-bond',
  value: '75.00',
  threshold: '50.00',
};

/** A ledger whose warning went through the workflow: acknowledged, explained, resolved. */
function workflow(): TestLedger {
  const ledger = new TestLedger();
  ledger.dispose({ type: 'AcknowledgeWarning', data: { warningId: id }, lookedUp: { warning: seen } }, '2024-06-10');
  ledger.dispose({ type: 'ExplainWarning', data: { warningId: id, note: '征地拆迁滞后' }, lookedUp: { warning: seen } }, '2024-06-12');
  ledger.dispose({ type: 'ResolveWarning', data: { warningId: id, note: '9月已支付' }, lookedUp: {} }, '2024-09-20');
  return ledger;
}

function check(ledger: TestLedger) {
  const dispositions = new DispositionCheck();
  for (const event of ledger.events) dispositions.observe(event);
  return dispositions.report();
}

describe('verify: every disposition replayed through the workflow', () => {
  it('passes a stream the workflow wrote, and counts warnings and dispositions', () => {
    assert.deepStrictEqual(check(workflow()), { ok: true, warnings: 1, dispositions: 3, problems: [] });
  });

  it('ignores every other stream', () => {
    const ledger = workflow();
    ledger.project('drainage', { type: 'ProjectRegistered', data: { projectId: 'drainage', name: '排水' } }, '2024-01-01');
    assert.equal(check(ledger).dispositions, 3);
  });

  it('names an acknowledgement written after the resolution', () => {
    const ledger = workflow();
    const forged = ledger.record(warningStreamId(id), { type: 'WarningAcknowledged', data: { warningId: id } }, '2024-09-21');
    const report = check(ledger);
    assert.equal(report.ok, false);
    assert.deepStrictEqual(
      report.problems.map(({ eventId, problem }) => ({ eventId, problem })),
      [{ eventId: forged.eventId, problem: 'not-allowed' }],
    );
  });

  it("names a first disposition of a warning nobody saw raised (no seen), and one filed under another warning's stream", () => {
    const ledger = new TestLedger();
    ledger.record(warningStreamId(id), { type: 'WarningExplained', data: { warningId: id, note: '无' } }, '2024-06-10');
    ledger.record(warningStreamId(warningId('other', 'drainage', 'arrival')), { type: 'WarningAcknowledged', data: { warningId: id, seen } }, '2024-06-10');
    assert.deepStrictEqual(
      check(ledger).problems.map((p) => p.problem),
      ['not-allowed', 'wrong-stream'],
    );
  });

  it('names a stored event that differs from what the decider records (a field it never writes, a blank note, an unknown type)', () => {
    const ledger = new TestLedger();
    ledger.record(warningStreamId(id), { type: 'WarningAcknowledged', data: { warningId: id, seen, actor: 'officer-li' } }, '2024-06-10');
    ledger.record(warningStreamId(id), { type: 'WarningExplained', data: { warningId: id, note: ' ', seen } }, '2024-06-10');
    ledger.record(warningStreamId(id), { type: 'WarningDeleted', data: { warningId: id } }, '2024-06-11');
    assert.deepStrictEqual(
      check(ledger).problems.map((p) => p.problem),
      ['not-as-decided', 'not-allowed', 'unknown-type'],
    );
  });
});
