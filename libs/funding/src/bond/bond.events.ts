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
  };
};

export type BondProceedsAssigned = {
  type: 'BondProceedsAssigned';
  data: { bondId: string; assignmentId: string; projectId: string; amount: YuanString };
};

export type BondEvent = BondIssued | BondProceedsAssigned;
export type BondEventType = BondEvent['type'];
