import { formatYuan, parseYuan, type Fen } from '@fundtrail/money';
import { bondReceiptId, DERIVED_RECEIPT_ID_RULE, isDerivedReceiptId } from '../shared/derived-ids';
import { printedFor } from '../shared/printed';
import { decideIndicator, evolveIndicators, type Indicators } from '../indicator/indicator';
import { FundingRuleViolation } from '../shared/funding-rule-violation';
import { withoutUndefined } from '../shared/event-data';
import { PersistentMap } from '../shared/persistent-map';
import type { DisbursementCategory, FundingSource } from '../shared/vocabulary';
import type {
  AllocateFunds,
  AmendContract,
  ApprovePayment,
  ChangeProjectProgramme,
  ProjectCommand,
  ReceiveFunds,
  RecordDisbursement,
  RegisterProject,
  ReportInvestmentCompleted,
  ReverseAllocation,
  ReverseBondReceipt,
  ReverseDisbursement,
  ReversePaymentApproval,
  ReverseReceipt,
  RevisePlannedTotal,
  SignContract,
} from './project.commands';
import type {
  AllocationReversed,
  ContractAmended,
  ContractSigned,
  DisbursementRecorded,
  DisbursementReversed,
  FundsAllocated,
  FundsReceived,
  InvestmentCompletedReported,
  PaymentApprovalReversed,
  PaymentApproved,
  PlannedTotalRevised,
  ProjectEvent,
  ProjectProgrammeChanged,
  ProjectRegistered,
  ReceiptReversed,
} from './project.events';

// ---------------------------------------------------------------------------
// State: only what the rules need, amounts in fen. Reversed entries stay (ids are never
// reused) with `reversed: true`, and count for nothing.
// ---------------------------------------------------------------------------

export type Allocation = { source: FundingSource; amount: Fen; received: Fen; reversed?: true };

export type Receipt = {
  source: FundingSource;
  amount: Fen;
  /** Disbursed from it, net of reversals. */
  drawn: Fen;
  /** Approved against it, net of reversals. */
  approved: Fen;
  allocationId?: string;
  /** Kept so a bond-proceeds retry can tell its own receipt from a client's. */
  bondId?: string;
  assignmentId?: string;
  reversed?: true;
};

export type Contract = { amount: Fen; paid: Fen; approved: Fen };

/** A payment approval (核拨) and what was paid against it, net of reversals. */
export type Approval = { amount: Fen; paid: Fen; receiptId?: string; contractId?: string; reversed?: true };

export type Disbursement = {
  amount: Fen;
  category: DisbursementCategory;
  receiptId?: string;
  contractId?: string;
  approvalId?: string;
  reversed: boolean;
};

export type { Indicator } from '../indicator/indicator';

export type RegisteredProject = {
  status: 'registered';
  projectId: string;
  programmeId?: string;
  plannedTotal?: Fen;
  allocations: PersistentMap<Allocation>;
  receipts: PersistentMap<Receipt>;
  contracts: PersistentMap<Contract>;
  approvals: PersistentMap<Approval>;
  /** Reversed ones stay: a disbursement id is never reused. */
  disbursements: PersistentMap<Disbursement>;
  indicators: Indicators;
  /** Net of reversed receipts. */
  receivedTotal: Fen;
  /** Net of reversals. */
  disbursedTotal: Fen;
  /** Net of reversed approvals. */
  approvedTotal: Fen;
};

export type ProjectState = { status: 'initial' } | RegisteredProject;

export const initialProjectState: ProjectState = { status: 'initial' };

/** Money received and not yet disbursed (net of reversals). */
export function availableBalance(project: RegisteredProject): Fen {
  return project.receivedTotal - project.disbursedTotal;
}

/** Whether anything is drawn from or approved against a receipt: it cannot be reversed then. */
export function receiptInUse(receipt: Receipt): boolean {
  return receipt.drawn > 0n || receipt.approved > 0n;
}

// ---------------------------------------------------------------------------
// evolve
// ---------------------------------------------------------------------------

export function evolveProject(state: ProjectState, event: ProjectEvent): ProjectState {
  if (state.status === 'initial') {
    return event.type === 'ProjectRegistered' ? projectRegistered(event.data) : state;
  }
  return evolveRegistered(state, event);
}

