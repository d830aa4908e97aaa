import { ApiProperty } from '@nestjs/swagger';
import type { Request } from 'express';
import type { Actor } from '@fundtrail/auth';
import type { AppendResult } from '@fundtrail/event-store';
import type { CommandContext } from '@fundtrail/funding';
import { correlationIdOf } from '../logging/correlation';

/** 201 body of every command: where the events landed, for read-your-writes (`minPosition`). */
export class CommandAccepted {
  @ApiProperty({ example: 'project-xishan-drainage-2021' })
  streamId: string;
  @ApiProperty({ example: 3, description: 'revision of the last event appended to the stream' })
  streamRevision: number;
  @ApiProperty({ example: 787480576001, description: 'global position of the last event; pass as minPosition to read your write' })
  globalPosition: number;
  @ApiProperty({ type: [String], example: ['0b0c6a4e-8f0e-4a57-9a43-2a4b8c1f5e11'] })
  eventIds: string[];
}

function safeNumber(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError('position beyond the exact range of JSON numbers');
  return Number(value);
}

export function accepted(result: AppendResult): CommandAccepted {
  return {
    streamId: result.streamId,
    streamRevision: safeNumber(result.streamRevision),
    globalPosition: safeNumber(result.globalPosition),
    eventIds: result.eventIds,
  };
}

/** Actor from the token; the request's correlation id (the one its log lines carry). */
export function commandContext(request: Request, actor: Actor, effectiveDate?: string): CommandContext {
  const idempotencyKey = request.headers['idempotency-key'];
  return {
    actor: { id: actor.id, role: actor.role },
    correlationId: correlationIdOf(request),
    idempotencyKey: typeof idempotencyKey === 'string' ? idempotencyKey : undefined,
    effectiveDate,
  };
}
