import { formatQuantity, formatYuan, parseQuantity, parseYuan, type Fen } from '@fundtrail/money';
import { bondReceiptId, DERIVED_RECEIPT_ID_RULE, isDerivedReceiptId } from '../shared/derived-ids';
import { FundingRuleViolation } from '../shared/funding-rule-violation';
import { withoutUndefined } from '../shared/event-data';
import { PersistentMap } from '../shared/persistent-map';
import type { DisbursementCategory, FundingSource } from '../shared/vocabulary';
import type {
  AllocateFunds,
  ProjectCommand,
  ReceiveFunds,
  RecordDisbursement,
  RegisterProject,
  ReportOutput,
  ReverseDisbursement,
  RevisePlannedTotal,
  SetOutputTarget,
  SignContract,
} from './project.commands';
import type {
  ContractSigned,
  DisbursementRecorded,
  DisbursementReversed,
  FundsAllocated,
  FundsReceived,
  OutputReported,
  OutputTargetSet,
  PlannedTotalRevised,
  ProjectEvent,
  ProjectRegistered,
} from './project.events';

// ---------------------------------------------------------------------------
// State: only what the rules need, amounts in fen.
// ---------------------------------------------------------------------------

export type Allocation = { source: FundingSource; amount: Fen; received: Fen };

export type Receipt = {
  source: FundingSource;
  amount: Fen;
  drawn: Fen;
  /** Kept so a bond-proceeds retry can tell its own receipt from a client's. */
  bondId?: string;
  assignmentId?: string;
};

export type Contract = { amount: Fen; paid: Fen };

export type Disbursement = {
  amount: Fen;
  category: DisbursementCategory;
  receiptId?: string;
  contractId?: string;
  reversed: boolean;
};

export type Indicator = { target: bigint; actual?: bigint };

export type RegisteredProject = {
  status: 'registered';
  projectId: string;
  plannedTotal?: Fen;
  allocations: PersistentMap<Allocation>;
  receipts: PersistentMap<Receipt>;
  contracts: PersistentMap<Contract>;
  /** Reversed ones stay: a disbursement id is never reused. */
  disbursements: PersistentMap<Disbursement>;
  indicators: PersistentMap<Indicator>;
  receivedTotal: Fen;
  /** Net of reversals. */
  disbursedTotal: Fen;
};

export type ProjectState = { status: 'initial' } | RegisteredProject;

export const initialProjectState: ProjectState = { status: 'initial' };

/** Money received and not yet disbursed (net of reversals). */
export function availableBalance(project: RegisteredProject): Fen {
  return project.receivedTotal - project.disbursedTotal;
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
    case 'PlannedTotalRevised':
      return { ...project, plannedTotal: parseYuan(event.data.amount) };
    case 'FundsAllocated':
      return fundsAllocated(project, event.data);
    case 'FundsReceived':
      return fundsReceived(project, event.data);
    case 'ContractSigned':
      return contractSigned(project, event.data);
    case 'DisbursementRecorded':
      return disbursementRecorded(project, event.data);
    case 'DisbursementReversed':
      return disbursementReversed(project, event.data);
    case 'OutputTargetSet':
      return outputTargetSet(project, event.data);
    case 'OutputReported':
      return outputReported(project, event.data);
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
    ...(data.plannedTotal !== undefined && { plannedTotal: parseYuan(data.plannedTotal) }),
    allocations: PersistentMap.empty(),
    receipts: PersistentMap.empty(),
    contracts: PersistentMap.empty(),
    disbursements: PersistentMap.empty(),
    indicators: PersistentMap.empty(),
    receivedTotal: 0n,
    disbursedTotal: 0n,
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
    bondId: data.bondId,
    assignmentId: data.assignmentId,
  });
  return {
    ...project,
    receipts: project.receipts.set(data.receiptId, receipt),
    allocations: project.allocations.update(data.allocationId, (a) => ({
      ...a,
      received: a.received + amount,
    })),
    receivedTotal: project.receivedTotal + amount,
  };
}

function contractSigned(project: RegisteredProject, data: ContractSigned['data']): RegisteredProject {
  const contract: Contract = { amount: parseYuan(data.amount), paid: 0n };
  return { ...project, contracts: project.contracts.set(data.contractId, contract) };
}

