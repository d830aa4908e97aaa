import type { EventLike } from '../figures';

/** How an amount was printed when it was typed in 万元 or 亿元. */
export interface PrintedView {
  unit: string;
  decimals: number;
}

/** A fact that a correction undid: it stays listed, marked, with the correction's reason. */
export interface Reversal {
  reversed?: true;
  reversalReason?: string;
}

/** What a project read model shows besides its figures: names, and the ids of what it holds. */
export interface ProjectDetails {
  projectId: string;
  name: string;
  /** Absent when the project names none. */
  department?: string;
  category: string;
  /** The programme it belongs to now (ProjectProgrammeChanged moves it). */
  programmeId?: string;
  /** Slugs broadest first: "yunnan/kunming/xishan". */
  region?: string;
  plannedTotalLabel?: string;
  fiscalYear?: number;
  allocations: Record<
    string,
    { source: string; sourceLabel?: string; amount: string; fiscalYear: number; documentRef?: string; printed?: PrintedView } & Reversal
  >;
  receipts: Record<
    string,
    { source: string; sourceLabel?: string; amount: string; allocationId?: string; bondId?: string; assignmentId?: string; printed?: PrintedView } & Reversal
  >;
  /** `amount` is the latest (amended) amount; `amendments` the corrections in log order. */
  contracts: Record<
    string,
    { counterparty: string; amount: string; printed?: PrintedView; amendments?: { amount: string; previousAmount: string; reason: string }[] }
  >;
  /** Payment approvals (核拨). */
  approvals?: Record<string, { amount: string; receiptId?: string; contractId?: string; printed?: PrintedView } & Reversal>;
  /** The latest report of investment completed (完成投资), cumulative. */
  investmentCompleted?: { amount: string; printed?: PrintedView };
  indicators: Record<
    string,
    {
      name: string;
      unit: string;
      target?: string;
      denominatorIndicatorId?: string;
      actual?: string;
      withdrawn?: true;
      withdrawalReason?: string;
      targetRevisions?: number;
    }
  >;
  disbursements: { recorded: number; reversed: number };
}

export function emptyDetails(projectId: string): ProjectDetails {
  return {
    projectId,
    name: '',
    category: '',
    allocations: {},
    receipts: {},
    contracts: {},
    indicators: {},
    disbursements: { recorded: 0, reversed: 0 },
  };
}

type Data = Record<string, unknown>;
const text = (data: Data, key: string) => (typeof data[key] === 'string' ? data[key] : undefined);

function printed(data: Data): PrintedView | undefined {
  const value = data.printed as { unit?: unknown; decimals?: unknown } | undefined;
  if (typeof value !== 'object' || value === null || typeof value.unit !== 'string' || typeof value.decimals !== 'number') return undefined;
  return { unit: value.unit, decimals: value.decimals };
}

/** Marks the entry a correction undid, if the details hold it. */
function markReversed(entry: Reversal | undefined, data: Data): void {
  if (entry === undefined) return;
  entry.reversed = true;
  entry.reversalReason = String(data.reason);
}

/** Folds one project event into its details (mutates `details`: the caller owns a fresh copy per batch). */
export function foldDetails(details: ProjectDetails, event: EventLike): ProjectDetails {
  const data = event.data as Data;
  switch (event.type) {
    case 'ProjectRegistered':
      details.name = String(data.name);
      if (typeof data.department === 'string') details.department = data.department;
      else delete details.department;
      details.category = String(data.category);
      if (text(data, 'programmeId') !== undefined) details.programmeId = text(data, 'programmeId');
      if (text(data, 'region') !== undefined) details.region = text(data, 'region');
      if (data.plannedTotalLabel !== undefined) details.plannedTotalLabel = String(data.plannedTotalLabel);
      if (typeof data.fiscalYear === 'number') details.fiscalYear = data.fiscalYear;
      break;
    case 'ProjectProgrammeChanged':
      details.programmeId = String(data.programmeId);
      break;
    case 'FundsAllocated':
      details.allocations[String(data.allocationId)] = strip({
        source: String(data.source),
        sourceLabel: text(data, 'sourceLabel'),
        amount: String(data.amount),
        fiscalYear: Number(data.fiscalYear),
        documentRef: text(data, 'documentRef'),
        printed: printed(data),
      });
      break;
    case 'AllocationReversed':
      markReversed(details.allocations[String(data.allocationId)], data);
      break;
    case 'FundsReceived':
      details.receipts[String(data.receiptId)] = strip({
        source: String(data.source),
        sourceLabel: text(data, 'sourceLabel'),
        amount: String(data.amount),
        allocationId: text(data, 'allocationId'),
        bondId: text(data, 'bondId'),
        assignmentId: text(data, 'assignmentId'),
        printed: printed(data),
      });
      break;
    case 'ReceiptReversed':
      markReversed(details.receipts[String(data.receiptId)], data);
      break;
    case 'ContractSigned':
      details.contracts[String(data.contractId)] = strip({ counterparty: String(data.counterparty), amount: String(data.amount), printed: printed(data) });
      break;
    case 'ContractAmended': {
      const contract = details.contracts[String(data.contractId)];
      if (contract === undefined) break;
      contract.amount = String(data.amount);
      const view = printed(data);
      if (view === undefined) delete contract.printed;
      else contract.printed = view;
      contract.amendments = [
        ...(contract.amendments ?? []),
        { amount: String(data.amount), previousAmount: String(data.previousAmount), reason: String(data.reason) },
      ];
      break;
    }
    case 'PaymentApproved':
      details.approvals = {
        ...details.approvals,
        [String(data.approvalId)]: strip({
          amount: String(data.amount),
          receiptId: text(data, 'receiptId'),
          contractId: text(data, 'contractId'),
          printed: printed(data),
        }),
      };
      break;
    case 'PaymentApprovalReversed':
      markReversed(details.approvals?.[String(data.approvalId)], data);
      break;
    case 'InvestmentCompletedReported':
      details.investmentCompleted = strip({ amount: String(data.amount), printed: printed(data) });
      break;
    case 'DisbursementRecorded':
      details.disbursements.recorded += 1;
      break;
    case 'DisbursementReversed':
      details.disbursements.reversed += 1;
      break;
    case 'OutputTargetSet':
      details.indicators[String(data.indicatorId)] = strip({
        name: String(data.name),
        unit: String(data.unit),
        target: text(data, 'target'),
        denominatorIndicatorId: text(data, 'denominatorIndicatorId'),
      });
      break;
    case 'OutputTargetRevised': {
      const indicator = details.indicators[String(data.indicatorId)];
      if (indicator === undefined) break;
      indicator.target = String(data.target);
      indicator.targetRevisions = (indicator.targetRevisions ?? 0) + 1;
      break;
    }
    case 'IndicatorWithdrawn': {
      const indicator = details.indicators[String(data.indicatorId)];
      if (indicator === undefined) break;
      indicator.withdrawn = true;
      indicator.withdrawalReason = String(data.reason);
      break;
    }
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
