import { parseYuan } from '@fundtrail/money';
import { commands, events, fold, project, projectId } from './project.fixtures.testing';

const { registered, received, signed, approved, disbursed, disbursementReversed } = events;
const { approve, disburse, reverseApproval, reverseDisbursement } = commands;

describe('ApprovePayment (核拨)', () => {
  const funded = [registered(), received('r1', '100.00'), received('r2', '50.00'), signed('c1', '80.00')];

  it('approves a payment, with its receipt and contract', () => {
    project
      .given(funded)
      .when(approve('ap-1', '60', { receiptId: 'r1', contractId: 'c1' }))
      .then([approved('ap-1', '60.00', { receiptId: 'r1', contractId: 'c1' })]);
  });

  it('approves against the pooled funds', () => {
    project
      .given(funded)
      .when(approve('ap-1', '150.00'))
      .then([approved('ap-1', '150.00')]);
  });

  it('refuses an approval id already used, even once reversed', () => {
    const history = [...funded, approved('ap-1', '10.00')];
    project.given(history).when(approve('ap-1', '1.00')).thenThrows('DUPLICATE_ID', { field: 'approvalId' });
    project
      .given([...history, { type: 'PaymentApprovalReversed', data: { projectId, approvalId: 'ap-1', reason: 'x', amount: '10.00' } }])
      .when(approve('ap-1', '1.00'))
      .thenThrows('DUPLICATE_ID', { field: 'approvalId' });
  });

  it('keeps Σ approved within what was received, exactly to the fen', () => {
    const history = [...funded, approved('ap-1', '100.00')];
    project
      .given(history)
      .when(approve('ap-2', '50.00'))
      .then([approved('ap-2', '50.00')]);
    project
      .given(history)
      .when(approve('ap-2', '50.01'))
      .thenThrows('INSUFFICIENT_FUNDS', { field: 'amount', message: /50\.00 yuan received and not yet approved/ });
  });

  it('counts a reversed approval as unapproved again', () => {
    project
      .given([
        ...funded,
        approved('ap-1', '150.00'),
        { type: 'PaymentApprovalReversed', data: { projectId, approvalId: 'ap-1', reason: 'x', amount: '150.00' } },
      ])
      .when(approve('ap-2', '150.00'))
      .then([approved('ap-2', '150.00')]);
  });

  it('keeps approvals against a receipt within its amount', () => {
    const history = [...funded, approved('ap-1', '40.00', { receiptId: 'r2' })];
    project
      .given(history)
      .when(approve('ap-2', '10.01', { receiptId: 'r2' }))
      .thenThrows('INSUFFICIENT_FUNDS', { message: /Receipt r2 has 10\.00 yuan not yet approved/ });
    project
      .given(history)
      .when(approve('ap-2', '10.00', { receiptId: 'r2' }))
      .then([approved('ap-2', '10.00', { receiptId: 'r2' })]);
  });

  it('keeps approvals against a contract within its amount', () => {
    project
      .given([...funded, approved('ap-1', '70.00', { contractId: 'c1' })])
      .when(approve('ap-2', '10.01', { contractId: 'c1' }))
      .thenThrows('CONTRACT_EXCEEDED', { field: 'amount' });
  });

  it('names an unknown or reversed receipt and an unknown contract before any balance', () => {
    project
      .given([registered()])
      .when(approve('ap-1', '1.00', { receiptId: 'r9' }))
      .thenThrows('UNKNOWN_RECEIPT');
    project
      .given([registered()])
      .when(approve('ap-1', '1.00', { contractId: 'c9' }))
      .thenThrows('UNKNOWN_CONTRACT');
    project
      .given([
        ...funded,
        {
          type: 'ReceiptReversed',
          data: { projectId, receiptId: 'r2', reason: 'x', amount: '50.00', source: 'district-budget' },
        },
      ])
      .when(approve('ap-1', '1.00', { receiptId: 'r2' }))
      .thenThrows('UNKNOWN_RECEIPT', { field: 'receiptId', message: /was reversed/ });
  });

  it('keeps the printed precision of an amount typed in 亿元', () => {
    project
      .given([registered(), received('r1', '200000000.00')])
      .when(approve('ap-1', '123000000', { printed: { unit: 'yi', decimals: 2 } }))
      .then([approved('ap-1', '123000000.00', { printed: { unit: 'yi', decimals: 2 } })]);
  });

  it('treats a precision the amount does not fit as a bug at the edge, not a refusal', () => {
    expect(() =>
      project
        .given([registered(), received('r1', '200000000.00')])
        .when(approve('ap-1', '123000000.01', { printed: { unit: 'yi', decimals: 2 } }))
        .then([]),
    ).toThrow(RangeError);
  });
});