function disbursementRecorded(project: RegisteredProject, data: DisbursementRecorded['data']): RegisteredProject {
  const amount = parseYuan(data.amount);
  const disbursement: Disbursement = withoutUndefined({
    amount,
    category: data.category,
    receiptId: data.receiptId,
    contractId: data.contractId,
    reversed: false,
  });
  return {
    ...project,
    disbursements: project.disbursements.set(data.disbursementId, disbursement),
    ...drawDown(project, amount, data.receiptId, data.contractId),
  };
}

function disbursementReversed(project: RegisteredProject, data: DisbursementReversed['data']): RegisteredProject {
  return {
    ...project,
    disbursements: project.disbursements.update(data.disbursementId, (d) => ({ ...d, reversed: true })),
    ...drawDown(project, -parseYuan(data.amount), data.receiptId, data.contractId),
  };
}

/** Moves `amount` (negative to give it back) out of the pool and onto its receipt and contract. */
function drawDown(
  project: RegisteredProject,
  amount: Fen,
  receiptId: string | undefined,
  contractId: string | undefined,
): Pick<RegisteredProject, 'receipts' | 'contracts' | 'disbursedTotal'> {
  return {
    receipts: project.receipts.update(receiptId, (r) => ({ ...r, drawn: r.drawn + amount })),
    contracts: project.contracts.update(contractId, (c) => ({ ...c, paid: c.paid + amount })),
    disbursedTotal: project.disbursedTotal + amount,
  };
}

function outputTargetSet(project: RegisteredProject, data: OutputTargetSet['data']): RegisteredProject {
  const indicator: Indicator = { target: parseQuantity(data.target) };
  return { ...project, indicators: project.indicators.set(data.indicatorId, indicator) };
}

function outputReported(project: RegisteredProject, data: OutputReported['data']): RegisteredProject {
  const actual = parseQuantity(data.actual);
  return { ...project, indicators: project.indicators.update(data.indicatorId, (i) => ({ ...i, actual })) };
}

// ---------------------------------------------------------------------------
// decide
// ---------------------------------------------------------------------------

export function decideProject(command: ProjectCommand, state: ProjectState): ProjectEvent[] {
  switch (command.type) {
    case 'RegisterProject':
      return [registerProject(command.data, state)];
    case 'RevisePlannedTotal':
      return [revisePlannedTotal(command.data, registered(state, command.data.projectId))];
    case 'AllocateFunds':
      return [allocateFunds(command.data, registered(state, command.data.projectId))];
    case 'ReceiveFunds':
      return [receiveFunds(command.data, registered(state, command.data.projectId))];
    case 'SignContract':
      return [signContract(command.data, registered(state, command.data.projectId))];
    case 'RecordDisbursement':
      return [recordDisbursement(command.data, registered(state, command.data.projectId))];
    case 'ReverseDisbursement':
      return [reverseDisbursement(command.data, registered(state, command.data.projectId))];
    case 'SetOutputTarget':
      return [setOutputTarget(command.data, registered(state, command.data.projectId))];
    case 'ReportOutput':
      return [reportOutput(command.data, registered(state, command.data.projectId))];
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

function registerProject(data: RegisterProject['data'], state: ProjectState): ProjectRegistered {
  if (state.status !== 'initial') {
    throw new FundingRuleViolation('DUPLICATE_ID', `Project ${data.projectId} is already registered`, 'projectId');
  }
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
    }),
  };
}

