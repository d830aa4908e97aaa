import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** OpenAPI shapes of the answers (the code returns plain objects of these shapes). */
export class FieldErrorSchema {
  @ApiProperty({ example: 'amount' }) field: string;
  @ApiProperty({ example: 'IS_YUAN' }) code: string;
  @ApiProperty({ example: 'amount must have at most 2 decimal places' }) message: string;
}

export class ProblemSchema {
  @ApiProperty({ example: 'https://fundtrail.dev/problems/insufficient-funds' }) type: string;
  @ApiProperty({ example: 'Conflict' }) title: string;
  @ApiProperty({ example: 409 }) status: number;
  @ApiProperty({ example: 'available balance is 40.00 yuan, 40.01 yuan requested' }) detail: string;
  @ApiProperty({ example: 'INSUFFICIENT_FUNDS', description: 'stable, machine-readable' }) code: string;
  @ApiPropertyOptional({ example: '/api/projects/demo/disbursements' }) instance?: string;
  @ApiPropertyOptional({ type: [FieldErrorSchema] }) errors?: FieldErrorSchema[];
}

export class LabelSchema {
  @ApiProperty({ example: '资金到位率' }) zh: string;
  @ApiProperty({ example: 'arrival rate' }) en: string;
}

export class FigureSchema {
  @ApiProperty({
    example: 'arrival_rate',
    description:
      'planned_total, allocated_total, received_total, disbursed_total, available_balance, approved_total, investment_completed (yuan); arrival_rate, execution_rate, allocation_execution_rate, contract_payment_progress, approval_rate, investment_completion_rate, receipt_usage_rate:<receiptId>, output_completion:<indicatorId> (percent); output_target:<indicatorId>, output_actual:<indicatorId> (quantity); received_by_source:<source>, disbursed_by_category:<category> (yuan)',
  })
  key: string;
  @ApiProperty({ type: LabelSchema }) label: LabelSchema;
  @ApiProperty({
    example: '50.74',
    nullable: true,
    type: String,
    description: 'yuan string for amounts, percent string for rates; null with reason when unknown',
  })
  value: string | null;
  @ApiProperty({ example: '50.74%' }) display: string;
  @ApiProperty({
    enum: ['yuan', 'percent', 'quantity'],
    description:
      "yuan: amounts (a yuan string); percent: rates; quantity: an indicator's target or actual (output_target:, output_actual:), in the indicator's own unit",
  })
  unit: string;
  @ApiProperty({ example: 'Σ receipts excluding carry-over / planned_total × 100, rounded half-up to 2 decimals' }) formula: string;
  @ApiProperty({ example: 1 }) formulaVersion: number;
  @ApiPropertyOptional({ example: '227000000.00' }) numerator?: string;
  @ApiPropertyOptional({ example: '447408400.00' }) denominator?: string;
  @ApiProperty({ example: '787480576001', description: 'global position the figure is as of' }) asOfPosition: string;
  @ApiPropertyOptional({ example: 'planned total not recorded' }) reason?: string;
}

export class ProjectFiguresSchema {
  @ApiProperty() projectId: string;
  @ApiProperty() asOfPosition: string;
  @ApiProperty({ type: [FigureSchema] }) figures: FigureSchema[];
}

/** The paging fields of an answer that grows with the project (events, history, figures, a project, a trace). */
export class PageFieldsSchema {
  @ApiProperty({ example: 1, description: 'this page, from 1' }) page: number;
  @ApiProperty({ example: 100, description: 'items per page (default 100, at most 1000)' }) pageSize: number;
  @ApiProperty({ example: 131, description: 'items in the whole list (events, figures or terms)' }) total: number;
  @ApiProperty({
    nullable: true,
    type: String,
    example: '/api/projects/demo/events?page=2&pageSize=100&toPosition=787480576001',
    description: 'the next page (this path and query with page moved on); null on the last page',
  })
  next: string | null;
}

export class ProjectFiguresPageSchema extends PageFieldsSchema {
  @ApiProperty() projectId: string;
  @ApiProperty({ nullable: true, type: String, description: 'as given; null: every effective day' }) asOfEffective: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'as given; null: everything recorded' }) knownAt: string | null;
  @ApiProperty() asOfPosition: string;
  @ApiProperty({ type: [FigureSchema], description: 'this page of the figures: the fixed ones first, then per receipt, indicator, source and category' })
  figures: FigureSchema[];
}

export class ProjectPageSchema extends PageFieldsSchema {
  @ApiProperty({ nullable: true, type: String, description: 'as given; null: every effective day' }) asOfEffective: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'as given; null: everything recorded' }) knownAt: string | null;
  @ApiProperty({ description: 'names, allocations, receipts, contracts, indicators; eventCount, lastPosition' }) project: object;
  @ApiProperty({ type: [FigureSchema], description: 'this page of the figures' }) figures: FigureSchema[];
  @ApiProperty() asOfPosition: string;
}

export class EventViewSchema {
  @ApiProperty() eventId: string;
  @ApiProperty({ example: 'FundsReceived' }) type: string;
  @ApiProperty() streamId: string;
  @ApiProperty() streamRevision: string;
  @ApiProperty() globalPosition: string;
  @ApiProperty({ example: '2024-08-08T01:02:03.456Z' }) recordedAt: string;
  @ApiProperty({ example: '2024-08-08' }) effectiveDate: string;
  @ApiProperty({ example: { id: 'clerk-wang', role: 'clerk' } }) actor: object;
  @ApiProperty() correlationId: string;
  @ApiProperty() causationId: string;
  @ApiProperty() data: object;
  @ApiProperty() hash: string;
  @ApiProperty() prevHash: string;
}

