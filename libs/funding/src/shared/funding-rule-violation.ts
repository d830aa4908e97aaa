/** Stable codes a client can act on; the HTTP layer maps them to statuses. */
export const RULE_CODES = {
  // 400: an id in the namespace the system derives ids in (the API's validation refuses it first)
  RESERVED_ID: 400,
  /** A report's stated value that does not read in its unit (the API's validation refuses it first). */
  INVALID_STATED_VALUE: 400,
  // 409: the command conflicts with the stream's current state
  DUPLICATE_ID: 409,
  INSUFFICIENT_FUNDS: 409,
  ALLOCATION_EXCEEDED: 409,
  CONTRACT_EXCEEDED: 409,
  ALREADY_REVERSED: 409,
  BOND_OVER_ASSIGNED: 409,
  /** The project already holds a receipt under the id this assignment's proceeds would arrive under. */
  ASSIGNMENT_RECEIPT_TAKEN: 409,
  APPROVAL_EXCEEDED: 409,
  RECEIPT_IN_USE: 409,
  ALLOCATION_IN_USE: 409,
  APPROVAL_IN_USE: 409,
  INDICATOR_IN_USE: 409,
  INDICATOR_WITHDRAWN: 409,
  RECEIPT_FROM_BOND: 409,
  /** A monitoring rule id posted again with another kind: its warnings would change meaning. */
  RULE_KIND_CHANGED: 409,
  /** A warning disposition the warning's status does not allow (acknowledging twice, anything after resolve). */
  DISPOSITION_NOT_ALLOWED: 409,
  // 404: the resource named in the path does not exist
  PROJECT_NOT_FOUND: 404,
  BOND_NOT_FOUND: 404,
  DISBURSEMENT_NOT_FOUND: 404,
  INDICATOR_NOT_FOUND: 404,
  PROGRAMME_NOT_FOUND: 404,
  ALLOCATION_NOT_FOUND: 404,
  RECEIPT_NOT_FOUND: 404,
  CONTRACT_NOT_FOUND: 404,
  APPROVAL_NOT_FOUND: 404,
  ASSIGNMENT_NOT_FOUND: 404,
  WARNING_NOT_FOUND: 404,
  // 422: the body refers to something the stream does not hold
  UNKNOWN_ALLOCATION: 422,
  UNKNOWN_RECEIPT: 422,
  UNKNOWN_CONTRACT: 422,
  UNKNOWN_PROJECT: 422,
  UNKNOWN_BOND: 422,
  /** A receipt names a bond that assigned nothing to its project (or not that assignment). */
  BOND_NOT_ASSIGNED: 422,
  /** A receipt names a bond assigned to its project: those proceeds arrive as the assignment's own receipt. */
  BOND_RECEIPT_BY_ASSIGNMENT: 422,
  /** A bond receipt that differs from its assignment (amount, source or receipt id). */
  BOND_RECEIPT_MISMATCH: 422,
  /** A receipt against an allocation of another source. */
  SOURCE_MISMATCH: 422,
  UNKNOWN_PROGRAMME: 422,
  UNKNOWN_APPROVAL: 422,
  UNKNOWN_INDICATOR: 422,
  APPROVAL_MISMATCH: 422,
  /** A report that disagrees with itself: two stated figures under one statedId … */
  DUPLICATE_STATED_ID: 422,
  /** … a sum naming a statedId the report does not hold … */
  UNKNOWN_STATED_ID: 422,
  /** … a sum without parts, with a part twice, or with a part that cannot be added to the total … */
  INVALID_SUM: 422,
  /** … or a total that is, through its parts, a part of itself. */
  SUM_CYCLE: 422,
} as const;
export type RuleCode = keyof typeof RULE_CODES;

/** A command refused by a business rule; nothing was appended. */
export class FundingRuleViolation extends Error {
  constructor(
    readonly code: RuleCode,
    message: string,
    /** The command field at fault, when there is one. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'FundingRuleViolation';
  }
}
