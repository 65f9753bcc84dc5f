import { formatDay, todayIn, toDay } from '../../domain/calendar/index.js';
import type { Principal } from '../../domain/access/index.js';
import { ArrearsError } from '../../domain/errors.js';
import { formatAmount, parseAmount } from '../../domain/money/index.js';
import { judgePromise } from '../../domain/promises/index.js';
import { boundStore, type Store } from '../../store/index.js';
import { appendAudit } from '../audit/index.js';
import { resolveAsOf } from '../statements/index.js';
import { emitEvent } from '../webhooks/index.js';

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
  currency: string;
  status: 'open' | 'closed';
  timezone: string;
}

async function findAccount(store: Store, ref: string): Promise<Account> {
  const a = await store.db
    .selectFrom('accounts as a')
    .innerJoin('debtors as d', 'd.id', 'a.debtor_id')
    .select(['a.id', 'a.currency', 'a.status', 'd.timezone'])
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
    await appendAudit(tx, actor, {
      action: 'promise.created',
      entity: `promise:${accountRef}/${row.id}`,
      accountId: account.id,
      data: { amount: amount.value, dueOn: formatDay(due), graceDays, tolerance: tolerance.value },
    });
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
  const [promises, payments] = await Promise.all([
    store.db.selectFrom('promises').selectAll().where('account_id', '=', account.id).orderBy('id').execute(),
    store.db
      .selectFrom('payments')
      .select(['received_on', 'amount'])
      .where('account_id', '=', account.id)
      .where('reversed_at', 'is', null)
      .execute(),
  ]);
  const pays = payments.map((p) => ({ receivedOn: toDay(p.received_on), amount: p.amount }));
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
      };
    }),
  };
}
