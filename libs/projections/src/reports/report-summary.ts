import type { ProjectedEvent } from '@fundtrail/event-store';
import type { ReportPublished } from '@fundtrail/funding';

/** What the list of published reports shows of each: the report's own fields, its size, and when it was recorded. */
export interface ReportSummary {
  reportId: string;
  title: string;
  publisher?: string;
  publishedAt?: string;
  asOfEffective?: string;
  statedFigures: number;
  sums: number;
  recordedAt: string;
  globalPosition: string;
}

export const REPORT_STREAM = 'report-';

/** The summary a ReportPublished event gives; undefined for any other event. */
export function reportSummary(event: ProjectedEvent): ReportSummary | undefined {
  if (event.type !== 'ReportPublished' || !event.streamId.startsWith(REPORT_STREAM)) return undefined;
  const data = event.data as ReportPublished['data'];
  return {
    reportId: data.reportId,
    title: data.title,
    ...(data.publisher !== undefined && { publisher: data.publisher }),
    ...(data.publishedAt !== undefined && { publishedAt: data.publishedAt }),
    ...(data.asOfEffective !== undefined && { asOfEffective: data.asOfEffective }),
    statedFigures: data.statedFigures.length,
    sums: data.statedFigures.filter((figure) => figure.sumOf !== undefined).length,
    recordedAt: event.recordedAt.toISOString(),
    globalPosition: event.globalPosition.toString(),
  };
}
