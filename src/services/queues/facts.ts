import { formatDay, toDay } from '../../domain/calendar/index.js';
import { judgePromise } from '../../domain/promises/index.js';
import { expectedRecovery, scoreAccount, type Score } from '../../domain/scoring/index.js';
import type { Store } from '../../store/index.js';

/** What the queue and the allocation know about one account, read in bulk. */
export interface CaseFacts {
  accountId: number;
  ref: string;
  currency: string;
  accountStatus: 'open' | 'closed';
  locale: string;
  jurisdiction: string;
  /** The day the facts are for: the given as-of date, or today in the debtor's zone. */
  day: string;
  /** From the latest portfolio snapshot on or before `day` (null: never snapshotted). */
  snapshotAsOf: string | null;
  dpd: number;
  bucket: string;
  overdue: number;
  caseStatus: string;
  assignedTo: number | null;
  assignedName: string | null;
  claimedBy: number | null;
  claimedByName: string | null;
  claimedUntil: Date | null;
  placedWith: number | null;
  /** A promise is due today or overdue and still pending (inside its grace days): call first. */
  urgent: boolean;
  /** The earliest due date among such promises. */
  promiseDue: string | null;
  score: Score;
  /** overdue × propensity, minor units. */
  expectedRecovery: number;
}

interface Row {
  id: number;
  ref: string;
  currency: string;
  account_status: 'open' | 'closed';
  locale: string;
  jurisdiction: string;
  day: string;
  snapshot_as_of: string | null;
  dpd: number | null;
  bucket: string | null;
  overdue: number | null;
  case_status: string | null;
  assigned_to: number | null;
  claimed_by: number | null;
  claimed_by_name: string | null;
  claimed_until: Date | null;
  placed_with: number | null;
  has_phone: boolean;
  has_email: boolean;
  recent_payments: number;
}

/**
 * Loads the facts of `accountIds` as of `asOf` (default: today in each debtor's zone) in three queries,
 * whatever the number of accounts: accounts with snapshot, case and recent payment count; their promises;
 * the payments of the accounts that have promises (judged by the promise engine, not in SQL).
 * Under an agency scope, row-level security drops what the agency may not see.
 */
