import type { PrintedPrecision } from '@fundtrail/money';
import type { IndicatorEventOf } from '../indicator/indicator';
import type { DisbursementCategory, FundingSource } from '../shared/vocabulary';
import type { ProjectRef } from './project.commands';

/**
 * Events of the Project aggregate (stream `project-<projectId>`), as stored: JSON only,
 * amounts as yuan strings ("100.00"), quantities as decimal strings. `effectiveDate`
 * (when it happened) travels in the envelope's metadata, beside the log's `recordedAt`.
 *
 * `printed` is the precision of the one amount the command carried (`amount`, or `plannedTotal`
 * on ProjectRegistered) when it was typed in 万元 or 亿元. A correction repeats the amounts of
 * what it corrects, exactly and without `printed`: the reversed amount cancels its original.
 */
export type YuanString = string;

export type ProjectRegistered = {
  type: 'ProjectRegistered';
  data: {
    projectId: string;
    name: string;
    department?: string;
    category: string;
    plannedTotal?: YuanString; // 总投资 / 预算总金额
    plannedTotalLabel?: string;
    fiscalYear?: number;
    programmeId?: string;
    region?: string;
    printed?: PrintedPrecision;
  };
};

export type ProjectProgrammeChanged = {
  type: 'ProjectProgrammeChanged';
  data: { projectId: string; programmeId: string; reason: string; previousProgrammeId?: string };
};

export type PlannedTotalRevised = {
  type: 'PlannedTotalRevised';
  data: { projectId: string; amount: YuanString; reason: string; printed?: PrintedPrecision };
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
    printed?: PrintedPrecision;
  };
};

/** A correction: the allocation never happened. Repeats what figures need. */
export type AllocationReversed = {
  type: 'AllocationReversed';
  data: { projectId: string; allocationId: string; reason: string; amount: YuanString; source: FundingSource };
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
    printed?: PrintedPrecision;
  };
};

/** A correction: the receipt never happened. Repeats its amount, source and references. */
export type ReceiptReversed = {
  type: 'ReceiptReversed';
  data: {
    projectId: string;
    receiptId: string;
    reason: string;
    amount: YuanString;
    source: FundingSource;
    allocationId?: string;
    bondId?: string;
    assignmentId?: string;
  };
};

export type ContractSigned = {
  type: 'ContractSigned'; // 合同
  data: { projectId: string; contractId: string; counterparty: string; amount: YuanString; printed?: PrintedPrecision };
};

/** A correction of a contract's amount; `previousAmount` is what it replaces. */
export type ContractAmended = {
  type: 'ContractAmended';
  data: {
    projectId: string;
    contractId: string;
    amount: YuanString;
    previousAmount: YuanString;
    reason: string;
    printed?: PrintedPrecision;
  };
};

export type PaymentApproved = {
  type: 'PaymentApproved'; // 核拨
  data: {
    projectId: string;
    approvalId: string;
    amount: YuanString;
    receiptId?: string;
    contractId?: string;
    printed?: PrintedPrecision;
  };
};

/** A correction: the approval never happened. Repeats what it undoes. */
export type PaymentApprovalReversed = {
  type: 'PaymentApprovalReversed';
  data: {
    projectId: string;
    approvalId: string;
    reason: string;
    amount: YuanString;
    receiptId?: string;
    contractId?: string;
  };
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
    /** The approval it was paid against (its receipt and contract are filled in above). */
    approvalId?: string;
    printed?: PrintedPrecision;
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
    approvalId?: string;
  };
};

/** 完成投资: the value of work done to date (cumulative, not money paid); the latest report stands. */
export type InvestmentCompletedReported = {
  type: 'InvestmentCompletedReported';
  data: { projectId: string; amount: YuanString; printed?: PrintedPrecision };
};

export type ProjectIndicatorEvent = IndicatorEventOf<ProjectRef>;
export type OutputTargetSet = Extract<ProjectIndicatorEvent, { type: 'OutputTargetSet' }>;
export type OutputReported = Extract<ProjectIndicatorEvent, { type: 'OutputReported' }>;
export type OutputTargetRevised = Extract<ProjectIndicatorEvent, { type: 'OutputTargetRevised' }>;
export type IndicatorWithdrawn = Extract<ProjectIndicatorEvent, { type: 'IndicatorWithdrawn' }>;

export type ProjectEvent =
  | ProjectRegistered
  | ProjectProgrammeChanged
  | PlannedTotalRevised
  | FundsAllocated
  | AllocationReversed
  | FundsReceived
  | ReceiptReversed
  | ContractSigned
  | ContractAmended
  | PaymentApproved
  | PaymentApprovalReversed
  | DisbursementRecorded
  | DisbursementReversed
  | InvestmentCompletedReported
  | ProjectIndicatorEvent;

export type ProjectEventType = ProjectEvent['type'];
