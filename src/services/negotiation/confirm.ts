import { ArrearsError } from '../../domain/errors.js';
import { toDay, type DayNumber } from '../../domain/calendar/index.js';
import type { Store, Tx } from '../../store/index.js';
import type { AgreementVars, CompletionVars } from '../../templates/index.js';
import { enqueueActions, type PlannedAction } from '../dispatch/index.js';

/** What a debtor is sent in writing when a promise, plan or settlement is agreed. */
export type ConfirmationKind = AgreementVars['kind'];

/** The account's debtor's own written channels. */
export interface Reachable {
  id: number;
  ref: string;
  emails: readonly string[];
  addresses: readonly unknown[];
}

/** The confirmation of one agreement has one key, so recording or approving it twice sends it once. */
export const confirmationKey = (kind: ConfirmationKind, id: number) => `${kind}:${id}:confirmation`;

/** The written confirmation queued for an agreement, as the promise and plan views show it. */
export interface ConfirmationView {
  channel: string;
  key: string;
  status: string;
  notice: string | null;
}

/**
 * What judging and showing an account's agreements needs, read one after the other (inside a transaction
 * they share one connection): the payments that count (not reversed) and the confirmations queued for its
 * agreements of `kinds`, found by kind and id.
 */
export async function agreementFacts(
  store: Store,
  accountId: number,
  kinds: readonly ConfirmationKind[],
): Promise<{
  payments: { receivedOn: DayNumber; amount: number }[];
  confirmation: (kind: ConfirmationKind, id: number) => ConfirmationView | null;
}> {
  const payments = await store.db
    .selectFrom('payments')
    .select(['received_on', 'amount'])
    .where('account_id', '=', accountId)
    .where('reversed_at', 'is', null)
    .execute();
  const queued = await store.db
    .selectFrom('outbox')
    .select(['idempotency_key', 'channel', 'status', 'notice_code'])
    .where('account_id', '=', accountId)
    .where(
      'template',
      'in',
      kinds.map((k) => `${k}_confirmation`),
    )
    .execute();
  const byKey = new Map(queued.map((o) => [o.idempotency_key, o]));
  return {
    payments: payments.map((p) => ({ receivedOn: toDay(p.received_on), amount: p.amount })),
    confirmation: (kind, id) => {
      const o = byKey.get(confirmationKey(kind, id));
      return o
        ? { channel: o.channel, key: o.idempotency_key, status: o.status, notice: o.notice_code }
        : null;
    },
  };
}

/**
 * E-mail when the debtor has an address, else a letter. An agreement that cannot be confirmed in writing
 * is not recorded at all: the seeds' "false promise" (a verbal deal the debtor cannot prove) stays impossible.
 */
export function confirmationChannel(account: Reachable): 'email' | 'letter' {
  if (account.emails.length > 0) return 'email';
  if (account.addresses.length > 0) return 'letter';
  throw new ArrearsError(
    'invalid',
    `the debtor of account "${account.ref}" has no e-mail or postal address on file, so the agreement cannot be confirmed in writing; add one first`,
    {
      issues: [
        { field: 'account', message: 'needs an e-mail or postal address for the written confirmation' },
      ],
    },
  );
}

/**
 * Plans the written, signed confirmation of an agreement in the caller's transaction: template
 * `<kind>_confirmation`, the agreed figures under `vars.agreement`, and `vars.signedAmount` so the notice
 * signs the agreed amount rather than the overdue total.
 */
export async function enqueueConfirmation(
  tx: Tx,
  account: Reachable,
  agreement: AgreementVars,
  id: number,
): Promise<{ channel: 'email' | 'letter'; idempotencyKey: string; inserted: boolean }> {
  const channel = confirmationChannel(account);
  const idempotencyKey = confirmationKey(agreement.kind, id);
  const r = await enqueueActions(tx, [
    {
      accountId: account.id,
      channel,
      template: `${agreement.kind}_confirmation`,
      locale: null,
      plannedAt: new Date(),
      idempotencyKey,
      vars: { signedAmount: agreement.amount, agreement },
    },
  ]);
  return { channel, idempotencyKey, inserted: r.inserted === 1 };
}

/** The letter confirming a settlement paid has one key per agreement too. */
export const completionKey = (kind: ConfirmationKind, id: number) => `${kind}:${id}:completed`;

export interface Completion {
  account: Reachable;
  agreement: AgreementVars;
  completion: CompletionVars;
  id: number;
}

/**
 * Plans, in the caller's transaction, the signed letter that confirms each settlement (or discounted plan)
 * paid in full under its agreement — nothing more is owed: template `settlement_completed` on the debtor's
 * written channel, the agreement and the completion under `vars`, and `vars.signedAmount` 0, the amount
 * the letter says is owed. A debtor with no written channel any more gets none (returned as `unreachable`).
 */
export async function enqueueCompletions(
  tx: Tx,
  items: readonly Completion[],
): Promise<{ keys: Map<number, string>; unreachable: number[] }> {
  const keys = new Map<number, string>();
  const unreachable: number[] = [];
  const actions: PlannedAction[] = [];
  for (const c of items) {
    let channel: 'email' | 'letter';
    try {
      channel = confirmationChannel(c.account);
    } catch {
      unreachable.push(c.id);
      continue;
    }
    const idempotencyKey = completionKey(c.agreement.kind, c.id);
    keys.set(c.id, idempotencyKey);
    actions.push({
      accountId: c.account.id,
      channel,
      template: 'settlement_completed',
      locale: null,
      plannedAt: new Date(),
      idempotencyKey,
      vars: { signedAmount: 0, agreement: c.agreement, completion: c.completion },
    });
  }
  await enqueueActions(tx, actions);
  return { keys, unreachable };
}
