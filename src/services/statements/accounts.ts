import { formatDay, toDay, type DayNumber } from '../../domain/calendar/index.js';
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
const PAGE_SQL = `
  SELECT a.id, a.ref, a.currency, a.principal, a.interest_rate, a.penalty_rate, a.penalty_on_interest, a.product,
         a.creditor_id, a.opened_on - DATE '1970-01-01' AS opened, d.jurisdiction,
         jsonb_array_length(d.phones) + jsonb_array_length(d.emails) > 0 AS contactable,
         jsonb_array_length(d.emails) > 0 AS has_email,
         d.timezone, d.phones->0->>'number' AS phone,
         a.schedule_due, a.schedule_principal, a.schedule_interest, a.schedule_fees, p.pays
  FROM accounts a
  JOIN debtors d ON d.id = a.debtor_id
  LEFT JOIN (
    SELECT account_id,
           string_agg(concat_ws(',', received_on - DATE '1970-01-01', amount), ';' ORDER BY received_on, id) AS pays
    FROM payments WHERE account_id > $1 AND account_id <= $2 AND received_on <= $3::date AND reversed_at IS NULL
    GROUP BY account_id) p ON p.account_id = a.id
  WHERE a.id > $1 AND a.id <= $2 AND a.status = 'open'`;

export interface AccountPageRow {
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
  jurisdiction: string;
  contactable: boolean;
  has_email: boolean;
  timezone: string;
  phone: string | null;
  schedule_due: string[];
  schedule_principal: number[];
  schedule_interest: number[];
  schedule_fees: number[];
  pays: string | null;
}

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

/** The open accounts with ids in (from, to], with payments received by `asOf` (YYYY-MM-DD). */
export async function readAccountPage(
  sql: SqlClient,
  from: number,
  to: number,
  asOf: string,
): Promise<AccountPageRow[]> {
  return (await sql.query<AccountPageRow>(PAGE_SQL, [from, to, asOf])).rows;
}

/**
 * Streams every open account as raw rows in id-range pages, with the creditors they refer to. The next
 * page is fetched while the caller works on this one, so database and engine overlap.
 */
export async function* readAccountPages(
  sql: SqlClient,
  asOf: DayNumber,
  options: { pageSize?: number } = {},
): AsyncGenerator<{ rows: AccountPageRow[]; creditors: Map<number, CreditorRow> }> {
  const pageSize = options.pageSize ?? 10_000;
  const asOfText = formatDay(asOf);
  const creditors = await readCreditors(sql);
  const maxId = await maxAccountId(sql);
  const fetchPage = (from: number) => readAccountPage(sql, from, from + pageSize, asOfText);
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

/** A raw row as the statement engine needs it: terms from the creditor's settings, schedule, payments. */
export function toOpenAccount(row: AccountPageRow, c: CreditorRow): OpenAccount {
  return {
    id: row.id,
    ref: row.ref,
    product: row.product,
    jurisdiction: row.jurisdiction,
    contactable: row.contactable,
    timezone: row.timezone,
    phone: row.phone,
    creditor: { id: c.id, ref: c.ref, name: c.name },
    terms: termsFor({ ...row, opened_on: row.opened }, c.settings),
    installments: schedule(row),
    payments: parsePayments(row.pays),
  };
}

// A portfolio's due dates repeat across accounts: parse each distinct one once.
const days = new Map<string, number>();
function dayOf(text: string): number {
  let d = days.get(text);
  if (d === undefined) {
    if (days.size > 100_000) days.clear();
    days.set(text, (d = toDay(text)));
  }
  return d;
}

function schedule(row: AccountPageRow): InstallmentInput[] {
  return row.schedule_due.map((due, i) => ({
    seq: i + 1,
    due: dayOf(due),
    principal: row.schedule_principal[i]!,
    interest: row.schedule_interest[i]!,
    fees: row.schedule_fees[i]!,
  }));
}

function parsePayments(text: string | null): PaymentInput[] {
  if (!text) return [];
  return text.split(';').map((part) => {
    const [on, amount] = part.split(',');
    return { ref: '', receivedOn: Number(on), amount: Number(amount) };
  });
}
