import { parseQuantity, parseYuan } from '@fundtrail/money';
import { bondReceiptId } from '../shared/derived-ids';
import { spec } from '../testing/decider-spec';
import type { ProjectCommand, ReceiveFunds } from './project.commands';
import { decideProject, evolveProject, initialProjectState, type ProjectState, type RegisteredProject } from './project.decider';
import type {
  ContractSigned,
  DisbursementRecorded,
  DisbursementReversed,
  FundsAllocated,
  FundsReceived,
  OutputTargetSet,
  ProjectEvent,
  ProjectRegistered,
} from './project.events';

const projectId = 'xishan-ring-road';
const project = spec(decideProject, evolveProject, initialProjectState);

// Events as they are stored (yuan strings).
const registered: ProjectRegistered = {
  type: 'ProjectRegistered',
  data: { projectId, name: 'Xishan ring road', department: 'Transport bureau', category: 'transport' },
};
const allocated = (allocationId: string, amount: string): FundsAllocated => ({
  type: 'FundsAllocated',
  data: { projectId, allocationId, source: 'district-budget', amount, fiscalYear: 2024 },
});
const received = (receiptId: string, amount: string, extra: Partial<FundsReceived['data']> = {}): FundsReceived => ({
  type: 'FundsReceived',
  data: { projectId, receiptId, source: 'district-budget', amount, ...extra },
});
const signed = (contractId: string, amount: string): ContractSigned => ({
  type: 'ContractSigned',
  data: { projectId, contractId, counterparty: 'Xishan Construction Co.', amount },
});
const disbursed = (disbursementId: string, amount: string, extra: Partial<DisbursementRecorded['data']> = {}): DisbursementRecorded => ({
  type: 'DisbursementRecorded',
  data: { projectId, disbursementId, amount, category: 'construction', ...extra },
});
const reversed = (disbursementId: string, amount: string, extra: Partial<DisbursementReversed['data']> = {}): DisbursementReversed => ({
  type: 'DisbursementReversed',
  data: { projectId, disbursementId, reason: 'entered twice', amount, category: 'construction', ...extra },
});
const targetSet = (indicatorId: string, target: string): OutputTargetSet => ({
  type: 'OutputTargetSet',
  data: { projectId, indicatorId, name: 'Road built', unit: 'km', target },
});

// Commands as they arrive from the edge (fen).
const receive = (receiptId: string, amount: string, extra: { allocationId?: string } = {}): ProjectCommand => ({
  type: 'ReceiveFunds',
  data: { projectId, receiptId, source: 'district-budget', amount: parseYuan(amount), ...extra },
});
const disburse = (disbursementId: string, amount: string, extra: { receiptId?: string; contractId?: string } = {}): ProjectCommand => ({
  type: 'RecordDisbursement',
  data: { projectId, disbursementId, amount: parseYuan(amount), category: 'construction', ...extra },
});
const reverse = (disbursementId: string): ProjectCommand => ({
  type: 'ReverseDisbursement',
  data: { projectId, disbursementId, reason: 'entered twice' },
});
const allocate = (allocationId: string, amount: string): ProjectCommand => ({
  type: 'AllocateFunds',
  data: { projectId, allocationId, source: 'district-budget', amount: parseYuan(amount), fiscalYear: 2024 },
});
const sign = (contractId: string, amount: string): ProjectCommand => ({
  type: 'SignContract',
  data: { projectId, contractId, counterparty: 'Xishan Construction Co.', amount: parseYuan(amount) },
});
const setTarget = (indicatorId: string, target: string): ProjectCommand => ({
  type: 'SetOutputTarget',
  data: { projectId, indicatorId, name: 'Road built', unit: 'km', target: parseQuantity(target) },
});
const report = (indicatorId: string, actual: string): ProjectCommand => ({
  type: 'ReportOutput',
  data: { projectId, indicatorId, actual: parseQuantity(actual) },
});

const fold = (events: ProjectEvent[]): ProjectState => events.reduce(evolveProject, initialProjectState);
const registeredState = (events: ProjectEvent[]): RegisteredProject => {
  const state = fold(events);
  if (state.status !== 'registered') throw new Error('expected a registered project');
  return state;
};

