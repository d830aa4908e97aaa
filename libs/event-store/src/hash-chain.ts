import { createHash, hash } from 'node:crypto';
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
  return sha256Hex(prevHash + sealedJson(event));
}

/**
 * The canonical JSON of the sealed fields, written in their sorted order (data, eventId,
 * metadata, recordedAt, streamId, streamRevision, type) without building and sorting an envelope
 * object: byte for byte what canonicalJson of that envelope gives (a member that is undefined is
 * left out, as canonicalJson leaves it out).
 */
export function sealedJson(event: SealedContent): string {
  let out = '{';
  const member = (name: string, value: unknown) => {
    if (value === undefined) return;
    out += `${out.length > 1 ? ',' : ''}"${name}":${canonicalJson(value)}`;
  };
  member('data', event.data);
  member('eventId', event.eventId);
  member('metadata', event.metadata);
  member('recordedAt', event.recordedAt);
  member('streamId', event.streamId);
  member('streamRevision', event.streamRevision);
  member('type', event.type);
  return `${out}}`;
}

/** One-shot SHA-256 (crypto.hash, Node ≥ 20.12) where there is one: a third of createHash's cost per event. */
const sha256Hex: (text: string) => string =
  typeof hash === 'function' ? (text) => hash('sha256', text, 'hex') : (text) => createHash('sha256').update(text).digest('hex');
