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
export {
  parseStatementCsv,
  CSV_COLUMNS,
  STATEMENT_FORMATS,
  type StatementFormat,
  type StatementLine,
} from './parse.js';
export { parseCamt053 } from './camt053.js';
