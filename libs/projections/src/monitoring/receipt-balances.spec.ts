import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { RecordedEvent } from '@fundtrail/event-store';
import { formatYuan } from '@fundtrail/money';
import { projectEvents } from '../figures/figure-events.testing';
import { TestLedger } from './monitoring.testing';
import { receiptBalances } from './receipt-balances';

const p = projectEvents('p');

/** Receipt id → [unspent, [draws as "payment amount" (pooled marked *)]], in order of arrival. */
function balances(events: RecordedEvent[]) {
  return receiptBalances(events).map((balance) => [
    balance.receiptId,
    formatYuan(balance.unspent),
    balance.draws.map((draw) => `${draw.event.data.disbursementId as string} ${formatYuan(draw.amount)}${draw.pooled ? '*' : ''}`),
  ]);
}

describe('receiptBalances (FIFO for payments naming no receipt)', () => {
  it('takes named payments from their receipt, then pooled ones from the oldest receipt with money left', () => {
    const ledger = new TestLedger();
    ledger.project('p', p.received('a', '100.00'), '2024-01-01');
    ledger.project('p', p.received('b', '100.00'), '2024-02-01');
    ledger.project('p', p.received('c', '100.00'), '2024-03-01');
    ledger.project('p', p.disbursed('pooled-1', '130.00'), '2024-03-05');
    // Named after the pooled payment, and still bound to its receipt: the pooled one takes what is left.
    ledger.project('p', p.disbursed('named-a', '60.00', { receiptId: 'a' }), '2024-04-01');
    ledger.project('p', p.disbursed('pooled-2', '20.00'), '2024-04-02');
    // a: 100 − 60 named = 40, pooled-1 takes those 40 and 90 of b; pooled-2 takes b's last 10 and 10 of c.
    assert.deepStrictEqual(balances(ledger.events), [
      ['a', '0.00', ['pooled-1 40.00*', 'named-a 60.00']],
      ['b', '0.00', ['pooled-1 90.00*', 'pooled-2 10.00*']],
      ['c', '90.00', ['pooled-2 10.00*']],
    ]);
  });

  it('orders receipts by arrival (effective date), not by when they were entered', () => {
    const ledger = new TestLedger();
    ledger.project('p', p.received('late-entry', '100.00'), '2024-03-01');
    ledger.project('p', p.received('backdated', '100.00'), '2024-01-15');
    ledger.project('p', p.disbursed('pooled', '50.00'), '2024-03-10');
    assert.deepStrictEqual(balances(ledger.events), [
      ['backdated', '50.00', ['pooled 50.00*']],
      ['late-entry', '100.00', []],
    ]);
  });

  it('leaves corrections out: a reversed payment drew nothing, a reversed receipt held nothing', () => {
    const ledger = new TestLedger();
    const a = p.received('a', '100.00');
    ledger.project('p', a, '2024-01-01');
    ledger.project('p', p.received('b', '100.00'), '2024-01-02');
    const twice = p.disbursed('twice', '70.00');
    ledger.project('p', twice, '2024-01-03');
    ledger.project('p', p.reversed(twice), '2024-01-04');
    ledger.project('p', p.receiptReversed(a), '2024-01-05');
    ledger.project('p', p.disbursed('pooled', '30.00'), '2024-01-06');
    assert.deepStrictEqual(balances(ledger.events), [['b', '70.00', ['pooled 30.00*']]]);
  });

  it('pools a payment naming a receipt that has not arrived by the day asked about, and leaves what no receipt covers undrawn', () => {
    const ledger = new TestLedger();
    ledger.project('p', p.received('a', '100.00'), '2024-01-01');
    ledger.project('p', p.disbursed('names-b', '80.00', { receiptId: 'b' }), '2024-02-01');
    ledger.project('p', p.disbursed('too-much', '50.00'), '2024-02-02');
    assert.deepStrictEqual(balances(ledger.events), [['a', '0.00', ['names-b 80.00*', 'too-much 20.00*']]]);
  });

  it('keeps FIFO and the totals for any receipts and payments', () => {
    const receipt = fc.record({ day: fc.integer({ min: 0, max: 60 }), amount: fc.integer({ min: 1, max: 100_000 }) });
    const payment = fc.record({ day: fc.integer({ min: 0, max: 60 }), share: fc.integer({ min: 1, max: 40 }), names: fc.option(fc.nat(), { nil: undefined }) });
    fc.assert(
      fc.property(fc.array(receipt, { minLength: 1, maxLength: 6 }), fc.array(payment, { maxLength: 8 }), fc.boolean(), (receipts, payments, shuffleEntry) => {
        const ledger = new TestLedger();
        const amounts = receipts.map((r) => BigInt(r.amount) * 100n);
        const entries = receipts.map((r, index) => () => ledger.project('p', p.received(`r${index}`, formatYuan(amounts[index])), dayOf(r.day)));
        // Named payments stay within their receipt, all payments within the total: the rules the decider keeps.
        const named = new Map<number, bigint>();
        let paid = 0n;
        const total = amounts.reduce((a, b) => a + b, 0n);
        payments.forEach((payment, index) => {
          const target = payment.names === undefined ? undefined : payment.names % receipts.length;
          const amount = ((target === undefined ? total : amounts[target]) * BigInt(payment.share)) / 100n;
          if (amount === 0n || paid + amount > total) return;
          if (target !== undefined && (named.get(target) ?? 0n) + amount > amounts[target]) return;
          if (target !== undefined) named.set(target, (named.get(target) ?? 0n) + amount);
          paid += amount;
          entries.push(() =>
            ledger.project('p', p.disbursed(`d${index}`, formatYuan(amount), target === undefined ? {} : { receiptId: `r${target}` }), dayOf(payment.day)),
          );
        });
        (shuffleEntry ? entries.reverse() : entries).forEach((enter) => enter());
        const result = receiptBalances(ledger.events);
        const unspent = result.reduce((sum, balance) => sum + balance.unspent, 0n);
        assert.ok(unspent >= total - paid, 'no payment is drawn twice');
        result.forEach((balance, index) => {
          assert.ok(balance.unspent >= 0n);
          assert.equal(balance.amount - balance.draws.reduce((sum, draw) => sum + draw.amount, 0n), balance.unspent);
          // First in, first out: a pooled payment reaches a receipt only once every earlier one is spent.
          if (balance.draws.some((draw) => draw.pooled)) for (const earlier of result.slice(0, index)) assert.equal(earlier.unspent, 0n);
        });
        // Everything paid is drawn from some receipt when the payments never exceed the receipts.
        assert.equal(unspent, total - paid);
      }),
      { numRuns: 200 },
    );
  });
});

function dayOf(offset: number): string {
  return new Date(Date.UTC(2024, 0, 1 + offset)).toISOString().slice(0, 10);
}