function evolveRegistered(project: RegisteredProject, event: ProjectEvent): RegisteredProject {
  switch (event.type) {
    case 'ProjectRegistered':
      return project; // a stream registers its project once
    case 'ProjectProgrammeChanged':
      return { ...project, programmeId: event.data.programmeId };
    case 'PlannedTotalRevised':
      return { ...project, plannedTotal: parseYuan(event.data.amount) };
    case 'FundsAllocated':
      return fundsAllocated(project, event.data);
    case 'AllocationReversed':
      return {
        ...project,
        allocations: project.allocations.update(event.data.allocationId, (a) => ({ ...a, reversed: true })),
      };
    case 'FundsReceived':
      return fundsReceived(project, event.data);
    case 'ReceiptReversed':
      return receiptReversed(project, event.data);
    case 'ContractSigned':
      return contractSigned(project, event.data);
    case 'ContractAmended': {
      const amount = parseYuan(event.data.amount);
      return { ...project, contracts: project.contracts.update(event.data.contractId, (c) => ({ ...c, amount })) };
    }
    case 'PaymentApproved':
      return paymentApproved(project, event.data);
    case 'PaymentApprovalReversed':
      return paymentApprovalReversed(project, event.data);
    case 'DisbursementRecorded':
      return disbursementRecorded(project, event.data);
    case 'DisbursementReversed':
      return disbursementReversed(project, event.data);
    case 'InvestmentCompletedReported':
      return project; // no rule depends on the value of work done
    case 'OutputTargetSet':
    case 'OutputReported':
    case 'OutputTargetRevised':
    case 'IndicatorWithdrawn':
      return { ...project, indicators: evolveIndicators(project.indicators, event) };
    default: {
      const _exhaustive: never = event;
      return project;
    }
  }
}

function projectRegistered(data: ProjectRegistered['data']): RegisteredProject {
  return {
    status: 'registered',
    projectId: data.projectId,
    ...(data.programmeId !== undefined && { programmeId: data.programmeId }),
    ...(data.plannedTotal !== undefined && { plannedTotal: parseYuan(data.plannedTotal) }),
    allocations: PersistentMap.empty(),
    receipts: PersistentMap.empty(),
    contracts: PersistentMap.empty(),
    approvals: PersistentMap.empty(),
    disbursements: PersistentMap.empty(),
    indicators: PersistentMap.empty(),
    receivedTotal: 0n,
    disbursedTotal: 0n,
    approvedTotal: 0n,
  };
}

function fundsAllocated(project: RegisteredProject, data: FundsAllocated['data']): RegisteredProject {
  const allocation: Allocation = { source: data.source, amount: parseYuan(data.amount), received: 0n };
  return { ...project, allocations: project.allocations.set(data.allocationId, allocation) };
}

function fundsReceived(project: RegisteredProject, data: FundsReceived['data']): RegisteredProject {
  const amount = parseYuan(data.amount);
  const receipt: Receipt = withoutUndefined({
    source: data.source,
    amount,
    drawn: 0n,
    approved: 0n,
    allocationId: data.allocationId,
    bondId: data.bondId,
    assignmentId: data.assignmentId,
  });
  return {
    ...project,
    receipts: project.receipts.set(data.receiptId, receipt),
    allocations: project.allocations.update(data.allocationId, (a) => ({ ...a, received: a.received + amount })),
    receivedTotal: project.receivedTotal + amount,
  };
}

function receiptReversed(project: RegisteredProject, data: ReceiptReversed['data']): RegisteredProject {
  const amount = parseYuan(data.amount);
  return {
    ...project,
    receipts: project.receipts.update(data.receiptId, (r) => ({ ...r, reversed: true })),
    allocations: project.allocations.update(data.allocationId, (a) => ({ ...a, received: a.received - amount })),
    receivedTotal: project.receivedTotal - amount,
  };
}

function contractSigned(project: RegisteredProject, data: ContractSigned['data']): RegisteredProject {
  const contract: Contract = { amount: parseYuan(data.amount), paid: 0n, approved: 0n };
  return { ...project, contracts: project.contracts.set(data.contractId, contract) };
}

