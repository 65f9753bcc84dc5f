import { formatDay, type DayNumber } from '../../domain/calendar/index.js';
import {
  computeStatement,
  type InstallmentInput,
  type PaymentInput,
} from '../../domain/delinquency/index.js';
import { formatAmount } from '../../domain/money/index.js';
import { encodeCopyRows, type SqlClient, type Store, type CreditorSettingsJson } from '../../store/index.js';
import { termsFor } from './terms.js';

export interface SnapshotOptions {
  /** Account ids per page. */
  pageSize?: number;
  onProgress?: (done: number, total: number) => void;
  /** Store the rows in delinquency_snapshots (default true); false only computes the summary (read-only). */
  persist?: boolean;
}

type Money = Record<string, number>;
interface Group {
  accounts: number;
  delinquent: number;
  overdue: Money;
  outstandingPrincipal: Money;
}

export interface PortfolioSummary {
  asOf: DayNumber;
  totals: Group;
  byBucket: Map<string, Group>;
  byJurisdiction: Map<string, Group>;
  byCreditor: Map<string, Group & { name: string }>;
}

const newGroup = (): Group => ({ accounts: 0, delinquent: 0, overdue: {}, outstandingPrincipal: {} });

function add(g: Group, currency: string, dpd: number, overdue: number, principal: number) {
  g.accounts++;
  if (dpd > 0) g.delinquent++;
  g.overdue[currency] = (g.overdue[currency] ?? 0) + overdue;
  g.outstandingPrincipal[currency] = (g.outstandingPrincipal[currency] ?? 0) + principal;
}

// Pages are id ranges: each table is read by one range scan of its primary key and grouped per
// account, instead of two index lookups per account.
const PAGE_SQL = `
  SELECT a.id, a.currency, a.principal, a.interest_rate, a.penalty_rate, a.penalty_on_interest, a.product, a.creditor_id,
         a.opened_on - DATE '1970-01-01' AS opened, d.jurisdiction, i.sched, p.pays
  FROM accounts a
  JOIN debtors d ON d.id = a.debtor_id
  LEFT JOIN (
    SELECT account_id,
           string_agg(concat_ws(',', due_on - DATE '1970-01-01', principal, interest, fees), ';' ORDER BY seq) AS sched
    FROM installments WHERE account_id > $1 AND account_id <= $2 GROUP BY account_id) i ON i.account_id = a.id
  LEFT JOIN (
    SELECT account_id,
           string_agg(concat_ws(',', received_on - DATE '1970-01-01', amount), ';' ORDER BY received_on, id) AS pays
    FROM payments WHERE account_id > $1 AND account_id <= $2 AND received_on <= $3::date AND reversed_at IS NULL GROUP BY account_id) p ON p.account_id = a.id
  WHERE a.id > $1 AND a.id <= $2 AND a.status = 'open'`;

interface PageRow {
  id: number;
  currency: string;
  principal: number;
  interest_rate: string;
  penalty_rate: string;
  penalty_on_interest: boolean;
  product: string;
  creditor_id: number;
  opened: number;
  jurisdiction: string;
  sched: string | null;
  pays: string | null;
}

function parseSchedule(text: string | null): InstallmentInput[] {
  if (!text) return [];
  return text.split(';').map((part, i) => {
    const [due, principal, interest, fees] = part.split(',');
    return {
      seq: i + 1,
      due: Number(due),
      principal: Number(principal),
      interest: Number(interest),
      fees: Number(fees),
    };
  });
}

function parsePayments(text: string | null): PaymentInput[] {
  if (!text) return [];
  return text.split(';').map((part) => {
    const [on, amount] = part.split(',');
    return { ref: '', receivedOn: Number(on), amount: Number(amount) };
  });
}

/**
 * Computes DPD, bucket and overdue amounts for every open account as of a date with the same engine
 * as a single statement, stores them in delinquency_snapshots (replacing that date's snapshot) and
 * returns the portfolio summary. One transaction; accounts stream in keyset pages, results go out by COPY.
 */
