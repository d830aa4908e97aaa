import type { EventLike } from '../figures';

/** A programme's own output indicator as its read model shows it; figures come from the terms. */
export interface ProgrammeIndicatorDetails {
  name: string;
  unit: string;
  target?: string;
  actual?: string;
  denominatorIndicatorId?: string;
  withdrawn?: true;
}

/** What a programme read model shows besides its indicators' figures. */
export interface ProgrammeDetails {
  programmeId: string;
  name: string;
  parentId?: string;
  level?: string;
  region?: string;
  indicators: Record<string, ProgrammeIndicatorDetails>;
}

export function emptyProgrammeDetails(programmeId: string): ProgrammeDetails {
  return { programmeId, name: '', indicators: {} };
}

type Data = Record<string, unknown>;
const text = (data: Data, key: string) => (typeof data[key] === 'string' ? data[key] : undefined);

/** Folds one programme event into its details (mutates `details`: the caller owns a fresh copy per batch). */
export function foldProgrammeDetails(details: ProgrammeDetails, event: EventLike): ProgrammeDetails {
  const data = event.data as Data;
  const indicatorId = String(data.indicatorId);
  switch (event.type) {
    case 'ProgrammeRegistered':
      details.name = String(data.name);
      for (const key of ['parentId', 'level', 'region'] as const) {
        const value = text(data, key);
        if (value !== undefined) details[key] = value;
      }
      break;
    case 'OutputTargetSet':
      details.indicators[indicatorId] = {
        name: String(data.name),
        unit: String(data.unit),
        ...(text(data, 'target') !== undefined && { target: text(data, 'target') }),
        ...(text(data, 'denominatorIndicatorId') !== undefined && { denominatorIndicatorId: text(data, 'denominatorIndicatorId') }),
      };
      break;
    case 'OutputReported':
      if (details.indicators[indicatorId]) details.indicators[indicatorId].actual = String(data.actual);
      break;
    case 'OutputTargetRevised':
      if (details.indicators[indicatorId]) details.indicators[indicatorId].target = String(data.target);
      break;
    case 'IndicatorWithdrawn':
      if (details.indicators[indicatorId]) details.indicators[indicatorId].withdrawn = true;
      break;
    default:
      break;
  }
  return details;
}