describe('RegisterProject', () => {
  it('registers a new project, amounts as yuan strings', () => {
    project
      .given([])
      .when({
        type: 'RegisterProject',
        data: {
          ...registered.data,
          plannedTotal: parseYuan('167191600.00'),
          plannedTotalLabel: '总投资',
          fiscalYear: 2024,
        },
      })
      .then([
        {
          type: 'ProjectRegistered',
          data: { ...registered.data, plannedTotal: '167191600.00', plannedTotalLabel: '总投资', fiscalYear: 2024 },
        },
      ]);
  });

  it('leaves absent optional fields out of the event', () => {
    project
      .given([])
      .when({ type: 'RegisterProject', data: { ...registered.data, plannedTotal: undefined, fiscalYear: undefined } })
      .then([registered]);
  });

  it('refuses a project that is already registered', () => {
    project
      .given([registered])
      .when({ type: 'RegisterProject', data: { projectId, name: 'Another', department: 'Other', category: 'other' } })
      .thenThrows('DUPLICATE_ID', { field: 'projectId' });
  });
});

describe('any other command on an unregistered project', () => {
  it.each<ProjectCommand>([
    { type: 'RevisePlannedTotal', data: { projectId, amount: parseYuan('1.00'), reason: 'budget revised' } },
    allocate('alloc-1', '1.00'),
    receive('receipt-1', '1.00'),
    sign('contract-1', '1.00'),
    disburse('pay-1', '1.00'),
    reverse('pay-1'),
    setTarget('length', '1'),
    report('length', '1'),
  ])('refuses $type', (command) => {
    project.given([]).when(command).thenThrows('PROJECT_NOT_FOUND');
  });
});

describe('RevisePlannedTotal', () => {
  it('revises the planned total', () => {
    project
      .given([registered])
      .when({ type: 'RevisePlannedTotal', data: { projectId, amount: parseYuan('200000000.5'), reason: 'scope grew' } })
      .then([{ type: 'PlannedTotalRevised', data: { projectId, amount: '200000000.50', reason: 'scope grew' } }]);
  });

  it('replaces the planned total in the state', () => {
    const state = registeredState([
      { ...registered, data: { ...registered.data, plannedTotal: '100.00' } },
      { type: 'PlannedTotalRevised', data: { projectId, amount: '250.00', reason: 'scope grew' } },
    ]);
    expect(state.plannedTotal).toBe(25_000n);
  });
});

describe('AllocateFunds', () => {
  it('allocates funds', () => {
    project
      .given([registered])
      .when({
        type: 'AllocateFunds',
        data: {
          projectId,
          allocationId: 'alloc-1',
          source: 'other',
          sourceLabel: 'Lottery fund',
          amount: parseYuan('5000000'),
          fiscalYear: 2024,
          documentRef: 'XCZ[2024]12',
        },
      })
      .then([
        {
          type: 'FundsAllocated',
          data: {
            projectId,
            allocationId: 'alloc-1',
            source: 'other',
            sourceLabel: 'Lottery fund',
            amount: '5000000.00',
            fiscalYear: 2024,
            documentRef: 'XCZ[2024]12',
          },
        },
      ]);
  });

  it('refuses an allocation id already used', () => {
    project
      .given([registered, allocated('alloc-1', '100.00')])
      .when(allocate('alloc-1', '50.00'))
      .thenThrows('DUPLICATE_ID', { field: 'allocationId' });
  });
});

