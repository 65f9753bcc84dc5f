import { formatDay, toDay } from '../../domain/calendar/index.js';
import { ArrearsError } from '../../domain/errors.js';
import { formatAmount } from '../../domain/money/index.js';
import {
  judgePlan,
  outstandingOf,
  writeOffParts,
  writeOffTotal,
  type WriteOffParts,
} from '../../domain/settlement/index.js';
import type { Tx } from '../../store/index.js';
import { emitEvents } from '../webhooks/index.js';
import { appendAuditMany } from '../audit/index.js';
import { applyCaseEvents } from '../cases/index.js';
import { statementsByIds, WRITE_OFF_EVENT } from '../statements/index.js';
import { enqueueCompletions } from './confirm.js';
import { agreementOf, decisionOf, type PlanRow } from './plans.js';

export interface JudgePlansSummary {
  asOf: string;
  /** Active plans looked at. */
  judged: number;
  completed: number;
  broken: number;
  /** Still running after judging. */
  active: number;
  /** Completed settlements and discounted plans whose remainder was written off (accounts closed). */
  settled: number;
}

interface Row {
  account_id: number;
  id: number;
  ref: string;
  kind: string;
  discount: number;
  made_on: string;
  due_dates: string[];
  amounts: number[];
  grace_days: number;
  tolerance: number;
  pays: string | null;
}

const PAGE = 5_000;

/**
 * Judges every active plan and settlement as of `asOf` from the posted payments (reversed ones excluded),
 * with the rules of `judgePlan` (grace and tolerance per plan), in pages of plans: one read per page
 * with each plan's payments aggregated in SQL, then one statement each for the status changes, the
 * account events and the cases. A completed plan closes its case; a broken one opens it again, and the
 * account returns to its strategy (whose `plan` fact reads `broken`). Judging the same date again
 * changes nothing.
 *
 * @example await store.transaction((tx) => judgePlans(tx, '2026-11-23')) // { judged: 12, completed: 1, broken: 2, active: 9, … }
 */
