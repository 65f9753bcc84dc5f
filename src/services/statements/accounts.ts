import { daysFromCivil, formatDay, toDay, type DayNumber } from '../../domain/calendar/index.js';
import type { AccountTerms, InstallmentInput, PaymentInput } from '../../domain/delinquency/index.js';
import type { CreditorSettingsJson, SqlClient } from '../../store/index.js';
import { termsFor } from './terms.js';

/** An open account with everything the statement engine needs, as read in bulk. */
export interface OpenAccount {
  id: number;
  ref: string;
  product: string;
  jurisdiction: string;
  /** The debtor has at least one phone or e-mail on file. */
  contactable: boolean;
  /** The debtor's IANA time zone and first phone number (E.164), if any. */
  timezone: string;
  phone: string | null;
  creditor: { id: number; ref: string; name: string };
  terms: AccountTerms;
  installments: InstallmentInput[];
  payments: PaymentInput[];
}

// Pages are id ranges: accounts (with their schedule arrays) and payments are each read by one range
// scan of their primary key, payments grouped per account, instead of index lookups per account.
// Same-day payments come in no particular order (a sort inside the aggregate doubled its cost): the engine
// orders payments by receipt date, and the payments of one day allocate the same in any order (the waterfall
// fills greedily), so the summary figures read from pages do not depend on it.
const PAYMENTS_JOIN = `
  LEFT JOIN (
    SELECT account_id, string_agg(concat_ws(',', received_on - DATE '1970-01-01', amount), ';') AS pays
    FROM payments WHERE account_id > $1 AND account_id <= $2 AND received_on <= $3::date AND reversed_at IS NULL
    GROUP BY account_id) p ON p.account_id = a.id`;
const ACCOUNT_COLUMNS = `a.id, a.ref, a.currency, a.principal, a.interest_rate, a.penalty_rate, a.penalty_on_interest,
  a.product, a.creditor_id, a.opened_on - DATE '1970-01-01' AS opened, a.schedule_due::text AS due,
  a.schedule_principal::text AS principals, a.schedule_interest::text AS interests, a.schedule_fees::text AS fees,
  p.pays`;
const RANGE = `a.id > $1 AND a.id <= $2 AND a.status = 'open'`;

const PAGE_SQL = `
  SELECT ${ACCOUNT_COLUMNS}, d.jurisdiction, d.timezone, d.phones->0->>'number' AS phone,
         jsonb_array_length(d.phones) + jsonb_array_length(d.emails) > 0 AS contactable,
         jsonb_array_length(d.emails) > 0 AS has_email
  FROM accounts a
  -- One index lookup per account: debtor ids do not follow account ids, and a hash join would read every
  -- debtor for each page (OFFSET 0 keeps the planner from flattening the lookup into such a join).
  JOIN LATERAL (SELECT d.jurisdiction, d.phones, d.emails, d.timezone FROM debtors d WHERE d.id = a.debtor_id OFFSET 0) d
    ON true
  ${PAYMENTS_JOIN}
  WHERE ${RANGE}`;

/** The page without the debtor, for a caller that reads the debtor with other facts (the daily cycle). */
const ACCOUNTS_SQL = `SELECT ${ACCOUNT_COLUMNS} FROM accounts a ${PAYMENTS_JOIN} WHERE ${RANGE}`;

/** The page with the debtor's jurisdiction alone (the portfolio snapshot's grouping). */
const JURISDICTION_PAGE_SQL = `
  SELECT ${ACCOUNT_COLUMNS}, d.jurisdiction
  FROM accounts a
  JOIN LATERAL (SELECT d.jurisdiction FROM debtors d WHERE d.id = a.debtor_id OFFSET 0) d ON true
  ${PAYMENTS_JOIN}
  WHERE ${RANGE}`;

/** What a page row says of the debtor. */
export interface PageDebtor {
  jurisdiction: string;
  /** The debtor has at least one phone or e-mail on file. */
  contactable: boolean;
  has_email: boolean;
  timezone: string;
  /** The first phone number, if any. */
  phone: string | null;
}

/** A page row without its debtor (`readAccountRange`). */
export interface AccountRangeRow {
  id: number;
  ref: string;
  currency: string;
  principal: number;
  interest_rate: string;
  penalty_rate: string;
  penalty_on_interest: boolean;
  product: string;
  creditor_id: number;
  opened: number;
  /** The schedule as PostgreSQL writes its arrays ('{2026-01-10,2026-02-10}', '{100000,100000}'): decoded by `schedule`. */
  due: string;
  principals: string;
  interests: string;
  fees: string;
  pays: string | null;
}

