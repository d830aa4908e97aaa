import type { EventStore, RecordedEvent } from '@fundtrail/event-store';
import { projectStreamId } from '@fundtrail/funding';
import { contributionsOf, figureDefinition, parseFigureKey, type Term } from '../figures';
import type { SelectedProject } from './portfolio-snapshot';

/**
 * The money of a project as movements through its budget phases, read off the one figure chain:
 * an event is a movement of `flow` by exactly what it contributes to that flow's figure term
 * (a reversal is a negative movement). So the movements of a flow always add up to the figure
 * the API shows, and a flow whose figure the model does not have yet has no movements.
 */
export type MoneyFlow = 'allocated' | 'received' | 'committed' | 'approved' | 'disbursed';

export interface FlowDefinition {
  flow: MoneyFlow;
  /** The figure term the flow's movements add up to. */
  figure: { key: string; term: Term };
}

export const MONEY_FLOWS: readonly FlowDefinition[] = [
  { flow: 'allocated', figure: { key: 'allocated_total', term: 'numerator' } },
  { flow: 'received', figure: { key: 'received_total', term: 'numerator' } },
  { flow: 'committed', figure: { key: 'contract_payment_progress', term: 'denominator' } },
  { flow: 'approved', figure: { key: 'approved_total', term: 'numerator' } },
  { flow: 'disbursed', figure: { key: 'disbursed_total', term: 'numerator' } },
];

/** The flows the figure list defines (approved_total arrives with payment approval). */
export function recordedFlows(): FlowDefinition[] {
  return MONEY_FLOWS.filter((definition) => figureDefinition(definition.figure.key) !== undefined);
}

export interface Movement {
  flow: MoneyFlow;
  /** Fen, signed. */
  amount: bigint;
  event: RecordedEvent;
  /** Where the money came from: the event's source, or that of the receipt it draws on. */
  source?: string;
  sourceLabel?: string;
  /** A disbursement's category (支出类别). */
  spendingCategory?: string;
  /** The event's fiscal year, or the year of its effective date. */
  fiscalYear: number;
  /** The other side: a contract's counterparty or a payment's payee. */
  party?: string;
  /** The id the event names first (the disbursement, approval, contract, receipt or allocation). */
  subjectId?: string;
}

const SUBJECT_FIELDS = ['disbursementId', 'approvalId', 'contractId', 'receiptId', 'allocationId'] as const;

const textOf = (data: Record<string, unknown>, name: string): string | undefined =>
  typeof data[name] === 'string' && data[name] !== '' ? data[name] : undefined;

/** Every movement of a project's stream, in stream order. */
export function movementsOf(events: readonly RecordedEvent[]): Movement[] {
  const flows = recordedFlows();
  const receiptSources = new Map<string, { source: string; sourceLabel?: string }>();
  const movements: Movement[] = [];
  for (const event of events) {
    const data = event.data;
    const receiptId = textOf(data, 'receiptId');
    const ownSource = textOf(data, 'source');
    if (event.type === 'FundsReceived' && receiptId !== undefined && ownSource !== undefined) {
      receiptSources.set(receiptId, { source: ownSource, sourceLabel: textOf(data, 'sourceLabel') });
    }
    const drawnFrom = ownSource === undefined && receiptId !== undefined ? receiptSources.get(receiptId) : undefined;
    const contributions = contributionsOf(event);
    const spendingCategory = contributions
      .map((contribution) => parseFigureKey(contribution.key))
      .find((parsed) => parsed?.family === 'disbursed_by_category')?.parameter;
    for (const definition of flows) {
      for (const contribution of contributions) {
        if (!('amount' in contribution) || contribution.key !== definition.figure.key || contribution.term !== definition.figure.term) continue;
        movements.push({
          flow: definition.flow,
          amount: contribution.amount,
          event,
          source: ownSource ?? drawnFrom?.source,
          sourceLabel: ownSource !== undefined ? textOf(data, 'sourceLabel') : drawnFrom?.sourceLabel,
          spendingCategory,
          fiscalYear: typeof data.fiscalYear === 'number' ? data.fiscalYear : Number(event.metadata.effectiveDate.slice(0, 4)),
          party: textOf(data, 'counterparty') ?? textOf(data, 'payee'),
          subjectId: SUBJECT_FIELDS.map((name) => textOf(data, name)).find((id) => id !== undefined),
        });
      }
    }
  }
  return movements;
}

/** A project's stream up to the event its read model has folded, so movements and figures agree. */
export async function projectEvents(store: EventStore, project: SelectedProject): Promise<RecordedEvent[]> {
  const events = await store.readStream(projectStreamId(project.projectId));
  return events.filter((event) => event.globalPosition <= project.lastPosition);
}
