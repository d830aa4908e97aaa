import { createHash, randomUUID } from 'node:crypto';
import { bureauDayOf } from '@fundtrail/calendar';
import type { EventMetadata, NewEvent } from '@fundtrail/event-store';

/** Who asked, why, and when it happened: everything about a command that is not the command itself. */
export interface CommandContext {
  actor: { id: string; role: string };
  correlationId: string;
  causationId?: string;
  idempotencyKey?: string;
  /** ISO date the fact happened; defaults to today in the bureau's time zone. */
  effectiveDate?: string;
}

/**
 * Event ids: random, except under an idempotency key, where (actor, key, stream, index) fixes them,
 * so a retry that gets as far as the append is recognised by the store as the same append.
 */
function eventIdFor(context: CommandContext, streamId: string, index: number): string {
  if (!context.idempotencyKey) return randomUUID();
  return keyedEventId(context.actor.id, context.idempotencyKey, streamId, index);
}

/** The ids the first `count` events a command under this actor and key appends to `streamId` get. */
export function idempotentEventIds(actorId: string, idempotencyKey: string, streamId: string, count: number): string[] {
  return Array.from({ length: count }, (_, index) => keyedEventId(actorId, idempotencyKey, streamId, index));
}

function keyedEventId(actorId: string, idempotencyKey: string, streamId: string, index: number): string {
  const digest = createHash('sha256').update(`${actorId}\n${idempotencyKey}\n${streamId}\n${index}`).digest('hex');
  // RFC 9562 layout (version 8, variant 10) over the digest's first 128 bits.
  const variant = ((parseInt(digest[16], 16) & 0x3) | 0x8).toString(16);
  return `${digest.slice(0, 8)}-${digest.slice(8, 12)}-8${digest.slice(13, 16)}-${variant}${digest.slice(17, 20)}-${digest.slice(20, 32)}`;
}

export function toNewEvents(streamId: string, events: { type: string; data: Record<string, unknown> }[], context: CommandContext): NewEvent[] {
  const metadata: EventMetadata = {
    actor: { id: context.actor.id, role: context.actor.role },
    correlationId: context.correlationId,
    causationId: context.causationId ?? context.correlationId,
    // Today in the district's calendar (Asia/Shanghai), so "today" does not flip at 08:00 local time.
    effectiveDate: context.effectiveDate ?? bureauDayOf(new Date()),
    schemaVersion: 1,
    ...(context.idempotencyKey ? { idempotencyKey: context.idempotencyKey } : {}),
  };
  return events.map((event, index) => ({
    eventId: eventIdFor(context, streamId, index),
    type: event.type,
    data: event.data,
    metadata,
  }));
}
