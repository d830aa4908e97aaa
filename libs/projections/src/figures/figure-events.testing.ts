import type { RecordedEvent } from '@fundtrail/event-store';
import type {
  AllocationReversed,
  BondEvent,
  ContractAmended,
  ContractSigned,
  DisbursementCategory,
  DisbursementRecorded,
  DisbursementReversed,
  FundingSource,
  FundsAllocated,
  FundsReceived,
  IndicatorWithdrawn,
  InvestmentCompletedReported,
  OutputReported,
  OutputTargetRevised,
  OutputTargetSet,
  PaymentApprovalReversed,
  PaymentApproved,
  PlannedTotalRevised,
  ProgrammeEvent,
  ProjectEvent,
  ProjectRegistered,
  ReceiptReversed,
} from '@fundtrail/funding';

/** Stored project events (yuan strings) for figure specs, and a way to give them a place in the log. */
export function projectEvents(projectId: string) {
  return {
    registered: (plannedTotal?: string): ProjectRegistered => ({
      type: 'ProjectRegistered',
      data: {
        projectId,
        name: projectId,
        department: '西山区住房和城乡建设局',
        category: 'infrastructure',
        ...(plannedTotal !== undefined && { plannedTotal }),
      },
    }),
    revised: (amount: string): PlannedTotalRevised => ({
      type: 'PlannedTotalRevised',
      data: { projectId, amount, reason: 'budget adjustment' },
    }),
    allocated: (allocationId: string, amount: string, source: FundingSource = 'district-budget'): FundsAllocated => ({
      type: 'FundsAllocated',
      data: { projectId, allocationId, source, amount, fiscalYear: 2024 },
    }),
    received: (receiptId: string, amount: string, source: FundingSource = 'special-bond'): FundsReceived => ({
      type: 'FundsReceived',
      data: { projectId, receiptId, source, amount },
    }),
    signed: (contractId: string, amount: string): ContractSigned => ({
      type: 'ContractSigned',
      data: { projectId, contractId, counterparty: 'Xishan Construction Co.', amount },
    }),
    disbursed: (
      disbursementId: string,
      amount: string,
      refs: { category?: DisbursementCategory; receiptId?: string; contractId?: string } = {},
    ): DisbursementRecorded => ({
      type: 'DisbursementRecorded',
      data: {
        projectId,
        disbursementId,
        amount,
        category: refs.category ?? 'construction',
        ...(refs.receiptId !== undefined && { receiptId: refs.receiptId }),
        ...(refs.contractId !== undefined && { contractId: refs.contractId }),
      },
    }),
    /** Repeats what it undoes, as the decider writes it. */
    reversed: (of: DisbursementRecorded): DisbursementReversed => ({
      type: 'DisbursementReversed',
      data: {
        projectId,
        disbursementId: of.data.disbursementId,
        reason: 'voucher entered twice',
        amount: of.data.amount,
        category: of.data.category,
        ...(of.data.receiptId !== undefined && { receiptId: of.data.receiptId }),
        ...(of.data.contractId !== undefined && { contractId: of.data.contractId }),
      },
    }),
    targetSet: (indicatorId: string, target: string): OutputTargetSet => ({
      type: 'OutputTargetSet',
      data: { projectId, indicatorId, name: indicatorId, unit: '吨', target },
    }),
    /** An indicator measured against another one's actual (验收率 = accepted / completed). */
    ratioSet: (indicatorId: string, denominatorIndicatorId: string, target?: string): OutputTargetSet => ({
      type: 'OutputTargetSet',
      data: {
        projectId,
        indicatorId,
        name: indicatorId,
        unit: '个',
        denominatorIndicatorId,
        ...(target !== undefined && { target }),
      },
    }),
    reported: (indicatorId: string, actual: string): OutputReported => ({
      type: 'OutputReported',
      data: { projectId, indicatorId, actual },
    }),
    targetRevised: (indicatorId: string, target: string): OutputTargetRevised => ({
      type: 'OutputTargetRevised',
      data: { projectId, indicatorId, target, reason: 'plan adjusted' },
    }),
    withdrawn: (indicatorId: string): IndicatorWithdrawn => ({
      type: 'IndicatorWithdrawn',
      data: { projectId, indicatorId, reason: 'not in the approved plan' },
    }),
    /** Repeats what it undoes, as the decider writes it. */
    receiptReversed: (of: FundsReceived): ReceiptReversed => ({
      type: 'ReceiptReversed',
      data: {
        projectId,
        receiptId: of.data.receiptId,
        reason: 'posted to the wrong project',
        amount: of.data.amount,
        source: of.data.source,
        ...(of.data.allocationId !== undefined && { allocationId: of.data.allocationId }),
      },
    }),
    allocationReversed: (of: FundsAllocated): AllocationReversed => ({
      type: 'AllocationReversed',
      data: {
        projectId,
        allocationId: of.data.allocationId,
        reason: 'document withdrawn',
        amount: of.data.amount,
        source: of.data.source,
      },
    }),
    amended: (contractId: string, amount: string, previousAmount: string): ContractAmended => ({
      type: 'ContractAmended',
      data: { projectId, contractId, amount, previousAmount, reason: 'supplementary agreement' },
    }),
    approved: (approvalId: string, amount: string, refs: { receiptId?: string; contractId?: string } = {}): PaymentApproved => ({
      type: 'PaymentApproved',
      data: { projectId, approvalId, amount, ...refs },
    }),
    approvalReversed: (of: PaymentApproved): PaymentApprovalReversed => ({
      type: 'PaymentApprovalReversed',
      data: {
        projectId,
        approvalId: of.data.approvalId,
        reason: 'approved twice',
        amount: of.data.amount,
        ...(of.data.receiptId !== undefined && { receiptId: of.data.receiptId }),
        ...(of.data.contractId !== undefined && { contractId: of.data.contractId }),
      },
    }),
    investment: (amount: string): InvestmentCompletedReported => ({
      type: 'InvestmentCompletedReported',
      data: { projectId, amount },
    }),
  };
}

/** Events as the store returns them: one stream, consecutive revisions and positions. */
export function recordedStream(streamId: string, events: ReadonlyArray<ProjectEvent | BondEvent | ProgrammeEvent>, firstPosition = 1n): RecordedEvent[] {
  return events.map((event, index) => ({
    eventId: `${streamId}-event-${index}`,
    type: event.type,
    streamId,
    streamRevision: BigInt(index),
    globalPosition: firstPosition + BigInt(index),
    recordedAt: new Date(Date.UTC(2024, 7, 8, 9, index)),
    data: event.data,
    metadata: {
      actor: { id: 'clerk-wang', role: 'clerk' },
      correlationId: `corr-${index}`,
      causationId: `cause-${index}`,
      effectiveDate: '2024-08-08',
      schemaVersion: 1,
    },
    hash: `hash-${index}`,
    prevHash: index === 0 ? '' : `hash-${index - 1}`,
  }));
}
