import type { DisbursementCategory, FundingSource } from '../shared/vocabulary';

/**
 * Events of the Project aggregate (stream `project-<projectId>`), as stored: JSON only,
 * amounts as yuan strings ("100.00"), quantities as decimal strings. `effectiveDate`
 * (when it happened) travels in the envelope's metadata, beside the log's `recordedAt`.
 */
export type YuanString = string;

export type ProjectRegistered = {
  type: 'ProjectRegistered';
  data: {
    projectId: string;
    name: string;
    department: string;
    category: string;
    plannedTotal?: YuanString; // 总投资 / 预算总金额
    plannedTotalLabel?: string;
    fiscalYear?: number;
  };
};

export type PlannedTotalRevised = {
  type: 'PlannedTotalRevised';
  data: { projectId: string; amount: YuanString; reason: string };
};

export type FundsAllocated = {
  type: 'FundsAllocated'; // 预算下达
  data: {
    projectId: string;
    allocationId: string;
    source: FundingSource;
    sourceLabel?: string;
    amount: YuanString;
    fiscalYear: number;
    documentRef?: string;
  };
};

export type FundsReceived = {
  type: 'FundsReceived'; // 资金到位
  data: {
    projectId: string;
    receiptId: string;
    source: FundingSource;
    sourceLabel?: string;
    amount: YuanString;
    allocationId?: string;
    bondId?: string;
    /** Set when the receipt was produced from a bond's proceeds assignment. */
    assignmentId?: string;
    fiscalYear?: number;
  };
};

export type ContractSigned = {
  type: 'ContractSigned'; // 合同
  data: { projectId: string; contractId: string; counterparty: string; amount: YuanString };
};

export type DisbursementRecorded = {
  type: 'DisbursementRecorded'; // 支付 / 支出
  data: {
    projectId: string;
    disbursementId: string;
    amount: YuanString;
    category: DisbursementCategory;
    categoryLabel?: string;
    /** The receipt the money was drawn from; absent = the project's pooled funds. */
    receiptId?: string;
    contractId?: string;
    payee?: string;
    voucherRef?: string;
  };
};

/** A correction: points at the disbursement it undoes and repeats what it undoes. */
export type DisbursementReversed = {
  type: 'DisbursementReversed';
  data: {
    projectId: string;
    disbursementId: string;
    reason: string;
    amount: YuanString;
    category: DisbursementCategory;
    receiptId?: string;
    contractId?: string;
  };
};

export type OutputTargetSet = {
  type: 'OutputTargetSet'; // 绩效目标
  data: { projectId: string; indicatorId: string; name: string; unit: string; target: string };
};

export type OutputReported = {
  type: 'OutputReported';
  data: { projectId: string; indicatorId: string; actual: string };
};

export type ProjectEvent =
  | ProjectRegistered
  | PlannedTotalRevised
  | FundsAllocated
  | FundsReceived
  | ContractSigned
  | DisbursementRecorded
  | DisbursementReversed
  | OutputTargetSet
  | OutputReported;

export type ProjectEventType = ProjectEvent['type'];
export const PROJECT_EVENT_TYPES: readonly ProjectEventType[] = [
  'ProjectRegistered',
  'PlannedTotalRevised',
  'FundsAllocated',
  'FundsReceived',
  'ContractSigned',
  'DisbursementRecorded',
  'DisbursementReversed',
  'OutputTargetSet',
  'OutputReported',
];
