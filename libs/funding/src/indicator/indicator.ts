import { formatQuantity, parseQuantity } from '@fundtrail/money';
import { withoutUndefined } from '../shared/event-data';
import { FundingRuleViolation } from '../shared/funding-rule-violation';
import type { PersistentMap } from '../shared/persistent-map';

/**
 * Output indicators (绩效目标), shared by every aggregate that carries them: a project, a
 * programme. `Owner` is the id field of the stream the events belong to ({ projectId } or
 * { programmeId }); everything else is the same rules and the same events, so figures read a
 * programme's indicators exactly as a project's.
 */

// ---------------------------------------------------------------------------
// Events, as stored: quantities as decimal strings.
// ---------------------------------------------------------------------------

export type OutputTargetSetOf<Owner> = {
  type: 'OutputTargetSet'; // 绩效目标
  data: Owner & {
    indicatorId: string;
    name: string;
    unit: string;
    /** Absent only when the indicator is measured against another one. */
    target?: string;
    /** The indicator whose latest actual is this one's denominator (验收率 = accepted / completed). */
    denominatorIndicatorId?: string;
  };
};

export type OutputReportedOf<Owner> = {
  type: 'OutputReported';
  data: Owner & { indicatorId: string; actual: string };
};

/** A correction of the target; repeats the denominator indicator so figures need no state. */
export type OutputTargetRevisedOf<Owner> = {
  type: 'OutputTargetRevised';
  data: Owner & {
    indicatorId: string;
    target: string;
    reason: string;
    previousTarget?: string;
    denominatorIndicatorId?: string;
  };
};

/** The indicator drops out of the figures; its id is never used again. */
export type IndicatorWithdrawnOf<Owner> = {
  type: 'IndicatorWithdrawn';
  data: Owner & { indicatorId: string; reason: string };
};

export type IndicatorEventOf<Owner> = OutputTargetSetOf<Owner> | OutputReportedOf<Owner> | OutputTargetRevisedOf<Owner> | IndicatorWithdrawnOf<Owner>;

// ---------------------------------------------------------------------------
// Commands, as they arrive from the edge: quantities in 10^-4 units.
// ---------------------------------------------------------------------------

/** A target, or a denominator indicator, or both: an indicator needs something to be measured against. */
export type TargetOrDenominator = { target: bigint; denominatorIndicatorId?: undefined } | { target?: bigint; denominatorIndicatorId: string };

export type SetOutputTargetOf<Owner> = {
  type: 'SetOutputTarget';
  data: Owner & { indicatorId: string; name: string; unit: string } & TargetOrDenominator;
};

export type ReportOutputOf<Owner> = {
  type: 'ReportOutput';
  data: Owner & { indicatorId: string; actual: bigint };
};

export type ReviseOutputTargetOf<Owner> = {
  type: 'ReviseOutputTarget';
  data: Owner & { indicatorId: string; target: bigint; reason: string };
};

export type WithdrawIndicatorOf<Owner> = {
  type: 'WithdrawIndicator';
  data: Owner & { indicatorId: string; reason: string };
};

export type IndicatorCommandOf<Owner> = SetOutputTargetOf<Owner> | ReportOutputOf<Owner> | ReviseOutputTargetOf<Owner> | WithdrawIndicatorOf<Owner>;

export const INDICATOR_COMMAND_TYPES: readonly IndicatorCommandOf<unknown>['type'][] = [
  'SetOutputTarget',
  'ReportOutput',
  'ReviseOutputTarget',
  'WithdrawIndicator',
];

export const INDICATOR_EVENT_TYPES: readonly IndicatorEventOf<unknown>['type'][] = [
  'OutputTargetSet',
  'OutputReported',
  'OutputTargetRevised',
  'IndicatorWithdrawn',
];

// ---------------------------------------------------------------------------
// State and evolve
// ---------------------------------------------------------------------------

/** Withdrawn ones stay: an indicator id is never reused. */
export type Indicator = {
  target?: bigint;
  actual?: bigint;
  denominatorIndicatorId?: string;
  withdrawn?: true;
};

export type Indicators = PersistentMap<Indicator>;

export function evolveIndicators<Owner>(indicators: Indicators, event: IndicatorEventOf<Owner>): Indicators {
  switch (event.type) {
    case 'OutputTargetSet': {
      const { target, denominatorIndicatorId } = event.data;
      const indicator: Indicator = withoutUndefined({
        target: target === undefined ? undefined : parseQuantity(target),
        denominatorIndicatorId,
      });
      return indicators.set(event.data.indicatorId, indicator);
    }
    case 'OutputReported': {
      const actual = parseQuantity(event.data.actual);
      return indicators.update(event.data.indicatorId, (i) => ({ ...i, actual }));
    }
    case 'OutputTargetRevised': {
      const target = parseQuantity(event.data.target);
      return indicators.update(event.data.indicatorId, (i) => ({ ...i, target }));
    }
    case 'IndicatorWithdrawn':
      return indicators.update(event.data.indicatorId, (i) => ({ ...i, withdrawn: true }));
    default: {
      const _exhaustive: never = event;
      return indicators;
    }
  }
}

