import type { IndicatorCommandOf } from '../indicator/indicator';
import type { ProgrammeLevel } from '../shared/vocabulary';

/** Commands of the Programme aggregate (a node of the programme tree), validated at the edge. */

export type ProgrammeRef = { programmeId: string };

export type RegisterProgramme = {
  type: 'RegisterProgramme';
  data: {
    programmeId: string;
    name: string;
    parentId?: string;
    level?: ProgrammeLevel;
    /** Slugs broadest first: "yunnan/kunming". */
    region?: string;
  };
  /** What the handler looked up in the parent's stream; needed when `parentId` is given. */
  lookedUp?: { parentRegistered: boolean };
};

export type ProgrammeIndicatorCommand = IndicatorCommandOf<ProgrammeRef>;

export type ProgrammeCommand = RegisterProgramme | ProgrammeIndicatorCommand;
