import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { FundingRuleViolation } from '../shared/funding-rule-violation';
import { spec } from '../testing/decider-spec';
import type { WarningDispositionCommand, WarningSeen } from './warning-disposition.commands';
import { decideWarningDisposition, evolveWarningDisposition, initialWarningDispositionState, type WarningStatus } from './warning-disposition.decider';
import type { WarningAcknowledged, WarningDispositionEvent, WarningExplained, WarningResolved } from './warning-disposition.events';
import { warningId } from './warning-id';

const disposition = spec(decideWarningDisposition, evolveWarningDisposition, initialWarningDispositionState);
const id = warningId('execution-schedule', 'xishan-drainage', 'checkpoint/2024-06-30');
const seen: WarningSeen = {
  warningId: id,
  ruleId: 'execution-schedule',
  ruleVersion: 1,
  projectId: 'xishan-drainage',
  subject: 'checkpoint/2024-06-30',
  asOfEffective: '2024-08-31',
  raisedAsOf: '2024-06-30',
  figure: 'execution_rate',
  value: '41.20',
  threshold: '50.00',
};

const acknowledge = (lookedUp = true): WarningDispositionCommand => ({
  type: 'AcknowledgeWarning',
  data: { warningId: id },
  ...(lookedUp && { lookedUp: { warning: seen } }),
});
const explain = (note: string, lookedUp = true): WarningDispositionCommand => ({
  type: 'ExplainWarning',
  data: { warningId: id, note },
  ...(lookedUp && { lookedUp: { warning: seen } }),
});
const resolve = (note: string, lookedUp = true): WarningDispositionCommand => ({
  type: 'ResolveWarning',
  data: { warningId: id, note },
  ...(lookedUp && { lookedUp: { warning: seen } }),
});

const acknowledged: WarningAcknowledged = { type: 'WarningAcknowledged', data: { warningId: id, seen } };
const explained = (note: string): WarningExplained => ({ type: 'WarningExplained', data: { warningId: id, note, seen } });
const resolved = (note: string): WarningResolved => ({ type: 'WarningResolved', data: { warningId: id, note, seen } });

