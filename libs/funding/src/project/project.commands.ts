import type { Fen, PrintedPrecision } from '@fundtrail/money';
import type { IndicatorCommandOf } from '../indicator/indicator';
import type { DisbursementCategory, FundingSource } from '../shared/vocabulary';

/**
 * Commands of the Project aggregate. They arrive already validated at the edge:
 * ids are slugs, amounts are positive fen, quantities are 10^-4 units (bigint).
 * `printed` is the precision a money amount was typed at when its unit was 万元 or 亿元.
 */

export type ProjectRef = { projectId: string };

/** What a handler looked up in the programme's stream before deciding: the decider stays pure. */
export type ProgrammeLookup = { programmeRegistered: boolean };

export type RegisterProject = {
  type: 'RegisterProject';
  data: {
    projectId: string;
    name: string;
    department?: string;
    category: string;
    programmeId?: string;
    /** Slugs broadest first: "yunnan/kunming/xishan". */
    region?: string;
    plannedTotal?: Fen;
    plannedTotalLabel?: string;
    fiscalYear?: number;
    printed?: PrintedPrecision;
  };
  /** Needed when `programmeId` is given. */
  lookedUp?: ProgrammeLookup;
};

export type ChangeProjectProgramme = {
  type: 'ChangeProjectProgramme';
  data: { projectId: string; programmeId: string; reason: string };
  lookedUp: ProgrammeLookup;
};

export type RevisePlannedTotal = {
  type: 'RevisePlannedTotal';
  data: { projectId: string; amount: Fen; reason: string; printed?: PrintedPrecision };
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
    printed?: PrintedPrecision;
  };
};

export type ReverseAllocation = {
  type: 'ReverseAllocation';
  data: { projectId: string; allocationId: string; reason: string };
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
    printed?: PrintedPrecision;
  };
};

/** A client's correction of a receipt it recorded. */
export type ReverseReceipt = {
  type: 'ReverseReceipt';
  data: { projectId: string; receiptId: string; reason: string };
};

/** The system's side of a reversed bond assignment: only the bond process manager sends it. */
export type ReverseBondReceipt = {
  type: 'ReverseBondReceipt';
  data: { projectId: string; receiptId: string; bondId: string; assignmentId: string; reason: string };
};

export type SignContract = {
  type: 'SignContract';
  data: { projectId: string; contractId: string; counterparty: string; amount: Fen; printed?: PrintedPrecision };
};

export type AmendContract = {
  type: 'AmendContract';
  data: { projectId: string; contractId: string; amount: Fen; reason: string; printed?: PrintedPrecision };
};

export type ApprovePayment = {
  type: 'ApprovePayment';
  data: {
    projectId: string;
    approvalId: string;
    amount: Fen;
    receiptId?: string;
    contractId?: string;
    printed?: PrintedPrecision;
  };
};

export type ReversePaymentApproval = {
  type: 'ReversePaymentApproval';
  data: { projectId: string; approvalId: string; reason: string };
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
    /** Paid against this approval (核拨); its receipt and contract apply when the command names none. */
    approvalId?: string;
    payee?: string;
    voucherRef?: string;
    printed?: PrintedPrecision;
  };
};

export type ReverseDisbursement = {
  type: 'ReverseDisbursement';
  data: { projectId: string; disbursementId: string; reason: string };
};

export type ReportInvestmentCompleted = {
  type: 'ReportInvestmentCompleted';
  data: { projectId: string; amount: Fen; printed?: PrintedPrecision };
};

export type ProjectIndicatorCommand = IndicatorCommandOf<ProjectRef>;
export type SetOutputTarget = Extract<ProjectIndicatorCommand, { type: 'SetOutputTarget' }>;
export type ReportOutput = Extract<ProjectIndicatorCommand, { type: 'ReportOutput' }>;
export type ReviseOutputTarget = Extract<ProjectIndicatorCommand, { type: 'ReviseOutputTarget' }>;
export type WithdrawIndicator = Extract<ProjectIndicatorCommand, { type: 'WithdrawIndicator' }>;

export type ProjectCommand =
  | RegisterProject
  | ChangeProjectProgramme
  | RevisePlannedTotal
  | AllocateFunds
  | ReverseAllocation
  | ReceiveFunds
  | ReverseReceipt
  | ReverseBondReceipt
  | SignContract
  | AmendContract
  | ApprovePayment
  | ReversePaymentApproval
  | RecordDisbursement
  | ReverseDisbursement
  | ReportInvestmentCompleted
  | ProjectIndicatorCommand;
