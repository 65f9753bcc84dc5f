import type { Principal } from '../../domain/access/index.js';
import { ArrearsError } from '../../domain/errors.js';
import { boundStore, type Store } from '../../store/index.js';
import { appendAudit } from '../audit/index.js';

export const DEFAULT_CLAIM_MINUTES = 30;

export interface CaseView {
  account: string;
  status: string;
  claimedBy: string | null;
  claimedUntil: string | null;
}

async function accountId(store: Store, ref: string): Promise<number> {
  const a = await store.db.selectFrom('accounts').select('id').where('ref', '=', ref).executeTakeFirst();
  if (!a) throw new ArrearsError('not_found', `account "${ref}" does not exist`);
  return a.id;
}

/** The account's case; an account never worked has an open, unclaimed case. Expired claims show as none. */
export async function getCase(store: Store, ref: string): Promise<CaseView> {
  const id = await accountId(store, ref);
  const row = await store.db
    .selectFrom('cases')
    .select(['status', 'claimed_by_name as username', 'claimed_until'])
    .where('account_id', '=', id)
    .executeTakeFirst();
  const until = row?.claimed_until ? new Date(row.claimed_until) : null;
  const active = until !== null && until > new Date();
  return {
    account: ref,
    status: row?.status ?? 'open',
    claimedBy: active ? (row?.username ?? null) : null,
    claimedUntil: active ? until.toISOString() : null,
  };
}

/**
 * Claims an account's case for the caller for `minutes`, atomically: one statement that succeeds only
 * if nobody else holds an unexpired claim, so of many simultaneous claims exactly one wins. Claiming
 * again extends one's own claim.
 */
export async function claimCase(
  store: Store,
  actor: Principal,
  ref: string,
  minutes = DEFAULT_CLAIM_MINUTES,
) {
  return store.transaction(async (tx) => {
    const inTx = boundStore(store, tx);
    const id = await accountId(inTx, ref);
    const { rows } = await tx.sql.query<{ claimed_until: Date }>(
      `INSERT INTO cases (account_id, status, claimed_by, claimed_by_name, claimed_until)
       VALUES ($1, 'in_progress', $2, $4, now() + make_interval(mins => $3))
       ON CONFLICT (account_id) DO UPDATE
         SET claimed_by = EXCLUDED.claimed_by, claimed_by_name = EXCLUDED.claimed_by_name,
             claimed_until = EXCLUDED.claimed_until, updated_at = now(),
             status = CASE WHEN cases.status = 'open' THEN 'in_progress' ELSE cases.status END
         WHERE cases.claimed_by IS NULL OR cases.claimed_until <= now() OR cases.claimed_by = EXCLUDED.claimed_by
       RETURNING claimed_until`,
      [id, actor.userId, minutes, actor.username],
    );
    if (!rows[0]) {
      const current = await getCase(inTx, ref);
      throw new ArrearsError(
        'conflict',
        `the case of ${ref} is claimed by ${current.claimedBy} until ${current.claimedUntil}`,
        {
          claimedBy: current.claimedBy,
          claimedUntil: current.claimedUntil,
        },
      );
    }
    await appendAudit(tx, actor, {
      action: 'case.claimed',
      entity: `case:${ref}`,
      accountId: id,
      data: { minutes },
    });
    return getCase(inTx, ref);
  });
}

/** Releases a claim: one's own, or anyone's for a manager or admin. */
export async function releaseCase(store: Store, actor: Principal, ref: string): Promise<CaseView> {
  return store.transaction(async (tx) => {
    const inTx = boundStore(store, tx);
    const id = await accountId(inTx, ref);
    const anyone = actor.role === 'admin' || actor.role === 'manager';
    const { rows } = await tx.sql.query<{ claimed_by: number }>(
      `UPDATE cases SET claimed_by = NULL, claimed_by_name = NULL, claimed_until = NULL, updated_at = now()
       WHERE account_id = $1 AND claimed_until > now() AND ($2 OR claimed_by = $3)
       RETURNING account_id`,
      [id, anyone, actor.userId],
    );
    if (!rows[0]) {
      const current = await getCase(inTx, ref);
      if (current.claimedBy === null)
        throw new ArrearsError('not_found', `the case of ${ref} is not claimed`);
      throw new ArrearsError(
        'forbidden',
        `the case of ${ref} is claimed by ${current.claimedBy}, not by you`,
      );
    }
    await appendAudit(tx, actor, { action: 'case.released', entity: `case:${ref}`, accountId: id });
    return getCase(inTx, ref);
  });
}
