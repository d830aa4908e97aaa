import type { ProjectCommand } from './project.commands';
import type { AllocationReversed, ContractAmended, ReceiptReversed } from './project.events';
import { commands, events, fold, project, projectId } from './project.fixtures.testing';

const { registered, allocated, received, signed, approved, disbursed, disbursementReversed } = events;
const { receive, reverseReceipt, reverseAllocation, amend, disburse, approve } = commands;

const receiptReversed = (receiptId: string, amount: string, extra: Partial<ReceiptReversed['data']> = {}): ReceiptReversed => ({
  type: 'ReceiptReversed',
  data: { projectId, receiptId, reason: 'posted to the wrong project', amount, source: 'district-budget', ...extra },
});

describe('ReverseReceipt', () => {
  const history = [registered(), allocated('a1', '500.00'), received('r1', '300.00', { allocationId: 'a1', sourceLabel: 'x' }), received('r2', '100.00')];

  it('reverses a receipt, repeating its amount, source and allocation', () => {
    project
      .given(history)
      .when(reverseReceipt('r1'))
      .then([receiptReversed('r1', '300.00', { allocationId: 'a1' })]);
  });

  it('takes the amount out of the totals and gives the allocation its room back', () => {
    const state = fold([...history, receiptReversed('r1', '300.00', { allocationId: 'a1' })]);
    expect(state.receivedTotal).toBe(10_000n);
    expect(state.allocations.get('a1')?.received).toBe(0n);
    expect(state.receipts.get('r1')?.reversed).toBe(true);
    project
      .given([...history, receiptReversed('r1', '300.00', { allocationId: 'a1' })])
      .when(receive('r3', '500.00', { allocationId: 'a1' }))
      .then([received('r3', '500.00', { allocationId: 'a1' })]);
  });

  it('refuses a receipt anything was drawn from (RECEIPT_IN_USE), until that payment is reversed', () => {
    const drawn = [...history, disbursed('pay-1', '0.01', { receiptId: 'r2' })];
    project
      .given(drawn)
      .when(reverseReceipt('r2'))
      .thenThrows('RECEIPT_IN_USE', { field: 'receiptId', message: /0\.01 yuan drawn/ });
    project
      .given([...drawn, disbursementReversed('pay-1', '0.01', { receiptId: 'r2' })])
      .when(reverseReceipt('r2'))
      .then([receiptReversed('r2', '100.00')]);
  });

  it('refuses a receipt a payment approval names (RECEIPT_IN_USE)', () => {
    project
      .given([...history, approved('ap-1', '1.00', { receiptId: 'r2' })])
      .when(reverseReceipt('r2'))
      .thenThrows('RECEIPT_IN_USE', { message: /1\.00 yuan approved/ });
  });

  it('refuses when received would fall below disbursed (INSUFFICIENT_FUNDS), to the fen', () => {
    const pooled = [...history, disbursed('pay-1', '300.00')];
    project
      .given(pooled)
      .when(reverseReceipt('r2'))
      .then([receiptReversed('r2', '100.00')]);
    project
      .given([...pooled, disbursed('pay-2', '0.01')])
      .when(reverseReceipt('r2'))
      .thenThrows('INSUFFICIENT_FUNDS', {
        field: 'receiptId',
        message: /would have received 300\.00 yuan, less than the 300\.01 yuan disbursed/,
      });
  });

  it('refuses when received would fall below approved (INSUFFICIENT_FUNDS)', () => {
    project
      .given([...history, approved('ap-1', '300.01')])
      .when(reverseReceipt('r2'))
      .thenThrows('INSUFFICIENT_FUNDS', { message: /less than the 300\.01 yuan approved/ });
  });

  it('refuses an unknown receipt (404) and a second reversal', () => {
    project.given(history).when(reverseReceipt('r9')).thenThrows('RECEIPT_NOT_FOUND', { field: 'receiptId' });
    project
      .given([...history, receiptReversed('r2', '100.00')])
      .when(reverseReceipt('r2'))
      .thenThrows('ALREADY_REVERSED', { field: 'receiptId' });
  });

  it('keeps a reversed receipt id taken, and refuses to draw on it', () => {
    const reversed = [...history, receiptReversed('r2', '100.00')];
    project.given(reversed).when(receive('r2', '1.00')).thenThrows('DUPLICATE_ID', { field: 'receiptId' });
    project
      .given(reversed)
      .when(disburse('pay-1', '1.00', { receiptId: 'r2' }))
      .thenThrows('UNKNOWN_RECEIPT', { message: /was reversed/ });
  });

  describe('a receipt made from a bond assignment', () => {
    const bondReceipt = received('bond-0123456789abcdef01234567', '700.00', {
      source: 'special-bond',
      bondId: 'sb-2024',
      assignmentId: 'as-1',
    });
    const withBond = [registered(), bondReceipt];
    const systemReversal: ProjectCommand = {
      type: 'ReverseBondReceipt',
      data: {
        projectId,
        receiptId: 'bond-0123456789abcdef01234567',
        bondId: 'sb-2024',
        assignmentId: 'as-1',
        reason: 'assignment reversed',
      },
    };

    it('is refused to a client: the bond assignment is what must be reversed', () => {
      project
        .given(withBond)
        .when(reverseReceipt('bond-0123456789abcdef01234567'))
        .thenThrows('RECEIPT_FROM_BOND', { field: 'receiptId', message: /reverse that assignment instead/ });
    });

    it('is reversed when the system asks, repeating its bond references', () => {
      project
        .given(withBond)
        .when(systemReversal)
        .then([
          receiptReversed('bond-0123456789abcdef01234567', '700.00', {
            reason: 'assignment reversed',
            source: 'special-bond',
            bondId: 'sb-2024',
            assignmentId: 'as-1',
          }),
        ]);
    });

    it('is refused to the system too once anything was drawn from it', () => {
      project
        .given([...withBond, disbursed('pay-1', '1.00', { receiptId: 'bond-0123456789abcdef01234567' })])
        .when(systemReversal)
        .thenThrows('RECEIPT_IN_USE');
    });

    it('must be the receipt of that assignment', () => {
      project
        .given(withBond)
        .when({ ...systemReversal, data: { ...systemReversal.data, assignmentId: 'as-2' } })
        .thenThrows('RECEIPT_NOT_FOUND', { field: 'receiptId' });
      project
        .given([registered(), received('r1', '1.00')])
        .when({ ...systemReversal, data: { ...systemReversal.data, receiptId: 'r1' } })
        .thenThrows('RECEIPT_NOT_FOUND');
    });
  });
});

