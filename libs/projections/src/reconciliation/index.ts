export {
  StatedUnitMismatchError,
  checkStatedFigure,
  notDerivable,
  notKeyed,
  statedUnitFits,
  type Recomputed,
  type StatedFigureCheck,
  type StatedFigureStatus,
  type StatedRange,
} from './stated-figure-check';
export { StatedSumUnitError, checkStatedSum, type PrintedFigure, type StatedSumCheck, type StatedSumStatus } from './stated-sum-check';
export { DatasetReportError, datasetFigureKey, datasetReport, type DatasetReportDetails, type DatasetStatedFigure } from './dataset-report';
export {
  reconcileReport,
  scopeKey,
  type ReconciliationRow,
  type ReconciliationSum,
  type ReportReconciliation,
  type ScopeStreams,
} from './report-reconciliation';
export { readPublishedReport, readScopeStreams, reconcilePublishedReport } from './report-scopes';
export { traceArithmetic } from './trace-arithmetic';
