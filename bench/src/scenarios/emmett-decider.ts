import type { ProjectCommand } from '@fundtrail/funding';
import { formatYuan, parseYuan } from '@fundtrail/money';

/**
 * The peer's decide/evolve for the append workload (RegisterProject, ReceiveFunds,
 * RecordDisbursement): the same rules as FundTrail's project decider for these commands
 * (unique ids, known receipt/contract, funds available, receipt and contract not exceeded)
 * and the same event data, written the way an Emmett user would: a plain state object, which
 * `evolve` updates in place because the stream's cache owns it (cheaper than ours, if anything).
 */
export type EmmettProjectEvent = { type: string; data: Record<string, unknown> };

interface State {
  registered: boolean;
  receipts: Map<string, { amount: bigint; drawn: bigint }>;
  contracts: Map<string, { amount: bigint; paid: bigint }>;
  disbursements: Set<string>;
  received: bigint;
  disbursed: bigint;
}

export class EmmettRuleViolation extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'EmmettRuleViolation';
  }
}

const strip = (data: Record<string, unknown>) => Object.fromEntries(Object.entries(data).filter(([, v]) => v !== undefined));

export function emmettProjectDecider() {
  const initialState = (): State => ({
    registered: false,
    receipts: new Map(),
    contracts: new Map(),
    disbursements: new Set(),
    received: 0n,
    disbursed: 0n,
  });

  const evolve = (state: State, event: EmmettProjectEvent): State => {
    const data = event.data;
    switch (event.type) {
      case 'ProjectRegistered':
        state.registered = true;
        break;
      case 'FundsReceived': {
        const amount = parseYuan(data.amount);
        state.receipts.set(String(data.receiptId), { amount, drawn: 0n });
        state.received += amount;
        break;
      }
      case 'ContractSigned':
        state.contracts.set(String(data.contractId), { amount: parseYuan(data.amount), paid: 0n });
        break;
      case 'DisbursementRecorded': {
        const amount = parseYuan(data.amount);
        state.disbursements.add(String(data.disbursementId));
        state.disbursed += amount;
        const receipt = typeof data.receiptId === 'string' ? state.receipts.get(data.receiptId) : undefined;
        if (receipt) receipt.drawn += amount;
        const contract = typeof data.contractId === 'string' ? state.contracts.get(data.contractId) : undefined;
        if (contract) contract.paid += amount;
        break;
      }
      default:
        break;
    }
    return state;
  };

  const decide = (command: ProjectCommand, state: State): EmmettProjectEvent[] => {
    if (command.type === 'RegisterProject') {
      if (state.registered) throw new EmmettRuleViolation('DUPLICATE_ID', 'already registered');
      const d = command.data;
      return [
        {
          type: 'ProjectRegistered',
          data: strip({ ...d, plannedTotal: d.plannedTotal === undefined ? undefined : formatYuan(d.plannedTotal) }),
        },
      ];
    }
    if (!state.registered) throw new EmmettRuleViolation('PROJECT_NOT_FOUND', 'not registered');
    if (command.type === 'ReceiveFunds') {
      const d = command.data;
      if (state.receipts.has(d.receiptId)) throw new EmmettRuleViolation('DUPLICATE_ID', 'receipt exists');
      return [{ type: 'FundsReceived', data: strip({ ...d, amount: formatYuan(d.amount) }) }];
    }
    if (command.type === 'RecordDisbursement') {
      const d = command.data;
      if (state.disbursements.has(d.disbursementId)) throw new EmmettRuleViolation('DUPLICATE_ID', 'disbursement exists');
      const receipt = d.receiptId === undefined ? undefined : state.receipts.get(d.receiptId);
      if (d.receiptId !== undefined && !receipt) throw new EmmettRuleViolation('UNKNOWN_RECEIPT', 'no such receipt');
      const contract = d.contractId === undefined ? undefined : state.contracts.get(d.contractId);
      if (d.contractId !== undefined && !contract) throw new EmmettRuleViolation('UNKNOWN_CONTRACT', 'no such contract');
      if (d.amount > state.received - state.disbursed) throw new EmmettRuleViolation('INSUFFICIENT_FUNDS', 'insufficient funds');
      if (receipt && d.amount > receipt.amount - receipt.drawn) throw new EmmettRuleViolation('INSUFFICIENT_FUNDS', 'receipt exhausted');
      if (contract && d.amount > contract.amount - contract.paid) throw new EmmettRuleViolation('CONTRACT_EXCEEDED', 'contract exceeded');
      return [
        {
          type: 'DisbursementRecorded',
          data: strip({
            projectId: d.projectId,
            disbursementId: d.disbursementId,
            amount: formatYuan(d.amount),
            category: d.category,
            categoryLabel: d.categoryLabel,
            receiptId: d.receiptId,
            contractId: d.contractId,
            payee: d.payee,
            voucherRef: d.voucherRef,
          }),
        },
      ];
    }
    throw new EmmettRuleViolation('UNSUPPORTED', `the peer workload has no ${command.type}`);
  };

  return { initialState, evolve, decide };
}
