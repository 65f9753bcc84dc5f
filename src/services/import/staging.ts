// The COPY encoder alone (not the store's index): this module runs in worker threads too.
import { encodeCopyRows } from '../../store/copy-text.js';
import type { TaskHandler } from '../../workers/pool.js';
import { decodeLines, type InputBatch } from './reader.js';
import {
  validateRecord,
  type AccountRecord,
  type CreditorRecord,
  type DebtorRecord,
  type PaymentRecord,
  type RecordKind,
} from './records.js';

/**
 * Temporary staging tables for one import. Records are COPYed here as they stream in; references,
 * duplicates and cross-record rules are then checked set-based in SQL, so a file of any size is
 * validated whole before anything reaches the real tables.
 */
export const STAGING_DDL = [
  // `written`: the row went to the real table while the file was read (merge.ts, EARLY_*); its bulky columns
  // are then left out here.
  `CREATE TEMP TABLE stage_creditors (line int, ref text, name text, jurisdiction text, currency text, settings jsonb,
     written boolean NOT NULL DEFAULT false) ON COMMIT DROP`,
  `CREATE TEMP TABLE stage_debtors (line int, ref text, name text, locale text, timezone text, jurisdiction text,
     phones jsonb, emails jsonb, addresses jsonb, contacts jsonb, written boolean NOT NULL DEFAULT false) ON COMMIT DROP`,
  `CREATE TEMP TABLE stage_accounts (line int, ref text, debtor_ref text, creditor_ref text, product text, currency text,
     principal bigint, interest_rate numeric, penalty_rate numeric, penalty_on_interest boolean, opened_on date,
     dues date[], principals bigint[], interests bigint[], fees bigint[], payment_reference text,
     written boolean NOT NULL DEFAULT false) ON COMMIT DROP`,
  // One input batch at a time, on its way to the real tables and the staging tables above.
  `CREATE TEMP TABLE batch_creditors (LIKE stage_creditors INCLUDING DEFAULTS) ON COMMIT DROP`,
  `CREATE TEMP TABLE batch_debtors (LIKE stage_debtors INCLUDING DEFAULTS) ON COMMIT DROP`,
  `CREATE TEMP TABLE batch_accounts (LIKE stage_accounts INCLUDING DEFAULTS) ON COMMIT DROP`,
  `CREATE TEMP TABLE stage_payments (line int, ref text, account_ref text, amount_text text, currency text,
     received_on date, channel text) ON COMMIT DROP`,
  // `written` as on the staged row it was moved from (checks.ts, createdHere).
  `CREATE TEMP TABLE stage_rejected (kind text, ref text, line int, written boolean NOT NULL DEFAULT false) ON COMMIT DROP`,
  `CREATE TEMP TABLE stage_errors (line int, field text, message text) ON COMMIT DROP`,
  `CREATE TEMP TABLE stage_currencies (code text PRIMARY KEY, digits int) ON COMMIT DROP`,
];

export const STAGE_TABLE: Record<RecordKind, string> = {
  creditor: 'stage_creditors',
  debtor: 'stage_debtors',
  account: 'stage_accounts',
  payment: 'stage_payments',
};

const COLUMNS = {
  creditor: ['line', 'ref', 'name', 'jurisdiction', 'currency', 'settings'],
  debtor: [
    'line',
    'ref',
    'name',
    'locale',
    'timezone',
    'jurisdiction',
    'phones',
    'emails',
    'addresses',
    'contacts',
  ],
  account: [
    'line',
    'ref',
    'debtor_ref',
    'creditor_ref',
    'product',
    'currency',
    'principal',
    'interest_rate',
    'penalty_rate',
    'penalty_on_interest',
    'opened_on',
    'dues',
    'principals',
    'interests',
    'fees',
    'payment_reference',
  ],
  payment: ['line', 'ref', 'account_ref', 'amount_text', 'currency', 'received_on', 'channel'],
} as const;