export async function judgePlans(tx: Tx, asOf: string): Promise<JudgePlansSummary> {
  let day: number;
  try {
    day = toDay(asOf);
  } catch {
    throw new ArrearsError('invalid', `as-of "${asOf}" is not a real date written YYYY-MM-DD`, {
      issues: [{ field: 'asOf', message: 'must be a real date written YYYY-MM-DD' }],
    });
  }
  const summary: JudgePlansSummary = {
    asOf: formatDay(day),
    judged: 0,
    completed: 0,
    broken: 0,
    active: 0,
    settled: 0,
  };
  let after: [number, number] = [0, 0];
  for (;;) {
    const { rows } = await tx.sql.query<Row>(
      `SELECT pl.account_id, pl.id, a.ref, pl.kind, pl.discount, pl.made_on, pl.due_dates, pl.amounts, pl.grace_days, pl.tolerance,
              (SELECT string_agg(concat_ws(',', p.received_on - DATE '1970-01-01', p.amount), ';')
                 FROM payments p
                WHERE p.account_id = pl.account_id AND p.reversed_at IS NULL
                  AND p.received_on BETWEEN pl.made_on AND $1::date) AS pays
       FROM plans pl JOIN accounts a ON a.id = pl.account_id
       WHERE pl.status = 'active' AND pl.made_on <= $1::date AND (pl.account_id, pl.id) > ($2::bigint, $3::bigint)
       ORDER BY pl.account_id, pl.id
       LIMIT $4
       FOR UPDATE OF pl`,
      [summary.asOf, after[0], after[1], PAGE],
    );
    if (rows.length === 0) break;
    after = [rows.at(-1)!.account_id, rows.at(-1)!.id];
    summary.judged += rows.length;
    const changes: {
      row: Row;
      status: 'completed' | 'broken';
      reason: string;
      data: Record<string, unknown>;
    }[] = [];
    for (const r of rows) {
      const payments = (r.pays ?? '')
        .split(';')
        .filter(Boolean)
        .map((part) => {
          const [on, amount] = part.split(',').map(Number);
          return { receivedOn: on!, amount: amount! };
        });
      const j = judgePlan(
        {
          madeOn: toDay(r.made_on),
          installments: r.amounts.map((amount, k) => ({ due: toDay(r.due_dates[k]!), amount })),
          graceDays: r.grace_days,
          tolerance: r.tolerance,
        },
        payments,
        day,
      );
      if (j.status === 'active') {
        summary.active++;
        continue;
      }
      const missed = j.missed && {
        seq: j.missed.seq,
        dueOn: formatDay(j.missed.due),
        deadline: formatDay(j.missed.deadline),
        shortfall: j.missed.shortfall,
      };
      const reason =
        j.status === 'completed'
          ? `paid ${j.paid} by ${summary.asOf}`
          : `installment ${missed!.seq} due ${missed!.dueOn}: ${missed!.shortfall} short at ${missed!.deadline}`;
      changes.push({
        row: r,
        status: j.status,
        reason,
        data: { planId: r.id, kind: r.kind, asOf: summary.asOf, paid: j.paid, missed },
      });
      summary[j.status]++;
    }
    if (changes.length === 0) continue;
    const cols = [
      changes.map((c) => c.row.account_id),
      changes.map((c) => c.row.id),
      changes.map((c) => c.status),
      changes.map((c) => c.reason),
      changes.map((c) => JSON.stringify(c.data)),
    ];
    await tx.sql.query(
      `WITH r AS (SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[])
                    AS r(account_id, id, status, reason, data)),
       upd AS (
         UPDATE plans pl SET status = r.status, closed_on = $6::date, close_reason = r.reason, updated_at = now()
         FROM r WHERE pl.account_id = r.account_id AND pl.id = r.id AND pl.status = 'active'
         RETURNING r.account_id, r.status, r.data)
       INSERT INTO account_events (account_id, kind, data)
       SELECT account_id, 'plan_' || status, data::jsonb FROM upd`,
      [...cols, summary.asOf],
    );
    await emitEvents(
      tx,
      changes
        .filter((c) => c.status === 'broken')
        .map((c) => ({
          type: 'plan.broken' as const,
          accountId: c.row.account_id,
          data: { account: c.row.ref, reason: c.reason, ...c.data },
        })),
    );
    // One record per changed plan in its account's chain, all in one go (at most one active plan per account).
    await appendAuditMany(
      tx,
      null,
      changes.map((c) => ({
        action: `plan.${c.status}`,
        entity: `plan:${c.row.ref}/${c.row.id}`,
        accountId: c.row.account_id,
        data: { ...c.data, reason: c.reason },
      })),
    );
    // The cases follow: a completed plan closes its case, a broken one sends it back to work.
    await applyCaseEvents(
      tx,
      null,
      changes.map((c) => ({
        accountId: c.row.account_id,
        cause: c.status === 'completed' ? ('plan_completed' as const) : ('plan_broken' as const),
        detail: { planId: c.row.id, kind: c.row.kind },
      })),
    );
    // A settlement (or a plan for less than was owed) paid in full: the rest is forgiven, explicitly.
    const settled = changes.filter(
      (c) => c.status === 'completed' && (c.row.kind === 'settlement' || c.row.discount > 0),
    );
    summary.settled += await settle(
      tx,
      settled.map((c) => ({
        accountId: c.row.account_id,
        id: c.row.id,
        ref: c.row.ref,
        paid: c.data.paid as number,
      })),
      summary.asOf,
    );
  }
  return summary;
}

/**
 * Completes settlements paid in full, all in the caller's transaction, set-based: the statements of their
 * accounts as of `asOf` (one query) give what is still outstanding by component, which the creditor
 * forgives — a `settlement_written_off` event with the parts (`writeOffParts`: they add up to the amount
 * forgiven exactly), which every statement then itemises as an adjustment, so the account shows nothing
 * owed and the figure stays reproducible. The account is closed, an audit record and a
 * `settlement.completed` webhook event are written, and the signed letter "paid in full under the
 * agreement, nothing more is owed" is planned. Returns how many were completed.
 */
