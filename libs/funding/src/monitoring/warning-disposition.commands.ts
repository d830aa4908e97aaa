/**
 * Commands of a warning's disposition (预警 → 复核 → 整改), stream `warning-<warningId>`. The actor
 * is not in the command: the handler takes it from the token into the event's metadata.
 */

/** What the handler saw when it evaluated the warning: recorded on the event, so a disposition says what it was about. */
export interface WarningSeen {
  warningId: string;
  ruleId: string;
  ruleVersion: number;
  projectId: string;
  subject: string;
  /** The date the warnings were evaluated as of. */
  asOfEffective: string;
  raisedAsOf: string;
  figure: string;
  value: string;
  threshold: string;
}

/**
 * The handler evaluates the warnings (as of the command's effective date) and passes the one it
 * found; `warning` absent = not raised. The first disposition of a warning needs it; later ones
 * may follow a warning that has since cleared (money spent after all), so for them it is optional.
 */
export type WarningLookup = { warning?: WarningSeen };

export type AcknowledgeWarning = { type: 'AcknowledgeWarning'; data: { warningId: string }; lookedUp?: WarningLookup };
export type ExplainWarning = { type: 'ExplainWarning'; data: { warningId: string; note: string }; lookedUp?: WarningLookup };
export type ResolveWarning = { type: 'ResolveWarning'; data: { warningId: string; note: string }; lookedUp?: WarningLookup };

export type WarningDispositionCommand = AcknowledgeWarning | ExplainWarning | ResolveWarning;
