import type { EventLike } from '../figures';

/** What a project read model shows besides its figures: names, and the ids of what it holds. */
export interface ProjectDetails {
  projectId: string;
  name: string;
  department: string;
  category: string;
  plannedTotalLabel?: string;
  fiscalYear?: number;
  allocations: Record<string, { source: string; sourceLabel?: string; amount: string; fiscalYear: number; documentRef?: string }>;
  receipts: Record<string, { source: string; sourceLabel?: string; amount: string; allocationId?: string; bondId?: string; assignmentId?: string }>;
  contracts: Record<string, { counterparty: string; amount: string }>;
  indicators: Record<string, { name: string; unit: string; target: string; actual?: string }>;
  disbursements: { recorded: number; reversed: number };
}

export function emptyDetails(projectId: string): ProjectDetails {
  return {
    projectId,
    name: '',
    department: '',
    category: '',
    allocations: {},
    receipts: {},
    contracts: {},
    indicators: {},
    disbursements: { recorded: 0, reversed: 0 },
  };
}

type Data = Record<string, unknown>;
const text = (data: Data, key: string) => (typeof data[key] === 'string' ? (data[key]) : undefined);

/** Folds one project event into its details (mutates `details`: the caller owns a fresh copy per batch). */
export function foldDetails(details: ProjectDetails, event: EventLike): ProjectDetails {
  const data = event.data as Data;
  switch (event.type) {
    case 'ProjectRegistered':
      details.name = String(data.name);
      details.department = String(data.department);
      details.category = String(data.category);
      if (data.plannedTotalLabel !== undefined) details.plannedTotalLabel = String(data.plannedTotalLabel);
      if (typeof data.fiscalYear === 'number') details.fiscalYear = data.fiscalYear;
      break;
    case 'FundsAllocated':
      details.allocations[String(data.allocationId)] = strip({
        source: String(data.source),
        sourceLabel: text(data, 'sourceLabel'),
        amount: String(data.amount),
        fiscalYear: Number(data.fiscalYear),
        documentRef: text(data, 'documentRef'),
      });
      break;
    case 'FundsReceived':
      details.receipts[String(data.receiptId)] = strip({
        source: String(data.source),
        sourceLabel: text(data, 'sourceLabel'),
        amount: String(data.amount),
        allocationId: text(data, 'allocationId'),
        bondId: text(data, 'bondId'),
        assignmentId: text(data, 'assignmentId'),
      });
      break;
    case 'ContractSigned':
      details.contracts[String(data.contractId)] = { counterparty: String(data.counterparty), amount: String(data.amount) };
      break;
    case 'DisbursementRecorded':
      details.disbursements.recorded += 1;
      break;
    case 'DisbursementReversed':
      details.disbursements.reversed += 1;
      break;
    case 'OutputTargetSet':
      details.indicators[String(data.indicatorId)] = { name: String(data.name), unit: String(data.unit), target: String(data.target) };
      break;
    case 'OutputReported': {
      const indicator = details.indicators[String(data.indicatorId)];
      if (indicator) indicator.actual = String(data.actual);
      break;
    }
    default:
      break;
  }
  return details;
}

function strip<T extends Record<string, unknown>>(value: T): T {
  for (const key of Object.keys(value)) if (value[key] === undefined) delete value[key];
  return value;
}
