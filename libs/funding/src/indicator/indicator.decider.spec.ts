import { parseQuantity } from '@fundtrail/money';
import { decideProgramme, evolveProgramme, initialProgrammeState } from '../programme/programme.decider';
import type { ProgrammeEvent } from '../programme/programme.events';
import type { ProjectCommand } from '../project/project.commands';
import type { ProjectEvent } from '../project/project.events';
import { events, fold, project, projectId } from '../project/project.fixtures.testing';
import { spec } from '../testing/decider-spec';

// The indicator rules, through the project aggregate; the programme aggregate shares them (last block).

const target = (indicatorId: string, extra: { target?: string; denominatorIndicatorId?: string } = { target: '100' }): ProjectEvent => ({
  type: 'OutputTargetSet',
  data: { projectId, indicatorId, name: indicatorId, unit: '个', ...extra },
});
const reported = (indicatorId: string, actual: string): ProjectEvent => ({
  type: 'OutputReported',
  data: { projectId, indicatorId, actual },
});
const withdrawn = (indicatorId: string): ProjectEvent => ({
  type: 'IndicatorWithdrawn',
  data: { projectId, indicatorId, reason: 'not in the plan' },
});

const setTarget = (indicatorId: string, extra: { target?: string; denominatorIndicatorId?: string }): ProjectCommand =>
  ({
    type: 'SetOutputTarget',
    data: {
      projectId,
      indicatorId,
      name: indicatorId,
      unit: '个',
      ...(extra.target !== undefined && { target: parseQuantity(extra.target) }),
      ...(extra.denominatorIndicatorId !== undefined && { denominatorIndicatorId: extra.denominatorIndicatorId }),
    },
  }) as ProjectCommand;
const revise = (indicatorId: string, value: string): ProjectCommand => ({
  type: 'ReviseOutputTarget',
  data: { projectId, indicatorId, target: parseQuantity(value), reason: 'plan adjusted' },
});
const withdraw = (indicatorId: string): ProjectCommand => ({
  type: 'WithdrawIndicator',
  data: { projectId, indicatorId, reason: 'not in the plan' },
});
const report = (indicatorId: string, actual: string): ProjectCommand => ({
  type: 'ReportOutput',
  data: { projectId, indicatorId, actual: parseQuantity(actual) },
});

const base = [events.registered(), target('completed')];

describe('SetOutputTarget with a denominator indicator (验收率 = accepted / completed)', () => {
  it('sets an indicator measured against another, with no target of its own', () => {
    project
      .given(base)
      .when(setTarget('accepted', { denominatorIndicatorId: 'completed' }))
      .then([target('accepted', { denominatorIndicatorId: 'completed' })]);
  });

  it('keeps a target as well when one is given', () => {
    project
      .given(base)
      .when(setTarget('accepted', { target: '20', denominatorIndicatorId: 'completed' }))
      .then([target('accepted', { target: '20', denominatorIndicatorId: 'completed' })]);
  });

  it('refuses a denominator indicator that does not exist, is itself, or was withdrawn', () => {
    project
      .given(base)
      .when(setTarget('accepted', { denominatorIndicatorId: 'started' }))
      .thenThrows('UNKNOWN_INDICATOR', { field: 'denominatorIndicatorId', message: /does not exist/ });
    project
      .given(base)
      .when(setTarget('accepted', { denominatorIndicatorId: 'accepted' }))
      .thenThrows('UNKNOWN_INDICATOR', { field: 'denominatorIndicatorId' });
    project
      .given([...base, withdrawn('completed')])
      .when(setTarget('accepted', { denominatorIndicatorId: 'completed' }))
      .thenThrows('UNKNOWN_INDICATOR', { message: /was withdrawn/ });
  });

  it('keeps the link in the state', () => {
    expect(fold([...base, target('accepted', { denominatorIndicatorId: 'completed' })]).indicators.get('accepted')).toEqual({
      denominatorIndicatorId: 'completed',
    });
  });
});

describe('ReviseOutputTarget', () => {
  it('revises a target, naming the one it replaces', () => {
    project
      .given(base)
      .when(revise('completed', '120.5'))
      .then([
        {
          type: 'OutputTargetRevised',
          data: {
            projectId,
            indicatorId: 'completed',
            target: '120.5',
            reason: 'plan adjusted',
            previousTarget: '100',
          },
        },
      ]);
    expect(
      fold([...base, { type: 'OutputTargetRevised', data: { projectId, indicatorId: 'completed', target: '120.5', reason: 'r' } }]).indicators.get('completed'),
    ).toEqual({ target: 1_205_000n });
  });

  it('gives a linked indicator a target of its own, repeating its denominator for the read side', () => {
    project
      .given([...base, target('accepted', { denominatorIndicatorId: 'completed' })])
      .when(revise('accepted', '20'))
      .then([
        {
          type: 'OutputTargetRevised',
          data: {
            projectId,
            indicatorId: 'accepted',
            target: '20',
            reason: 'plan adjusted',
            denominatorIndicatorId: 'completed',
          },
        },
      ]);
  });

  it('refuses an unknown indicator (404) and a withdrawn one', () => {
    project.given(base).when(revise('started', '1')).thenThrows('INDICATOR_NOT_FOUND', { field: 'indicatorId' });
    project
      .given([...base, withdrawn('completed')])
      .when(revise('completed', '1'))
      .thenThrows('INDICATOR_WITHDRAWN', { field: 'indicatorId' });
  });
});

