import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { FigureSchema, ProjectSummarySchema } from '../openapi/schemas';

/** OpenAPI shapes of the portfolio and programme answers. */
class TimeEchoSchema {
  @ApiProperty({ nullable: true, type: String, example: '2024-06-30', description: 'as sent; null when not sent' }) asOfEffective: string | null;
  @ApiProperty({ nullable: true, type: String, example: null, description: 'as sent; null when not sent' }) knownAt: string | null;
  @ApiProperty({ example: '787480576001', description: 'global position the figures are as of' }) asOfPosition: string;
}

export class PortfolioFiguresSchema extends TimeEchoSchema {
  @ApiProperty({ example: { region: 'yunnan/kunming' }, description: 'the filters applied' }) filter: object;
  @ApiProperty({ example: 11, description: 'projects selected (with an event by then)' }) projectCount: number;
  @ApiProperty({ type: [FigureSchema] }) figures: FigureSchema[];
}

export class BreakdownGroupSchema {
  @ApiProperty({ nullable: true, type: String, example: 'yunnan/kunming/xishan', description: 'null: projects without one' }) group: string | null;
  @ApiProperty({ example: 'yunnan/kunming/xishan', description: 'the programme name, or the group itself' }) label: string;
  @ApiProperty({ example: 3 }) projectCount: number;
  @ApiProperty({ type: [FigureSchema] }) figures: FigureSchema[];
}

export class BreakdownSchema extends TimeEchoSchema {
  @ApiProperty({ enum: ['programme', 'region', 'department', 'category', 'source'] }) by: string;
  @ApiProperty({ description: 'the filters applied' }) filter: object;
  @ApiProperty({
    type: [BreakdownGroupSchema],
    description: 'ordered by group, projects without one last; by=source: a project counts once per source it received from',
  })
  groups: BreakdownGroupSchema[];
}

export class PortfolioTraceProjectSchema {
  @ApiProperty() projectId: string;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) value: string | null;
  @ApiPropertyOptional() numerator?: string;
  @ApiPropertyOptional() denominator?: string;
}

export class PortfolioTraceSchema extends TimeEchoSchema {
  @ApiProperty({ example: 'execution_rate' }) key: string;
  @ApiProperty() formula: string;
  @ApiProperty({ example: 1 }) formulaVersion: number;
  @ApiProperty({ nullable: true, type: String }) value: string | null;
  @ApiPropertyOptional({ description: "rates: Σ of the projects' numerators" }) numerator?: string;
  @ApiPropertyOptional({ description: "rates: Σ of the projects' denominators" }) denominator?: string;
  @ApiProperty({ description: "the value equals the one folded again from every selected project's stream in the log" }) matches: boolean;
  @ApiProperty({
    type: [PortfolioTraceProjectSchema],
    description: "the projects whose terms the figure sums; each one's own trace is GET /api/projects/:id/figures/:key/trace",
  })
  projects: PortfolioTraceProjectSchema[];
}

export class ProjectListItemSchema extends ProjectSummarySchema {
  @ApiPropertyOptional() programmeId?: string;
  @ApiPropertyOptional({ example: 'yunnan/kunming/xishan' }) region?: string;
}

export class FilteredProjectListSchema extends TimeEchoSchema {
  @ApiProperty({ type: [ProjectListItemSchema], description: 'headline figures, plus the sort and filter figures' }) items: ProjectListItemSchema[];
  @ApiProperty({ example: 11, description: 'projects that pass every filter' }) total: number;
  @ApiProperty({ example: 1 }) page: number;
  @ApiProperty({ example: 20 }) pageSize: number;
}

export class ProgrammeViewSchema extends TimeEchoSchema {
  @ApiProperty({ example: { programmeId: 'xishan-2024', name: '西山区2024年', level: 'district', region: 'yunnan/kunming/xishan' } }) programme: object;
  @ApiProperty({ description: 'the programmes directly under it' }) children: object[];
  @ApiProperty({ description: 'the projects registered directly under it' }) projects: object[];
  @ApiProperty({ description: 'its own output indicators: name, unit, target, actual' }) indicators: object;
  @ApiProperty({ example: 4, description: 'projects in its scope (it and its descendants)' }) projectCount: number;
  @ApiProperty({ type: [FigureSchema], description: 'the portfolio figures of its scope, then its own indicators as output_completion:<indicatorId>' })
  figures: FigureSchema[];
}
