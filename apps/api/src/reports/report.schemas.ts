import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageFieldsSchema } from '../openapi/schemas';

/** OpenAPI shapes of the report answers (the DTOs describe the body; these describe what comes back). */
export class ReportSchema {
  @ApiProperty({ example: 'xishan-2024' }) reportId: string;
  @ApiProperty() title: string;
  @ApiPropertyOptional() publisher?: string;
  @ApiPropertyOptional({ example: '2024-09-05' }) publishedAt?: string;
  @ApiPropertyOptional({ example: '2024-08-31' }) asOfEffective?: string;
  @ApiProperty({
    example: [
      {
        statedId: 'changpo-received-total',
        scope: { projectId: 'changpo-shantytown-phase2-plot1' },
        key: 'received_total',
        stated: '111,969.90',
        unit: 'wan',
        citation: { section: '一（二）', quote: '共计到位资金111,969.90万元' },
      },
    ],
  })
  statedFigures: object[];
}

export class ReportSummarySchema {
  @ApiProperty() reportId: string;
  @ApiProperty() title: string;
  @ApiPropertyOptional() publisher?: string;
  @ApiPropertyOptional() publishedAt?: string;
  @ApiPropertyOptional() asOfEffective?: string;
  @ApiProperty({ example: 146 }) statedFigures: number;
  @ApiProperty({ example: 12 }) sums: number;
  @ApiProperty() recordedAt: string;
  @ApiProperty({ example: '1234' }) globalPosition: string;
}

export class ReportPageSchema extends PageFieldsSchema {
  @ApiProperty({ type: [ReportSummarySchema] }) items: ReportSummarySchema[];
}

export class ReportReconciliationSchema {
  @ApiProperty() reportId: string;
  @ApiProperty({ nullable: true, type: String }) asOfEffective: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'as given' }) knownAt: string | null;
  @ApiProperty({
    example: {
      match: 76,
      withinPrintedPrecision: 1,
      mismatch: 1,
      notDerivable: 4,
      notKeyed: 64,
      sumsAddUp: 10,
      sumsWithinPrintedPrecision: 1,
      sumsDoNotAddUp: 1,
    },
  })
  summary: object;
  @ApiProperty({
    example: [
      {
        statedId: 'second-ring-payment-progress',
        scope: { projectId: 'xishan-second-ring-drainage-upgrade' },
        key: 'execution_rate',
        stated: '74.25',
        unit: 'percent',
        recomputed: '74.255258408532',
        status: 'mismatch',
        difference: '-0.005258408532',
        reason: 'truncated',
        arithmetic: '…',
        citation: { section: '三（二）', quote: '支付进度74.25%' },
      },
    ],
  })
  rows: object[];
  @ApiProperty({
    example: [
      {
        statedId: 'new-infra-subprojects-total',
        parts: ['a', 'b'],
        stated: '20',
        unit: '个',
        sumOfParts: '21',
        status: 'does-not-add-up',
        difference: '-1',
        arithmetic: '…',
      },
    ],
  })
  sums: object[];
}