describe('RecordDisbursement against an approval', () => {
  const approvedFunds = [
    registered(),
    received('r1', '100.00'),
    received('r2', '100.00'),
    signed('c1', '80.00'),
    approved('ap-1', '60.00', { receiptId: 'r1', contractId: 'c1' }),
    approved('ap-2', '30.00'),
  ];

  it('pays against an approval, drawing on its receipt and contract', () => {
    project
      .given(approvedFunds)
      .when(disburse('pay-1', '60.00', { approvalId: 'ap-1' }))
      .then([disbursed('pay-1', '60.00', { receiptId: 'r1', contractId: 'c1', approvalId: 'ap-1' })]);
  });

  it('accepts the approval’s own receipt and contract named again', () => {
    project
      .given(approvedFunds)
      .when(disburse('pay-1', '1.00', { approvalId: 'ap-1', receiptId: 'r1', contractId: 'c1' }))
      .then([disbursed('pay-1', '1.00', { receiptId: 'r1', contractId: 'c1', approvalId: 'ap-1' })]);
  });

  it('lets a pooled approval be paid from any receipt', () => {
    project
      .given(approvedFunds)
      .when(disburse('pay-1', '30.00', { approvalId: 'ap-2', receiptId: 'r2' }))
      .then([disbursed('pay-1', '30.00', { receiptId: 'r2', approvalId: 'ap-2' })]);
  });

  it('refuses another receipt or contract than the approval’s', () => {
    project
      .given(approvedFunds)
      .when(disburse('pay-1', '1.00', { approvalId: 'ap-1', receiptId: 'r2' }))
      .thenThrows('APPROVAL_MISMATCH', { field: 'receiptId' });
    project
      .given([...approvedFunds, signed('c2', '10.00')])
      .when(disburse('pay-1', '1.00', { approvalId: 'ap-1', contractId: 'c2' }))
      .thenThrows('APPROVAL_MISMATCH', { field: 'contractId' });
  });

  it('pays an approval exactly to its amount, then refuses 0.01 more', () => {
    const history = [...approvedFunds, disbursed('pay-1', '20.00', { receiptId: 'r1', contractId: 'c1', approvalId: 'ap-1' })];
    project
      .given(history)
      .when(disburse('pay-2', '40.00', { approvalId: 'ap-1' }))
      .then([disbursed('pay-2', '40.00', { receiptId: 'r1', contractId: 'c1', approvalId: 'ap-1' })]);
    project
      .given(history)
      .when(disburse('pay-2', '40.01', { approvalId: 'ap-1' }))
      .thenThrows('APPROVAL_EXCEEDED', { field: 'amount', message: /40\.00 yuan left to pay; requested 40\.01 yuan/ });
  });

  it('checks the pool, the receipt and the contract before the approval', () => {
    project
      .given([registered(), received('r1', '100.00'), approved('ap-1', '100.00', { receiptId: 'r1' }), disbursed('pay-0', '90.00', { receiptId: 'r1' })])
      .when(disburse('pay-1', '20.00', { approvalId: 'ap-1' }))
      .thenThrows('INSUFFICIENT_FUNDS', { message: /available balance 10\.00 yuan/ });
  });

  it('refuses an approval the project does not hold, or one that was reversed', () => {
    project
      .given(approvedFunds)
      .when(disburse('pay-1', '1.00', { approvalId: 'ap-9' }))
      .thenThrows('UNKNOWN_APPROVAL', {
        field: 'approvalId',
      });
    project
      .given([...approvedFunds, { type: 'PaymentApprovalReversed', data: { projectId, approvalId: 'ap-2', reason: 'x', amount: '30.00' } }])
      .when(disburse('pay-1', '1.00', { approvalId: 'ap-2' }))
      .thenThrows('UNKNOWN_APPROVAL', { message: /was reversed/ });
  });

  it('does not require an approval once approvals exist', () => {
    project
      .given(approvedFunds)
      .when(disburse('pay-1', '50.00'))
      .then([disbursed('pay-1', '50.00')]);
  });

  it('gives an approval its room back when its payment is reversed, and repeats the approval in the reversal', () => {
    const paid = [...approvedFunds, disbursed('pay-1', '60.00', { receiptId: 'r1', contractId: 'c1', approvalId: 'ap-1' })];
    project
      .given(paid)
      .when(reverseDisbursement('pay-1'))
      .then([disbursementReversed('pay-1', '60.00', { receiptId: 'r1', contractId: 'c1', approvalId: 'ap-1' })]);
    const state = fold([...paid, disbursementReversed('pay-1', '60.00', { receiptId: 'r1', contractId: 'c1', approvalId: 'ap-1' })]);
    expect(state.approvals.get('ap-1')?.paid).toBe(0n);
    expect(state.receipts.get('r1')?.drawn).toBe(0n);
  });
});

