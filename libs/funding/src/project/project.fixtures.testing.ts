import { parseYuan, type PrintedPrecision } from '@fundtrail/money';
import { spec } from '../testing/decider-spec';
import type { FundingSource } from '../shared/vocabulary';
import type { ProjectCommand } from './project.commands';
import { decideProject, evolveProject, initialProjectState, type RegisteredProject } from './project.decider';
import type {
  ContractSigned,
  DisbursementRecorded,
  DisbursementReversed,
  FundsAllocated,
  FundsReceived,
  PaymentApproved,
  ProjectEvent,
  ProjectRegistered,
} from './project.events';

/** Stored events (yuan strings) and edge commands (fen) of one project, for decider specs. */
export const projectId = 'prefecture-road';
export const project = spec(decideProject, evolveProject, initialProjectState);

type Extra<T extends { data: object }> = Partial<T['data']>;

export const events = {
  registered: (extra: Extra<ProjectRegistered> = {}): ProjectRegistered => ({
    type: 'ProjectRegistered',
    data: { projectId, name: 'Prefecture road', department: 'Transport bureau', category: 'transport', ...extra },
  }),
  allocated: (allocationId: string, amount: string, extra: Extra<FundsAllocated> = {}): FundsAllocated => ({
    type: 'FundsAllocated',
    data: { projectId, allocationId, source: 'district-budget', amount, fiscalYear: 2024, ...extra },
  }),
  received: (receiptId: string, amount: string, extra: Extra<FundsReceived> = {}): FundsReceived => ({
    type: 'FundsReceived',
    data: { projectId, receiptId, source: 'district-budget', amount, ...extra },
  }),
  signed: (contractId: string, amount: string): ContractSigned => ({
    type: 'ContractSigned',
    data: { projectId, contractId, counterparty: 'Road Co.', amount },
  }),
  approved: (approvalId: string, amount: string, extra: Extra<PaymentApproved> = {}): PaymentApproved => ({
    type: 'PaymentApproved',
    data: { projectId, approvalId, amount, ...extra },
  }),
  disbursed: (disbursementId: string, amount: string, extra: Extra<DisbursementRecorded> = {}): DisbursementRecorded => ({
    type: 'DisbursementRecorded',
    data: { projectId, disbursementId, amount, category: 'construction', ...extra },
  }),
  disbursementReversed: (disbursementId: string, amount: string, extra: Extra<DisbursementReversed> = {}): DisbursementReversed => ({
    type: 'DisbursementReversed',
    data: { projectId, disbursementId, reason: 'entered twice', amount, category: 'construction', ...extra },
  }),
};

export const commands = {
  receive: (receiptId: string, amount: string, extra: { allocationId?: string; source?: FundingSource; printed?: PrintedPrecision } = {}): ProjectCommand => ({
    type: 'ReceiveFunds',
    data: { projectId, receiptId, source: 'district-budget', amount: parseYuan(amount), ...extra },
  }),
  approve: (approvalId: string, amount: string, extra: { receiptId?: string; contractId?: string; printed?: PrintedPrecision } = {}): ProjectCommand => ({
    type: 'ApprovePayment',
    data: { projectId, approvalId, amount: parseYuan(amount), ...extra },
  }),
  disburse: (
    disbursementId: string,
    amount: string,
    extra: { receiptId?: string; contractId?: string; approvalId?: string; printed?: PrintedPrecision } = {},
  ): ProjectCommand => ({
    type: 'RecordDisbursement',
    data: { projectId, disbursementId, amount: parseYuan(amount), category: 'construction', ...extra },
  }),
  reverseDisbursement: (disbursementId: string): ProjectCommand => ({
    type: 'ReverseDisbursement',
    data: { projectId, disbursementId, reason: 'entered twice' },
  }),
  reverseReceipt: (receiptId: string, reason = 'posted to the wrong project'): ProjectCommand => ({
    type: 'ReverseReceipt',
    data: { projectId, receiptId, reason },
  }),
  reverseAllocation: (allocationId: string, reason = 'document withdrawn'): ProjectCommand => ({
    type: 'ReverseAllocation',
    data: { projectId, allocationId, reason },
  }),
  reverseApproval: (approvalId: string, reason = 'approved twice'): ProjectCommand => ({
    type: 'ReversePaymentApproval',
    data: { projectId, approvalId, reason },
  }),
  amend: (contractId: string, amount: string, reason = 'supplementary agreement'): ProjectCommand => ({
    type: 'AmendContract',
    data: { projectId, contractId, amount: parseYuan(amount), reason },
  }),
};

export function fold(history: ProjectEvent[]): RegisteredProject {
  const state = history.reduce(evolveProject, initialProjectState);
  if (state.status !== 'registered') throw new Error('expected a registered project');
  return state;
}
