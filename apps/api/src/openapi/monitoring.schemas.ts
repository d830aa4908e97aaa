import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CommandAccepted } from '../commands/command-response';

/** OpenAPI shapes of the monitoring answers (the code returns plain objects of these shapes). */

export class RuleVersionSchema {
  @ApiProperty({ example: 'execution-schedule' }) ruleId: string;
  @ApiProperty({ example: 2 }) version: number;
  @ApiProperty({ enum: ['execution-lag', 'idle-funds', 'output-lag', 'over-arrival'] }) kind: string;
  @ApiProperty({ example: { basis: 'received', checkpoints: [{ by: '06-30', minExecutionRate: '50.00' }] } }) params: object;
  @ApiPropertyOptional({ example: { category: 'drainage' }, description: 'the portfolio filters selecting the projects watched' }) scope?: object;
  @ApiProperty({ example: '2024-01-01', description: 'the day the version applies from' }) effectiveFrom: string;
  @ApiProperty({ example: '2024-03-01T02:00:00.000Z' }) recordedAt: string;
  @ApiProperty({ example: { id: 'officer-1', role: 'budget-officer' } }) actor: object;
  @ApiProperty({ example: '42' }) globalPosition: string;
}

export class RuleSchema {
  @ApiProperty({ example: 'execution-schedule' }) ruleId: string;
  @ApiProperty({ example: 'execution-lag' }) kind: string;
  @ApiProperty({ example: 2 }) latestVersion: number;
  @ApiProperty({ type: [RuleVersionSchema] }) versions: RuleVersionSchema[];
}

export class RuleListSchema {
  @ApiProperty({ type: [RuleSchema] }) rules: RuleSchema[];
}

export class RuleOutcomeSchema {
  @ApiProperty({ example: 'execution-schedule' }) ruleId: string;
  @ApiProperty({ example: 1, description: 'the latest version after the post' }) version: number;
  @ApiProperty({ description: 'false when the post said what the latest version says (nothing appended), or, for the defaults, when the rule already existed' })
  changed: boolean;
}

export class RulesDefinedSchema extends CommandAccepted {
  @ApiProperty({ type: [RuleOutcomeSchema] }) rules: RuleOutcomeSchema[];
}

export class WarningSchema {
  @ApiProperty({ example: 'w-4b1f0c2d9e8a7b6c5d4e3f2a1b0c9d8e', description: 'hash of rule, project and subject: the same log and rules give the same id' })
  warningId: string;
  @ApiProperty({ example: 'execution-schedule' }) ruleId: string;
  @ApiProperty({ example: 1, description: 'the version in force on raisedAsOf: the one that raised it' }) ruleVersion: number;
  @ApiProperty({ example: 'xishan-gas-pipeline-renewal-2022' }) projectId: string;
  @ApiProperty({ example: 'checkpoint/2024-06-30' }) subject: string;
  @ApiProperty({ example: '2024-06-30', description: 'first day of the stretch of days on which it held, up to asOfEffective' }) raisedAsOf: string;
  @ApiProperty({ example: 'execution_rate' }) figure: string;
  @ApiProperty({ example: '30.00', description: 'the measured percent as of asOfEffective' }) value: string;
  @ApiProperty({ example: '50.00', description: 'the limit, percent' }) threshold: string;
  @ApiProperty({ description: 'formula, numerator, denominator and every event behind the value' }) trace: object;
  @ApiProperty({ enum: ['open', 'acknowledged', 'explained', 'resolved'] }) status: string;
}

export class DispositionSchema {
  @ApiProperty({ enum: ['acknowledge', 'explain', 'resolve'] }) action: string;
  @ApiProperty({ nullable: true, type: String }) note: string | null;
  @ApiProperty({ example: { id: 'auditor-1', role: 'auditor' }, description: 'from the token of whoever acted' }) actor: object;
  @ApiProperty({ example: '2024-09-02T01:00:00.000Z', description: 'when it was recorded' }) at: string;
  @ApiPropertyOptional({ description: 'the warning as the actor saw it (rule, version, value, threshold, raisedAsOf)' }) seen?: object;
}

export class WarningDetailSchema {
  @ApiProperty() warningId: string;
  @ApiProperty({ example: '2024-08-31' }) asOfEffective: string;
  @ApiProperty({ description: 'whether the warning holds on asOfEffective' }) raised: boolean;
  @ApiProperty({ enum: ['open', 'acknowledged', 'explained', 'resolved'] }) status: string;
  @ApiProperty({ type: WarningSchema, nullable: true }) warning: WarningSchema | null;
  @ApiProperty({ type: [DispositionSchema] }) dispositions: DispositionSchema[];
}