describe('ReversePaymentApproval', () => {
  const history = [registered(), received('r1', '100.00'), signed('c1', '80.00'), approved('ap-1', '60.00', { receiptId: 'r1', contractId: 'c1' })];

  it('reverses an approval, repeating what it undoes', () => {
    project
      .given(history)
      .when(reverseApproval('ap-1', 'approved against the wrong contract'))
      .then([
        {
          type: 'PaymentApprovalReversed',
          data: {
            projectId,
            approvalId: 'ap-1',
            reason: 'approved against the wrong contract',
            amount: '60.00',
            receiptId: 'r1',
            contractId: 'c1',
          },
        },
      ]);
  });

  it('gives the amount back to the totals, the receipt and the contract', () => {
    const state = fold([
      ...history,
      {
        type: 'PaymentApprovalReversed',
        data: { projectId, approvalId: 'ap-1', reason: 'x', amount: '60.00', receiptId: 'r1', contractId: 'c1' },
      },
    ]);
    expect([state.approvedTotal, state.receipts.get('r1')?.approved, state.contracts.get('c1')?.approved]).toEqual([0n, 0n, 0n]);
    expect(state.approvals.get('ap-1')?.reversed).toBe(true);
  });

  it('refuses while anything is paid against it, and again once the payment is reversed it is free', () => {
    const paid = [...history, disbursed('pay-1', '0.01', { receiptId: 'r1', contractId: 'c1', approvalId: 'ap-1' })];
    project
      .given(paid)
      .when(reverseApproval('ap-1'))
      .thenThrows('APPROVAL_IN_USE', { field: 'approvalId', message: /0\.01 yuan paid/ });
    project
      .given([...paid, disbursementReversed('pay-1', '0.01', { receiptId: 'r1', contractId: 'c1', approvalId: 'ap-1' })])
      .when(reverseApproval('ap-1'))
      .then([
        {
          type: 'PaymentApprovalReversed',
          data: {
            projectId,
            approvalId: 'ap-1',
            reason: 'approved twice',
            amount: '60.00',
            receiptId: 'r1',
            contractId: 'c1',
          },
        },
      ]);
  });

  it('refuses an unknown approval (404) and a second reversal', () => {
    project.given(history).when(reverseApproval('ap-9')).thenThrows('APPROVAL_NOT_FOUND', { field: 'approvalId' });
    project
      .given([
        ...history,
        {
          type: 'PaymentApprovalReversed',
          data: { projectId, approvalId: 'ap-1', reason: 'x', amount: '60.00', receiptId: 'r1', contractId: 'c1' },
        },
      ])
      .when(reverseApproval('ap-1'))
      .thenThrows('ALREADY_REVERSED', { field: 'approvalId' });
  });
});

describe('ReportInvestmentCompleted (完成投资)', () => {
  it('reports the value of work done, whatever was paid', () => {
    project
      .given([registered()])
      .when({
        type: 'ReportInvestmentCompleted',
        data: { projectId, amount: parseYuan('2500000000'), printed: { unit: 'yi', decimals: 1 } },
      })
      .then([
        {
          type: 'InvestmentCompletedReported',
          data: { projectId, amount: '2500000000.00', printed: { unit: 'yi', decimals: 1 } },
        },
      ]);
  });

  it('accepts a lower report later: the latest report stands', () => {
    project
      .given([registered(), { type: 'InvestmentCompletedReported', data: { projectId, amount: '900.00' } }])
      .when({ type: 'ReportInvestmentCompleted', data: { projectId, amount: parseYuan('800.00') } })
      .then([{ type: 'InvestmentCompletedReported', data: { projectId, amount: '800.00' } }]);
  });

  it('needs a registered project', () => {
    project
      .given([])
      .when({ type: 'ReportInvestmentCompleted', data: { projectId, amount: 1n } })
      .thenThrows('PROJECT_NOT_FOUND', { field: 'projectId' });
  });
});
