import type { Fen } from '@fundtrail/money';
import type { DisbursementCategory, FundingSource } from '../shared/vocabulary';

/**
 * Commands of the Project aggregate. They arrive already validated at the edge:
 * ids are slugs, amounts are positive fen, quantities are 10^-4 units (bigint).
 */
export type RegisterProject = {
  type: 'RegisterProject';
  data: {
    projectId: string;
    name: string;
    department: string;
    category: string;
    plannedTotal?: Fen;
    plannedTotalLabel?: string;
    fiscalYear?: number;
  };
};
export type RevisePlannedTotal = {
  type: 'RevisePlannedTotal';
  data: { projectId: string; amount: Fen; reason: string };
};
export type AllocateFunds = {
  type: 'AllocateFunds';
  data: {
    projectId: string;
    allocationId: string;
    source: FundingSource;
    sourceLabel?: string;
    amount: Fen;
    fiscalYear: number;
    documentRef?: string;
  };
};
export type ReceiveFunds = {
  type: 'ReceiveFunds';
  data: {
    projectId: string;
    receiptId: string;
    source: FundingSource;
    sourceLabel?: string;
    amount: Fen;
    allocationId?: string;
    bondId?: string;
    assignmentId?: string;
    fiscalYear?: number;
  };
};
export type SignContract = {
  type: 'SignContract';
  data: { projectId: string; contractId: string; counterparty: string; amount: Fen };
};
export type RecordDisbursement = {
  type: 'RecordDisbursement';
  data: {
    projectId: string;
    disbursementId: string;
    amount: Fen;
    category: DisbursementCategory;
    categoryLabel?: string;
    receiptId?: string;
    contractId?: string;
    payee?: string;
    voucherRef?: string;
  };
};
export type ReverseDisbursement = {
  type: 'ReverseDisbursement';
  data: { projectId: string; disbursementId: string; reason: string };
};
export type SetOutputTarget = {
  type: 'SetOutputTarget';
  data: { projectId: string; indicatorId: string; name: string; unit: string; target: bigint };
};
export type ReportOutput = {
  type: 'ReportOutput';
  data: { projectId: string; indicatorId: string; actual: bigint };
};

export type ProjectCommand =
  | RegisterProject
  | RevisePlannedTotal
  | AllocateFunds
  | ReceiveFunds
  | SignContract
  | RecordDisbursement
  | ReverseDisbursement
  | SetOutputTarget
  | ReportOutput;
