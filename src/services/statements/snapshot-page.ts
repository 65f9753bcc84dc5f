import { formatDay, type DayNumber } from '../../domain/calendar/index.js';
import { computeStatement } from '../../domain/delinquency/index.js';
// The COPY encoder alone (not the store's index): this module runs in worker threads too.
import { CopyBuffer, escapeCopy } from '../../store/copy-text.js';
import type { TaskHandler } from '../../workers/pool.js';
import { parsePayments, schedule, type AccountRangeRow, type CreditorRow } from './accounts.js';
import { termsFor } from './terms.js';

export type Money = Record<string, number>;
export interface Group {
  accounts: number;
  delinquent: number;
  overdue: Money;
  outstandingPrincipal: Money;
}

/** One page's share of the portfolio summary; creditors by ref. */
export interface PageSummary {
  totals: Group;
  byBucket: Record<string, Group>;
  byJurisdiction: Record<string, Group>;
  byCreditor: Record<string, Group>;
}

export interface SnapshotPageTask {
  rows: (AccountRangeRow & { jurisdiction: string })[];
  creditors: Map<number, CreditorRow>;
  asOf: DayNumber;
}

export const newGroup = (): Group => ({ accounts: 0, delinquent: 0, overdue: {}, outstandingPrincipal: {} });

/** Adds the figures of `other` to `g`. */
export function addTo(g: Group, other: Group): void {
  g.accounts += other.accounts;
  g.delinquent += other.delinquent;
  for (const [c, v] of Object.entries(other.overdue)) g.overdue[c] = (g.overdue[c] ?? 0) + v;
  for (const [c, v] of Object.entries(other.outstandingPrincipal))
    g.outstandingPrincipal[c] = (g.outstandingPrincipal[c] ?? 0) + v;
}

function add(g: Group, currency: string, dpd: number, overdue: number, principal: number) {
  g.accounts++;
  if (dpd > 0) g.delinquent++;
  g.overdue[currency] = (g.overdue[currency] ?? 0) + overdue;
  g.outstandingPrincipal[currency] = (g.outstandingPrincipal[currency] ?? 0) + principal;
}

const at = (m: Record<string, Group>, key: string) => (m[key] ??= newGroup());

/**
 * DPD, bucket and overdue amounts for one page of accounts with the statement engine: the COPY text for
 * delinquency_snapshots and the page's summary. Pure CPU work on plain data, so it runs in worker threads.
 */
export function snapshotPage(task: SnapshotPageTask): {
  copy: Uint8Array;
  summary: PageSummary;
  count: number;
} {
  const asOfText = formatDay(task.asOf);
  const summary: PageSummary = { totals: newGroup(), byBucket: {}, byJurisdiction: {}, byCreditor: {} };
  const out = new CopyBuffer(task.rows.length * 80);
  for (const row of task.rows) {
    const creditor = task.creditors.get(row.creditor_id)!;
    const terms = termsFor(row, row.opened, creditor.settings);
    const st = computeStatement(terms, schedule(row), parsePayments(row.pays), task.asOf, { summary: true });
    const o = st.overdue;
    const cur = terms.currency;
    // Numbers, a day and a bucket label (configured per creditor: escaped).
    out.line(
      `${row.id}\t${asOfText}\t${st.dpd}\t${escapeCopy(st.bucket)}\t${o.principal}\t${o.interest}\t${o.fees}\t${o.penalty}\t${o.total}\t${st.outstandingPrincipal}`,
    );
    add(summary.totals, cur, st.dpd, o.total, st.outstandingPrincipal);
    add(at(summary.byBucket, st.bucket), cur, st.dpd, o.total, st.outstandingPrincipal);
    add(at(summary.byJurisdiction, row.jurisdiction), cur, st.dpd, o.total, st.outstandingPrincipal);
    add(at(summary.byCreditor, creditor.ref), cur, st.dpd, o.total, st.outstandingPrincipal);
  }
  return { copy: out.bytes(), summary, count: task.rows.length };
}

/** `snapshotPage` as a worker task (src/workers/pool.ts). */
export const handle: TaskHandler<SnapshotPageTask, ReturnType<typeof snapshotPage>> = (task) => {
  const result = snapshotPage(task);
  return { result, transfer: [result.copy.buffer as ArrayBuffer] };
};
