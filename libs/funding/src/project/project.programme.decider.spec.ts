import { parseAmount } from '@fundtrail/money';
import type { RegisterProject } from './project.commands';
import { events, fold, project, projectId } from './project.fixtures.testing';

const register = (data: Partial<RegisterProject['data']>, lookedUp?: RegisterProject['lookedUp']): RegisterProject => ({
  type: 'RegisterProject',
  data: { projectId, name: 'Prefecture road', category: 'transport', ...data },
  ...(lookedUp !== undefined && { lookedUp }),
});

describe('RegisterProject in a programme and a region', () => {
  it('registers without a department, in a programme, with a region, keeping the planned total as printed', () => {
    const planned = parseAmount('12.5', 'yi');
    project
      .given([])
      .when(
        register(
          {
            programmeId: 'county-roads',
            region: 'yunnan/kunming/xishan',
            plannedTotal: planned.fen,
            printed: planned.printed,
          },
          { programmeRegistered: true },
        ),
      )
      .then([
        {
          type: 'ProjectRegistered',
          data: {
            projectId,
            name: 'Prefecture road',
            category: 'transport',
            plannedTotal: '1250000000.00',
            programmeId: 'county-roads',
            region: 'yunnan/kunming/xishan',
            printed: { unit: 'yi', decimals: 1 },
          },
        },
      ]);
  });

  it('refuses a programme that is not registered, or that nobody looked up', () => {
    project
      .given([])
      .when(register({ programmeId: 'county-roads' }, { programmeRegistered: false }))
      .thenThrows('UNKNOWN_PROGRAMME', { field: 'programmeId' });
    project
      .given([])
      .when(register({ programmeId: 'county-roads' }))
      .thenThrows('UNKNOWN_PROGRAMME', { field: 'programmeId' });
  });

  it('needs no look-up without a programme, and writes the event as before (old logs stay the same)', () => {
    project
      .given([])
      .when(register({ department: 'Transport bureau' }))
      .then([events.registered()]);
  });

  it('keeps no printed precision without a planned total', () => {
    project
      .given([])
      .when(register({ printed: { unit: 'wan', decimals: 2 } }))
      .then([{ type: 'ProjectRegistered', data: { projectId, name: 'Prefecture road', category: 'transport' } }]);
  });

  it('remembers the programme in the state', () => {
    expect(fold([events.registered({ programmeId: 'p1' })]).programmeId).toBe('p1');
  });
});

describe('ChangeProjectProgramme', () => {
  const change = (programmeId: string, programmeRegistered = true) =>
    ({
      type: 'ChangeProjectProgramme',
      data: { projectId, programmeId, reason: 'moved to the county programme' },
      lookedUp: { programmeRegistered },
    }) as const;

  it('moves a project into a programme, naming the one it leaves', () => {
    project
      .given([events.registered({ programmeId: 'p1' })])
      .when(change('p2'))
      .then([
        {
          type: 'ProjectProgrammeChanged',
          data: { projectId, programmeId: 'p2', reason: 'moved to the county programme', previousProgrammeId: 'p1' },
        },
      ]);
    project
      .given([events.registered()])
      .when(change('p2'))
      .then([
        {
          type: 'ProjectProgrammeChanged',
          data: { projectId, programmeId: 'p2', reason: 'moved to the county programme' },
        },
      ]);
  });

  it('refuses an unregistered programme, and the programme the project is already in', () => {
    project.given([events.registered()]).when(change('p2', false)).thenThrows('UNKNOWN_PROGRAMME', { field: 'programmeId' });
    project
      .given([
        events.registered({ programmeId: 'p1' }),
        {
          type: 'ProjectProgrammeChanged',
          data: { projectId, programmeId: 'p2', reason: 'r', previousProgrammeId: 'p1' },
        },
      ])
      .when(change('p2'))
      .thenThrows('DUPLICATE_ID', { field: 'programmeId' });
  });
});

describe('printed precision on money events', () => {
  it('is kept on receipts, allocations, contracts, disbursements and planned-total revisions as given', () => {
    const printed = { unit: 'wan', decimals: 2 } as const;
    const history = [events.registered(), events.received('r0', '1000000.00')];
    project
      .given(history)
      .when({
        type: 'ReceiveFunds',
        data: { projectId, receiptId: 'r1', source: 'other', amount: 123_450_000n, printed },
      })
      .then([{ type: 'FundsReceived', data: { projectId, receiptId: 'r1', source: 'other', amount: '1234500.00', printed } }]);
    project
      .given(history)
      .when({
        type: 'AllocateFunds',
        data: { projectId, allocationId: 'a1', source: 'other', amount: 10_000n, fiscalYear: 2024, printed },
      })
      .then([
        {
          type: 'FundsAllocated',
          data: { projectId, allocationId: 'a1', source: 'other', amount: '100.00', fiscalYear: 2024, printed },
        },
      ]);
    project
      .given(history)
      .when({
        type: 'SignContract',
        data: { projectId, contractId: 'c1', counterparty: 'x', amount: 10_000n, printed },
      })
      .then([{ type: 'ContractSigned', data: { projectId, contractId: 'c1', counterparty: 'x', amount: '100.00', printed } }]);
    project
      .given(history)
      .when({
        type: 'RecordDisbursement',
        data: { projectId, disbursementId: 'd1', amount: 10_000n, category: 'other', printed },
      })
      .then([
        {
          type: 'DisbursementRecorded',
          data: { projectId, disbursementId: 'd1', amount: '100.00', category: 'other', printed },
        },
      ]);
    project
      .given(history)
      .when({ type: 'RevisePlannedTotal', data: { projectId, amount: 10_000n, reason: 'r', printed } })
      .then([{ type: 'PlannedTotalRevised', data: { projectId, amount: '100.00', reason: 'r', printed } }]);
  });

  it('is never carried onto a reversal: the reversed amount cancels its original exactly', () => {
    const printed = { unit: 'wan', decimals: 2 } as const;
    project
      .given([events.registered(), events.received('r1', '1234500.00', { printed })])
      .when({ type: 'ReverseReceipt', data: { projectId, receiptId: 'r1', reason: 'r' } })
      .then([
        {
          type: 'ReceiptReversed',
          data: { projectId, receiptId: 'r1', reason: 'r', amount: '1234500.00', source: 'district-budget' },
        },
      ]);
  });
});
