import type { PrintedPrecision } from '@fundtrail/money';
import type { BondKind } from '../shared/vocabulary';
import type { YuanString } from '../project/project.events';

/** Events of the BondIssue aggregate (stream `bond-<bondId>`). */
export type BondIssued = {
  type: 'BondIssued'; // 债券发行
  data: {
    bondId: string;
    name: string;
    kind: BondKind;
    amount: YuanString;
    issueDate: string;
    termYears?: number;
    couponRate?: string; // percent, decimal string
    printed?: PrintedPrecision;
  };
};

export type BondProceedsAssigned = {
  type: 'BondProceedsAssigned';
  data: { bondId: string; assignmentId: string; projectId: string; amount: YuanString; printed?: PrintedPrecision };
};

/** A correction: the assignment never happened; its proceeds are unassigned again. */
export type BondAssignmentReversed = {
  type: 'BondAssignmentReversed';
  data: { bondId: string; assignmentId: string; projectId: string; amount: YuanString; reason: string };
};

export type BondEvent = BondIssued | BondProceedsAssigned | BondAssignmentReversed;
export type BondEventType = BondEvent['type'];