function revisePlannedTotal(data: RevisePlannedTotal['data'], _project: RegisteredProject): PlannedTotalRevised {
  return {
    type: 'PlannedTotalRevised',
    data: { projectId: data.projectId, amount: formatYuan(data.amount), reason: data.reason },
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
    }),
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
  if (allocation === undefined) {
    throw new FundingRuleViolation('UNKNOWN_ALLOCATION', `Allocation ${allocationId} does not exist`, 'allocationId');
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

function signContract(data: SignContract['data'], project: RegisteredProject): ContractSigned {
  assertUnused(project.contracts, data.contractId, 'contractId', 'Contract');
  return {
    type: 'ContractSigned',
    data: {
      projectId: data.projectId,
      contractId: data.contractId,
      counterparty: data.counterparty,
      amount: formatYuan(data.amount),
    },
  };
}

function recordDisbursement(data: RecordDisbursement['data'], project: RegisteredProject): DisbursementRecorded {
  assertUnused(project.disbursements, data.disbursementId, 'disbursementId', 'Disbursement');
  // References are checked before balances: a wrong id is the client's mistake, whatever the balance.
  const receipt = data.receiptId === undefined ? undefined : knownReceipt(project, data.receiptId);
  const contract = data.contractId === undefined ? undefined : knownContract(project, data.contractId);
  assertFundsAvailable(project, data.amount);
  if (receipt !== undefined) assertReceiptCovers(receipt, data.amount);
  if (contract !== undefined) assertWithinContract(contract, data.amount);
  return {
    type: 'DisbursementRecorded',
    data: withoutUndefined({
      projectId: data.projectId,
      disbursementId: data.disbursementId,
      amount: formatYuan(data.amount),
      category: data.category,
      categoryLabel: data.categoryLabel,
      receiptId: data.receiptId,
      contractId: data.contractId,
      payee: data.payee,
      voucherRef: data.voucherRef,
    }),
  };
}

type Known<T> = { id: string; entry: T };

function knownReceipt(project: RegisteredProject, receiptId: string): Known<Receipt> {
  const entry = project.receipts.get(receiptId);
  if (entry === undefined) {
    throw new FundingRuleViolation('UNKNOWN_RECEIPT', `Receipt ${receiptId} does not exist`, 'receiptId');
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

function assertFundsAvailable(project: RegisteredProject, amount: Fen): void {
  const available = availableBalance(project);
  if (amount > available) {
    throw new FundingRuleViolation(
      'INSUFFICIENT_FUNDS',
      `Insufficient funds: available balance ${yuan(available)}, requested ${yuan(amount)}`,
      'amount',
    );
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
    throw new FundingRuleViolation(
      'CONTRACT_EXCEEDED',
      `Contract ${contract.id} has ${yuan(unpaid)} left to pay; requested ${yuan(amount)}`,
      'amount',
    );
  }
}

function reverseDisbursement(data: ReverseDisbursement['data'], project: RegisteredProject): DisbursementReversed {
  const disbursement = project.disbursements.get(data.disbursementId);
  if (disbursement === undefined) {
    throw new FundingRuleViolation(
      'DISBURSEMENT_NOT_FOUND',
      `Disbursement ${data.disbursementId} does not exist`,
      'disbursementId',
    );
  }
  if (disbursement.reversed) {
    throw new FundingRuleViolation(
      'ALREADY_REVERSED',
      `Disbursement ${data.disbursementId} is already reversed`,
      'disbursementId',
    );
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
    }),
  };
}

function setOutputTarget(data: SetOutputTarget['data'], project: RegisteredProject): OutputTargetSet {
  assertUnused(project.indicators, data.indicatorId, 'indicatorId', 'Indicator');
  return {
    type: 'OutputTargetSet',
    data: {
      projectId: data.projectId,
      indicatorId: data.indicatorId,
      name: data.name,
      unit: data.unit,
      target: formatQuantity(data.target),
    },
  };
}

function reportOutput(data: ReportOutput['data'], project: RegisteredProject): OutputReported {
  if (!project.indicators.has(data.indicatorId)) {
    throw new FundingRuleViolation(
      'INDICATOR_NOT_FOUND',
      `Indicator ${data.indicatorId} does not exist`,
      'indicatorId',
    );
  }
  return {
    type: 'OutputReported',
    data: { projectId: data.projectId, indicatorId: data.indicatorId, actual: formatQuantity(data.actual) },
  };
}

function assertUnused(ids: ReadonlyMap<string, unknown>, id: string, field: string, what: string): void {
  if (ids.has(id)) {
    throw new FundingRuleViolation('DUPLICATE_ID', `${what} ${id} already exists in this project`, field);
  }
}

function yuan(fen: Fen): string {
  return `${formatYuan(fen)} yuan`;
}
