import { Body, Controller, HttpCode, Param, Post, Req, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { type Actor, CurrentActor, Roles } from '@fundtrail/auth';
import type { AppendResult } from '@fundtrail/event-store';
import { ExecuteProgrammeCommand, ExecuteProjectCommand, type ProgrammeCommand, type ProgrammeLevel } from '@fundtrail/funding';
import { parseQuantity } from '@fundtrail/money';
import { CommandErrors } from '../commands/command-errors.decorator';
import { accepted, CommandAccepted, commandContext } from '../commands/command-response';
import { ReportOutputDto, SetOutputTargetDto } from '../commands/project.dto';
import { IdempotencyInterceptor } from '../idempotency/idempotency.interceptor';
import { SlugPipe } from '../validation/validation';
import { ChangeProjectProgrammeDto, RegisterProgrammeDto } from './programme.dto';

/** The programme tree's commands: DTO in, command on the bus, 201 with the append's position out. */
@ApiTags('programmes: commands')
@ApiBearerAuth()
@ApiHeader({ name: 'Idempotency-Key', required: false, description: 'same key + same body replays the first answer; same key + other body is 422' })
@Controller('api')
@UseInterceptors(IdempotencyInterceptor)
export class ProgrammeCommandsController {
  constructor(private readonly commands: CommandBus) {}

  private async send(request: Request, actor: Actor, command: ProgrammeCommand, effectiveDate?: string): Promise<CommandAccepted> {
    const result = await this.commands.execute<ExecuteProgrammeCommand, AppendResult>(
      new ExecuteProgrammeCommand(command, commandContext(request, actor, effectiveDate)),
    );
    return accepted(result);
  }

  @Post('programmes')
  @HttpCode(201)
  @Roles('budget-officer')
  @ApiOperation({ summary: 'RegisterProgramme (专项 / 资金项目): a node of the programme tree; its parent must be registered' })
  @ApiBody({ type: RegisterProgrammeDto })
  @ApiResponse({ status: 201, type: CommandAccepted })
  @CommandErrors('DUPLICATE_ID', 'UNKNOWN_PROGRAMME')
  register(@Req() request: Request, @CurrentActor() actor: Actor, @Body() body: RegisterProgrammeDto) {
    const { effectiveDate, level, ...rest } = body;
    return this.send(request, actor, { type: 'RegisterProgramme', data: { ...rest, level: level as ProgrammeLevel | undefined } }, effectiveDate);
  }

  @Post('programmes/:programmeId/indicators')
  @HttpCode(201)
  @Roles('budget-officer')
  @ApiOperation({ summary: "SetOutputTarget on a programme (the programme's own 绩效目标)" })
  @ApiResponse({ status: 201, type: CommandAccepted })
  @CommandErrors('PROGRAMME_NOT_FOUND', 'DUPLICATE_ID')
  setTarget(@Req() request: Request, @CurrentActor() actor: Actor, @Param('programmeId', SlugPipe) programmeId: string, @Body() body: SetOutputTargetDto) {
    const { effectiveDate, target, ...rest } = body;
    return this.send(request, actor, { type: 'SetOutputTarget', data: { ...rest, programmeId, target: parseQuantity(target) } }, effectiveDate);
  }

  @Post('programmes/:programmeId/indicators/:indicatorId/actuals')
  @HttpCode(201)
  @Roles('budget-officer')
  @ApiOperation({ summary: "ReportOutput on a programme's indicator" })
  @ApiResponse({ status: 201, type: CommandAccepted })
  @CommandErrors('PROGRAMME_NOT_FOUND', 'INDICATOR_NOT_FOUND', 'INDICATOR_WITHDRAWN')
  reportOutput(
    @Req() request: Request,
    @CurrentActor() actor: Actor,
    @Param('programmeId', SlugPipe) programmeId: string,
    @Param('indicatorId', SlugPipe) indicatorId: string,
    @Body() body: ReportOutputDto,
  ) {
    return this.send(request, actor, { type: 'ReportOutput', data: { programmeId, indicatorId, actual: parseQuantity(body.actual) } }, body.effectiveDate);
  }

  @Post('projects/:projectId/programme')
  @HttpCode(201)
  @Roles('budget-officer')
  @ApiOperation({ summary: 'ChangeProjectProgramme: the project moves to another programme (ProjectProgrammeChanged, with the reason)' })
  @ApiResponse({ status: 201, type: CommandAccepted })
  @CommandErrors('PROJECT_NOT_FOUND', 'UNKNOWN_PROGRAMME', 'DUPLICATE_ID')
  async changeProgramme(
    @Req() request: Request,
    @CurrentActor() actor: Actor,
    @Param('projectId', SlugPipe) projectId: string,
    @Body() body: ChangeProjectProgrammeDto,
  ) {
    const result = await this.commands.execute<ExecuteProjectCommand, AppendResult>(
      new ExecuteProjectCommand(
        // The handler looks the programme up before the decider sees the command.
        { type: 'ChangeProjectProgramme', data: { projectId, programmeId: body.programmeId, reason: body.reason }, lookedUp: { programmeRegistered: false } },
        commandContext(request, actor, body.effectiveDate),
      ),
    );
    return accepted(result);
  }
}
