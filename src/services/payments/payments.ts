import { formatDay, todayIn, toDay } from '../../domain/calendar/index.js';
import type { Principal } from '../../domain/access/index.js';
import { ArrearsError } from '../../domain/errors.js';
import { formatAmount, parseAmount } from '../../domain/money/index.js';
import { boundStore, type Store, type Tx } from '../../store/index.js';
import { appendAudit, canonicalJson } from '../audit/index.js';
import { applyCaseEvents } from '../cases/index.js';
import { PAYMENT_CHANNELS } from '../import/index.js';
import { getStatement, statementJson } from '../statements/index.js';
import { sha256 } from '../users/passwords.js';
import { emitEvent } from '../webhooks/index.js';

export interface PaymentRequest {
  /** Decimal in major units, e.g. "120.50". */
  amount: string;
  receivedOn: string;
  channel: string;
  /** The payer's or bank's reference; defaults to one derived from the idempotency key. */
  ref?: string | undefined;
}

export interface PaymentResult {
  payment: { ref: string; amount: string; currency: string; receivedOn: string; channel: string };
  allocations: { installment: number; component: string; amount: string }[];
  unapplied: string;
  statement: { asOf: string; dpd: number; bucket: string; overdue: string; payoff: string; credit: string };
}

export interface Posted {
  status: number;
  /** True when this answer is the stored one of an earlier request with the same key. */
  replayed: boolean;
  body: PaymentResult;
}

interface LockedAccount {
  id: number;
  currency: string;
  status: 'open' | 'closed';
  timezone: string;
}

/**
 * Locks one account for the rest of the transaction. Payments and reversals on an account are
 * serialised, so each computes its allocation over every payment before it and a replay waits for the
 * first request with its key to commit.
 */
async function lockAccount(tx: Tx, ref: string): Promise<LockedAccount> {
  // One round trip: the lock is taken in the same statement that finds the (visible) account.
  const { rows } = await tx.sql.query<LockedAccount>(
    `SELECT a.id, a.currency, a.status, d.timezone, pg_advisory_xact_lock(7263, (a.id % 2147483647)::int) AS locked
     FROM accounts a JOIN debtors d ON d.id = a.debtor_id WHERE a.ref = $1`,
    [ref],
    'arrears_payment_lock_account',
  );
  const account = rows[0];
  if (!account) throw new ArrearsError('not_found', `account "${ref}" does not exist`);
  return account;
}

const summary = (st: ReturnType<typeof statementJson>) => ({
  asOf: st.asOf,
  dpd: st.dpd,
  bucket: st.bucket,
  overdue: st.overdue.total,
  payoff: st.payoff,
  credit: st.credit,
});

/**
 * Posts a payment exactly once per idempotency key: the same key with the same request returns the
 * stored answer; with a different request it is a conflict. The allocation comes from the statement
 * engine. Payment, timeline event, stored answer and audit record commit together.
 */
