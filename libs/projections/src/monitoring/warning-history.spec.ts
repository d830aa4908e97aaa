import assert from 'node:assert/strict';
import { type WarningSeen, warningId, warningStreamId } from '@fundtrail/funding';
import { TestLedger } from './monitoring.testing';
import { currentStatus, warningHistory, warningStatuses } from './warning-history';

const id = warningId('bond-idle', 'drainage', 'receipt/r-bond');
const seen = (raisedAsOf: string, value: string): WarningSeen => ({
  warningId: id,
  ruleId: 'bond-idle',
  ruleVersion: 1,
  projectId: 'drainage',
  subject: 'receipt/r-bond',
  asOfEffective: '2024-06-10',
  raisedAsOf,
  figure: 'receipt_unspent_rate:r-bond',
  value,
  threshold: '50.00',
});

describe("a warning's history of dispositions", () => {
  const ledger = new TestLedger();
  const officer = { id: 'officer-li', role: 'budget-officer' };
  const auditor = { id: 'auditor-zhao', role: 'auditor' };
  ledger.dispose({ type: 'AcknowledgeWarning', data: { warningId: id }, lookedUp: { warning: seen('2024-05-01', '75.00') } }, '2024-06-10', officer);
  ledger.dispose(
    { type: 'ExplainWarning', data: { warningId: id, note: '征地拆迁滞后' }, lookedUp: { warning: seen('2024-05-01', '75.00') } },
    '2024-06-12',
    auditor,
  );
  ledger.dispose({ type: 'ResolveWarning', data: { warningId: id, note: '9月已支付' }, lookedUp: {} }, '2024-09-20', officer);
  const stream = ledger.stream(warningStreamId(id));

  it('lists what was done, with which note, by whom and when it was recorded, oldest first', () => {
    const { status, occurrence, history } = warningHistory([...stream].reverse());
    assert.deepStrictEqual([status, occurrence], ['resolved', '2024-05-01']);
    assert.deepStrictEqual(
      history.map(({ action, note, actor, at }) => ({ action, note, actor, at })),
      [
        { action: 'acknowledge', note: null, actor: officer, at: stream[0].recordedAt.toISOString() },
        { action: 'explain', note: '征地拆迁滞后', actor: auditor, at: stream[1].recordedAt.toISOString() },
        { action: 'resolve', note: '9月已支付', actor: officer, at: stream[2].recordedAt.toISOString() },
      ],
    );
    assert.deepStrictEqual(history[0].seen, seen('2024-05-01', '75.00'));
    assert.equal(history[2].seen, undefined);
  });

  it('gives each warning its status, for the occurrence its dispositions were about', () => {
    const statuses = warningStatuses(ledger.events);
    assert.deepStrictEqual([...statuses], [[id, { status: 'resolved', occurrence: '2024-05-01' }]]);
    assert.equal(currentStatus(statuses.get(id), '2024-05-01'), 'resolved');
    assert.equal(currentStatus(statuses.get(id), '2024-04-20'), 'resolved'); // the same stretch, seen to begin earlier since
    assert.equal(currentStatus(statuses.get(id), '2024-11-01'), 'open'); // raised again later: a new occurrence
    assert.equal(currentStatus(undefined, '2024-05-01'), 'open');
  });
});
