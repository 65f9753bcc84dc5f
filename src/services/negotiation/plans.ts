import type { Principal } from '../../domain/access/index.js';
import { formatDay, parseCivilDate, todayIn, toDay, type DayNumber } from '../../domain/calendar/index.js';
import { ArrearsError, type FieldIssue } from '../../domain/errors.js';
import { formatAmount, parseAmount } from '../../domain/money/index.js';
import {
  approvalFor,
  DEFAULT_APPROVAL_POLICY,
  judgePlan,
  mayApprove,
  planInstallments,
  type ApprovalDecision,
} from '../../domain/settlement/index.js';
import { boundStore, type PlanKind, type PlanStatus, type Store, type Tx } from '../../store/index.js';
import type { AgreementVars } from '../../templates/index.js';
import { appendAudit } from '../audit/index.js';
import { applyCaseEvents } from '../cases/index.js';
import { getStatement, resolveAsOf } from '../statements/index.js';
import { agreementFacts, enqueueConfirmation, type Reachable } from './confirm.js';

/** A plan (the amount owed in installments, possibly reduced) or a settlement (one lump sum, possibly reduced). */
export interface PlanRequest {
  kind: PlanKind;
  /** The agreed total in major units. Default for an installment plan: the amount owed today (payoff). */
  amount?: string | undefined;
  /** A settlement's due date; an installment plan's first due date (ignored with `schedule`). */
  dueOn?: string | undefined;
  /** Installment plans: how many, monthly from `dueOn` (or every `everyDays` days); split exactly. */
  installments?: number | undefined;
  everyDays?: number | undefined;
  /** Installment plans: an explicit schedule instead, which must add up exactly to `amount`. */
  schedule?: { dueOn: string; amount: string }[] | undefined;
  /** Days after each due date a payment still counts (default 2). */
  graceDays?: number | undefined;
  /** Total shortfall still judged as kept, in major units (default "0"). */
  tolerance?: string | undefined;
}

export const DEFAULT_PLAN_GRACE_DAYS = 2;
/** A lump sum is due within three months (as a promise); a plan's last installment within five years. */
const SETTLEMENT_DAYS_AHEAD = 92;
const PLAN_DAYS_AHEAD = 5 * 366;

interface Account extends Reachable {
  currency: string;
  status: 'open' | 'closed';
  timezone: string;
}

async function findAccount(store: Store, ref: string): Promise<Account> {
  const a = await store.db
    .selectFrom('accounts as a')
    .innerJoin('debtors as d', 'd.id', 'a.debtor_id')
    .select(['a.id', 'a.ref', 'a.currency', 'a.status', 'd.timezone', 'd.emails', 'd.addresses'])
    .where('a.ref', '=', ref)
    .executeTakeFirst();
  if (!a) throw new ArrearsError('not_found', `account "${ref}" does not exist`);
  return a;
}

export type PlanRow = Awaited<ReturnType<typeof loadPlans>>[number];

export function loadPlans(store: Store, accountId: number, id?: number, lock = false) {
  let q = store.db.selectFrom('plans').selectAll().where('account_id', '=', accountId);
  if (id !== undefined) q = q.where('id', '=', id);
  if (lock) q = q.forUpdate();
  return q.orderBy('id').execute();
}

async function onePlan(store: Store, account: Account, id: number, lock = false): Promise<PlanRow> {
  const [row] = await loadPlans(store, account.id, id, lock);
  if (!row) throw new ArrearsError('not_found', `account "${account.ref}" has no plan ${id}`);
  return row;
}

export const decisionOf = (p: PlanRow): ApprovalDecision =>
  approvalFor(DEFAULT_APPROVAL_POLICY, p.owed, p.currency, {
    kind: p.kind === 'settlement' ? 'settlement' : 'plan',
    amount: p.total,
    installments: p.amounts.length,
  });

const agreementKind = (kind: PlanKind) => (kind === 'settlement' ? 'settlement' : 'plan');