function paymentApproved(project: RegisteredProject, data: PaymentApproved['data']): RegisteredProject {
  const amount = parseYuan(data.amount);
  const approval: Approval = withoutUndefined({
    amount,
    paid: 0n,
    receiptId: data.receiptId,
    contractId: data.contractId,
  });
  return {
    ...project,
    approvals: project.approvals.set(data.approvalId, approval),
    ...commitApproval(project, amount, data.receiptId, data.contractId),
  };
}

function paymentApprovalReversed(project: RegisteredProject, data: PaymentApprovalReversed['data']): RegisteredProject {
  return {
    ...project,
    approvals: project.approvals.update(data.approvalId, (a) => ({ ...a, reversed: true })),
    ...commitApproval(project, -parseYuan(data.amount), data.receiptId, data.contractId),
  };
}

/** Moves an approved `amount` (negative to take it back) onto the totals, its receipt and its contract. */
function commitApproval(
  project: RegisteredProject,
  amount: Fen,
  receiptId: string | undefined,
  contractId: string | undefined,
): Pick<RegisteredProject, 'receipts' | 'contracts' | 'approvedTotal'> {
  return {
    receipts: project.receipts.update(receiptId, (r) => ({ ...r, approved: r.approved + amount })),
    contracts: project.contracts.update(contractId, (c) => ({ ...c, approved: c.approved + amount })),
    approvedTotal: project.approvedTotal + amount,
  };
}

function disbursementRecorded(project: RegisteredProject, data: DisbursementRecorded['data']): RegisteredProject {
  const amount = parseYuan(data.amount);
  const disbursement: Disbursement = withoutUndefined({
    amount,
    category: data.category,
    receiptId: data.receiptId,
    contractId: data.contractId,
    approvalId: data.approvalId,
    reversed: false,
  });
  return {
    ...project,
    disbursements: project.disbursements.set(data.disbursementId, disbursement),
    ...drawDown(project, amount, data),
  };
}

function disbursementReversed(project: RegisteredProject, data: DisbursementReversed['data']): RegisteredProject {
  return {
    ...project,
    disbursements: project.disbursements.update(data.disbursementId, (d) => ({ ...d, reversed: true })),
    ...drawDown(project, -parseYuan(data.amount), data),
  };
}

/** Moves `amount` (negative to give it back) out of the pool and onto its receipt, contract and approval. */
function drawDown(
  project: RegisteredProject,
  amount: Fen,
  refs: { receiptId?: string; contractId?: string; approvalId?: string },
): Pick<RegisteredProject, 'receipts' | 'contracts' | 'approvals' | 'disbursedTotal'> {
  return {
    receipts: project.receipts.update(refs.receiptId, (r) => ({ ...r, drawn: r.drawn + amount })),
    contracts: project.contracts.update(refs.contractId, (c) => ({ ...c, paid: c.paid + amount })),
    approvals: project.approvals.update(refs.approvalId, (a) => ({ ...a, paid: a.paid + amount })),
    disbursedTotal: project.disbursedTotal + amount,
  };
}

// ---------------------------------------------------------------------------
// decide
// ---------------------------------------------------------------------------

