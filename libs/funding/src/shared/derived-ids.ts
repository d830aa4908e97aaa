import { createHash } from 'node:crypto';

/**
 * Ids the system derives instead of a client choosing them: a bond assignment's receipt id is
 * `bond-` + 24 hex digits of sha256(bondId/assignmentId). That shape is reserved: no client may
 * post an id in it (the API refuses it, the project decider refuses it unless it is exactly the
 * id of the assignment the command carries), so a derived id can never be taken first. It is the
 * shape already stored in existing logs, so every derived id written so far stays what it was.
 */
const DERIVED_RECEIPT_ID = /^bond-[0-9a-f]{24}$/;

/** What a client is told when it posts an id in the reserved shape. */
export const DERIVED_RECEIPT_ID_RULE = 'ids of the form bond-<24 hex digits> are reserved for the receipts of bond assignments';

/**
 * The receipt id a bond assignment arrives under: the same (bondId, assignmentId) always gives
 * the same id, so a retried or replayed assignment names the receipt it already made. 96 bits of
 * the digest; '/' cannot occur in a slug, so no two (bondId, assignmentId) pairs share an input.
 */
export function bondReceiptId(bondId: string, assignmentId: string): string {
  const digest = createHash('sha256').update(`${bondId}/${assignmentId}`).digest('hex');
  return `bond-${digest.slice(0, 24)}`;
}

/** True when an id lies in the namespace of derived receipt ids, whether or not an assignment made it. */
export function isDerivedReceiptId(id: string): boolean {
  return DERIVED_RECEIPT_ID.test(id);
}
