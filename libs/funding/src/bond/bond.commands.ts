import type { Fen } from '@fundtrail/money';
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
  };
};

export type AssignBondProceeds = {
  type: 'AssignBondProceeds';
  data: { bondId: string; assignmentId: string; projectId: string; amount: Fen };
};

export type BondCommand = IssueBond | AssignBondProceeds;