describe('ReverseAllocation', () => {
  const allocationReversed = (allocationId: string, amount: string): AllocationReversed => ({
    type: 'AllocationReversed',
    data: { projectId, allocationId, reason: 'document withdrawn', amount, source: 'district-budget' },
  });
  const history = [registered(), allocated('a1', '500.00'), allocated('a2', '80.00')];

  it('reverses an allocation, repeating its amount and source', () => {
    project
      .given(history)
      .when(reverseAllocation('a1'))
      .then([allocationReversed('a1', '500.00')]);
  });

  it('refuses while a receipt references it (ALLOCATION_IN_USE), and frees it once that receipt is reversed', () => {
    const withReceipt = [...history, received('r1', '10.00', { allocationId: 'a2' })];
    project.given(withReceipt).when(reverseAllocation('a2')).thenThrows('ALLOCATION_IN_USE', { field: 'allocationId' });
    project
      .given([...withReceipt, receiptReversed('r1', '10.00', { allocationId: 'a2' })])
      .when(reverseAllocation('a2'))
      .then([allocationReversed('a2', '80.00')]);
  });

  it('refuses to receive against a reversed allocation', () => {
    project
      .given([...history, allocationReversed('a1', '500.00')])
      .when(receive('r1', '1.00', { allocationId: 'a1' }))
      .thenThrows('UNKNOWN_ALLOCATION', { field: 'allocationId', message: /was reversed/ });
  });

  it('refuses an unknown allocation (404) and a second reversal', () => {
    project.given(history).when(reverseAllocation('a9')).thenThrows('ALLOCATION_NOT_FOUND', { field: 'allocationId' });
    project
      .given([...history, allocationReversed('a1', '500.00')])
      .when(reverseAllocation('a1'))
      .thenThrows('ALREADY_REVERSED', { field: 'allocationId' });
  });
});