export function decideProject(command: ProjectCommand, state: ProjectState): ProjectEvent[] {
  switch (command.type) {
    case 'RegisterProject':
      return [registerProject(command, state)];
    case 'ChangeProjectProgramme':
      return [changeProjectProgramme(command, registered(state, command.data.projectId))];
    case 'RevisePlannedTotal':
      return [revisePlannedTotal(command.data, registered(state, command.data.projectId))];
    case 'AllocateFunds':
      return [allocateFunds(command.data, registered(state, command.data.projectId))];
    case 'ReverseAllocation':
      return [reverseAllocation(command.data, registered(state, command.data.projectId))];
    case 'ReceiveFunds':
      return [receiveFunds(command.data, registered(state, command.data.projectId))];
    case 'ReverseReceipt':
      return [reverseReceipt(command.data, registered(state, command.data.projectId))];
    case 'ReverseBondReceipt':
      return [reverseBondReceipt(command.data, registered(state, command.data.projectId))];
    case 'SignContract':
      return [signContract(command.data, registered(state, command.data.projectId))];
    case 'AmendContract':
      return [amendContract(command.data, registered(state, command.data.projectId))];
    case 'ApprovePayment':
      return [approvePayment(command.data, registered(state, command.data.projectId))];
    case 'ReversePaymentApproval':
      return [reversePaymentApproval(command.data, registered(state, command.data.projectId))];
    case 'RecordDisbursement':
      return [recordDisbursement(command.data, registered(state, command.data.projectId))];
    case 'ReverseDisbursement':
      return [reverseDisbursement(command.data, registered(state, command.data.projectId))];
    case 'ReportInvestmentCompleted':
      return [reportInvestmentCompleted(command.data, registered(state, command.data.projectId))];
    case 'SetOutputTarget':
    case 'ReportOutput':
    case 'ReviseOutputTarget':
    case 'WithdrawIndicator': {
      const project = registered(state, command.data.projectId);
      return [decideIndicator(command, project.indicators, { projectId: command.data.projectId })];
    }
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

function registered(state: ProjectState, projectId: string): RegisteredProject {
  if (state.status !== 'registered') {
    throw new FundingRuleViolation('PROJECT_NOT_FOUND', `Project ${projectId} is not registered`, 'projectId');
  }
  return state;
}

function assertProgrammeRegistered(programmeId: string, lookedUp: { programmeRegistered: boolean } | undefined): void {
  if (lookedUp?.programmeRegistered !== true) {
    throw new FundingRuleViolation('UNKNOWN_PROGRAMME', `Programme ${programmeId} is not registered`, 'programmeId');
  }
}

function registerProject(command: RegisterProject, state: ProjectState): ProjectRegistered {
  const { data } = command;
  if (state.status !== 'initial') {
    throw new FundingRuleViolation('DUPLICATE_ID', `Project ${data.projectId} is already registered`, 'projectId');
  }
  if (data.programmeId !== undefined) assertProgrammeRegistered(data.programmeId, command.lookedUp);
  return {
    type: 'ProjectRegistered',
    data: withoutUndefined({
      projectId: data.projectId,
      name: data.name,
      department: data.department,
      category: data.category,
      plannedTotal: data.plannedTotal === undefined ? undefined : formatYuan(data.plannedTotal),
      plannedTotalLabel: data.plannedTotalLabel,
      fiscalYear: data.fiscalYear,
      programmeId: data.programmeId,
      region: data.region,
      printed: data.plannedTotal === undefined ? undefined : printedFor(data.plannedTotal, data.printed),
    }),
  };
}

function changeProjectProgramme(command: ChangeProjectProgramme, project: RegisteredProject): ProjectProgrammeChanged {
  const { data } = command;
  assertProgrammeRegistered(data.programmeId, command.lookedUp);
  if (project.programmeId === data.programmeId) {
    throw new FundingRuleViolation('DUPLICATE_ID', `Project ${data.projectId} is already in programme ${data.programmeId}`, 'programmeId');
  }
  return {
    type: 'ProjectProgrammeChanged',
    data: withoutUndefined({
      projectId: data.projectId,
      programmeId: data.programmeId,
      reason: data.reason,
      previousProgrammeId: project.programmeId,
    }),
  };
}

function revisePlannedTotal(data: RevisePlannedTotal['data'], _project: RegisteredProject): PlannedTotalRevised {
  return {
    type: 'PlannedTotalRevised',
    data: withoutUndefined({
      projectId: data.projectId,
      amount: formatYuan(data.amount),
      reason: data.reason,
      printed: printedFor(data.amount, data.printed),
    }),
  };
}

function allocateFunds(data: AllocateFunds['data'], project: RegisteredProject): FundsAllocated {
  assertUnused(project.allocations, data.allocationId, 'allocationId', 'Allocation');
  return {
    type: 'FundsAllocated',
    data: withoutUndefined({
      projectId: data.projectId,
      allocationId: data.allocationId,
      source: data.source,
      sourceLabel: data.sourceLabel,
      amount: formatYuan(data.amount),
      fiscalYear: data.fiscalYear,
      documentRef: data.documentRef,
      printed: printedFor(data.amount, data.printed),
    }),
  };
}

function reverseAllocation(data: ReverseAllocation['data'], project: RegisteredProject): AllocationReversed {
  const allocation = project.allocations.get(data.allocationId);
  if (allocation === undefined) {
    throw new FundingRuleViolation('ALLOCATION_NOT_FOUND', `Allocation ${data.allocationId} does not exist`, 'allocationId');
  }
  assertNotReversed(allocation, `Allocation ${data.allocationId}`, 'allocationId');
  if (allocation.received > 0n) {
    throw new FundingRuleViolation(
      'ALLOCATION_IN_USE',
      `Allocation ${data.allocationId} has ${yuan(allocation.received)} received against it; reverse those receipts first`,
      'allocationId',
    );
  }
  return {
    type: 'AllocationReversed',
    data: {
      projectId: data.projectId,
      allocationId: data.allocationId,
      reason: data.reason,
      amount: formatYuan(allocation.amount),
      source: allocation.source,
    },
  };
}

function receiveFunds(data: ReceiveFunds['data'], project: RegisteredProject): FundsReceived {
  assertNotReservedReceiptId(data);
  assertUnused(project.receipts, data.receiptId, 'receiptId', 'Receipt');
  if (data.allocationId !== undefined) assertWithinAllocation(project, data.allocationId, data.source, data.amount);
  return {
    type: 'FundsReceived',
    data: withoutUndefined({
      projectId: data.projectId,
      receiptId: data.receiptId,
      source: data.source,
      sourceLabel: data.sourceLabel,
      amount: formatYuan(data.amount),
      allocationId: data.allocationId,
      bondId: data.bondId,
      assignmentId: data.assignmentId,
      fiscalYear: data.fiscalYear,
      printed: printedFor(data.amount, data.printed),
    }),
  };
}

/** A derived receipt id is only ever the receipt of the (bondId, assignmentId) the command carries. */
function assertNotReservedReceiptId(data: ReceiveFunds['data']): void {
  if (!isDerivedReceiptId(data.receiptId)) return;
  const { bondId, assignmentId } = data;
  if (bondId !== undefined && assignmentId !== undefined && data.receiptId === bondReceiptId(bondId, assignmentId)) return;
  throw new FundingRuleViolation('RESERVED_ID', `Receipt id ${data.receiptId} is reserved: ${DERIVED_RECEIPT_ID_RULE}`, 'receiptId');
}

function assertWithinAllocation(project: RegisteredProject, allocationId: string, source: FundingSource, amount: Fen): void {
  const allocation = project.allocations.get(allocationId);
  if (allocation === undefined || allocation.reversed) {
    const why = allocation === undefined ? 'does not exist' : 'was reversed';
    throw new FundingRuleViolation('UNKNOWN_ALLOCATION', `Allocation ${allocationId} ${why}`, 'allocationId');
  }
  // A receipt fulfils its allocation with the money the allocation named, or the source breakdown lies.
  if (source !== allocation.source) {
    throw new FundingRuleViolation(
      'SOURCE_MISMATCH',
      `Allocation ${allocationId} is ${allocation.source} money; a ${source} receipt cannot fulfil it`,
      'source',
    );
  }
  const unreceived = allocation.amount - allocation.received;
  if (amount > unreceived) {
    throw new FundingRuleViolation(
      'ALLOCATION_EXCEEDED',
      `Allocation ${allocationId} has ${yuan(unreceived)} not yet received; requested ${yuan(amount)}`,
      'amount',
    );
  }
}

function reverseReceipt(data: ReverseReceipt['data'], project: RegisteredProject): ReceiptReversed {
  const receipt = receiptToReverse(project, data.receiptId);
  if (receipt.assignmentId !== undefined) {
    throw new FundingRuleViolation(
      'RECEIPT_FROM_BOND',
      `Receipt ${data.receiptId} holds bond ${receipt.bondId}'s assignment ${receipt.assignmentId}; reverse that assignment instead`,
      'receiptId',
    );
  }
  return receiptReversedEvent(project, data.receiptId, receipt, data.reason);
}

function reverseBondReceipt(data: ReverseBondReceipt['data'], project: RegisteredProject): ReceiptReversed {
  const receipt = project.receipts.get(data.receiptId);
  if (receipt?.bondId !== data.bondId || receipt.assignmentId !== data.assignmentId) {
    throw new FundingRuleViolation(
      'RECEIPT_NOT_FOUND',
      `Project ${data.projectId} holds no receipt ${data.receiptId} of bond ${data.bondId}'s assignment ${data.assignmentId}`,
      'receiptId',
    );
  }
  return receiptReversedEvent(project, data.receiptId, receiptToReverse(project, data.receiptId), data.reason);
}

/** A receipt that may be reversed: it exists, is not reversed yet, and nothing rests on it. */
function receiptToReverse(project: RegisteredProject, receiptId: string): Receipt {
  const receipt = project.receipts.get(receiptId);
  if (receipt === undefined) {
    throw new FundingRuleViolation('RECEIPT_NOT_FOUND', `Receipt ${receiptId} does not exist`, 'receiptId');
  }
  assertNotReversed(receipt, `Receipt ${receiptId}`, 'receiptId');
  if (receiptInUse(receipt)) {
    throw new FundingRuleViolation(
      'RECEIPT_IN_USE',
      `Receipt ${receiptId} has ${yuan(receipt.drawn)} drawn and ${yuan(receipt.approved)} approved against it; reverse those first`,
      'receiptId',
    );
  }
  const received = project.receivedTotal - receipt.amount;
  if (received < project.disbursedTotal || received < project.approvedTotal) {
    const [what, total] = received < project.disbursedTotal ? ['disbursed', project.disbursedTotal] : ['approved', project.approvedTotal];
    throw new FundingRuleViolation(
      'INSUFFICIENT_FUNDS',
      `Without receipt ${receiptId} the project would have received ${yuan(received)}, less than the ${yuan(total)} ${what}`,
      'receiptId',
    );
  }
  return receipt;
}

function receiptReversedEvent(project: RegisteredProject, receiptId: string, receipt: Receipt, reason: string): ReceiptReversed {
  return {
    type: 'ReceiptReversed',
    data: withoutUndefined({
      projectId: project.projectId,
      receiptId,
      reason,
      amount: formatYuan(receipt.amount),
      source: receipt.source,
      allocationId: receipt.allocationId,
      bondId: receipt.bondId,
      assignmentId: receipt.assignmentId,
    }),
  };
}

function signContract(data: SignContract['data'], project: RegisteredProject): ContractSigned {
  assertUnused(project.contracts, data.contractId, 'contractId', 'Contract');
  return {
    type: 'ContractSigned',
    data: withoutUndefined({
      projectId: data.projectId,
      contractId: data.contractId,
      counterparty: data.counterparty,
      amount: formatYuan(data.amount),
      printed: printedFor(data.amount, data.printed),
    }),
  };
}

function amendContract(data: AmendContract['data'], project: RegisteredProject): ContractAmended {
  const contract = project.contracts.get(data.contractId);
  if (contract === undefined) {
    throw new FundingRuleViolation('CONTRACT_NOT_FOUND', `Contract ${data.contractId} does not exist`, 'contractId');
  }
  const floor = contract.paid > contract.approved ? contract.paid : contract.approved;
  if (data.amount < floor) {
    throw new FundingRuleViolation(
      'CONTRACT_EXCEEDED',
      `Contract ${data.contractId} has ${yuan(contract.paid)} paid and ${yuan(contract.approved)} approved; it cannot be amended to ${yuan(data.amount)}`,
      'amount',
    );
  }
  return {
    type: 'ContractAmended',
    data: withoutUndefined({
      projectId: data.projectId,
      contractId: data.contractId,
      amount: formatYuan(data.amount),
      previousAmount: formatYuan(contract.amount),
      reason: data.reason,
      printed: printedFor(data.amount, data.printed),
    }),
  };
}

function approvePayment(data: ApprovePayment['data'], project: RegisteredProject): PaymentApproved {
  assertUnused(project.approvals, data.approvalId, 'approvalId', 'Approval');
  const receipt = data.receiptId === undefined ? undefined : knownReceipt(project, data.receiptId);
  const contract = data.contractId === undefined ? undefined : knownContract(project, data.contractId);
  const unapproved = project.receivedTotal - project.approvedTotal;
  if (data.amount > unapproved) {
    throw new FundingRuleViolation(
      'INSUFFICIENT_FUNDS',
      `Insufficient funds to approve: ${yuan(unapproved)} received and not yet approved, requested ${yuan(data.amount)}`,
      'amount',
    );
  }
  if (receipt !== undefined && data.amount > receipt.entry.amount - receipt.entry.approved) {
    throw new FundingRuleViolation(
      'INSUFFICIENT_FUNDS',
      `Receipt ${receipt.id} has ${yuan(receipt.entry.amount - receipt.entry.approved)} not yet approved; requested ${yuan(data.amount)}`,
      'amount',
    );
  }
  if (contract !== undefined && data.amount > contract.entry.amount - contract.entry.approved) {
    throw new FundingRuleViolation(
      'CONTRACT_EXCEEDED',
      `Contract ${contract.id} has ${yuan(contract.entry.amount - contract.entry.approved)} not yet approved; requested ${yuan(data.amount)}`,
      'amount',
    );
  }
  return {
    type: 'PaymentApproved',
    data: withoutUndefined({
      projectId: data.projectId,
      approvalId: data.approvalId,
      amount: formatYuan(data.amount),
      receiptId: data.receiptId,
      contractId: data.contractId,
      printed: printedFor(data.amount, data.printed),
    }),
  };
}

function reversePaymentApproval(data: ReversePaymentApproval['data'], project: RegisteredProject): PaymentApprovalReversed {
  const approval = project.approvals.get(data.approvalId);
  if (approval === undefined) {
    throw new FundingRuleViolation('APPROVAL_NOT_FOUND', `Approval ${data.approvalId} does not exist`, 'approvalId');
  }
  assertNotReversed(approval, `Approval ${data.approvalId}`, 'approvalId');
  if (approval.paid > 0n) {
    throw new FundingRuleViolation(
      'APPROVAL_IN_USE',
      `Approval ${data.approvalId} has ${yuan(approval.paid)} paid against it; reverse those disbursements first`,
      'approvalId',
    );
  }
  return {
    type: 'PaymentApprovalReversed',
    data: withoutUndefined({
      projectId: data.projectId,
      approvalId: data.approvalId,
      reason: data.reason,
      amount: formatYuan(approval.amount),
      receiptId: approval.receiptId,
      contractId: approval.contractId,
    }),
  };
}

function recordDisbursement(data: RecordDisbursement['data'], project: RegisteredProject): DisbursementRecorded {
  assertUnused(project.disbursements, data.disbursementId, 'disbursementId', 'Disbursement');
  // References are checked before balances: a wrong id is the client's mistake, whatever the balance.
  const approval = data.approvalId === undefined ? undefined : knownApproval(project, data.approvalId);
  const receiptId = inherited(data.receiptId, approval?.entry.receiptId, 'receiptId', approval?.id);
  const contractId = inherited(data.contractId, approval?.entry.contractId, 'contractId', approval?.id);
  const receipt = receiptId === undefined ? undefined : knownReceipt(project, receiptId);
  const contract = contractId === undefined ? undefined : knownContract(project, contractId);
  assertFundsAvailable(project, data.amount);
  if (receipt !== undefined) assertReceiptCovers(receipt, data.amount);
  if (contract !== undefined) assertWithinContract(contract, data.amount);
  if (approval !== undefined) assertWithinApproval(approval, data.amount);
  return {
    type: 'DisbursementRecorded',
    data: withoutUndefined({
      projectId: data.projectId,
      disbursementId: data.disbursementId,
      amount: formatYuan(data.amount),
      category: data.category,
      categoryLabel: data.categoryLabel,
      receiptId,
      contractId,
      payee: data.payee,
      voucherRef: data.voucherRef,
      approvalId: data.approvalId,
      printed: printedFor(data.amount, data.printed),
    }),
  };
}

/** A payment against an approval draws on the approval's receipt and contract; naming others is a mistake. */
function inherited(
  given: string | undefined,
  fromApproval: string | undefined,
  field: 'receiptId' | 'contractId',
  approvalId: string | undefined,
): string | undefined {
  if (given !== undefined && fromApproval !== undefined && given !== fromApproval) {
    throw new FundingRuleViolation('APPROVAL_MISMATCH', `Approval ${approvalId} is for ${field} ${fromApproval}, not ${given}`, field);
  }
  return given ?? fromApproval;
}

type Known<T> = { id: string; entry: T };

function knownReceipt(project: RegisteredProject, receiptId: string): Known<Receipt> {
  const entry = project.receipts.get(receiptId);
  if (entry === undefined || entry.reversed) {
    const why = entry === undefined ? 'does not exist' : 'was reversed';
    throw new FundingRuleViolation('UNKNOWN_RECEIPT', `Receipt ${receiptId} ${why}`, 'receiptId');
  }
  return { id: receiptId, entry };
}

function knownContract(project: RegisteredProject, contractId: string): Known<Contract> {
  const entry = project.contracts.get(contractId);
  if (entry === undefined) {
    throw new FundingRuleViolation('UNKNOWN_CONTRACT', `Contract ${contractId} does not exist`, 'contractId');
  }
  return { id: contractId, entry };
}

function knownApproval(project: RegisteredProject, approvalId: string): Known<Approval> {
  const entry = project.approvals.get(approvalId);
  if (entry === undefined || entry.reversed) {
    const why = entry === undefined ? 'does not exist' : 'was reversed';
    throw new FundingRuleViolation('UNKNOWN_APPROVAL', `Approval ${approvalId} ${why}`, 'approvalId');
  }
  return { id: approvalId, entry };
}

function assertFundsAvailable(project: RegisteredProject, amount: Fen): void {
  const available = availableBalance(project);
  if (amount > available) {
    throw new FundingRuleViolation('INSUFFICIENT_FUNDS', `Insufficient funds: available balance ${yuan(available)}, requested ${yuan(amount)}`, 'amount');
  }
}

function assertReceiptCovers(receipt: Known<Receipt>, amount: Fen): void {
  const undrawn = receipt.entry.amount - receipt.entry.drawn;
  if (amount > undrawn) {
    throw new FundingRuleViolation(
      'INSUFFICIENT_FUNDS',
      `Insufficient funds on receipt ${receipt.id}: ${yuan(undrawn)} undrawn, requested ${yuan(amount)}`,
      'amount',
    );
  }
}

function assertWithinContract(contract: Known<Contract>, amount: Fen): void {
  const unpaid = contract.entry.amount - contract.entry.paid;
  if (amount > unpaid) {
    throw new FundingRuleViolation('CONTRACT_EXCEEDED', `Contract ${contract.id} has ${yuan(unpaid)} left to pay; requested ${yuan(amount)}`, 'amount');
  }
}

function assertWithinApproval(approval: Known<Approval>, amount: Fen): void {
  const unpaid = approval.entry.amount - approval.entry.paid;
  if (amount > unpaid) {
    throw new FundingRuleViolation('APPROVAL_EXCEEDED', `Approval ${approval.id} has ${yuan(unpaid)} left to pay; requested ${yuan(amount)}`, 'amount');
  }
}

function reverseDisbursement(data: ReverseDisbursement['data'], project: RegisteredProject): DisbursementReversed {
  const disbursement = project.disbursements.get(data.disbursementId);
  if (disbursement === undefined) {
    throw new FundingRuleViolation('DISBURSEMENT_NOT_FOUND', `Disbursement ${data.disbursementId} does not exist`, 'disbursementId');
  }
  if (disbursement.reversed) {
    throw new FundingRuleViolation('ALREADY_REVERSED', `Disbursement ${data.disbursementId} is already reversed`, 'disbursementId');
  }
  return {
    type: 'DisbursementReversed',
    data: withoutUndefined({
      projectId: data.projectId,
      disbursementId: data.disbursementId,
      reason: data.reason,
      amount: formatYuan(disbursement.amount),
      category: disbursement.category,
      receiptId: disbursement.receiptId,
      contractId: disbursement.contractId,
      approvalId: disbursement.approvalId,
    }),
  };
}

function reportInvestmentCompleted(data: ReportInvestmentCompleted['data'], _project: RegisteredProject): InvestmentCompletedReported {
  return {
    type: 'InvestmentCompletedReported',
    data: withoutUndefined({
      projectId: data.projectId,
      amount: formatYuan(data.amount),
      printed: printedFor(data.amount, data.printed),
    }),
  };
}

function assertUnused(ids: ReadonlyMap<string, unknown>, id: string, field: string, what: string): void {
  if (ids.has(id)) {
    throw new FundingRuleViolation('DUPLICATE_ID', `${what} ${id} already exists in this project`, field);
  }
}

function assertNotReversed(entry: { reversed?: true }, what: string, field: string): void {
  if (entry.reversed) throw new FundingRuleViolation('ALREADY_REVERSED', `${what} is already reversed`, field);
}

function yuan(fen: Fen): string {
  return `${formatYuan(fen)} yuan`;
}