export async function postPayment(
  store: Store,
  actor: Principal | null,
  accountRef: string,
  key: string,
  req: PaymentRequest,
): Promise<Posted> {
  const requestHash = sha256(canonicalJson({ account: accountRef, ...req }));
  return store.transaction(async (tx) => {
    const account = await lockAccount(tx, accountRef);
    const { rows: prior } = await tx.sql.query<{
      request_hash: string;
      status_code: number;
      response: PaymentResult;
    }>(
      `SELECT request_hash, status_code, response FROM idempotency_keys WHERE account_id = $1 AND key = $2`,
      [account.id, key],
      'arrears_idempotency_get',
    );
    if (prior[0]) {
      if (prior[0].request_hash !== requestHash)
        throw new ArrearsError(
          'conflict',
          'this Idempotency-Key was already used with a different request; use a new key for a new payment',
          { idempotencyKey: key },
        );
      return { status: prior[0].status_code, replayed: true, body: prior[0].response };
    }
    if (account.status === 'closed')
      throw new ArrearsError('account_closed', `account "${accountRef}" is closed and takes no payments`);
    const issues: { field: string; message: string }[] = [];
    const amount = parseAmount(req.amount, account.currency);
    if (!amount.ok) issues.push({ field: 'amount', message: amount.message });
    else if (amount.value <= 0) issues.push({ field: 'amount', message: 'must be more than zero' });
    if (!(PAYMENT_CHANNELS as readonly string[]).includes(req.channel))
      issues.push({
        field: 'channel',
        message:
          req.channel === 'cash'
            ? 'cash is not accepted: payments must come through a recorded channel'
            : `must be one of ${PAYMENT_CHANNELS.join(', ')}`,
      });
    const today = todayIn(account.timezone);
    let received = today;
    try {
      received = toDay(req.receivedOn);
      if (received > today)
        issues.push({
          field: 'receivedOn',
          message: `is in the future for the debtor (today is ${formatDay(today)})`,
        });
    } catch {
      issues.push({ field: 'receivedOn', message: 'must be a real date written YYYY-MM-DD' });
    }
    if (issues.length > 0 || !amount.ok)
      throw new ArrearsError('invalid', 'the payment is not valid', { issues });
    const ref = req.ref ?? `api-${sha256(key).slice(0, 20)}`;
    const { rows: inserted } = await tx.sql.query<{ id: number }>(
      `WITH p AS (
         INSERT INTO payments (account_id, ref, amount, received_on, channel, posted_by)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (account_id, ref) DO NOTHING RETURNING id),
       e AS (
         INSERT INTO account_events (account_id, kind, data)
         SELECT $1, 'payment_received',
                jsonb_build_object('paymentId', p.id, 'ref', $2::text, 'amount', $3::bigint, 'receivedOn', $4::text, 'channel', $5::text)
         FROM p)
       SELECT id FROM p`,
      [account.id, ref, amount.value, formatDay(received), req.channel, actor?.userId ?? null],
      'arrears_payment_insert',
    );
    if (!inserted[0])
      throw new ArrearsError('conflict', `account "${accountRef}" already has a payment with ref "${ref}"`);
    const st = statementJson(
      await getStatement(boundStore(store, tx), accountRef, formatDay(today), { explain: false }),
    );
    const line = st.payments.find((p) => p.ref === ref);
    const body: PaymentResult = {
      payment: {
        ref,
        amount: formatAmount(amount.value, account.currency),
        currency: account.currency,
        receivedOn: formatDay(received),
        channel: req.channel,
      },
      allocations: line?.allocations ?? [],
      unapplied: line?.unapplied ?? formatAmount(0, account.currency),
      statement: summary(st),
    };
    await tx.sql.query(
      `INSERT INTO idempotency_keys (account_id, key, request_hash, status_code, response, user_id)
       VALUES ($1, $2, $3, 201, $4, $5)`,
      [account.id, key, requestHash, JSON.stringify(body), actor?.userId ?? null],
      'arrears_idempotency_put',
    );
    await appendAudit(tx, actor, {
      action: 'payment.posted',
      entity: `payment:${accountRef}/${ref}`,
      accountId: account.id,
      data: {
        amount: amount.value,
        currency: account.currency,
        receivedOn: formatDay(received),
        channel: req.channel,
      },
    });
    await emitEvent(tx, {
      type: 'payment.posted',
      accountId: account.id,
      data: { account: accountRef, ...body },
    });
    // Paid off: the case closes (unless a person holds it in dispute or legal).
    const paidOff = st.payoff === formatAmount(0, account.currency);
    if (paidOff)
      await applyCaseEvents(tx, actor, [
        { accountId: account.id, cause: 'paid_off', detail: { payment: ref } },
      ]);
    return { status: 201, replayed: false, body };
  });
}