export interface AccountPageRow extends AccountRangeRow, PageDebtor {}

export type CreditorRow = { id: number; ref: string; name: string; settings: CreditorSettingsJson };

/** The creditors by id, with the settings the statement engine needs. */
export async function readCreditors(sql: SqlClient): Promise<Map<number, CreditorRow>> {
  const { rows } = await sql.query<CreditorRow>(`SELECT id, ref, name, settings FROM creditors`);
  return new Map(rows.map((r) => [r.id, r]));
}

/** The highest account id (0 when there are none): pages run up to it. */
export async function maxAccountId(sql: SqlClient): Promise<number> {
  const { rows } = await sql.query<{ max: number | null }>(`SELECT max(id) AS max FROM accounts`);
  return Number(rows[0]?.max ?? 0);
}

/** Reads the open accounts with ids in (from, to], with payments received by `asOf` (YYYY-MM-DD). */
export type PageReader<R> = (sql: SqlClient, from: number, to: number, asOf: string) => Promise<R[]>;

const pageReader =
  <R>(text: string): PageReader<R> =>
  async (sql, from, to, asOf) =>
    (await sql.query<R>(text, [from, to, asOf])).rows;

/** A page with the debtor's zone, jurisdiction, first phone and contactability. */
export const readAccountPage = pageReader<AccountPageRow>(PAGE_SQL);
/** `readAccountPage` with the debtor's jurisdiction alone. */
export const readJurisdictionPage = pageReader<AccountRangeRow & { jurisdiction: string }>(
  JURISDICTION_PAGE_SQL,
);
/** `readAccountPage` without the debtor: the caller pairs each row with a `PageDebtor` it reads itself. */
export const readAccountRange = pageReader<AccountRangeRow>(ACCOUNTS_SQL);

/**
 * Streams every open account as raw rows in id-range pages, with the creditors they refer to. The next
 * page is fetched while the caller works on this one, so database and engine overlap.
 */
export async function* readAccountPages<R extends AccountRangeRow = AccountPageRow>(
  sql: SqlClient,
  asOf: DayNumber,
  options: {
    pageSize?: number;
    /** How a page is read (default `readAccountPage`: every column of the debtor). */
    read?: PageReader<R>;
  } = {},
): AsyncGenerator<{ rows: R[]; creditors: Map<number, CreditorRow> }> {
  const pageSize = options.pageSize ?? 10_000;
  const asOfText = formatDay(asOf);
  const read = options.read ?? (readAccountPage as unknown as PageReader<R>);
  const creditors = await readCreditors(sql);
  const maxId = await maxAccountId(sql);
  const fetchPage = (from: number) => read(sql, from, from + pageSize, asOfText);
  let next = maxId > 0 ? fetchPage(0) : null;
  for (let from = 0; next; from += pageSize) {
    const rows = await next;
    next = from + pageSize < maxId ? fetchPage(from + pageSize) : null;
    yield { rows, creditors };
  }
}

/** Every open account with its terms, schedule and the payments received by `asOf`, page by page. */
export async function* readOpenAccounts(
  sql: SqlClient,
  asOf: DayNumber,
  options: { pageSize?: number } = {},
): AsyncGenerator<OpenAccount[]> {
  for await (const { rows, creditors } of readAccountPages(sql, asOf, options)) {
    yield rows.map((row) => toOpenAccount(row, creditors.get(row.creditor_id)!));
  }
}

// One `creditor` object per creditor row, shared by its accounts.
const creditorViews = new WeakMap<CreditorRow, OpenAccount['creditor']>();
function creditorOf(c: CreditorRow): OpenAccount['creditor'] {
  let view = creditorViews.get(c);
  if (!view) creditorViews.set(c, (view = { id: c.id, ref: c.ref, name: c.name }));
  return view;
}

/**
 * A raw row as the statement engine needs it: terms from the creditor's settings, schedule, payments; the
 * debtor from the row, or as read apart (`readAccountRange`).
 */
export function toOpenAccount(
  row: AccountRangeRow,
  c: CreditorRow,
  debtor: PageDebtor = row as AccountPageRow,
): OpenAccount {
  return {
    id: row.id,
    ref: row.ref,
    product: row.product,
    jurisdiction: debtor.jurisdiction,
    contactable: debtor.contactable,
    timezone: debtor.timezone,
    phone: debtor.phone,
    creditor: creditorOf(c),
    terms: termsFor(row, row.opened, c.settings),
    installments: schedule(row),
    payments: parsePayments(row.pays),
  };
}

