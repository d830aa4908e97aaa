import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import type { EventMetadata } from './event-store.port';

/** prevHash of a stream's first event. */
export const GENESIS_HASH = '0'.repeat(64);

/** The part of an event the chain seals: everything but its global position, which the database assigns. */
export interface SealedContent {
  eventId: string;
  type: string;
  streamId: string;
  streamRevision: bigint;
  recordedAt: Date;
  data: Record<string, unknown>;
  metadata: EventMetadata;
}

/** hash = sha256(prevHash ‖ canonical JSON of the event), hex. */
export function chainHash(prevHash: string, event: SealedContent): string {
  const canonical = canonicalJson({
    eventId: event.eventId,
    type: event.type,
    streamId: event.streamId,
    streamRevision: event.streamRevision,
    recordedAt: event.recordedAt,
    data: event.data,
    metadata: event.metadata,
  });
  return createHash('sha256').update(prevHash).update(canonical).digest('hex');
}
