import type { ReportPublished } from './report.events';

/** Commands of the Report aggregate, validated at the edge; the decider checks the report against itself. */
export type PublishReport = { type: 'PublishReport'; data: ReportPublished['data'] };

export type ReportCommand = PublishReport;