describe('ReceiveFunds', () => {
  it('receives funds with no allocation', () => {
    project
      .given([registered])
      .when(receive('receipt-1', '100'))
      .then([received('receipt-1', '100.00')]);
  });

  it('receives funds against an allocation, with its bond reference', () => {
    const bondAllocation: FundsAllocated = { type: 'FundsAllocated', data: { ...allocated('alloc-1', '100.00').data, source: 'special-bond' } };
    project
      .given([registered, bondAllocation])
      .when({
        type: 'ReceiveFunds',
        data: {
          projectId,
          receiptId: 'receipt-1',
          source: 'special-bond',
          amount: parseYuan('60.00'),
          allocationId: 'alloc-1',
          bondId: 'bond-2024-07',
          assignmentId: 'assign-1',
          fiscalYear: 2024,
        },
      })
      .then([
        received('receipt-1', '60.00', {
          source: 'special-bond',
          allocationId: 'alloc-1',
          bondId: 'bond-2024-07',
          assignmentId: 'assign-1',
          fiscalYear: 2024,
        }),
      ]);
  });

  it('refuses a receipt id already used', () => {
    project
      .given([registered, received('receipt-1', '100.00')])
      .when(receive('receipt-1', '1.00'))
      .thenThrows('DUPLICATE_ID', { field: 'receiptId' });
  });

  it('refuses an allocation the project does not hold', () => {
    project
      .given([registered])
      .when(receive('receipt-1', '1.00', { allocationId: 'alloc-9' }))
      .thenThrows('UNKNOWN_ALLOCATION', { field: 'allocationId' });
  });

  it('accepts exactly the unreceived part of an allocation', () => {
    project
      .given([registered, allocated('alloc-1', '100.00'), received('receipt-1', '60.00', { allocationId: 'alloc-1' })])
      .when(receive('receipt-2', '40.00', { allocationId: 'alloc-1' }))
      .then([received('receipt-2', '40.00', { allocationId: 'alloc-1' })]);
  });

  it('refuses more than the unreceived part of a partially received allocation', () => {
    project
      .given([registered, allocated('alloc-1', '100.00'), received('receipt-1', '60.00', { allocationId: 'alloc-1' })])
      .when(receive('receipt-2', '40.01', { allocationId: 'alloc-1' }))
      .thenThrows('ALLOCATION_EXCEEDED', {
        field: 'amount',
        message: /40\.00 yuan not yet received; requested 40\.01 yuan/,
      });
  });

  it('refuses a receipt of another source against an allocation, whatever its amount', () => {
    project
      .given([registered, allocated('alloc-1', '100.00')])
      .when({
        type: 'ReceiveFunds',
        data: { projectId, receiptId: 'receipt-1', source: 'central-subsidy', amount: parseYuan('1.00'), allocationId: 'alloc-1' },
      })
      .thenThrows('SOURCE_MISMATCH', { field: 'source', message: /alloc-1 is district-budget money; a central-subsidy receipt/ });
  });

  it('names an unknown allocation before a source mismatch, and a mismatch before an excess', () => {
    const central = (allocationId: string, amount: string): ProjectCommand => ({
      type: 'ReceiveFunds',
      data: { projectId, receiptId: 'receipt-1', source: 'central-subsidy', amount: parseYuan(amount), allocationId },
    });
    project.given([registered]).when(central('alloc-9', '1.00')).thenThrows('UNKNOWN_ALLOCATION', { field: 'allocationId' });
    project
      .given([registered, allocated('alloc-1', '100.00')])
      .when(central('alloc-1', '100.01'))
      .thenThrows('SOURCE_MISMATCH', { field: 'source' });
  });

  it("refuses a receipt id in the derived shape that is not its own assignment's", () => {
    const derived = bondReceiptId('bond-2024-07', 'assign-1');
    const bondReceipt = (extra: Partial<ReceiveFunds['data']>): ProjectCommand => ({
      type: 'ReceiveFunds',
      data: { projectId, receiptId: derived, source: 'special-bond', amount: parseYuan('60.00'), ...extra },
    });
    project
      .given([registered])
      .when(bondReceipt({}))
      .thenThrows('RESERVED_ID', { field: 'receiptId', message: /reserved/ });
    project
      .given([registered])
      .when(bondReceipt({ bondId: 'bond-2024-07' }))
      .thenThrows('RESERVED_ID', { field: 'receiptId' });
    project
      .given([registered])
      .when(bondReceipt({ bondId: 'bond-2024-07', assignmentId: 'assign-2' }))
      .thenThrows('RESERVED_ID', { field: 'receiptId' });
    project
      .given([registered])
      .when(bondReceipt({ receiptId: `bond-${'0'.repeat(24)}`, bondId: 'bond-2024-07', assignmentId: 'assign-1' }))
      .thenThrows('RESERVED_ID', { field: 'receiptId' });
    project
      .given([registered])
      .when(bondReceipt({ bondId: 'bond-2024-07', assignmentId: 'assign-1' }))
      .then([received(derived, '60.00', { source: 'special-bond', bondId: 'bond-2024-07', assignmentId: 'assign-1' })]);
  });

  it("refuses the reserved shape before a duplicate: a taken derived id is still not the client's to use", () => {
    const derived = bondReceiptId('bond-2024-07', 'assign-1');
    project
      .given([registered, received(derived, '1.00')])
      .when({ type: 'ReceiveFunds', data: { projectId, receiptId: derived, source: 'self-raised', amount: parseYuan('1.00') } })
      .thenThrows('RESERVED_ID', { field: 'receiptId' });
  });

  it('accepts ids that only begin like a derived one', () => {
    project
      .given([registered])
      .when(receive('bond-2024', '1.00'))
      .then([received('bond-2024', '1.00')]);
  });

  it('does not count receipts of other allocations or none', () => {
    project
      .given([
        registered,
        allocated('alloc-1', '100.00'),
        allocated('alloc-2', '100.00'),
        received('receipt-1', '100.00', { allocationId: 'alloc-2' }),
        received('receipt-2', '500.00'),
      ])
      .when(receive('receipt-3', '100.00', { allocationId: 'alloc-1' }))
      .then([received('receipt-3', '100.00', { allocationId: 'alloc-1' })]);
  });
});

