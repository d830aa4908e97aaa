import type { Fen, PrintedPrecision } from '@fundtrail/money';
import type { BondKind } from '../shared/vocabulary';

export type IssueBond = {
  type: 'IssueBond';
  data: {
    bondId: string;
    name: string;
    kind: BondKind;
    amount: Fen;
    issueDate: string;
    termYears?: number;
    couponRate?: string;
    printed?: PrintedPrecision;
  };
};

export type AssignBondProceeds = {
  type: 'AssignBondProceeds';
  data: { bondId: string; assignmentId: string; projectId: string; amount: Fen; printed?: PrintedPrecision };
};

/**
 * Undoes an assignment; the process manager then reverses the project's receipt of it. The
 * handler looks the receipt up first, so nothing is appended when the project has drawn on it.
 */
export type ReverseBondAssignment = {
  type: 'ReverseBondAssignment';
  data: { bondId: string; assignmentId: string; reason: string };
  lookedUp: { projectReceiptInUse: boolean };
};

export type BondCommand = IssueBond | AssignBondProceeds | ReverseBondAssignment;