async function settle(
  tx: Tx,
  plans: readonly { accountId: number; id: number; ref: string; paid: number }[],
  asOf: string,
): Promise<number> {
  if (plans.length === 0) return 0;
  const ids = plans.map((p) => p.accountId);
  const statements = await statementsByIds(tx.sql, ids, asOf, { explain: false });
  const rows = await tx.db
    .selectFrom('plans')
    .selectAll()
    .where(
      'id',
      'in',
      plans.map((p) => p.id),
    )
    .execute();
  const planRows = new Map<number, PlanRow>(rows.map((r) => [r.id, r]));
  const debtors = await tx.db
    .selectFrom('accounts as a')
    .innerJoin('debtors as d', 'd.id', 'a.debtor_id')
    .select(['a.id', 'a.ref', 'd.emails', 'd.addresses'])
    .where('a.id', 'in', ids)
    .execute();
  const reach = new Map(debtors.map((d) => [d.id, d]));
  const done = plans.map((p) => {
    const st = statements.get(p.accountId)!.statement;
    const row = planRows.get(p.id)!;
    const forgiven = Math.max(0, st.payoff);
    const parts: WriteOffParts = writeOffParts(outstandingOf(st), forgiven);
    const noun = row.kind === 'settlement' ? 'settlement' : 'plan';
    return { ...p, row, parts, forgiven, currency: st.currency, ref: p.ref, writeOffRef: `${noun} ${p.id}` };
  });
  const writeOffs = done.filter((d) => d.forgiven > 0);
  if (writeOffs.length > 0)
    await tx.sql.query(
      `INSERT INTO account_events (account_id, kind, data)
       SELECT account_id, $1, data::jsonb FROM unnest($2::bigint[], $3::text[]) AS w(account_id, data)`,
      [
        WRITE_OFF_EVENT,
        writeOffs.map((d) => d.accountId),
        writeOffs.map((d) =>
          JSON.stringify({
            ref: d.writeOffRef,
            on: asOf,
            planId: d.id,
            kind: d.row.kind,
            ...d.parts,
            total: writeOffTotal(d.parts),
            agreedDiscount: d.row.discount,
            paid: d.paid,
          }),
        ),
      ],
    );
  await tx.sql.query(
    `UPDATE accounts SET status = 'closed', updated_at = now() WHERE id = ANY($1::bigint[]) AND status = 'open'`,
    [ids],
  );
  const letters = await enqueueCompletions(
    tx,
    done.map((d) => ({
      account: {
        id: d.accountId,
        ref: d.ref,
        emails: reach.get(d.accountId)?.emails ?? [],
        addresses: reach.get(d.accountId)?.addresses ?? [],
      },
      agreement: agreementOf(d.row, decisionOf(d.row)),
      completion: { completedOn: asOf, paid: d.paid, forgiven: d.forgiven },
      id: d.id,
    })),
  );
  const money = (d: (typeof done)[number], minor: number) => formatAmount(minor, d.currency);
  await emitEvents(
    tx,
    done.map((d) => ({
      type: 'settlement.completed' as const,
      accountId: d.accountId,
      data: {
        account: d.ref,
        planId: d.id,
        kind: d.row.kind,
        completedOn: asOf,
        currency: d.currency,
        agreed: money(d, d.row.total),
        paid: money(d, d.paid),
        writtenOff: {
          principal: money(d, d.parts.principal),
          interest: money(d, d.parts.interest),
          fees: money(d, d.parts.fees),
          penalty: money(d, d.parts.penalty),
          total: money(d, d.forgiven),
        },
      },
    })),
  );
  await appendAuditMany(
    tx,
    null,
    done.map((d) => ({
      action: 'settlement.written_off',
      entity: `plan:${d.ref}/${d.id}`,
      accountId: d.accountId,
      data: {
        kind: d.row.kind,
        on: asOf,
        agreedDiscount: d.row.discount,
        paid: d.paid,
        writtenOff: { ...d.parts, total: d.forgiven },
        accountClosed: true,
        confirmation: letters.keys.get(d.id) ?? null,
      },
    })),
  );
  return done.length;
}