export class EventsPageSchema extends PageFieldsSchema {
  @ApiProperty() projectId: string;
  @ApiProperty({ description: 'events on this page (total: all that match)' }) count: number;
  @ApiProperty({ type: [EventViewSchema], description: 'in stream order' }) events: EventViewSchema[];
}

export class HistoryPageSchema extends PageFieldsSchema {
  @ApiProperty() projectId: string;
  @ApiProperty({ description: 'as given' }) asOf: string;
  @ApiProperty({ type: [FigureSchema], description: 'this page of the figures as they stood' }) figures: FigureSchema[];
  @ApiProperty() asOfPosition: string;
  @ApiProperty({ description: 'how many events the figures fold' }) events: number;
  @ApiProperty() project: object;
}

export class ProjectSummarySchema {
  @ApiProperty() projectId: string;
  @ApiProperty() name: string;
  @ApiProperty() department: string;
  @ApiProperty() category: string;
  @ApiProperty({ type: [FigureSchema], description: 'headline figures' }) figures: FigureSchema[];
}

export class ProjectListSchema {
  @ApiProperty({ type: [ProjectSummarySchema] }) items: ProjectSummarySchema[];
  @ApiProperty({ example: 11 }) total: number;
  @ApiProperty({ example: 1 }) page: number;
  @ApiProperty({ example: 20 }) pageSize: number;
  @ApiProperty() asOfPosition: string;
}

export class TracedTermSchema {
  @ApiProperty() eventId: string;
  @ApiProperty({ example: 'DisbursementRecorded' }) type: string;
  @ApiProperty() globalPosition: string;
  @ApiProperty() streamRevision: string;
  @ApiProperty() recordedAt: string;
  @ApiProperty({ example: '2024-08-08' }) effectiveDate: string;
  @ApiProperty({ example: { id: 'clerk-wang', role: 'clerk' } }) actor: object;
  @ApiProperty({ enum: ['numerator', 'denominator'] }) term: string;
  @ApiProperty({ enum: ['add', 'set'] }) mode: string;
  @ApiProperty({
    example: '-100.00',
    description:
      'negative for what a correction takes back (DisbursementReversed, ReceiptReversed, AllocationReversed, PaymentApprovalReversed; ContractAmended moves a contract by amount − previousAmount)',
  })
  signedAmount: string;
  @ApiProperty({ description: 'false for a stated value a later event replaced' }) effective: boolean;
}

export class TraceSchema extends FigureSchema {
  @ApiProperty({ type: [TracedTermSchema], description: 'this page of the terms (total: all of them)' }) terms: TracedTermSchema[];
  @ApiProperty({ nullable: true, type: String, description: 'what the read model says (with a time: the figure folded from every event of that cut)' })
  storedValue: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'as given; null: every effective day' }) asOfEffective: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'as given; null: everything recorded' }) knownAt: string | null;
  @ApiProperty({ description: 'the value recomputed from all the events (every page) equals the read model' }) matches: boolean;
  @ApiProperty({ example: 1 }) page: number;
  @ApiProperty({ example: 100 }) pageSize: number;
  @ApiProperty({ example: 10000, description: 'terms in the whole trace' }) total: number;
  @ApiProperty({ nullable: true, type: String, description: 'the next page of terms; null on the last page' }) next: string | null;
}

export class VerifySchema {
  @ApiProperty() ok: boolean;
  @ApiProperty() events: number;
  @ApiProperty() streams: number;
  @ApiProperty() asOfPosition: string;
  @ApiProperty({ example: { ok: false, brokenLinks: [{ streamId: 'project-demo', streamRevision: '3', eventId: '…', problem: 'hash-mismatch' }] } })
  hashChains: object;
  @ApiProperty({
    example: {
      ok: true,
      projects: 11,
      differences: [],
      missing: [],
      unexpected: [],
      unreadable: [],
      bonds: 5,
      bondDifferences: [],
      programmes: 4,
      programmeDifferences: [],
      reports: 1,
      reportDifferences: [],
    },
  })
  readModels: object;
  @ApiProperty({
    description:
      'every bond assignment against its project receipt (exists, same amount, bond, assignment and source kind) and every receipt that names a bond. problem: receipt-missing | receipt-id-taken | receipt-differs | unknown-bond | no-assignment | receipt-not-reversed (a reversed assignment whose receipt still counts) | receipt-reversed-alone; pending (receipt-pending, receipt-reversal-pending): assignments or reversals the bond process has not reached yet (not a failure)',
    example: {
      ok: false,
      assignments: 5,
      bondReceipts: 5,
      broken: [
        {
          problem: 'receipt-id-taken',
          streamId: 'bond-b1',
          eventId: '…',
          globalPosition: '…',
          projectId: 'p1',
          bondId: 'b1',
          assignmentId: 'a1',
          receiptId: 'bond-4f1c…',
          detail: '…',
        },
      ],
      pending: [],
    },
  })
  crossLinks: object;
  @ApiProperty({
    description:
      'warnings are computed on read; their dispositions are replayed through the disposition workflow: every stored disposition must be what the workflow records from the state before it. problem: not-allowed | not-as-decided | wrong-stream | unknown-type',
    example: { ok: true, warnings: 2, dispositions: 3, problems: [] },
  })
  monitoring: object;
}
