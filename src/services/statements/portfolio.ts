import { formatDay, type DayNumber } from '../../domain/calendar/index.js';
import { computeStatement } from '../../domain/delinquency/index.js';
import { formatAmount } from '../../domain/money/index.js';
import { encodeCopyRows, type Store } from '../../store/index.js';
import { readOpenAccounts } from './accounts.js';

export interface SnapshotOptions {
  /** Account ids per page. */
  pageSize?: number;
  onProgress?: (done: number, total: number) => void;
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
    const { rows: countRows } = await sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM accounts WHERE status = 'open'`,
    );
    const total = countRows[0]?.n ?? 0;
    await sql.query(`DELETE FROM delinquency_snapshots WHERE as_of = $1`, [asOfText]);
    const summary: PortfolioSummary = {
      asOf,
      totals: newGroup(),
      byBucket: new Map(),
      byJurisdiction: new Map(),
      byCreditor: new Map(),
    };
    let done = 0;
    for await (const page of readOpenAccounts(sql, asOf, { pageSize })) {
      const out: unknown[][] = [];
      for (const row of page) {
        const creditor = row.creditor;
        const st = computeStatement(row.terms, row.installments, row.payments, asOf, { explain: false });
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
        add(summary.totals, row.terms.currency, st.dpd, o.total, st.outstandingPrincipal);
        add(group(summary.byBucket, st.bucket), row.terms.currency, st.dpd, o.total, st.outstandingPrincipal);
        add(
          group(summary.byJurisdiction, row.jurisdiction),
          row.terms.currency,
          st.dpd,
          o.total,
          st.outstandingPrincipal,
        );
        let c = summary.byCreditor.get(creditor.ref);
        if (!c) summary.byCreditor.set(creditor.ref, (c = { ...newGroup(), name: creditor.name }));
        add(c, row.terms.currency, st.dpd, o.total, st.outstandingPrincipal);
      }
      if (out.length > 0) {
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
      done += page.length;
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
