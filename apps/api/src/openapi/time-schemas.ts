import { ApiProperty } from '@nestjs/swagger';
import { FigureSchema, PageFieldsSchema, TracedTermSchema } from './schemas';

/** OpenAPI shapes of the answers about figures in time (restatement, series, back-dated entries). */
export class RestatementSchema {
  @ApiProperty() projectId: string;
  @ApiProperty({ example: 'execution_rate' }) key: string;
  @ApiProperty({ example: '2024-08-31', description: 'as given' }) asOfEffective: string;
  @ApiProperty({ example: '2024-09-05T18:00:00+08:00', description: 'as given' }) knownAt: string;
  @ApiProperty({ type: FigureSchema, nullable: true, description: 'the figure for that day as the books stood at knownAt; null when it was no figure then' })
  then: FigureSchema | null;
  @ApiProperty({ type: FigureSchema, nullable: true, description: 'the figure for that day as the books stand now; null when it is no figure any more' })
  now: FigureSchema | null;
  @ApiProperty({ type: [TracedTermSchema], description: "the figure's terms now that were recorded after knownAt (all effective on or before asOfEffective)" })
  changedBy: TracedTermSchema[];
}

export class SeriesPointSchema {
  @ApiProperty({ example: '2024-08', description: '2024-08 (month), 2024-Q3 (quarter), 2024 (year)' }) period: string;
  @ApiProperty({ example: '2024-08-31', description: 'the last day of the period: the figures are as of it' }) asOfEffective: string;
  @ApiProperty({ example: 12, description: 'events folded into this point; 0 before anything took effect' }) events: number;
  @ApiProperty({ type: [FigureSchema], description: 'the asked figures that exist at this point, in the order asked' }) figures: FigureSchema[];
}

export class PortfolioSeriesPointSchema extends SeriesPointSchema {
  @ApiProperty({ example: 11, description: 'projects with at least one event in this point' }) projects: number;
}

class SeriesEchoSchema {
  @ApiProperty({ type: [String], example: ['received_total', 'execution_rate'] }) keys: string[];
  @ApiProperty({ enum: ['month', 'quarter', 'year'] }) interval: string;
  @ApiProperty({ nullable: true, type: String, description: 'as given' }) from: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'as given' }) to: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'as given' }) knownAt: string | null;
}

export class ProjectSeriesSchema extends SeriesEchoSchema {
  @ApiProperty() projectId: string;
  @ApiProperty({ type: [SeriesPointSchema] }) points: SeriesPointSchema[];
}

export class PortfolioSeriesSchema extends SeriesEchoSchema {
  @ApiProperty({ description: 'projects the series is over' }) projects: number;
  @ApiProperty({ type: [PortfolioSeriesPointSchema] }) points: PortfolioSeriesPointSchema[];
}

export class BackdatedEntrySchema {
  @ApiProperty() eventId: string;
  @ApiProperty({ example: 'project-xishan-drainage' }) streamId: string;
  @ApiProperty({ example: 'DisbursementRecorded' }) type: string;
  @ApiProperty() globalPosition: string;
  @ApiProperty({ example: '2024-06-30' }) effectiveDate: string;
  @ApiProperty({ example: '2024-09-05T02:00:00.000Z' }) recordedAt: string;
  @ApiProperty({ example: '2024-09-05', description: 'the date of recordedAt in Asia/Shanghai' }) recordingDay: string;
  @ApiProperty({ example: 67, description: 'recordingDay − effectiveDate, in days' }) lagDays: number;
  @ApiProperty({ example: { id: 'clerk-wang', role: 'clerk' } }) actor: object;
}

export class BackdatedPageSchema extends PageFieldsSchema {
  @ApiProperty({ example: 30 }) graceDays: number;
  @ApiProperty({ nullable: true, type: String, description: 'first recording day, as given' }) from: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'last recording day, as given' }) to: string | null;
  @ApiProperty({ type: [BackdatedEntrySchema], description: 'this page, in log order' }) items: BackdatedEntrySchema[];
}
