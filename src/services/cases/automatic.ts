import { actorOf, type Principal } from '../../domain/access/index.js';
import { CAUSE_TEXT, nextCaseStatus, type CaseCause, type CaseStatus } from '../../domain/cases/index.js';
import type { Tx } from '../../store/index.js';
import { appendAuditMany } from '../audit/index.js';

/** Something that happened on an account which may move its case (the rules: `nextCaseStatus`). */
export interface CaseEvent {
  accountId: number;
  cause: CaseCause;
  /** What it refers to, kept with the change (e.g. `{ promiseId: 7 }`). */
  detail?: Record<string, unknown> | undefined;
}

export interface CaseChange {
  accountId: number;
  from: CaseStatus;
  to: CaseStatus;
  cause: CaseCause;
}

interface Row {
  account_id: number;
  ref: string;
  status: CaseStatus;
  worked: boolean;
  pending: boolean;
}

/**
 * Moves cases automatically, in the caller's transaction, set-based whatever the number of events: the
 * cases are created if missing and locked in one statement (with whether a collector works each one and
 * whether another promise is pending), `nextCaseStatus` (src/domain/cases) decides each change, and the
 * changes are written in one statement each — the cases, a `case_status` account event per change with its
 * cause (the timeline) and one audit record per account. Events of one account apply in order. Returns the
 * changes made (none when every case stays as it is).
 */
export async function applyCaseEvents(
  tx: Tx,
  actor: Principal | null,
  events: readonly CaseEvent[],
): Promise<CaseChange[]> {
  if (events.length === 0) return [];
  const ids = [...new Set(events.map((e) => e.accountId))];
  await tx.sql.query(
    `INSERT INTO cases (account_id) SELECT unnest($1::bigint[]) ON CONFLICT (account_id) DO NOTHING`,
    [ids],
  );
  const { rows } = await tx.sql.query<Row>(
    `SELECT c.account_id, a.ref, c.status,
            (c.assigned_to IS NOT NULL OR c.claimed_until > now()) AS worked,
            EXISTS (SELECT 1 FROM promises p
                     WHERE p.account_id = c.account_id AND p.outcome_emitted_at IS NULL
                       AND p.due_on + p.grace_days >= current_date) AS pending
       FROM cases c JOIN accounts a ON a.id = c.account_id
      WHERE c.account_id = ANY($1::bigint[])
      ORDER BY c.account_id
      FOR UPDATE OF c`,
    [ids],
  );
  const cases = new Map(rows.map((r) => [r.account_id, { ...r }]));
  const changes: (CaseChange & { detail: Record<string, unknown> })[] = [];
  for (const e of events) {
    const c = cases.get(e.accountId);
    if (!c) continue;
    const to = nextCaseStatus({ status: c.status, worked: c.worked, pendingPromise: c.pending }, e.cause);
    if (to === null) continue;
    changes.push({ accountId: e.accountId, from: c.status, to, cause: e.cause, detail: e.detail ?? {} });
    c.status = to;
  }
  if (changes.length === 0) return [];
  const final = [...new Map(changes.map((c) => [c.accountId, c.to])).entries()];
  await tx.sql.query(
    `UPDATE cases c SET status = u.status, updated_at = now()
       FROM unnest($1::bigint[], $2::text[]) AS u(account_id, status)
      WHERE c.account_id = u.account_id`,
    [final.map(([id]) => id), final.map(([, to]) => to)],
  );
  const by = actorOf(actor);
  await tx.sql.query(
    `INSERT INTO account_events (account_id, kind, data)
     SELECT account_id, 'case_status', data::jsonb FROM unnest($1::bigint[], $2::text[]) AS e(account_id, data)`,
    [
      changes.map((c) => c.accountId),
      changes.map((c) =>
        JSON.stringify({
          from: c.from,
          to: c.to,
          reason: null,
          cause: c.cause,
          because: CAUSE_TEXT[c.cause],
          automatic: true,
          by,
          ...c.detail,
        }),
      ),
    ],
  );
  // One audit record per account (a chain takes one record per batch append), listing its changes in order.
  const perAccount = new Map<number, typeof changes>();
  for (const c of changes)
    (perAccount.get(c.accountId) ?? perAccount.set(c.accountId, []).get(c.accountId)!).push(c);
  await appendAuditMany(
    tx,
    actor,
    [...perAccount.entries()].map(([accountId, list]) => ({
      action: 'case.status_changed',
      entity: `case:${cases.get(accountId)!.ref}`,
      accountId,
      data: {
        from: list[0]!.from,
        to: list.at(-1)!.to,
        automatic: true,
        cause: list.at(-1)!.cause,
        steps: list.map((c) => ({ from: c.from, to: c.to, cause: c.cause, ...c.detail })),
      },
    })),
  );
  return changes.map(({ accountId, from, to, cause }) => ({ accountId, from, to, cause }));
}