describe('warning disposition (预警 → 复核 → 整改)', () => {
  it('acknowledges a raised warning, recording what was seen', () => {
    disposition.given([]).when(acknowledge()).then([acknowledged]);
  });

  it('explains after acknowledging, or directly', () => {
    disposition
      .given([acknowledged])
      .when(explain('征地拆迁滞后，9月开工'))
      .then([explained('征地拆迁滞后，9月开工')]);
    disposition
      .given([])
      .when(explain('资金已于9月拨付'))
      .then([explained('资金已于9月拨付')]);
  });

  it('takes a further explanation after one', () => {
    disposition
      .given([explained('first')])
      .when(explain('second'))
      .then([explained('second')]);
  });

  it('resolves from open, acknowledged or explained', () => {
    disposition
      .given([])
      .when(resolve('paid'))
      .then([resolved('paid')]);
    disposition
      .given([acknowledged])
      .when(resolve('paid'))
      .then([resolved('paid')]);
    disposition
      .given([acknowledged, explained('late land')])
      .when(resolve('paid'))
      .then([resolved('paid')]);
  });

  it('refuses to take up a warning that is not raised, or that nobody looked up', () => {
    disposition
      .given([])
      .when({ type: 'AcknowledgeWarning', data: { warningId: id }, lookedUp: {} })
      .thenThrows('WARNING_NOT_FOUND', { field: 'warningId' });
    disposition.given([]).when(acknowledge(false)).thenThrows('WARNING_NOT_FOUND', { field: 'warningId' });
    disposition.given([]).when(resolve('paid', false)).thenThrows('WARNING_NOT_FOUND', { field: 'warningId' });
  });

  it('follows a warning that has since cleared, recording nothing seen', () => {
    disposition
      .given([acknowledged])
      .when(resolve('the money was spent in September', false))
      .then([{ type: 'WarningResolved', data: { warningId: id, note: 'the money was spent in September' } }]);
  });

  it('refuses to acknowledge twice or after an explanation, and anything after resolve', () => {
    disposition
      .given([acknowledged])
      .when(acknowledge())
      .thenThrows('DISPOSITION_NOT_ALLOWED', { message: /is acknowledged/ });
    disposition
      .given([explained('x')])
      .when(acknowledge())
      .thenThrows('DISPOSITION_NOT_ALLOWED');
    for (const command of [acknowledge(), explain('again'), resolve('again')]) {
      disposition
        .given([acknowledged, resolved('done')])
        .when(command)
        .thenThrows('DISPOSITION_NOT_ALLOWED', { message: /is resolved/ });
    }
  });

  it('takes up a warning raised again after it cleared as a new occurrence, open again', () => {
    const again: WarningSeen = { ...seen, asOfEffective: '2024-10-31', raisedAsOf: '2024-10-01', value: '44.00' };
    disposition
      .given([acknowledged, resolved('paid in July')])
      .when({ type: 'AcknowledgeWarning', data: { warningId: id }, lookedUp: { warning: again } })
      .then([{ type: 'WarningAcknowledged', data: { warningId: id, seen: again } }]);
    const state = [acknowledged, resolved('paid in July'), { type: 'WarningAcknowledged', data: { warningId: id, seen: again } } as WarningAcknowledged].reduce(
      evolveWarningDisposition,
      initialWarningDispositionState,
    );
    assert.deepStrictEqual(state, { status: 'acknowledged', occurrence: '2024-10-01' });
  });

  it('keeps a resolution for the same occurrence, even when it is now seen to have begun earlier', () => {
    for (const raisedAsOf of ['2024-06-30', '2024-06-15']) {
      disposition
        .given([acknowledged, resolved('paid')])
        .when({ type: 'ResolveWarning', data: { warningId: id, note: 'again' }, lookedUp: { warning: { ...seen, raisedAsOf } } })
        .thenThrows('DISPOSITION_NOT_ALLOWED', { message: /is resolved/ });
    }
  });

  // The whole transition table, written out: [status reached by the history] x [command] -> allowed.
  const histories: Record<WarningStatus, WarningDispositionEvent[]> = {
    open: [],
    acknowledged: [acknowledged],
    explained: [acknowledged, explained('x')],
    resolved: [resolved('x')],
  };
  const table: Array<[WarningStatus, 'acknowledge' | 'explain' | 'resolve', boolean]> = [
    ['open', 'acknowledge', true],
    ['open', 'explain', true],
    ['open', 'resolve', true],
    ['acknowledged', 'acknowledge', false],
    ['acknowledged', 'explain', true],
    ['acknowledged', 'resolve', true],
    ['explained', 'acknowledge', false],
    ['explained', 'explain', true],
    ['explained', 'resolve', true],
    ['resolved', 'acknowledge', false],
    ['resolved', 'explain', false],
    ['resolved', 'resolve', false],
  ];
  it.each(table)('from %s, %s is allowed: %s', (status, action, allowed) => {
    const command = action === 'acknowledge' ? acknowledge() : action === 'explain' ? explain('n') : resolve('n');
    const state = histories[status].reduce(evolveWarningDisposition, initialWarningDispositionState);
    assert.equal(state.status, status);
    if (allowed) {
      const [event] = decideWarningDisposition(command, state);
      const next = evolveWarningDisposition(state, event).status;
      assert.equal(next, action === 'acknowledge' ? 'acknowledged' : action === 'explain' ? 'explained' : 'resolved');
    } else {
      assert.throws(
        () => decideWarningDisposition(command, state),
        (error: unknown) => error instanceof FundingRuleViolation && error.code === 'DISPOSITION_NOT_ALLOWED',
      );
    }
  });

  it('treats a blank note or a looked-up warning of another id as a bug upstream, not a rule', () => {
    assert.throws(() => decideWarningDisposition(explain('   '), initialWarningDispositionState), RangeError);
    const other = { ...seen, warningId: warningId('execution-schedule', 'another-project', 'checkpoint/2024-06-30') };
    assert.throws(
      () => decideWarningDisposition({ type: 'AcknowledgeWarning', data: { warningId: id }, lookedUp: { warning: other } }, initialWarningDispositionState),
      RangeError,
    );
  });
});

describe('warningId', () => {
  it('is a slug of 32 hex digits that depends on rule, project and subject only', () => {
    assert.match(id, /^w-[0-9a-f]{32}$/);
    assert.equal(warningId('execution-schedule', 'xishan-drainage', 'checkpoint/2024-06-30'), id);
    const others = [
      warningId('execution-schedulf', 'xishan-drainage', 'checkpoint/2024-06-30'),
      warningId('execution-schedule', 'xishan-drainagf', 'checkpoint/2024-06-30'),
      warningId('execution-schedule', 'xishan-drainage', 'checkpoint/2024-09-30'),
      // The parts are not joined with a separator that could shift between them.
      warningId('execution-schedule/xishan', 'drainage', 'checkpoint/2024-06-30'),
    ];
    assert.equal(new Set([id, ...others]).size, 5);
  });

  it('is fixed forever: a stored disposition names it (sha256 of the JSON array of the parts)', () => {
    const text = '["fundtrail/monitoring-warning","execution-schedule","xishan-drainage","checkpoint/2024-06-30"]';
    assert.equal(id, `w-${createHash('sha256').update(text).digest('hex').slice(0, 32)}`);
  });
});