export function agreementOf(p: PlanRow, decision: ApprovalDecision): AgreementVars {
  return {
    kind: agreementKind(p.kind),
    reference: `${p.kind === 'settlement' ? 'settlement' : 'plan'} ${p.id}`,
    madeOn: p.made_on,
    amount: p.total,
    owed: p.owed,
    discount: p.discount,
    discountPercent: decision.discountPercent,
    graceDays: p.grace_days,
    tolerance: p.tolerance,
    installments: p.amounts.map((amount, k) => ({ seq: k + 1, dueOn: p.due_dates[k]!, amount })),
  };
}

/** Validates the request against today's amount owed; every problem is reported at once. */
function terms(req: PlanRequest, account: Account, owed: number, today: DayNumber) {
  const issues: FieldIssue[] = [];
  const money = (field: string, text: string) => {
    const r = parseAmount(text, account.currency);
    if (!r.ok) issues.push({ field, message: r.message });
    return r.ok ? r.value : 0;
  };
  const day = (field: string, text: string | undefined, ahead: number): DayNumber | null => {
    const d = text === undefined ? null : parseCivilDate(text);
    if (d === null) issues.push({ field, message: 'must be a real date written YYYY-MM-DD' });
    else if (d < today)
      issues.push({ field, message: `is before today (${formatDay(today)}) for the debtor` });
    else if (d > today + ahead) issues.push({ field, message: `must be within ${ahead} days` });
    return d;
  };
  const total = req.amount === undefined ? owed : money('amount', req.amount);
  if (req.amount === undefined && req.kind === 'settlement')
    issues.push({ field: 'amount', message: 'a settlement needs the agreed amount' });
  else if (total <= 0) issues.push({ field: 'amount', message: 'must be more than zero' });
  else if (total > owed)
    issues.push({
      field: 'amount',
      message: `must not exceed the amount owed today (${formatAmount(owed, account.currency)})`,
    });
  const tolerance = money('tolerance', req.tolerance ?? '0');
  let schedule: { due: DayNumber; amount: number }[] = [];
  if (req.kind === 'settlement') {
    if (req.installments !== undefined || req.schedule !== undefined)
      issues.push({ field: 'installments', message: 'a settlement is one payment; use kind "installment"' });
    const due = day('dueOn', req.dueOn, SETTLEMENT_DAYS_AHEAD);
    if (due !== null) schedule = [{ due, amount: total }];
  } else if (req.schedule !== undefined) {
    let sum = 0;
    let last = -Infinity;
    req.schedule.forEach((s, k) => {
      const due = day(`schedule.${k}.dueOn`, s.dueOn, PLAN_DAYS_AHEAD);
      const amount = money(`schedule.${k}.amount`, s.amount);
      if (amount <= 0) issues.push({ field: `schedule.${k}.amount`, message: 'must be more than zero' });
      if (due !== null && due <= last)
        issues.push({ field: `schedule.${k}.dueOn`, message: 'must be after the previous installment' });
      if (due !== null) last = due;
      sum += amount;
      schedule.push({ due: due ?? today, amount });
    });
    if (req.schedule.length === 0)
      issues.push({ field: 'schedule', message: 'needs at least one installment' });
    else if (sum !== total)
      issues.push({
        field: 'schedule',
        message: `adds up to ${formatAmount(sum, account.currency)}, not the agreed ${formatAmount(total, account.currency)}`,
      });
  } else {
    const count = req.installments;
    const first = day('dueOn', req.dueOn, PLAN_DAYS_AHEAD);
    if (count === undefined || !Number.isInteger(count) || count < 1)
      issues.push({ field: 'installments', message: 'give the number of installments (or a schedule)' });
    else if (total >= count && first !== null) {
      schedule = planInstallments(
        total,
        count,
        first,
        req.everyDays ? { days: req.everyDays } : { months: 1 },
      ).map((i) => ({ due: i.due, amount: i.amount }));
      if (schedule.at(-1)!.due > today + PLAN_DAYS_AHEAD)
        issues.push({
          field: 'installments',
          message: `the last one must fall within ${PLAN_DAYS_AHEAD} days`,
        });
    } else if (total > 0 && total < (count ?? 1))
      issues.push({ field: 'installments', message: 'more installments than minor units in the amount' });
  }
  if (issues.length > 0)
    throw new ArrearsError(
      'invalid',
      `the ${req.kind === 'settlement' ? 'settlement' : 'plan'} is not valid`,
      { issues },
    );
  return { total, tolerance, schedule, graceDays: req.graceDays ?? DEFAULT_PLAN_GRACE_DAYS };
}

