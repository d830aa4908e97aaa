import type { WarningSeen } from './warning-disposition.commands';

/** Events of a warning's disposition (stream `warning-<warningId>`); the actor is in the envelope's metadata. */

export type WarningAcknowledged = { type: 'WarningAcknowledged'; data: { warningId: string; seen?: WarningSeen } }; // 复核: seen and owned
export type WarningExplained = { type: 'WarningExplained'; data: { warningId: string; note: string; seen?: WarningSeen } }; // 说明
export type WarningResolved = { type: 'WarningResolved'; data: { warningId: string; note: string; seen?: WarningSeen } }; // 整改完成

export type WarningDispositionEvent = WarningAcknowledged | WarningExplained | WarningResolved;
export type WarningDispositionEventType = WarningDispositionEvent['type'];