// ---------------------------------------------------------------------------
// decide
// ---------------------------------------------------------------------------

/** `owner` is the stream's id field, first in every event's data. */
export function decideIndicator<Owner extends object>(command: IndicatorCommandOf<Owner>, indicators: Indicators, owner: Owner): IndicatorEventOf<Owner> {
  switch (command.type) {
    case 'SetOutputTarget':
      return setOutputTarget(command.data, indicators, owner);
    case 'ReportOutput':
      return reportOutput(command.data, indicators, owner);
    case 'ReviseOutputTarget':
      return reviseOutputTarget(command.data, indicators, owner);
    case 'WithdrawIndicator':
      return withdrawIndicator(command.data, indicators, owner);
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

function setOutputTarget<Owner>(data: SetOutputTargetOf<Owner>['data'], indicators: Indicators, owner: Owner): OutputTargetSetOf<Owner> {
  if (indicators.has(data.indicatorId)) {
    throw new FundingRuleViolation('DUPLICATE_ID', `Indicator ${data.indicatorId} already exists`, 'indicatorId');
  }
  if (data.denominatorIndicatorId !== undefined) {
    const denominator = indicators.get(data.denominatorIndicatorId);
    if (denominator === undefined || denominator.withdrawn) {
      const why = denominator === undefined ? 'does not exist' : 'was withdrawn';
      throw new FundingRuleViolation('UNKNOWN_INDICATOR', `Denominator indicator ${data.denominatorIndicatorId} ${why}`, 'denominatorIndicatorId');
    }
  }
  return {
    type: 'OutputTargetSet',
    data: withoutUndefined({
      ...owner,
      indicatorId: data.indicatorId,
      name: data.name,
      unit: data.unit,
      target: data.target === undefined ? undefined : formatQuantity(data.target),
      denominatorIndicatorId: data.denominatorIndicatorId,
    }),
  };
}

/** The indicator at `indicatorId`, refused when there is none (404) or, unless allowed, when it was withdrawn. */
function existing(indicators: Indicators, indicatorId: string, { withdrawnToo = false } = {}): Indicator {
  const indicator = indicators.get(indicatorId);
  if (indicator === undefined) {
    throw new FundingRuleViolation('INDICATOR_NOT_FOUND', `Indicator ${indicatorId} does not exist`, 'indicatorId');
  }
  if (indicator.withdrawn && !withdrawnToo) {
    throw new FundingRuleViolation('INDICATOR_WITHDRAWN', `Indicator ${indicatorId} was withdrawn`, 'indicatorId');
  }
  return indicator;
}

function reportOutput<Owner>(data: ReportOutputOf<Owner>['data'], indicators: Indicators, owner: Owner): OutputReportedOf<Owner> {
  existing(indicators, data.indicatorId);
  return {
    type: 'OutputReported',
    data: { ...owner, indicatorId: data.indicatorId, actual: formatQuantity(data.actual) },
  };
}

function reviseOutputTarget<Owner>(data: ReviseOutputTargetOf<Owner>['data'], indicators: Indicators, owner: Owner): OutputTargetRevisedOf<Owner> {
  const indicator = existing(indicators, data.indicatorId);
  return {
    type: 'OutputTargetRevised',
    data: withoutUndefined({
      ...owner,
      indicatorId: data.indicatorId,
      target: formatQuantity(data.target),
      reason: data.reason,
      previousTarget: indicator.target === undefined ? undefined : formatQuantity(indicator.target),
      denominatorIndicatorId: indicator.denominatorIndicatorId,
    }),
  };
}

function withdrawIndicator<Owner>(data: WithdrawIndicatorOf<Owner>['data'], indicators: Indicators, owner: Owner): IndicatorWithdrawnOf<Owner> {
  const indicator = existing(indicators, data.indicatorId, { withdrawnToo: true });
  if (indicator.withdrawn) {
    throw new FundingRuleViolation('ALREADY_REVERSED', `Indicator ${data.indicatorId} is already withdrawn`, 'indicatorId');
  }
  for (const [id, other] of indicators) {
    if (!other.withdrawn && other.denominatorIndicatorId === data.indicatorId) {
      throw new FundingRuleViolation(
        'INDICATOR_IN_USE',
        `Indicator ${data.indicatorId} is the denominator of indicator ${id}; withdraw ${id} first`,
        'indicatorId',
      );
    }
  }
  return { type: 'IndicatorWithdrawn', data: { ...owner, indicatorId: data.indicatorId, reason: data.reason } };
}