describe('WithdrawIndicator', () => {
  it('withdraws an indicator with its reason', () => {
    project
      .given(base)
      .when(withdraw('completed'))
      .then([withdrawn('completed')]);
  });

  it('refuses an unknown indicator (404) and a second withdrawal', () => {
    project.given(base).when(withdraw('started')).thenThrows('INDICATOR_NOT_FOUND', { field: 'indicatorId' });
    project
      .given([...base, withdrawn('completed')])
      .when(withdraw('completed'))
      .thenThrows('ALREADY_REVERSED', { field: 'indicatorId' });
  });

  it('refuses to withdraw the denominator of an indicator still in force, then allows it', () => {
    const linked = [...base, target('accepted', { denominatorIndicatorId: 'completed' })];
    project
      .given(linked)
      .when(withdraw('completed'))
      .thenThrows('INDICATOR_IN_USE', { field: 'indicatorId', message: /accepted/ });
    project
      .given([...linked, withdrawn('accepted')])
      .when(withdraw('completed'))
      .then([withdrawn('completed')]);
  });

  it('refuses reports on a withdrawn indicator, and keeps its id taken', () => {
    const gone = [...base, withdrawn('completed')];
    project.given(gone).when(report('completed', '1')).thenThrows('INDICATOR_WITHDRAWN', { field: 'indicatorId' });
    project
      .given(gone)
      .when(setTarget('completed', { target: '1' }))
      .thenThrows('DUPLICATE_ID', { field: 'indicatorId' });
    expect(fold(gone).indicators.get('completed')).toEqual({ target: 1_000_000n, withdrawn: true });
  });

  it('still reports on a live indicator', () => {
    project
      .given(base)
      .when(report('completed', '98'))
      .then([reported('completed', '98')]);
  });
});

describe('a programme carries indicators by the same rules', () => {
  const programme = spec(decideProgramme, evolveProgramme, initialProgrammeState);
  const programmeId = 'county-roads';
  const registered: ProgrammeEvent = {
    type: 'ProgrammeRegistered',
    data: { programmeId, name: '县道', level: 'county' },
  };
  const programmeTarget: ProgrammeEvent = {
    type: 'OutputTargetSet',
    data: { programmeId, indicatorId: 'km', name: '建成里程', unit: '公里', target: '120' },
  };

  it('sets, reports, links, revises and withdraws, with programmeId in the events', () => {
    programme
      .given([registered])
      .when({
        type: 'SetOutputTarget',
        data: { programmeId, indicatorId: 'km', name: '建成里程', unit: '公里', target: 1_200_000n },
      })
      .then([programmeTarget]);
    programme
      .given([registered, programmeTarget])
      .when({ type: 'ReportOutput', data: { programmeId, indicatorId: 'km', actual: 1_000_000n } })
      .then([{ type: 'OutputReported', data: { programmeId, indicatorId: 'km', actual: '100' } }]);
    programme
      .given([registered, programmeTarget])
      .when({
        type: 'SetOutputTarget',
        data: { programmeId, indicatorId: 'km-accepted', name: '验收里程', unit: '公里', denominatorIndicatorId: 'km' },
      })
      .then([
        {
          type: 'OutputTargetSet',
          data: {
            programmeId,
            indicatorId: 'km-accepted',
            name: '验收里程',
            unit: '公里',
            denominatorIndicatorId: 'km',
          },
        },
      ]);
    programme
      .given([registered, programmeTarget])
      .when({ type: 'ReviseOutputTarget', data: { programmeId, indicatorId: 'km', target: 1_100_000n, reason: 'r' } })
      .then([
        {
          type: 'OutputTargetRevised',
          data: { programmeId, indicatorId: 'km', target: '110', reason: 'r', previousTarget: '120' },
        },
      ]);
    programme
      .given([registered, programmeTarget])
      .when({ type: 'WithdrawIndicator', data: { programmeId, indicatorId: 'km', reason: 'r' } })
      .then([{ type: 'IndicatorWithdrawn', data: { programmeId, indicatorId: 'km', reason: 'r' } }]);
  });

  it('refuses the same things', () => {
    programme
      .given([registered, programmeTarget])
      .when({ type: 'SetOutputTarget', data: { programmeId, indicatorId: 'km', name: 'x', unit: 'x', target: 1n } })
      .thenThrows('DUPLICATE_ID', { field: 'indicatorId' });
    programme
      .given([registered])
      .when({ type: 'ReportOutput', data: { programmeId, indicatorId: 'km', actual: 1n } })
      .thenThrows('INDICATOR_NOT_FOUND');
  });
});