export async function loadCaseFacts(
  store: Store,
  accountIds: readonly number[],
  asOf?: string,
): Promise<CaseFacts[]> {
  if (accountIds.length === 0) return [];
  return store.transaction(async ({ sql }) => {
    const { rows } = await sql.query<Row>(
      `SELECT a.id, a.ref, a.currency, a.status AS account_status, d.locale, d.jurisdiction,
              x.day::text AS day, s.as_of AS snapshot_as_of, s.dpd, s.bucket, s.overdue_total AS overdue,
              c.status AS case_status, c.assigned_to,
              c.claimed_by, c.claimed_by_name, c.claimed_until,
              pl.agency_id AS placed_with,
              jsonb_array_length(d.phones) > 0 AS has_phone, jsonb_array_length(d.emails) > 0 AS has_email,
              (SELECT count(*)::int FROM payments p
                WHERE p.account_id = a.id AND p.reversed_at IS NULL
                  AND p.received_on > x.day - 90 AND p.received_on <= x.day) AS recent_payments
       FROM accounts a
       JOIN debtors d ON d.id = a.debtor_id
       CROSS JOIN LATERAL (SELECT COALESCE($2::date, (now() AT TIME ZONE d.timezone)::date) AS day) x
       LEFT JOIN LATERAL (
         SELECT as_of, dpd, bucket, overdue_total FROM delinquency_snapshots s
         WHERE s.account_id = a.id AND s.as_of <= x.day ORDER BY s.as_of DESC LIMIT 1) s ON true
       LEFT JOIN cases c ON c.account_id = a.id
       LEFT JOIN placements pl ON pl.account_id = a.id AND pl.recalled_at IS NULL
       WHERE a.id = ANY($1::bigint[])`,
      [accountIds, asOf ?? null],
    );
    const { rows: promises } = await sql.query<{
      account_id: number;
      amount: number;
      made_on: string;
      due_on: string;
      grace_days: number;
      tolerance: number;
    }>(
      `SELECT account_id, amount, made_on, due_on, grace_days, tolerance FROM promises
       WHERE account_id = ANY($1::bigint[])`,
      [accountIds],
    );
    const withPromises = [...new Set(promises.map((p) => p.account_id))];
    const { rows: payments } =
      withPromises.length === 0
        ? { rows: [] }
        : await sql.query<{ account_id: number; received_on: string; amount: number }>(
            `SELECT account_id, received_on, amount FROM payments
             WHERE account_id = ANY($1::bigint[]) AND reversed_at IS NULL`,
            [withPromises],
          );
    // Agency users may not read `users` (and a query naming it fails even in an unused branch), so the
    // assignees' names come from a second query only where it is readable.
    const assigned = [...new Set(rows.flatMap((r) => (r.assigned_to === null ? [] : [r.assigned_to])))];
    const names = new Map<number, string>();
    const { rows: can } = await sql.query<{ ok: boolean }>(
      `SELECT has_table_privilege('users', 'SELECT') AS ok`,
    );
    if (assigned.length > 0 && can[0]?.ok) {
      const { rows: us } = await sql.query<{ id: number; username: string }>(
        `SELECT id, username FROM users WHERE id = ANY($1::bigint[])`,
        [assigned],
      );
      for (const u of us) names.set(u.id, u.username);
    }
    const paysBy = new Map<number, { receivedOn: number; amount: number }[]>();
    for (const p of payments) {
      const list = paysBy.get(p.account_id) ?? [];
      list.push({ receivedOn: toDay(p.received_on), amount: p.amount });
      paysBy.set(p.account_id, list);
    }
    const promisesBy = new Map<number, typeof promises>();
    for (const p of promises) {
      const list = promisesBy.get(p.account_id) ?? [];
      list.push(p);
      promisesBy.set(p.account_id, list);
    }
    return rows.map((r) => {
      const day = toDay(r.day);
      let kept = 0;
      let broken = 0;
      let promiseDue: number | null = null;
      for (const p of promisesBy.get(r.id) ?? []) {
        const dueOn = toDay(p.due_on);
        const j = judgePromise(
          {
            amount: p.amount,
            madeOn: toDay(p.made_on),
            dueOn,
            graceDays: p.grace_days,
            tolerance: p.tolerance,
          },
          paysBy.get(r.id) ?? [],
          day,
        );
        if (j.status === 'kept') kept++;
        else if (j.status === 'broken' || j.status === 'partially_kept') broken++;
        else if (dueOn <= day && (promiseDue === null || dueOn < promiseDue)) promiseDue = dueOn;
      }
      const score = scoreAccount({
        dpd: r.dpd ?? 0,
        paymentsLast90Days: r.recent_payments,
        promisesKept: kept,
        promisesBroken: broken,
        hasPhone: r.has_phone,
        hasEmail: r.has_email,
      });
      const overdue = r.overdue ?? 0;
      return {
        accountId: r.id,
        ref: r.ref,
        currency: r.currency,
        accountStatus: r.account_status,
        locale: r.locale,
        jurisdiction: r.jurisdiction,
        day: r.day,
        snapshotAsOf: r.snapshot_as_of,
        dpd: r.dpd ?? 0,
        bucket: r.bucket ?? 'current',
        overdue,
        caseStatus: r.case_status ?? 'open',
        assignedTo: r.assigned_to,
        assignedName: r.assigned_to === null ? null : (names.get(r.assigned_to) ?? null),
        claimedBy: r.claimed_by,
        claimedByName: r.claimed_by_name,
        claimedUntil: r.claimed_until,
        placedWith: r.placed_with,
        urgent: promiseDue !== null,
        promiseDue: promiseDue === null ? null : formatDay(promiseDue),
        score,
        expectedRecovery: expectedRecovery(overdue, score.propensityBp),
      };
    });
  });
}
