import { formatDay, type DayNumber } from '../../domain/calendar/index.js';
import { formatAmount } from '../../domain/money/index.js';
import { useBatchSettings, type Store } from '../../store/index.js';
import { createPool } from '../../workers/pool.js';
import { readAccountPages, readJurisdictionPage } from './accounts.js';
import { addTo, handle, newGroup, type Group, type Money, type PageSummary } from './snapshot-page.js';

export interface SnapshotOptions {
  /** Account ids per page. */
  pageSize?: number;
  /**
   * Worker threads computing pages (default none). Measured on 100,000 accounts they did not pay: the main
   * thread's decoding of the rows and their copy to the workers cost as much as the computing they took over.
   */
  workers?: number;
  onProgress?: (done: number, total: number) => void;
  /** Store the rows in delinquency_snapshots (default true); false only computes the summary (read-only). */
  persist?: boolean;
}

export interface PortfolioSummary {
  asOf: DayNumber;
  totals: Group;
  byBucket: Map<string, Group>;
  byJurisdiction: Map<string, Group>;
  byCreditor: Map<string, Group & { name: string }>;
}

const SNAPSHOT_COLUMNS = [
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
];

/**
 * Computes DPD, bucket and overdue amounts for every open account as of a date with the same engine
 * as a single statement, stores them in delinquency_snapshots (replacing that date's snapshot) and
 * returns the portfolio summary. One transaction: accounts stream in id-range pages, pages are computed
 * (in worker threads for big portfolios) while the next ones are read, results go out by COPY.
 */
export async function snapshotPortfolio(
  store: Store,
  asOf: DayNumber,
  options: SnapshotOptions = {},
): Promise<PortfolioSummary> {
  return store.transaction(async ({ sql }) => {
    await useBatchSettings(store, sql);
    const { rows: countRows } = await sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM accounts WHERE status = 'open'`,
    );
    const total = countRows[0]?.n ?? 0;
    const persist = options.persist ?? true;
    if (persist) await sql.query(`DELETE FROM delinquency_snapshots WHERE as_of = $1`, [formatDay(asOf)]);
    const summary: PortfolioSummary = {
      asOf,
      totals: newGroup(),
      byBucket: new Map(),
      byJurisdiction: new Map(),
      byCreditor: new Map(),
    };
    const creditorNames = new Map<string, string>();
    const workers = options.workers ?? 0;
    const pool = createPool(new URL('./snapshot-page.ts', import.meta.url), handle, workers);
    const inFlight: ReturnType<typeof pool.run>[] = [];
    let done = 0;
    const apply = async () => {
      const page = await inFlight.shift()!;
      if (persist && page.count > 0) await sql.copyIn('delinquency_snapshots', SNAPSHOT_COLUMNS, page.copy);
      merge(summary, page.summary, creditorNames);
      done += page.count;
      options.onProgress?.(done, total);
    };
    try {
      for await (const { rows, creditors } of readAccountPages(sql, asOf, {
        pageSize: options.pageSize,
        read: readJurisdictionPage,
      })) {
        for (const c of creditors.values()) creditorNames.set(c.ref, c.name);
        const next = pool.run({ rows, creditors, asOf });
        next.catch(() => undefined); // awaited in order by apply()
        inFlight.push(next);
        while (inFlight.length > Math.max(1, workers * 2)) await apply();
      }
      while (inFlight.length > 0) await apply();
    } finally {
      await pool.close();
    }
    return summary;
  });
}

function merge(summary: PortfolioSummary, page: PageSummary, creditorNames: Map<string, string>) {
  addTo(summary.totals, page.totals);
  for (const [k, g] of Object.entries(page.byBucket)) addTo(group(summary.byBucket, k), g);
  for (const [k, g] of Object.entries(page.byJurisdiction)) addTo(group(summary.byJurisdiction, k), g);
  for (const [ref, g] of Object.entries(page.byCreditor)) {
    let c = summary.byCreditor.get(ref);
    if (!c) summary.byCreditor.set(ref, (c = { ...newGroup(), name: creditorNames.get(ref) ?? ref }));
    addTo(c, g);
  }
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