describe('SignContract', () => {
  it('signs a contract', () => {
    project
      .given([registered])
      .when(sign('contract-1', '800'))
      .then([signed('contract-1', '800.00')]);
  });

  it('refuses a contract id already used', () => {
    project
      .given([registered, signed('contract-1', '800.00')])
      .when(sign('contract-1', '1.00'))
      .thenThrows('DUPLICATE_ID', { field: 'contractId' });
  });
});

describe('RecordDisbursement', () => {
  const funded = [registered, received('receipt-1', '100.00'), signed('contract-1', '80.00')];

  it('records a disbursement from the pooled funds', () => {
    project
      .given(funded)
      .when(disburse('pay-1', '30'))
      .then([disbursed('pay-1', '30.00')]);
  });

  it('records a disbursement drawn from a receipt against a contract, with its details', () => {
    project
      .given(funded)
      .when({
        type: 'RecordDisbursement',
        data: {
          projectId,
          disbursementId: 'pay-1',
          amount: parseYuan('30.00'),
          category: 'other',
          categoryLabel: 'Relocation',
          receiptId: 'receipt-1',
          contractId: 'contract-1',
          payee: 'Xishan Construction Co.',
          voucherRef: 'V-0001',
        },
      })
      .then([
        disbursed('pay-1', '30.00', {
          category: 'other',
          categoryLabel: 'Relocation',
          receiptId: 'receipt-1',
          contractId: 'contract-1',
          payee: 'Xishan Construction Co.',
          voucherRef: 'V-0001',
        }),
      ]);
  });

  it('refuses a disbursement id already used', () => {
    project
      .given([...funded, disbursed('pay-1', '10.00')])
      .when(disburse('pay-1', '10.00'))
      .thenThrows('DUPLICATE_ID', { field: 'disbursementId' });
  });

  it('refuses a disbursement id already used even after its reversal', () => {
    project
      .given([...funded, disbursed('pay-1', '10.00'), reversed('pay-1', '10.00')])
      .when(disburse('pay-1', '10.00'))
      .thenThrows('DUPLICATE_ID', { field: 'disbursementId' });
  });

  it('accepts exactly the available balance', () => {
    project
      .given([...funded, disbursed('pay-1', '60.00')])
      .when(disburse('pay-2', '40.00'))
      .then([disbursed('pay-2', '40.00')]);
  });

  it('refuses more than was received and not yet disbursed, naming both amounts', () => {
    project
      .given([...funded, disbursed('pay-1', '60.00')])
      .when(disburse('pay-2', '40.01'))
      .thenThrows('INSUFFICIENT_FUNDS', {
        field: 'amount',
        message: /available balance 40\.00 yuan, requested 40\.01 yuan/,
      });
  });

  it('refuses any disbursement before money is received', () => {
    project.given([registered]).when(disburse('pay-1', '0.01')).thenThrows('INSUFFICIENT_FUNDS', { field: 'amount' });
  });

  it('counts a reversed disbursement as available again', () => {
    project
      .given([...funded, disbursed('pay-1', '100.00'), reversed('pay-1', '100.00')])
      .when(disburse('pay-2', '100.00'))
      .then([disbursed('pay-2', '100.00')]);
  });

  it('refuses a receipt the project does not hold', () => {
    project
      .given(funded)
      .when(disburse('pay-1', '1.00', { receiptId: 'receipt-9' }))
      .thenThrows('UNKNOWN_RECEIPT', { field: 'receiptId' });
  });

  it('refuses a contract the project does not hold', () => {
    project
      .given(funded)
      .when(disburse('pay-1', '1.00', { contractId: 'contract-9' }))
      .thenThrows('UNKNOWN_CONTRACT', { field: 'contractId' });
  });

  it('names an unknown receipt before an insufficient balance', () => {
    project
      .given([registered])
      .when(disburse('pay-1', '1.00', { receiptId: 'receipt-9' }))
      .thenThrows('UNKNOWN_RECEIPT');
  });

  it('draws a receipt exactly to its amount, then refuses 0.01 more', () => {
    const history = [...funded, received('receipt-2', '500.00'), disbursed('pay-1', '60.00', { receiptId: 'receipt-1' })];
    project
      .given(history)
      .when(disburse('pay-2', '40.00', { receiptId: 'receipt-1' }))
      .then([disbursed('pay-2', '40.00', { receiptId: 'receipt-1' })]);
    project
      .given([...history, disbursed('pay-2', '40.00', { receiptId: 'receipt-1' })])
      .when(disburse('pay-3', '0.01', { receiptId: 'receipt-1' }))
      .thenThrows('INSUFFICIENT_FUNDS', {
        field: 'amount',
        message: /receipt receipt-1: 0\.00 yuan undrawn, requested 0\.01 yuan/,
      });
  });

  it('refuses a receipt-drawn disbursement the pool cannot cover, even if the receipt is undrawn', () => {
    project
      .given([...funded, disbursed('pay-1', '100.00')])
      .when(disburse('pay-2', '1.00', { receiptId: 'receipt-1' }))
      .thenThrows('INSUFFICIENT_FUNDS', { message: /available balance 0\.00 yuan/ });
  });

  it('frees a reversed amount on its receipt', () => {
    project
      .given([
        ...funded,
        received('receipt-2', '500.00'),
        disbursed('pay-1', '100.00', { receiptId: 'receipt-1' }),
        reversed('pay-1', '100.00', { receiptId: 'receipt-1' }),
      ])
      .when(disburse('pay-2', '100.00', { receiptId: 'receipt-1' }))
      .then([disbursed('pay-2', '100.00', { receiptId: 'receipt-1' })]);
  });

  it('pays a contract exactly to its amount, then refuses 0.01 more', () => {
    const history = [...funded, disbursed('pay-1', '50.00', { contractId: 'contract-1' })];
    project
      .given(history)
      .when(disburse('pay-2', '30.00', { contractId: 'contract-1' }))
      .then([disbursed('pay-2', '30.00', { contractId: 'contract-1' })]);
    project
      .given([...history, disbursed('pay-2', '30.00', { contractId: 'contract-1' })])
      .when(disburse('pay-3', '0.01', { contractId: 'contract-1' }))
      .thenThrows('CONTRACT_EXCEEDED', { field: 'amount', message: /0\.00 yuan left to pay; requested 0\.01 yuan/ });
  });

  it('frees a reversed amount on its contract', () => {
    project
      .given([...funded, disbursed('pay-1', '80.00', { contractId: 'contract-1' }), reversed('pay-1', '80.00', { contractId: 'contract-1' })])
      .when(disburse('pay-2', '80.00', { contractId: 'contract-1' }))
      .then([disbursed('pay-2', '80.00', { contractId: 'contract-1' })]);
  });
});