/** A plan turns active: the case shows it, and the debtor is sent its written, signed confirmation. */
async function activate(
  tx: Tx,
  actor: Principal,
  account: Account,
  plan: PlanRow,
  decision: ApprovalDecision,
) {
  await applyCaseEvents(tx, actor, [
    { accountId: account.id, cause: 'plan_active', detail: { planId: plan.id, kind: plan.kind } },
  ]);
  return enqueueConfirmation(tx, account, agreementOf(plan, decision), plan.id);
}

async function event(tx: Tx, accountId: number, kind: string, data: Record<string, unknown>) {
  await tx.sql.query(`INSERT INTO account_events (account_id, kind, data) VALUES ($1, $2, $3)`, [
    accountId,
    kind,
    JSON.stringify(data),
  ]);
}

/**
 * Proposes a plan or settlement against today's amount owed (the payoff in the debtor's zone). Within the
 * proposer's approval authority it is active at once (and confirmed to the debtor); above it, it waits
 * for someone with enough authority (`approvePlan`). One open plan per account.
 */
export async function createPlan(store: Store, actor: Principal, accountRef: string, req: PlanRequest) {
  return store.transaction(async (tx) => {
    const inTx = boundStore(store, tx);
    const account = await findAccount(inTx, accountRef);
    if (account.status === 'closed')
      throw new ArrearsError('account_closed', `account "${accountRef}" is closed`);
    const today = todayIn(account.timezone);
    const { statement } = await getStatement(inTx, accountRef, formatDay(today), { explain: false });
    const owed = statement.payoff;
    if (owed <= 0) throw new ArrearsError('conflict', `nothing is owed on account "${accountRef}" today`);
    const t = terms(req, account, owed, today);
    const decision = approvalFor(DEFAULT_APPROVAL_POLICY, owed, account.currency, {
      kind: req.kind === 'settlement' ? 'settlement' : 'plan',
      amount: t.total,
      installments: t.schedule.length,
    });
    if (decision.requiredRole === null)
      throw new ArrearsError('invalid', `the offer is not possible: ${decision.reason}`, {
        issues: [{ field: req.kind === 'settlement' ? 'amount' : 'installments', message: decision.reason }],
      });
    // The proposer's own authority decides; a higher role approves what is beyond it (seed: never reduce arbitrarily).
    const status: PlanStatus = mayApprove(DEFAULT_APPROVAL_POLICY, actor.role, decision)
      ? 'active'
      : 'pending_approval';
    const { rows } = await tx.sql.query<{ id: number }>(
      `INSERT INTO plans (account_id, kind, status, currency, owed, total, discount, due_dates, amounts, made_on,
                          grace_days, tolerance, required_role, approval_reason, proposed_by, proposed_by_name,
                          proposed_role, decided_by, decided_by_name, decided_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::date[], $9::bigint[], $10, $11, $12, $13, $14, $15, $16, $17,
               CASE WHEN $3 = 'active' THEN $15::bigint END, CASE WHEN $3 = 'active' THEN $16 END,
               CASE WHEN $3 = 'active' THEN now() END)
       ON CONFLICT (account_id) WHERE status IN ('pending_approval', 'active') DO NOTHING
       RETURNING id`,
      [
        account.id,
        req.kind,
        status,
        account.currency,
        owed,
        t.total,
        owed - t.total,
        t.schedule.map((s) => formatDay(s.due)),
        t.schedule.map((s) => s.amount),
        formatDay(today),
        t.graceDays,
        t.tolerance,
        decision.requiredRole,
        decision.reason,
        actor.userId,
        actor.username,
        actor.role,
      ],
    );
    if (!rows[0])
      throw new ArrearsError(
        'conflict',
        `account "${accountRef}" already has an open plan or settlement; cancel it first`,
      );
    const plan = await onePlan(inTx, account, rows[0].id);
    await event(tx, account.id, status === 'active' ? 'plan_active' : 'plan_proposed', {
      planId: plan.id,
      kind: plan.kind,
      total: plan.total,
      discount: plan.discount,
    });
    const confirmation = status === 'active' ? await activate(tx, actor, account, plan, decision) : null;
    await appendAudit(tx, actor, {
      action: status === 'active' ? 'plan.created' : 'plan.proposed',
      entity: `plan:${accountRef}/${plan.id}`,
      accountId: account.id,
      data: {
        kind: plan.kind,
        status,
        owed,
        total: plan.total,
        discount: plan.discount,
        discountPercent: decision.discountPercent,
        requiredRole: decision.requiredRole,
        installments: plan.amounts.length,
        confirmation: confirmation?.idempotencyKey ?? null,
      },
    });
    return viewOne(inTx, account, plan.id);
  });
}

