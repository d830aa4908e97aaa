import { projectEvents } from '../figures/figure-events.testing';
import { emptyDetails, foldDetails, type ProjectDetails } from './project-details';

const p = projectEvents('details');
const fold = (events: { type: string; data: unknown }[]): ProjectDetails =>
  events.reduce((details, event) => foldDetails(details, event as Parameters<typeof foldDetails>[1]), emptyDetails('details'));

describe('project details', () => {
  it('a project that names no department has none (not the text "undefined")', () => {
    const registered = p.registered('100.00');
    const { department: _department, ...withoutDepartment } = registered.data;
    const details = fold([{ type: 'ProjectRegistered', data: withoutDepartment }]);
    expect(details.department).toBeUndefined();
    expect(JSON.stringify(details)).not.toContain('undefined');
    expect(fold([registered]).department).toBe(registered.data.department);
  });

  it('shows approvals, investment completed and every corrected fact, marked with its reason', () => {
    const receipt = p.received('r1', '300.00', 'other');
    const allocation = p.allocated('a1', '100.00');
    const approval = p.approved('ap1', '40.00');
    const details = fold([
      p.registered('1000.00'),
      allocation,
      { ...receipt, data: { ...receipt.data, printed: { unit: 'wan', decimals: 2 } } },
      p.signed('c1', '50.00'),
      approval,
      p.receiptReversed(receipt),
      p.allocationReversed(allocation),
      p.approvalReversed(approval),
      p.amended('c1', '60.00', '50.00'),
      p.investment('20.00'),
      p.investment('30.00'),
      p.targetSet('done', '10'),
      p.ratioSet('accepted', 'done'),
      p.targetRevised('done', '12'),
      p.withdrawn('accepted'),
    ]);
    expect(details.receipts.r1).toMatchObject({
      amount: '300.00',
      printed: { unit: 'wan', decimals: 2 },
      reversed: true,
      reversalReason: 'posted to the wrong project',
    });
    expect(details.allocations.a1).toMatchObject({ reversed: true, reversalReason: 'document withdrawn' });
    expect(details.approvals?.ap1).toMatchObject({ amount: '40.00', reversed: true });
    expect(details.contracts.c1).toEqual({
      counterparty: expect.any(String),
      amount: '60.00',
      amendments: [{ amount: '60.00', previousAmount: '50.00', reason: expect.any(String) }],
    });
    expect(details.investmentCompleted).toEqual({ amount: '30.00' });
    expect(details.indicators.done).toMatchObject({ target: '12', targetRevisions: 1 });
    expect(details.indicators.accepted).toMatchObject({ denominatorIndicatorId: 'done', withdrawn: true, withdrawalReason: 'not in the approved plan' });
    expect(details.indicators.accepted.target).toBeUndefined();
  });
});