describe('ReverseDisbursement', () => {
  const paid = [
    registered,
    received('receipt-1', '100.00'),
    signed('contract-1', '80.00'),
    disbursed('pay-1', '30.00', {
      category: 'land-and-taxes',
      receiptId: 'receipt-1',
      contractId: 'contract-1',
      payee: 'X',
    }),
    disbursed('pay-2', '5.00'),
  ];

  it('reverses a disbursement, repeating what it undoes', () => {
    project
      .given(paid)
      .when(reverse('pay-1'))
      .then([reversed('pay-1', '30.00', { category: 'land-and-taxes', receiptId: 'receipt-1', contractId: 'contract-1' })]);
  });

  it('reverses a pooled disbursement without receipt or contract keys', () => {
    project
      .given(paid)
      .when(reverse('pay-2'))
      .then([reversed('pay-2', '5.00')]);
  });

  it('refuses a disbursement the project does not hold', () => {
    project.given(paid).when(reverse('pay-9')).thenThrows('DISBURSEMENT_NOT_FOUND', { field: 'disbursementId' });
  });

  it('refuses a disbursement already reversed', () => {
    project
      .given([...paid, reversed('pay-2', '5.00')])
      .when(reverse('pay-2'))
      .thenThrows('ALREADY_REVERSED', { field: 'disbursementId' });
  });

  it('gives the amount back to the pool, the receipt and the contract', () => {
    const before = registeredState(paid);
    const after = registeredState([...paid, reversed('pay-1', '30.00', { category: 'land-and-taxes', receiptId: 'receipt-1', contractId: 'contract-1' })]);
    expect(before.disbursedTotal).toBe(3_500n);
    expect(after.disbursedTotal).toBe(500n);
    expect(after.receipts.get('receipt-1')?.drawn).toBe(0n);
    expect(after.contracts.get('contract-1')?.paid).toBe(0n);
    expect(after.disbursements.get('pay-1')?.reversed).toBe(true);
  });
});

