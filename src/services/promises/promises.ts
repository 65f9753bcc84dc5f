import { formatDay, todayIn, toDay } from '../../domain/calendar/index.js';
import type { Principal } from '../../domain/access/index.js';
import { ArrearsError } from '../../domain/errors.js';
import { formatAmount, parseAmount } from '../../domain/money/index.js';
import { judgePromise } from '../../domain/promises/index.js';
import { boundStore, type Store } from '../../store/index.js';
import { appendAudit } from '../audit/index.js';
import { applyCaseEvents } from '../cases/index.js';
import { agreementFacts, enqueueConfirmation } from '../negotiation/index.js';
import { resolveAsOf } from '../statements/index.js';
import { emitEvent, emitEvents, type WebhookEvent } from '../webhooks/index.js';

export interface PromiseRequest {
  amount: string;
  dueOn: string;
  /** Default 2 days. */
  graceDays?: number | undefined;
  /** Shortfall still judged kept, in major units; default "0". */
  tolerance?: string | undefined;
}

export const DEFAULT_GRACE_DAYS = 2;
const MAX_DAYS_AHEAD = 92;

interface Account {
  id: number;
  ref: string;
  currency: string;
  status: 'open' | 'closed';
  timezone: string;
  emails: string[];
  addresses: unknown[];
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

/** Records a promise to pay; made today in the debtor's zone, due within three months. */
export async function addPromise(
  store: Store,
  actor: Principal | null,
  accountRef: string,
  req: PromiseRequest,
) {
  return store.transaction(async (tx) => {
    const inTx = boundStore(store, tx);
    const account = await findAccount(inTx, accountRef);
    if (account.status === 'closed')
      throw new ArrearsError('account_closed', `account "${accountRef}" is closed`);
    const today = todayIn(account.timezone);
    const issues: { field: string; message: string }[] = [];
    const amount = parseAmount(req.amount, account.currency);
    if (!amount.ok) issues.push({ field: 'amount', message: amount.message });
    else if (amount.value <= 0) issues.push({ field: 'amount', message: 'must be more than zero' });
    const tolerance = parseAmount(req.tolerance ?? '0', account.currency);
    if (!tolerance.ok) issues.push({ field: 'tolerance', message: tolerance.message });
    let due = today;
    try {
      due = toDay(req.dueOn);
      if (due < today)
        issues.push({ field: 'dueOn', message: `is before today (${formatDay(today)}) for the debtor` });
      if (due > today + MAX_DAYS_AHEAD)
        issues.push({
          field: 'dueOn',
          message: `must be within ${MAX_DAYS_AHEAD} days; longer commitments are plans`,
        });
    } catch {
      issues.push({ field: 'dueOn', message: 'must be a real date written YYYY-MM-DD' });
    }
    if (issues.length > 0 || !amount.ok || !tolerance.ok)
      throw new ArrearsError('invalid', 'the promise is not valid', { issues });
    const graceDays = req.graceDays ?? DEFAULT_GRACE_DAYS;
    const row = await tx.db
      .insertInto('promises')
      .values({
        account_id: account.id,
        amount: amount.value,
        made_on: formatDay(today),
        due_on: formatDay(due),
        grace_days: graceDays,
        tolerance: tolerance.value,
        created_by: actor?.userId ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    // Every promise is confirmed to the debtor in writing, signed with the promised amount.
    const confirmation = await enqueueConfirmation(
      tx,
      account,
      {
        kind: 'promise',
        reference: `promise ${row.id}`,
        madeOn: formatDay(today),
        amount: amount.value,
        owed: amount.value,
        discount: 0,
        discountPercent: '0%',
        graceDays,
        tolerance: tolerance.value,
        installments: [{ seq: 1, dueOn: formatDay(due), amount: amount.value }],
      },
      row.id,
    );
    await appendAudit(tx, actor, {
      action: 'promise.created',
      entity: `promise:${accountRef}/${row.id}`,
      accountId: account.id,
      data: {
        amount: amount.value,
        dueOn: formatDay(due),
        graceDays,
        tolerance: tolerance.value,
        confirmation: confirmation.idempotencyKey,
      },
    });
    await applyCaseEvents(tx, actor, [
      { accountId: account.id, cause: 'promise_recorded', detail: { promiseId: row.id } },
    ]);
    const promise = (await listPromises(inTx, accountRef)).items.find((p) => p.id === row.id)!;
    await emitEvent(tx, {
      type: 'promise.created',
      accountId: account.id,
      data: { account: accountRef, promise },
    });
    return promise;
  });
}

/** An account's promises, each judged from the payments posted (reversed ones excluded) as of a date. */
export async function listPromises(store: Store, accountRef: string, asOf?: string) {
  const account = await findAccount(store, accountRef);
  const asOfDay = resolveAsOf(asOf, account.timezone);
  // One after the other: inside a transaction (addPromise) they share one connection.
  const promises = await store.db
    .selectFrom('promises')
    .selectAll()
    .where('account_id', '=', account.id)
    .orderBy('id')
    .execute();
  const { payments: pays, confirmation } = await agreementFacts(store, account.id, ['promise']);
  const money = (minor: number) => formatAmount(minor, account.currency);
  return {
    account: accountRef,
    asOf: formatDay(asOfDay),
    items: promises.map((p) => {
      const j = judgePromise(
        {
          amount: p.amount,
          madeOn: toDay(p.made_on),
          dueOn: toDay(p.due_on),
          graceDays: p.grace_days,
          tolerance: p.tolerance,
        },
        pays,
        asOfDay,
      );
      return {
        id: p.id,
        amount: money(p.amount),
        currency: account.currency,
        madeOn: p.made_on,
        dueOn: p.due_on,
        graceDays: p.grace_days,
        tolerance: money(p.tolerance),
        status: j.status,
        paid: money(j.paid),
        shortfall: money(j.shortfall),
        deadline: formatDay(j.deadline),
        confirmation: confirmation('promise', p.id),
      };
    }),
  };
}

/**
 * Judges the promises whose deadline has passed and were not judged yet (today in each debtor's zone):
 * each broken one emits `promise.broken`; every final one is marked so it is judged once. Runs before
 * webhook delivery rounds. Returns how many broken promises were found.
 */
export async function emitBrokenPromises(store: Store, limit = 1000): Promise<number> {
  return store.transaction(async (tx) => {
    const { rows } = await tx.sql.query<{
      id: number;
      account_id: number;
      ref: string;
      currency: string;
      timezone: string;
      amount: number;
      made_on: string;
      due_on: string;
      grace_days: number;
      tolerance: number;
    }>(
      `SELECT p.id, p.account_id, a.ref, a.currency, d.timezone, p.amount, p.made_on, p.due_on, p.grace_days, p.tolerance
       FROM promises p JOIN accounts a ON a.id = p.account_id JOIN debtors d ON d.id = a.debtor_id
       WHERE p.outcome_emitted_at IS NULL AND p.due_on + p.grace_days < current_date + 1
       ORDER BY p.due_on LIMIT $1
       FOR UPDATE OF p SKIP LOCKED`,
      [limit],
    );
    if (rows.length === 0) return 0;
    const ids = [...new Set(rows.map((r) => r.account_id))];
    const payments = await tx.db
      .selectFrom('payments')
      .select(['account_id', 'received_on', 'amount'])
      .where('account_id', 'in', ids)
      .where('reversed_at', 'is', null)
      .execute();
    const byAccount = new Map<number, { receivedOn: number; amount: number }[]>();
    for (const p of payments)
      (byAccount.get(p.account_id) ?? byAccount.set(p.account_id, []).get(p.account_id)!).push({
        receivedOn: toDay(p.received_on),
        amount: p.amount,
      });
    const final: { accountId: number; id: number; kept: boolean }[] = [];
    const events: WebhookEvent[] = [];
    let broken = 0;
    for (const r of rows) {
      const j = judgePromise(
        {
          amount: r.amount,
          madeOn: toDay(r.made_on),
          dueOn: toDay(r.due_on),
          graceDays: r.grace_days,
          tolerance: r.tolerance,
        },
        byAccount.get(r.account_id) ?? [],
        todayIn(r.timezone),
      );
      if (j.status === 'pending') continue;
      final.push({ accountId: r.account_id, id: r.id, kept: j.status === 'kept' });
      // A promise paid only in part is not kept: for the strategy and for integrators it is broken, and the
      // event says how (outcome, paid, shortfall).
      if (j.status === 'kept') continue;
      broken++;
      const money = (minor: number) => formatAmount(minor, r.currency);
      events.push({
        type: 'promise.broken',
        accountId: r.account_id,
        data: {
          account: r.ref,
          promise: {
            id: r.id,
            outcome: j.status,
            amount: money(r.amount),
            currency: r.currency,
            dueOn: r.due_on,
            deadline: formatDay(j.deadline),
            paid: money(j.paid),
            shortfall: money(j.shortfall),
          },
        },
      });
    }
    await emitEvents(tx, events);
    if (final.length > 0)
      await tx.sql.query(
        `UPDATE promises p SET outcome_emitted_at = now()
         FROM unnest($1::bigint[], $2::bigint[]) AS f(account_id, id)
         WHERE p.account_id = f.account_id AND p.id = f.id`,
        [final.map((f) => f.accountId), final.map((f) => f.id)],
      );
    // The case leaves `promise` once no promise is pending any more (after the update above).
    await applyCaseEvents(
      tx,
      null,
      final.map((f) => ({
        accountId: f.accountId,
        cause: f.kept ? ('promise_kept' as const) : ('promise_broken' as const),
        detail: { promiseId: f.id },
      })),
    );
    return broken;
  });
}
