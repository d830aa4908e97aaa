import type { IndicatorEventOf } from '../indicator/indicator';
import type { ProgrammeLevel } from '../shared/vocabulary';
import type { ProgrammeRef } from './programme.commands';

/** Events of the Programme aggregate (stream `programme-<programmeId>`). */

export type ProgrammeRegistered = {
  type: 'ProgrammeRegistered'; // 专项 / 资金项目 above projects
  data: { programmeId: string; name: string; parentId?: string; level?: ProgrammeLevel; region?: string };
};

/** A programme's own output indicators: the same events as a project's, owned by the programme. */
export type ProgrammeIndicatorEvent = IndicatorEventOf<ProgrammeRef>;

export type ProgrammeEvent = ProgrammeRegistered | ProgrammeIndicatorEvent;
export type ProgrammeEventType = ProgrammeEvent['type'];