/**
 * Approves an offer waiting for approval: only someone whose authority covers it, never its proposer.
 * It turns active and the debtor is sent its confirmation.
 */
export async function approvePlan(
  store: Store,
  actor: Principal,
  accountRef: string,
  id: number,
  note?: string,
) {
  return decide(store, actor, accountRef, id, 'approve', note);
}

/** Rejects an offer waiting for approval (the same authority as approving); the reason is kept. */
export async function rejectPlan(
  store: Store,
  actor: Principal,
  accountRef: string,
  id: number,
  reason: string,
) {
  return decide(store, actor, accountRef, id, 'reject', reason);
}

async function decide(
  store: Store,
  actor: Principal,
  accountRef: string,
  id: number,
  what: 'approve' | 'reject',
  note: string | undefined,
) {
  return store.transaction(async (tx) => {
    const inTx = boundStore(store, tx);
    const account = await findAccount(inTx, accountRef);
    const plan = await onePlan(inTx, account, id, true);
    if (plan.status !== 'pending_approval')
      throw new ArrearsError(
        'conflict',
        `plan ${id} of account "${accountRef}" is ${plan.status}, not pending_approval`,
      );
    if (what === 'approve' && plan.proposed_by === actor.userId)
      throw new ArrearsError(
        'forbidden',
        'you proposed this offer: someone else with enough authority must approve it',
        { reason: 'self_approval' },
      );
    const decision = decisionOf(plan);
    if (!mayApprove(DEFAULT_APPROVAL_POLICY, actor.role, decision))
      throw new ArrearsError(
        'approval_required',
        `${decision.reason}; it needs a ${decision.requiredRole ?? 'higher role'} or above, not a ${actor.role}`,
        { requiredRole: decision.requiredRole },
      );
    const today = todayIn(account.timezone);
    if (what === 'approve' && toDay(plan.due_dates[0]!) < today)
      throw new ArrearsError(
        'conflict',
        `the first payment of plan ${id} was due on ${plan.due_dates[0]}, before today: propose it again with new dates`,
      );
    const status: PlanStatus = what === 'approve' ? 'active' : 'rejected';
    await tx.db
      .updateTable('plans')
      .set({
        status,
        decided_by: actor.userId,
        decided_by_name: actor.username,
        decided_at: new Date(),
        decision_note: note ?? null,
        ...(status === 'rejected' ? { closed_on: formatDay(today), close_reason: note ?? 'rejected' } : {}),
        updated_at: new Date(),
      })
      .where('account_id', '=', account.id)
      .where('id', '=', id)
      .execute();
    await event(tx, account.id, status === 'active' ? 'plan_active' : 'plan_rejected', {
      planId: id,
      kind: plan.kind,
      by: actor.username,
    });
    const confirmation = status === 'active' ? await activate(tx, actor, account, plan, decision) : null;
    await appendAudit(tx, actor, {
      action: what === 'approve' ? 'plan.approved' : 'plan.rejected',
      entity: `plan:${accountRef}/${id}`,
      accountId: account.id,
      data: {
        requiredRole: decision.requiredRole,
        proposedBy: plan.proposed_by_name,
        note: note ?? null,
        confirmation: confirmation?.idempotencyKey ?? null,
      },
    });
    return viewOne(inTx, account, id);
  });
}

