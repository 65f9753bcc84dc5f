export {
  reconcileStatement,
  listRuns,
  runLines,
  matchLine,
  bankKey,
  bankPaymentRef,
  DEFAULT_REFERENCE_PATTERN,
  type ReconcileOptions,
  type ReconcileReport,
  type LineOutcome,
} from './reconcile.js';
export { parseStatementCsv, CSV_COLUMNS, type StatementLine } from './parse.js';