describe('AmendContract', () => {
  const amended = (contractId: string, amount: string, previousAmount: string, extra: Partial<ContractAmended['data']> = {}): ContractAmended => ({
    type: 'ContractAmended',
    data: { projectId, contractId, amount, previousAmount, reason: 'supplementary agreement', ...extra },
  });
  const history = [registered(), received('r1', '1000.00'), signed('c1', '800.00')];

  it('amends a contract up or down, naming the amount it replaces', () => {
    project
      .given(history)
      .when(amend('c1', '900'))
      .then([amended('c1', '900.00', '800.00')]);
    project
      .given([...history, amended('c1', '900.00', '800.00')])
      .when(amend('c1', '700.00'))
      .then([amended('c1', '700.00', '900.00')]);
  });

  it('keeps the printed precision of an amount typed in 万元', () => {
    project
      .given(history)
      .when({
        type: 'AmendContract',
        data: { projectId, contractId: 'c1', amount: 1_200_000n, reason: 'r', printed: { unit: 'wan', decimals: 4 } },
      })
      .then([amended('c1', '12000.00', '800.00', { reason: 'r', printed: { unit: 'wan', decimals: 4 } })]);
  });

  it('refuses an amount below what was paid (CONTRACT_EXCEEDED), and accepts exactly that', () => {
    const paid = [...history, disbursed('pay-1', '300.00', { contractId: 'c1' })];
    project
      .given(paid)
      .when(amend('c1', '300.00'))
      .then([amended('c1', '300.00', '800.00')]);
    project
      .given(paid)
      .when(amend('c1', '299.99'))
      .thenThrows('CONTRACT_EXCEEDED', { field: 'amount', message: /300\.00 yuan paid/ });
  });

  it('refuses an amount below what was approved against it', () => {
    project
      .given([...history, approved('ap-1', '400.00', { contractId: 'c1' })])
      .when(amend('c1', '399.99'))
      .thenThrows('CONTRACT_EXCEEDED', { message: /400\.00 yuan approved/ });
  });

  it('pays against the amended amount', () => {
    const amendedDown = [...history, amended('c1', '100.00', '800.00')];
    project
      .given(amendedDown)
      .when(disburse('pay-1', '100.01', { contractId: 'c1' }))
      .thenThrows('CONTRACT_EXCEEDED');
    project
      .given(amendedDown)
      .when(approve('ap-1', '100.01', { contractId: 'c1' }))
      .thenThrows('CONTRACT_EXCEEDED');
    expect(fold(amendedDown).contracts.get('c1')?.amount).toBe(10_000n);
  });

  it('refuses an unknown contract (404)', () => {
    project.given(history).when(amend('c9', '1.00')).thenThrows('CONTRACT_NOT_FOUND', { field: 'contractId' });
  });
});

describe('corrections on an unregistered project', () => {
  it.each<ProjectCommand>([
    reverseReceipt('r1'),
    reverseAllocation('a1'),
    amend('c1', '1.00'),
    commands.reverseApproval('ap-1'),
    approve('ap-1', '1.00'),
    { type: 'ReverseBondReceipt', data: { projectId, receiptId: 'r1', bondId: 'b', assignmentId: 'a', reason: 'r' } },
    {
      type: 'ChangeProjectProgramme',
      data: { projectId, programmeId: 'p', reason: 'r' },
      lookedUp: { programmeRegistered: true },
    },
    { type: 'ReviseOutputTarget', data: { projectId, indicatorId: 'i', target: 1n, reason: 'r' } },
    { type: 'WithdrawIndicator', data: { projectId, indicatorId: 'i', reason: 'r' } },
  ])('refuses $type', (command) => {
    project.given([]).when(command).thenThrows('PROJECT_NOT_FOUND', { field: 'projectId' });
  });
});
