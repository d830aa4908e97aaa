import { spec } from '../testing/decider-spec';
import type { ProgrammeCommand, RegisterProgramme } from './programme.commands';
import { decideProgramme, evolveProgramme, initialProgrammeState } from './programme.decider';
import type { ProgrammeRegistered } from './programme.events';

const programme = spec(decideProgramme, evolveProgramme, initialProgrammeState);
const programmeId = 'kunming-rural-roads';

const register = (data: Partial<RegisterProgramme['data']> = {}, parentRegistered?: boolean): RegisterProgramme => ({
  type: 'RegisterProgramme',
  data: { programmeId, name: '昆明市农村公路建设', ...data },
  ...(parentRegistered !== undefined && { lookedUp: { parentRegistered } }),
});
const registered = (data: Partial<ProgrammeRegistered['data']> = {}): ProgrammeRegistered => ({
  type: 'ProgrammeRegistered',
  data: { programmeId, name: '昆明市农村公路建设', ...data },
});

describe('RegisterProgramme', () => {
  it('registers a root programme with its level and region', () => {
    programme
      .given([])
      .when(register({ level: 'prefecture', region: 'yunnan/kunming' }))
      .then([registered({ level: 'prefecture', region: 'yunnan/kunming' })]);
  });

  it('registers a programme under a parent that exists', () => {
    programme
      .given([])
      .when(register({ parentId: 'yunnan-rural-roads', level: 'prefecture' }, true))
      .then([registered({ parentId: 'yunnan-rural-roads', level: 'prefecture' })]);
  });

  it('refuses a parent that does not exist, or that nobody looked up', () => {
    programme
      .given([])
      .when(register({ parentId: 'yunnan-rural-roads' }, false))
      .thenThrows('UNKNOWN_PROGRAMME', { field: 'parentId' });
    programme
      .given([])
      .when(register({ parentId: 'yunnan-rural-roads' }))
      .thenThrows('UNKNOWN_PROGRAMME', { field: 'parentId' });
  });

  it('refuses a programme already registered', () => {
    programme.given([registered()]).when(register()).thenThrows('DUPLICATE_ID', { field: 'programmeId' });
  });

  it('keeps its parent in the state', () => {
    expect(evolveProgramme(initialProgrammeState, registered({ parentId: 'root' }))).toMatchObject({
      status: 'registered',
      programmeId,
      parentId: 'root',
    });
  });
});

describe('any other command on an unregistered programme', () => {
  it.each<ProgrammeCommand>([
    { type: 'SetOutputTarget', data: { programmeId, indicatorId: 'km', name: 'km', unit: '公里', target: 1n } },
    { type: 'ReportOutput', data: { programmeId, indicatorId: 'km', actual: 1n } },
    { type: 'ReviseOutputTarget', data: { programmeId, indicatorId: 'km', target: 1n, reason: 'r' } },
    { type: 'WithdrawIndicator', data: { programmeId, indicatorId: 'km', reason: 'r' } },
  ])('refuses $type', (command) => {
    programme.given([]).when(command).thenThrows('PROGRAMME_NOT_FOUND', { field: 'programmeId' });
  });
});