/**
 * The schedule from the page row's four array texts, walked in step character by character: a page of
 * 10,000 accounts has 120,000 installments, and splitting the texts into element strings (then parsing
 * each) cost more than the statement engine itself in the snapshot's profile. The texts come from
 * PostgreSQL's array output of `date[]` (ISO dates, as the server is set) and `bigint[]` (no NULLs: the
 * columns' constraints).
 */
export function schedule(
  row: Pick<AccountPageRow, 'due' | 'principals' | 'interests' | 'fees'>,
): InstallmentInput[] {
  const out: InstallmentInput[] = [];
  const { due, principals, interests, fees } = row;
  let [d, p, i, f] = [1, 1, 1, 1];
  while (d < due.length - 1) {
    const on = dayAt(due, d);
    d = cursor.next;
    const principal = intAt(principals, p);
    p = cursor.next;
    const interest = intAt(interests, i);
    i = cursor.next;
    const fee = intAt(fees, f);
    f = cursor.next;
    out.push({ seq: out.length + 1, due: on, principal, interest, fees: fee });
  }
  return out;
}

const ZERO = 48;
const DASH = 45;
// Where the element after the one just read starts (one shared cursor: no garbage per element).
const cursor = { next: 0 };

/** The day number of the date element at `at` ('YYYY-MM-DD'; anything else is parsed, or refused, by toDay). */
function dayAt(text: string, at: number): number {
  let end = at;
  while (end < text.length && text[end] !== ',' && text[end] !== '}') end++;
  cursor.next = end + 1;
  if (end - at !== 10 || text.charCodeAt(at + 4) !== DASH || text.charCodeAt(at + 7) !== DASH)
    return toDay(text.slice(at, end));
  // No helper closure here: tsx (esbuild keepNames) names every closure it creates, which costs more than
  // the arithmetic at 12 calls per account.
  const y =
    (text.charCodeAt(at) - ZERO) * 1000 +
    (text.charCodeAt(at + 1) - ZERO) * 100 +
    (text.charCodeAt(at + 2) - ZERO) * 10 +
    (text.charCodeAt(at + 3) - ZERO);
  const m = (text.charCodeAt(at + 5) - ZERO) * 10 + (text.charCodeAt(at + 6) - ZERO);
  const d = (text.charCodeAt(at + 8) - ZERO) * 10 + (text.charCodeAt(at + 9) - ZERO);
  return daysFromCivil(y, m, d);
}

/** The integer element at `at` of an array text (ending at ',' or '}'). */
function intAt(text: string, at: number): number {
  const value = digitsAt(text, at);
  const end = text[cursor.next - 1];
  if (end !== ',' && end !== '}')
    throw new RangeError(`not an integer array element at ${at} of "${text.slice(0, 60)}"`);
  return value;
}

/** The optionally signed digits at `at`; `cursor.next` is one past the character that ends them. */
function digitsAt(text: string, at: number): number {
  let k = at;
  const negative = text.charCodeAt(k) === DASH;
  if (negative) k++;
  const first = k;
  let value = 0;
  for (let c = text.charCodeAt(k); c >= ZERO && c <= ZERO + 9; c = text.charCodeAt(++k))
    value = value * 10 + (c - ZERO);
  if (k === first) throw new RangeError(`not an integer at ${at} of "${text.slice(0, 60)}"`);
  cursor.next = k + 1;
  return negative ? -value : value;
}

/** The page row's payments, `day,amount;day,amount…` (integers), read in place: no element strings. */
export function parsePayments(text: string | null): PaymentInput[] {
  if (!text) return [];
  const out: PaymentInput[] = [];
  let k = 0;
  while (k < text.length) {
    const receivedOn = intUntil(text, k, 44); // ','
    const amount = intUntil(text, cursor.next, 59); // ';' or the end
    out.push({ ref: '', receivedOn, amount });
    k = cursor.next;
    if (k === text.length) throw new RangeError(`a payment list ends in a separator: "${text.slice(-60)}"`);
  }
  return out;
}

/** The integer at `at`, which must end at `stop` or the end of the text; `cursor.next` is after the stop. */
function intUntil(text: string, at: number, stop: number): number {
  const value = digitsAt(text, at);
  const end = cursor.next - 1;
  if (end < text.length && text.charCodeAt(end) !== stop)
    throw new RangeError(`not an integer list element at ${at} of "${text.slice(0, 60)}"`);
  return value;
}
