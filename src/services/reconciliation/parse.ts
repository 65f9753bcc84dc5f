import { parse } from 'csv-parse/sync';
import { toDay } from '../../domain/calendar/index.js';
import { ArrearsError, type FieldIssue } from '../../domain/errors.js';

/** One credit or debit line of a bank statement, as the bank wrote it. */
export interface StatementLine {
  /** 1-based line in the file (the header is line 1). */
  line: number;
  bookedOn: string;
  /** Decimal text in major units; negative for a debit. */
  amount: string;
  currency: string;
  /** Remittance information / reference as the payer wrote it. */
  reference: string;
  /** The bank's unique id of the transaction: the idempotency key of the payment it posts. */
  transactionId: string;
  /** camt.053: where the transaction is in the document, e.g. `Stmt[1]/Ntry[3]/TxDtls[2]`. */
  position?: string;
  /** camt.053: the entry's status when it is not booked (`PDNG`, `INFO`): not a payment yet. */
  notBooked?: string;
}

export const STATEMENT_FORMATS = ['csv', 'camt053'] as const;
export type StatementFormat = (typeof STATEMENT_FORMATS)[number];

export const CSV_COLUMNS = ['date', 'amount', 'currency', 'reference', 'transaction_id'] as const;

const AMOUNT = /^-?\d{1,15}(\.\d{1,4})?$/;

/** Decodes strict UTF-8 (a BOM is dropped): a file in another encoding fails as a whole. */
export function decodeUtf8(bytes: Uint8Array, file: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new ArrearsError(
      'invalid',
      `${file} is not valid UTF-8: save the statement as UTF-8 and import it again`,
      {
        issues: [{ field: 'file', message: 'not valid UTF-8' }],
      },
    );
  }
}

/**
 * Parses a CSV bank statement (columns in docs/reconciliation.md). Any defect — a missing column, a
 * malformed row, an unreadable date or amount, a transaction id used twice — fails the whole file with
 * every issue listed (line and field), so nothing is posted from a file that is not entirely readable.
 */
export function parseStatementCsv(text: string, file: string): StatementLine[] {
  let rows: string[][];
  try {
    rows = parse(text, { relax_column_count: false, skip_empty_lines: true, trim: true });
  } catch (e) {
    const line = (e as { lines?: number }).lines;
    throw new ArrearsError('invalid', `${file} is not a readable CSV file: ${(e as Error).message}`, {
      issues: [{ ...(line ? { line } : {}), field: 'file', message: (e as Error).message }],
    });
  }
  const header = (rows[0] ?? []).map((h) => h.toLowerCase());
  const missing = CSV_COLUMNS.filter((c) => !header.includes(c));
  if (rows.length === 0 || missing.length > 0)
    throw new ArrearsError(
      'invalid',
      `${file}: the header (line 1) must name the columns ${CSV_COLUMNS.join(', ')}; missing ${missing.join(', ') || 'all'}`,
      { issues: missing.map((m) => ({ line: 1, field: m, message: 'column missing from the header' })) },
    );
  const col = Object.fromEntries(CSV_COLUMNS.map((c) => [c, header.indexOf(c)])) as Record<
    (typeof CSV_COLUMNS)[number],
    number
  >;
  const issues: FieldIssue[] = [];
  const seen = new Map<string, number>();
  const lines: StatementLine[] = [];
  rows.slice(1).forEach((row, i) => {
    const line = i + 2;
    const get = (c: (typeof CSV_COLUMNS)[number]) => row[col[c]] ?? '';
    const l: StatementLine = {
      line,
      bookedOn: get('date'),
      amount: get('amount'),
      currency: get('currency').toUpperCase(),
      reference: get('reference'),
      transactionId: get('transaction_id'),
    };
    try {
      toDay(l.bookedOn);
    } catch {
      issues.push({ line, field: 'date', message: `"${l.bookedOn}" is not a date written YYYY-MM-DD` });
    }
    if (!AMOUNT.test(l.amount))
      issues.push({ line, field: 'amount', message: `"${l.amount}" is not a decimal amount like 120.50` });
    if (!/^[A-Z]{3}$/.test(l.currency))
      issues.push({
        line,
        field: 'currency',
        message: `"${l.currency}" is not a three-letter currency code`,
      });
    if (!l.transactionId || l.transactionId.length > 100)
      issues.push({ line, field: 'transaction_id', message: 'must be present (at most 100 characters)' });
    else if (seen.has(l.transactionId))
      issues.push({
        line,
        field: 'transaction_id',
        message: `"${l.transactionId}" already appears on line ${seen.get(l.transactionId)}`,
      });
    else seen.set(l.transactionId, line);
    lines.push(l);
  });
  if (issues.length > 0)
    throw new ArrearsError(
      'invalid',
      `${file} has ${issues.length} invalid field${issues.length === 1 ? '' : 's'}; nothing was posted (first: line ${issues[0]!.line}, ${issues[0]!.field}: ${issues[0]!.message})`,
      { issues },
    );
  return lines;
}