/**
 * Withdraws an offer (its proposer, or anyone who could approve it) or ends an active plan (anyone whose
 * authority covers it). The account returns to its strategy; the reason is kept.
 */
export async function cancelPlan(
  store: Store,
  actor: Principal,
  accountRef: string,
  id: number,
  reason: string,
) {
  return store.transaction(async (tx) => {
    const inTx = boundStore(store, tx);
    const account = await findAccount(inTx, accountRef);
    const plan = await onePlan(inTx, account, id, true);
    if (plan.status !== 'pending_approval' && plan.status !== 'active')
      throw new ArrearsError('conflict', `plan ${id} of account "${accountRef}" is already ${plan.status}`);
    const mayCancel =
      mayApprove(DEFAULT_APPROVAL_POLICY, actor.role, decisionOf(plan)) ||
      (plan.status === 'pending_approval' && plan.proposed_by === actor.userId);
    if (!mayCancel)
      throw new ArrearsError(
        'forbidden',
        `only someone who could approve plan ${id} (a ${plan.required_role} or above)${plan.status === 'pending_approval' ? ' or its proposer' : ''} may cancel it`,
      );
    await tx.db
      .updateTable('plans')
      .set({
        status: 'cancelled',
        closed_on: formatDay(todayIn(account.timezone)),
        close_reason: reason,
        updated_at: new Date(),
      })
      .where('account_id', '=', account.id)
      .where('id', '=', id)
      .execute();
    if (plan.status === 'active')
      await applyCaseEvents(tx, actor, [
        { accountId: account.id, cause: 'plan_cancelled', detail: { planId: id, kind: plan.kind } },
      ]);
    await event(tx, account.id, 'plan_cancelled', { planId: id, kind: plan.kind, was: plan.status, reason });
    await appendAudit(tx, actor, {
      action: 'plan.cancelled',
      entity: `plan:${accountRef}/${id}`,
      accountId: account.id,
      data: { was: plan.status, reason },
    });
    return viewOne(inTx, account, id);
  });
}

/** An account's plans and settlements, newest last; active ones judged from the payments as of a date. */
export async function listPlans(store: Store, accountRef: string, asOf?: string) {
  const account = await findAccount(store, accountRef);
  const asOfDay = resolveAsOf(asOf, account.timezone);
  return {
    account: accountRef,
    asOf: formatDay(asOfDay),
    items: await views(store, account, undefined, asOfDay),
  };
}

export async function getPlan(store: Store, accountRef: string, id: number, asOf?: string) {
  const account = await findAccount(store, accountRef);
  return viewOne(store, account, id, resolveAsOf(asOf, account.timezone));
}

async function viewOne(store: Store, account: Account, id: number, asOf?: DayNumber) {
  const [v] = await views(store, account, id, asOf ?? todayIn(account.timezone));
  if (!v) throw new ArrearsError('not_found', `account "${account.ref}" has no plan ${id}`);
  return v;
}

