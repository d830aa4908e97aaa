/**
 * Events of the Report aggregate (stream `report-<reportId>`): a published report's stated figures,
 * as printed, kept so that anyone can reconcile them against the log. A report is immutable: a new
 * version is a new reportId.
 */

export const reportStreamId = (reportId: string): string => `report-${reportId}`;

/** The projects a portfolio figure is about: the filters every portfolio query takes. */
export type ReportPortfolioFilter = {
  programme?: string;
  region?: string;
  department?: string;
  category?: string;
  fiscalYear?: number;
};

/** What a stated figure is about: one project, one programme, or the projects a filter selects. */
export type StatedScope = { projectId: string } | { programmeId: string } | { portfolio: ReportPortfolioFilter };

/** Where the report prints it: its section and the sentence, verbatim. */
export type Citation = { section: string; quote: string };

export type StatedFigure = {
  /** Unique in its report. */
  statedId: string;
  scope: StatedScope;
  /** The figure key it states; absent when no key expresses it (printed, not keyed). */
  key?: string;
  /** The decimal string as printed ("111,969.90"). */
  stated: string;
  /** yuan | wan | yi | percent | count, or an indicator's own unit (吨, 公里). */
  unit: string;
  citation: Citation;
  /** A total the report breaks down: the statedIds of its parts, in this report. */
  sumOf?: string[];
};

export type ReportPublished = {
  type: 'ReportPublished';
  data: {
    reportId: string;
    title: string;
    publisher?: string;
    /** When it was published, as the edge accepted it. */
    publishedAt?: string;
    /** The 截至 date its figures are stated as of (YYYY-MM-DD). */
    asOfEffective?: string;
    statedFigures: StatedFigure[];
  };
};

export type ReportEvent = ReportPublished;
export type ReportEventType = ReportEvent['type'];