/** `stageBatch` as a worker task (src/workers/pool.ts). */
export const handle: TaskHandler<InputBatch, StagedBatch> = (batch) => {
  const result = stageBatch(batch);
  // The payloads move back without a copy.
  return { result, transfer: result.copies.map(([, , bytes]) => bytes.buffer as ArrayBuffer) };
};

/** COPY payloads for the staging tables, from one input batch. */
export interface StagedBatch {
  records: number;
  /** [table, columns, COPY rows as UTF-8] for each staging table the batch has rows for. */
  copies: [string, readonly string[], Uint8Array][];
}

/**
 * Decodes, validates and encodes one input batch for COPY into the staging tables: valid records to
 * their kind's table, problems to stage_errors, and the refs of invalid records to stage_rejected (so
 * references to them can say why). Pure CPU work with plain-data input and output, so it can run in a
 * worker thread.
 */
export function stageBatch(batch: InputBatch): StagedBatch {
  const raws = 'bytes' in batch ? decodeLines(batch) : batch.records;
  const rows: Record<RecordKind, unknown[][]> = { creditor: [], debtor: [], account: [], payment: [] };
  const rejected: unknown[][] = [];
  const errors: unknown[][] = [];
  for (const raw of raws) {
    if (raw.error !== undefined) {
      errors.push([raw.line, '(record)', raw.error]);
      continue;
    }
    const checked = validateRecord(raw.value, raw.line);
    if (checked.ok) {
      rows[checked.record.type].push(toRow(checked.record));
    } else {
      for (const issue of checked.issues) errors.push([issue.line ?? raw.line, issue.field, issue.message]);
      if (checked.kind && checked.ref) rejected.push([checked.kind, checked.ref, raw.line]);
    }
  }
  const copies: StagedBatch['copies'] = [];
  for (const kind of Object.keys(rows) as RecordKind[]) {
    if (rows[kind].length > 0) copies.push([STAGE_TABLE[kind], COLUMNS[kind], encodeCopyRows(rows[kind])]);
  }
  if (rejected.length > 0) copies.push(['stage_rejected', ['kind', 'ref', 'line'], encodeCopyRows(rejected)]);
  if (errors.length > 0) copies.push(['stage_errors', ['line', 'field', 'message'], encodeCopyRows(errors)]);
  return { records: raws.length, copies };
}

/** The schedule as four COPY array literals, in one pass (this runs for every account of an import). */
function scheduleArrays(installments: AccountRecord['installments']): [string, string, string, string] {
  let due = '{';
  let principal = '{';
  let interest = '{';
  let fees = '{';
  for (let i = 0; i < installments.length; i++) {
    const x = installments[i]!;
    const sep = i === 0 ? '' : ',';
    due += sep + x.due;
    principal += sep + x.principal;
    interest += sep + x.interest;
    fees += sep + x.fees;
  }
  return [due + '}', principal + '}', interest + '}', fees + '}'];
}

function toRow(r: CreditorRecord | DebtorRecord | AccountRecord | PaymentRecord): unknown[] {
  switch (r.type) {
    case 'creditor':
      return [r.line, r.ref, r.name, r.jurisdiction, r.currency, r.settings];
    case 'debtor':
      return [
        r.line,
        r.ref,
        r.name,
        r.locale,
        r.timezone,
        r.jurisdiction,
        r.phones,
        r.emails,
        r.addresses,
        r.contacts,
      ];
    case 'account':
      return [
        r.line,
        r.ref,
        r.debtorRef,
        r.creditorRef,
        r.product,
        r.currency,
        r.principal,
        r.interestRate,
        r.penaltyRate,
        r.penaltyOnInterest,
        r.openedOn,
        ...scheduleArrays(r.installments),
        r.paymentReference,
      ];
    case 'payment':
      return [r.line, r.ref, r.accountRef, r.amount, r.currency ?? null, r.receivedOn, r.channel];
  }
}