/** Reverses a payment (bounced, charged back, posted in error): the statement no longer counts it. */
export async function reversePayment(
  store: Store,
  actor: Principal | null,
  accountRef: string,
  paymentRef: string,
  reason: string,
) {
  return store.transaction(async (tx) => {
    const account = await lockAccount(tx, accountRef);
    const { rows } = await tx.sql.query<{ id: number; reversed_at: Date | null; amount: number }>(
      `SELECT id, reversed_at, amount FROM payments WHERE account_id = $1 AND ref = $2`,
      [account.id, paymentRef],
    );
    const payment = rows[0];
    if (!payment)
      throw new ArrearsError('not_found', `account "${accountRef}" has no payment "${paymentRef}"`);
    if (payment.reversed_at !== null)
      throw new ArrearsError('conflict', `payment "${paymentRef}" is already reversed`);
    await tx.sql.query(
      `UPDATE payments SET reversed_at = now(), reversal_reason = $3 WHERE account_id = $1 AND id = $2`,
      [account.id, payment.id, reason],
    );
    await tx.sql.query(
      `INSERT INTO account_events (account_id, kind, data) VALUES ($1, 'payment_reversed', $2)`,
      [account.id, JSON.stringify({ paymentId: payment.id, ref: paymentRef, reason })],
    );
    const full = await getStatement(boundStore(store, tx), accountRef, formatDay(todayIn(account.timezone)), {
      explain: false,
    });
    // An account closed as paid (a settlement completed, paid off) whose payment bounced owes again: it is
    // reopened, and its case goes back to work, so the cycle and the queues see it.
    if (account.status === 'closed' && full.statement.payoff > 0) {
      await tx.sql.query(`UPDATE accounts SET status = 'open', updated_at = now() WHERE id = $1`, [
        account.id,
      ]);
      await tx.sql.query(
        `INSERT INTO account_events (account_id, kind, data) VALUES ($1, 'account_reopened', $2)`,
        [account.id, JSON.stringify({ reason: `payment ${paymentRef} reversed: ${reason}` })],
      );
      await applyCaseEvents(tx, actor, [
        { accountId: account.id, cause: 'payment_reversed', detail: { payment: paymentRef } },
      ]);
    }
    const st = statementJson(full);
    await appendAudit(tx, actor, {
      action: 'payment.reversed',
      entity: `payment:${accountRef}/${paymentRef}`,
      accountId: account.id,
      data: { amount: payment.amount, reason },
    });
    await emitEvent(tx, {
      type: 'payment.reversed',
      accountId: account.id,
      data: {
        account: accountRef,
        payment: paymentRef,
        amount: formatAmount(payment.amount, account.currency),
        currency: account.currency,
        reason,
        statement: summary(st),
      },
    });
    return { payment: paymentRef, reversed: true as const, reason, statement: summary(st) };
  });
}

/** Every payment of an account, reversed ones included, with the allocation of those that count. */
export async function listPayments(store: Store, accountRef: string, asOf?: string) {
  return store.transaction(async (tx) => {
    const bound = boundStore(store, tx);
    const st = statementJson(await getStatement(bound, accountRef, asOf, { explain: false }));
    const rows = await tx.db
      .selectFrom('payments as p')
      .innerJoin('accounts as a', 'a.id', 'p.account_id')
      .select([
        'p.ref',
        'p.amount',
        'p.received_on',
        'p.channel',
        'p.reversed_at',
        'p.reversal_reason',
        'a.currency',
      ])
      .where('a.ref', '=', accountRef)
      .orderBy('p.received_on')
      .orderBy('p.id')
      .execute();
    const lines = new Map(st.payments.map((p) => [p.ref, p]));
    return {
      account: accountRef,
      asOf: st.asOf,
      items: rows.map((r) => ({
        ref: r.ref,
        amount: formatAmount(r.amount, r.currency),
        currency: r.currency,
        receivedOn: r.received_on,
        channel: r.channel,
        reversed: r.reversed_at !== null,
        reversalReason: r.reversal_reason,
        allocations: lines.get(r.ref)?.allocations ?? [],
        unapplied: lines.get(r.ref)?.unapplied ?? null,
      })),
    };
  });
}
