import type { RecordedEvent } from '@fundtrail/event-store';
import { formatWanDisplay, formatYuanDisplay, parseYuan } from '@fundtrail/money';
import { figureDefinition, type FigureTrace, type TermUnit } from '../figures';

/**
 * A recomputed figure with every addend, each named by what it comes from:
 * "received_total = 650,000,000.00 (receipt from bond …) + … = 1,119,698,900.00 元 (111,969.89 万元)",
 * or for a rate "execution_rate = (a + b = n 元) / (c + d = d 元)".
 */
export function traceArithmetic(trace: FigureTrace, termUnit: TermUnit, events: readonly RecordedEvent[]): string {
  const byId = new Map(events.map((event) => [event.eventId, event]));
  const money = termUnit === 'fen';
  const show = (text: string) => (money ? formatYuanDisplay(parseYuan(text, { allowZero: true, allowNegative: true })) : text);
  const unit = money ? ' 元' : '';
  const addend = (t: FigureTrace['terms'][number], first: boolean): string => {
    const negative = t.signedAmount.startsWith('-');
    const amount = show(negative ? t.signedAmount.slice(1) : t.signedAmount);
    const sign = first ? (negative ? '−' : '') : negative ? ' − ' : ' + ';
    return `${sign}${amount} (${origin(byId.get(t.eventId), t.type)})`;
  };
  const term = (which: 'numerator' | 'denominator', bracket: boolean): string => {
    const lines = trace.terms.filter((t) => t.term === which && t.effective);
    const total = which === 'numerator' ? trace.numerator : trace.denominator;
    const reasons = figureDefinition(trace.key)?.reasons;
    if (total === null || total === undefined) {
      return which === 'denominator' ? (reasons?.denominatorUnknown ?? 'not recorded') : (reasons?.numeratorUnknown ?? 'not recorded');
    }
    if (lines.length === 0) return `${show(total)}${unit} (no event)`;
    const sum = lines.map((t, i) => addend(t, i === 0)).join('');
    if (lines.length === 1) return sum.replace(/ \(/, `${unit} (`);
    return bracket ? `(${sum} = ${show(total)}${unit})` : `${sum} = ${show(total)}${unit}`;
  };
  if (trace.unit !== 'percent') {
    const text = term('numerator', false);
    if (trace.numerator === null) return `${trace.key}: ${text}`;
    if (!money) return `${trace.key} = ${text}`;
    const total = parseYuan(trace.numerator, { allowZero: true, allowNegative: true });
    const single = trace.terms.filter((t) => t.term === 'numerator' && t.effective).length <= 1;
    const wan = `${formatWanDisplay(total)} 万元`;
    return single ? `${trace.key} = ${text} = ${wan}` : `${trace.key} = ${text} (${wan})`;
  }
  return `${trace.key} = ${term('numerator', true)} / ${term('denominator', true)}`;
}

/** What an event is, in a few words: the receipt, disbursement, allocation or indicator it records. */
function origin(event: RecordedEvent | undefined, type: string): string {
  const data = event?.data ?? {};
  switch (type) {
    case 'FundsReceived':
      return data.bondId ? `receipt from bond ${String(data.bondId)}` : `receipt ${String(data.receiptId)}, ${String(data.source)}`;
    case 'DisbursementRecorded':
      return `disbursement ${String(data.disbursementId)}`;
    case 'DisbursementReversed':
      return `reversal of ${String(data.disbursementId)}`;
    case 'FundsAllocated':
      return `allocation ${String(data.allocationId)}`;
    case 'ContractSigned':
      return `contract ${String(data.contractId)}`;
    case 'ProjectRegistered':
      return 'planned total at registration';
    case 'PlannedTotalRevised':
      return 'planned total revised';
    case 'OutputTargetSet':
      return `target of ${String(data.indicatorId)}`;
    case 'OutputReported':
      return `actual of ${String(data.indicatorId)}`;
    default:
      return type;
  }
}
