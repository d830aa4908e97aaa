import type { RecordedEvent } from '@fundtrail/event-store';
import { projectEvents, recordedStream } from '../figures/figure-events.testing';
import { restate } from './restatement';
import { ProjectAbsent } from './project-at';

const e = projectEvents('p');
/** Events placed in time: each recorded at its instant, effective on its day. */
function placed(entries: Array<[ReturnType<(typeof e)[keyof typeof e]>, string, string]>): RecordedEvent[] {
  return recordedStream(
    'project-p',
    entries.map(([event]) => event as never),
  ).map((event, i) => ({ ...event, recordedAt: new Date(entries[i][1]), metadata: { ...event.metadata, effectiveDate: entries[i][2] } }));
}

const r3 = e.received('r3', '200.00', 'district-budget');
const stream = placed([
  [e.registered('1000.00'), '2024-01-02T02:00:00Z', '2024-01-02'],
  [e.received('r1', '500.00', 'district-budget'), '2024-03-01T02:00:00Z', '2024-03-01'],
  [r3, '2024-04-01T02:00:00Z', '2024-04-01'],
  [e.disbursed('d1', '100.00', { receiptId: 'r1' }), '2024-08-10T02:00:00Z', '2024-08-10'],
  // Known at 2024-09-05: the report for 2024-08-31 is written here.
  [e.disbursed('d2', '150.00', { receiptId: 'r1' }), '2024-09-20T02:00:00Z', '2024-08-25'],
  [e.received('r2', '300.00', 'district-budget'), '2024-09-21T02:00:00Z', '2024-08-30'],
  // A receipt nothing was drawn from, taken back late (one that was drawn from cannot be).
  [e.receiptReversed(r3), '2024-09-22T02:00:00Z', '2024-08-31'],
]);
const knownAt = { recordedAt: new Date('2024-09-05T10:00:00Z') };

describe('restatement', () => {
  it('then, now and the late terms of the figure only', () => {
    const found = restate('received_total', stream, '2024-08-31', knownAt);
    expect(found).toMatchObject({ then: { value: '700.00' }, now: { value: '800.00' } });
    // r2 and r3's reversal came late; d2 is no term of received_total.
    expect(found instanceof ProjectAbsent || found === undefined ? undefined : found.changedBy.map((t) => [t.type, t.signedAmount])).toEqual([
      ['FundsReceived', '300.00'],
      ['ReceiptReversed', '-200.00'],
    ]);
  });

  it('a figure that appeared since has then null; one that dropped out has now null', () => {
    const appeared = restate('receipt_usage_rate:r2', stream, '2024-08-31', knownAt);
    expect(appeared).toMatchObject({ then: null, now: { value: '0.00' } });
    const dropped = restate('receipt_usage_rate:r3', stream, '2024-08-31', knownAt);
    expect(dropped).toMatchObject({ then: { value: '0.00' }, now: null, changedBy: [] });
    const drawn = restate('receipt_usage_rate:r1', stream, '2024-08-31', knownAt);
    expect(drawn).toMatchObject({ then: { value: '20.00' }, now: { value: '50.00' } });
    expect(drawn instanceof ProjectAbsent || drawn === undefined ? undefined : drawn.changedBy.map((t) => [t.type, t.term, t.signedAmount])).toEqual([
      ['DisbursementRecorded', 'numerator', '150.00'],
    ]);
    expect(restate('receipt_usage_rate:r9', stream, '2024-08-31', knownAt)).toBeUndefined();
  });

  it('nothing recorded for the day by then is not-yet; a day before the project too', () => {
    expect(restate('received_total', stream, '2024-08-31', { recordedAt: new Date('2023-12-31T00:00:00Z') })).toBe(ProjectAbsent.NOT_YET_RECORDED);
    expect(restate('received_total', stream, '2023-12-31', { position: 999n })).toBe(ProjectAbsent.NOT_YET_RECORDED);
  });
});