export async function snapshotPortfolio(
  store: Store,
  asOf: DayNumber,
  options: SnapshotOptions = {},
): Promise<PortfolioSummary> {
  const pageSize = options.pageSize ?? 10_000;
  const asOfText = formatDay(asOf);
  return store.transaction(async ({ sql }) => {
    const creditors = await loadCreditors(sql);
    const { rows: countRows } = await sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM accounts WHERE status = 'open'`,
    );
    const total = countRows[0]?.n ?? 0;
    const persist = options.persist ?? true;
    if (persist) await sql.query(`DELETE FROM delinquency_snapshots WHERE as_of = $1`, [asOfText]);
    const summary: PortfolioSummary = {
      asOf,
      totals: newGroup(),
      byBucket: new Map(),
      byJurisdiction: new Map(),
      byCreditor: new Map(),
    };
    const { rows: maxRows } = await sql.query<{ max: number | null }>(`SELECT max(id) AS max FROM accounts`);
    const maxId = Number(maxRows[0]?.max ?? 0);
    const fetchPage = (from: number) => sql.query<PageRow>(PAGE_SQL, [from, from + pageSize, asOfText]);
    let done = 0;
    // The next page is fetched while this one is computed, so the database and the engine overlap.
    let next = maxId > 0 ? fetchPage(0) : null;
    for (let from = 0; next; from += pageSize) {
      const { rows } = await next;
      next = from + pageSize < maxId ? fetchPage(from + pageSize) : null;
      const out: unknown[][] = [];
      for (const row of rows) {
        const creditor = creditors.get(row.creditor_id)!;
        const terms = termsFor({ ...row, opened_on: row.opened }, creditor.settings);
        const st = computeStatement(terms, parseSchedule(row.sched), parsePayments(row.pays), asOf, {
          explain: false,
        });
        const o = st.overdue;
        out.push([
          row.id,
          asOfText,
          st.dpd,
          st.bucket,
          o.principal,
          o.interest,
          o.fees,
          o.penalty,
          o.total,
          st.outstandingPrincipal,
        ]);
        add(summary.totals, row.currency, st.dpd, o.total, st.outstandingPrincipal);
        add(group(summary.byBucket, st.bucket), row.currency, st.dpd, o.total, st.outstandingPrincipal);
        add(
          group(summary.byJurisdiction, row.jurisdiction),
          row.currency,
          st.dpd,
          o.total,
          st.outstandingPrincipal,
        );
        let c = summary.byCreditor.get(creditor.ref);
        if (!c) summary.byCreditor.set(creditor.ref, (c = { ...newGroup(), name: creditor.name }));
        add(c, row.currency, st.dpd, o.total, st.outstandingPrincipal);
      }
      if (persist && out.length > 0) {
        await sql.copyIn(
          'delinquency_snapshots',
          [
            'account_id',
            'as_of',
            'dpd',
            'bucket',
            'overdue_principal',
            'overdue_interest',
            'overdue_fees',
            'overdue_penalty',
            'overdue_total',
            'outstanding_principal',
          ],
          encodeCopyRows(out),
        );
      }
      done += rows.length;
      options.onProgress?.(done, total);
    }
    return summary;
  });
}

function group(map: Map<string, Group>, key: string): Group {
  let g = map.get(key);
  if (!g) map.set(key, (g = newGroup()));
  return g;
}

async function loadCreditors(sql: SqlClient) {
  const { rows } = await sql.query<{ id: number; ref: string; name: string; settings: CreditorSettingsJson }>(
    `SELECT id, ref, name, settings FROM creditors`,
  );
  return new Map(rows.map((r) => [r.id, r]));
}

const moneyJson = (m: Money) =>
  Object.fromEntries(
    Object.entries(m)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([cur, v]) => [cur, formatAmount(v, cur)]),
  );

const groupJson = (g: Group) => ({
  accounts: g.accounts,
  delinquent: g.delinquent,
  overdue: moneyJson(g.overdue),
  outstandingPrincipal: moneyJson(g.outstandingPrincipal),
});

/** The stable JSON shape of `arrears portfolio --json` (docs/cli.md). Buckets in DPD order. */
export function portfolioJson(s: PortfolioSummary, bucketOrder: readonly string[]) {
  const order = (name: string) => {
    const i = bucketOrder.indexOf(name);
    return i === -1 ? bucketOrder.length : i;
  };
  return {
    asOf: formatDay(s.asOf),
    ...groupJson(s.totals),
    byBucket: [...s.byBucket]
      .sort(([a], [b]) => order(a) - order(b) || a.localeCompare(b))
      .map(([bucket, g]) => ({ bucket, ...groupJson(g) })),
    byJurisdiction: [...s.byJurisdiction]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([jurisdiction, g]) => ({ jurisdiction, ...groupJson(g) })),
    byCreditor: [...s.byCreditor]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([creditor, g]) => ({ creditor, name: g.name, ...groupJson(g) })),
  };
}
