import { bondReceiptId, type ReportPublished, type StatedFigure } from '@fundtrail/funding';

/**
 * A data set's stated figures (seeds/<name>/stated-figures.json) as the body of a published report,
 * so that `seed` can post them and the reconciliation reads them like any other report. The JSON is
 * not changed, only read: units become the report's (`wan-yuan` → `wan`), ids become statedIds, each
 * figure is scoped to its project, a key of a bond assignment's receipt becomes the receipt id the
 * log knows, a null key is left out (printed, not keyed). Notes stay in the data set.
 */

/** One entry of stated-figures.json. */
export interface DatasetStatedFigure {
  id: string;
  project: string;
  /** A figure key; `receipt_usage_rate:@<bondId>/<assignmentId>` for a bond assignment's receipt; null: no key. */
  key: string | null;
  /** As printed: 万元 with separators, percent without '%', or a quantity. */
  stated: string;
  /** `wan-yuan`, `percent`, or an indicator's unit (个, 吨, 公里 …). */
  unit: string;
  citation: { section: string; quote: string };
  sumOf?: string[];
  note?: string;
}

/** What the data set does not say about the report itself. */
export interface DatasetReportDetails {
  reportId: string;
  title: string;
  publisher?: string;
  publishedAt?: string;
  asOfEffective?: string;
}

export class DatasetReportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatasetReportError';
  }
}

const BOND_RECEIPT_KEY = /^receipt_usage_rate:@([^/]+)\/(.+)$/;

/** The figure key as the log knows it: `@<bondId>/<assignmentId>` becomes the assignment's receipt id. */
export function datasetFigureKey(key: string): string {
  const match = BOND_RECEIPT_KEY.exec(key);
  return match ? `receipt_usage_rate:${bondReceiptId(match[1], match[2])}` : key;
}

export function datasetReport(figures: readonly DatasetStatedFigure[], details: DatasetReportDetails): ReportPublished['data'] {
  if (!Array.isArray(figures)) throw new DatasetReportError('stated figures must be an array');
  return {
    reportId: details.reportId,
    title: details.title,
    ...(details.publisher !== undefined && { publisher: details.publisher }),
    ...(details.publishedAt !== undefined && { publishedAt: details.publishedAt }),
    ...(details.asOfEffective !== undefined && { asOfEffective: details.asOfEffective }),
    statedFigures: (figures as readonly DatasetStatedFigure[]).map((figure, index) => statedFigure(figure, index)),
  };
}

function statedFigure(figure: DatasetStatedFigure, index: number): StatedFigure {
  const where = `stated figure ${index} (${JSON.stringify(figure?.id)})`;
  const text = (value: unknown, field: string): string => {
    if (typeof value !== 'string' || value.length === 0) throw new DatasetReportError(`${where}: ${field} must be text`);
    return value;
  };
  if (figure.key !== null && typeof figure.key !== 'string') {
    throw new DatasetReportError(`${where}: key must be a figure key or null`);
  }
  if (figure.sumOf !== undefined && !(Array.isArray(figure.sumOf) && figure.sumOf.every((id) => typeof id === 'string'))) {
    throw new DatasetReportError(`${where}: sumOf must list ids`);
  }
  const unit = text(figure.unit, 'unit');
  return {
    statedId: text(figure.id, 'id'),
    scope: { projectId: text(figure.project, 'project') },
    ...(figure.key !== null && { key: datasetFigureKey(figure.key) }),
    stated: text(figure.stated, 'stated'),
    unit: unit === 'wan-yuan' ? 'wan' : unit,
    citation: {
      section: text(figure.citation?.section, 'citation.section'),
      quote: text(figure.citation?.quote, 'citation.quote'),
    },
    ...(figure.sumOf !== undefined && { sumOf: [...figure.sumOf] }),
  };
}
