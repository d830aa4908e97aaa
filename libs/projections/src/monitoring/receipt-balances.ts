import type { RecordedEvent } from '@fundtrail/event-store';
import type { FundingSource } from '@fundtrail/funding';
import { parseYuan } from '@fundtrail/money';

/** One payment's part in a receipt's spending: all of a payment that names the receipt, or the FIFO share of one that names none. */
export interface ReceiptDraw {
  event: RecordedEvent;
  /** Fen. */
  amount: bigint;
  pooled: boolean;
}

/** A receipt in force, what was drawn from it and what is left (fen). */
export interface ReceiptBalance {
  receiptId: string;
  source: FundingSource;
  /** The day it arrived: its effective date. */
  arrived: string;
  amount: bigint;
  event: RecordedEvent;
  draws: ReceiptDraw[];
  unspent: bigint;
}

/**
 * What is left of each receipt of a project's events (the part of its stream the caller chose: as of
 * a date). The figures know what was drawn from a receipt by name (receipt_usage_rate); what is left
 * of it also depends on the payments that name no receipt, which the figures pool. Those draw on the
 * receipts in order of arrival (FIFO), after the payments that name each one: a named payment is
 * bound to its receipt whenever it was made, a pooled one can only take what is left. Corrections
 * drop out: a reversed receipt held nothing, a reversed payment drew nothing. A payment naming a
 * receipt not in force (not arrived as of the date) is pooled. Receipts in order of arrival:
 * effective date, then position in the log.
 */
export function receiptBalances(events: readonly RecordedEvent[]): ReceiptBalance[] {
  const amountOf = (event: RecordedEvent): bigint => {
    let amount = amounts.get(event);
    if (amount === undefined) amounts.set(event, (amount = parseYuan(event.data.amount)));
    return amount;
  };
  const receipts = new Map<string, ReceiptBalance>();
  const payments = new Map<string, { event: RecordedEvent; amount: bigint; receiptId?: string }>();
  for (const event of events) {
    const data = event.data;
    switch (event.type) {
      case 'FundsReceived':
        receipts.set(data.receiptId as string, {
          receiptId: data.receiptId as string,
          source: data.source as FundingSource,
          arrived: event.metadata.effectiveDate,
          amount: amountOf(event),
          event,
          draws: [],
          unspent: 0n,
        });
        break;
      case 'ReceiptReversed':
        receipts.delete(data.receiptId as string);
        break;
      case 'DisbursementRecorded':
        payments.set(data.disbursementId as string, {
          event,
          amount: amountOf(event),
          ...(typeof data.receiptId === 'string' && { receiptId: data.receiptId }),
        });
        break;
      case 'DisbursementReversed':
        payments.delete(data.disbursementId as string);
        break;
    }
  }
  const inArrivalOrder = [...receipts.values()].sort((a, b) => byDayThenPosition(a.event, b.event));
  for (const receipt of inArrivalOrder) receipt.unspent = receipt.amount;

  const pooled: { event: RecordedEvent; amount: bigint }[] = [];
  for (const payment of payments.values()) {
    const receipt = payment.receiptId === undefined ? undefined : receipts.get(payment.receiptId);
    if (receipt === undefined) {
      pooled.push(payment);
      continue;
    }
    receipt.draws.push({ event: payment.event, amount: payment.amount, pooled: false });
    receipt.unspent -= payment.amount;
  }
  pooled.sort((a, b) => byDayThenPosition(a.event, b.event));
  let next = 0;
  for (const payment of pooled) {
    let owed = payment.amount;
    while (owed > 0n && next < inArrivalOrder.length) {
      const receipt = inArrivalOrder[next];
      const share = receipt.unspent < owed ? receipt.unspent : owed;
      if (share > 0n) {
        receipt.draws.push({ event: payment.event, amount: share, pooled: true });
        receipt.unspent -= share;
        owed -= share;
      }
      if (receipt.unspent <= 0n) next += 1;
    }
    // What no receipt can cover (a payment dated before the money it spent) is left undrawn.
  }
  for (const receipt of inArrivalOrder) receipt.draws.sort((a, b) => byDayThenPosition(a.event, b.event));
  return inArrivalOrder;
}

/** Stored events never change: their amounts are parsed once, however many days a rule looks at them. */
const amounts = new WeakMap<RecordedEvent, bigint>();

function byDayThenPosition(a: RecordedEvent, b: RecordedEvent): number {
  const day = a.metadata.effectiveDate < b.metadata.effectiveDate ? -1 : a.metadata.effectiveDate > b.metadata.effectiveDate ? 1 : 0;
  if (day !== 0) return day;
  return a.globalPosition < b.globalPosition ? -1 : a.globalPosition > b.globalPosition ? 1 : 0;
}