async function views(store: Store, account: Account, id: number | undefined, asOf: DayNumber) {
  // One after the other: inside a transaction they share one connection.
  const plans = await loadPlans(store, account.id, id);
  const { payments: pays, confirmation } = await agreementFacts(store, account.id, ['plan', 'settlement']);
  const money = (minor: number) => formatAmount(minor, account.currency);
  return plans.map((p) => {
    const decision = decisionOf(p);
    const judged =
      p.status === 'pending_approval' || p.status === 'rejected'
        ? null
        : judgePlan(
            {
              madeOn: toDay(p.made_on),
              installments: p.amounts.map((amount, k) => ({ due: toDay(p.due_dates[k]!), amount })),
              graceDays: p.grace_days,
              tolerance: p.tolerance,
            },
            pays,
            // A closed plan shows its progress on the day it closed.
            p.closed_on ? toDay(p.closed_on) : asOf,
          );
    return {
      id: p.id,
      account: account.ref,
      kind: p.kind,
      status: p.status,
      currency: p.currency,
      owed: money(p.owed),
      amount: money(p.total),
      discount: money(p.discount),
      discountPercent: decision.discountPercent,
      requiredRole: p.required_role,
      approvalReason: p.approval_reason,
      installments: p.amounts.map((amount, k) => ({
        seq: k + 1,
        dueOn: p.due_dates[k]!,
        amount: money(amount),
      })),
      madeOn: p.made_on,
      graceDays: p.grace_days,
      tolerance: money(p.tolerance),
      proposedBy: p.proposed_by_name,
      proposedRole: p.proposed_role,
      decidedBy: p.decided_by_name,
      decidedAt: p.decided_at ? new Date(p.decided_at).toISOString() : null,
      decisionNote: p.decision_note,
      closedOn: p.closed_on,
      closeReason: p.close_reason,
      progress: judged && {
        asOf: p.closed_on ?? formatDay(asOf),
        judged: judged.status,
        paid: money(judged.paid),
        installmentsKept: judged.kept,
        missed: judged.missed && {
          seq: judged.missed.seq,
          dueOn: formatDay(judged.missed.due),
          deadline: formatDay(judged.missed.deadline),
          shortfall: money(judged.missed.shortfall),
        },
      },
      confirmation: confirmation(agreementKind(p.kind), p.id),
    };
  });
}

/**
 * Plans across accounts by status, oldest first (`after` = the last id seen): the approval queue is
 * `status = 'pending_approval'`. An agency user sees only its placed accounts' (row-level security).
 */
export async function listPlansByStatus(
  store: Store,
  query: { status: PlanStatus; after?: number | undefined; limit?: number | undefined },
) {
  const limit = query.limit ?? 100;
  const rows = await store.db
    .selectFrom('plans as p')
    .innerJoin('accounts as a', 'a.id', 'p.account_id')
    .select([
      'p.id',
      'a.ref',
      'p.kind',
      'p.status',
      'p.currency',
      'p.owed',
      'p.total',
      'p.discount',
      'p.amounts',
      'p.required_role',
      'p.proposed_by_name',
      'p.proposed_role',
      'p.made_on',
    ])
    .where('p.status', '=', query.status)
    .where('p.id', '>', query.after ?? 0)
    .orderBy('p.id')
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  return {
    items: page.map((p) => ({
      id: p.id,
      account: p.ref,
      kind: p.kind,
      status: p.status,
      currency: p.currency,
      owed: formatAmount(p.owed, p.currency),
      amount: formatAmount(p.total, p.currency),
      discount: formatAmount(p.discount, p.currency),
      installments: p.amounts.length,
      requiredRole: p.required_role,
      proposedBy: p.proposed_by_name,
      proposedRole: p.proposed_role,
      madeOn: p.made_on,
    })),
    next: rows.length > limit ? page.at(-1)!.id : null,
  };
}
