import { decideIndicator, evolveIndicators, type Indicators } from '../indicator/indicator';
import { withoutUndefined } from '../shared/event-data';
import { FundingRuleViolation } from '../shared/funding-rule-violation';
import { PersistentMap } from '../shared/persistent-map';
import type { ProgrammeCommand, RegisterProgramme } from './programme.commands';
import type { ProgrammeEvent, ProgrammeRegistered } from './programme.events';

export type RegisteredProgramme = {
  status: 'registered';
  programmeId: string;
  parentId?: string;
  indicators: Indicators;
};

export type ProgrammeState = { status: 'initial' } | RegisteredProgramme;

export const initialProgrammeState: ProgrammeState = { status: 'initial' };

export function evolveProgramme(state: ProgrammeState, event: ProgrammeEvent): ProgrammeState {
  if (state.status === 'initial') {
    if (event.type !== 'ProgrammeRegistered') return state;
    return withoutUndefined({
      status: 'registered' as const,
      programmeId: event.data.programmeId,
      parentId: event.data.parentId,
      indicators: PersistentMap.empty(),
    });
  }
  switch (event.type) {
    case 'ProgrammeRegistered':
      return state; // a stream registers its programme once
    case 'OutputTargetSet':
    case 'OutputReported':
    case 'OutputTargetRevised':
    case 'IndicatorWithdrawn':
      return { ...state, indicators: evolveIndicators(state.indicators, event) };
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
}

export function decideProgramme(command: ProgrammeCommand, state: ProgrammeState): ProgrammeEvent[] {
  switch (command.type) {
    case 'RegisterProgramme':
      return [registerProgramme(command, state)];
    case 'SetOutputTarget':
    case 'ReportOutput':
    case 'ReviseOutputTarget':
    case 'WithdrawIndicator': {
      const programme = registered(state, command.data.programmeId);
      return [decideIndicator(command, programme.indicators, { programmeId: command.data.programmeId })];
    }
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

function registered(state: ProgrammeState, programmeId: string): RegisteredProgramme {
  if (state.status !== 'registered') {
    throw new FundingRuleViolation('PROGRAMME_NOT_FOUND', `Programme ${programmeId} is not registered`, 'programmeId');
  }
  return state;
}

/**
 * The parent must already exist and a programme's parent never changes, so the programmes form a
 * tree: no cycle can be registered.
 */
function registerProgramme(command: RegisterProgramme, state: ProgrammeState): ProgrammeRegistered {
  const { data } = command;
  if (state.status !== 'initial') {
    throw new FundingRuleViolation('DUPLICATE_ID', `Programme ${data.programmeId} is already registered`, 'programmeId');
  }
  if (data.parentId !== undefined && command.lookedUp?.parentRegistered !== true) {
    throw new FundingRuleViolation('UNKNOWN_PROGRAMME', `Parent programme ${data.parentId} is not registered`, 'parentId');
  }
  return {
    type: 'ProgrammeRegistered',
    data: withoutUndefined({
      programmeId: data.programmeId,
      name: data.name,
      parentId: data.parentId,
      level: data.level,
      region: data.region,
    }),
  };
}