describe('SetOutputTarget', () => {
  it('sets an output target as a quantity string', () => {
    project
      .given([registered])
      .when(setTarget('length', '12.5000'))
      .then([targetSet('length', '12.5')]);
  });

  it('refuses an indicator id already used', () => {
    project
      .given([registered, targetSet('length', '12.5')])
      .when(setTarget('length', '3'))
      .thenThrows('DUPLICATE_ID', { field: 'indicatorId' });
  });
});

describe('ReportOutput', () => {
  it('reports an output', () => {
    project
      .given([registered, targetSet('length', '12.5')])
      .when(report('length', '7.25'))
      .then([{ type: 'OutputReported', data: { projectId, indicatorId: 'length', actual: '7.25' } }]);
  });

  it('refuses an indicator the project does not hold', () => {
    project.given([registered]).when(report('length', '1')).thenThrows('INDICATOR_NOT_FOUND', { field: 'indicatorId' });
  });

  it('keeps the latest report as the actual', () => {
    const state = registeredState([
      registered,
      targetSet('length', '12.5'),
      { type: 'OutputReported', data: { projectId, indicatorId: 'length', actual: '3' } },
      { type: 'OutputReported', data: { projectId, indicatorId: 'length', actual: '7.25' } },
    ]);
    expect(state.indicators.get('length')).toEqual({ target: 125_000n, actual: 72_500n });
  });
});

describe('evolveProject', () => {
  it('keeps the totals in fen', () => {
    const state = registeredState([
      registered,
      allocated('alloc-1', '100.00'),
      received('receipt-1', '60.00', { allocationId: 'alloc-1' }),
      received('receipt-2', '0.01'),
      disbursed('pay-1', '10.00', { receiptId: 'receipt-1' }),
    ]);
    expect(state.receivedTotal).toBe(6_001n);
    expect(state.disbursedTotal).toBe(1_000n);
    expect(state.allocations.get('alloc-1')?.received).toBe(6_000n);
    expect(state.receipts.get('receipt-1')?.drawn).toBe(1_000n);
  });

  it('ignores history before the project is registered', () => {
    expect(fold([received('receipt-1', '1.00')])).toEqual(initialProjectState);
  });
});
