import type { Principal } from '../../domain/access/index.js';
import { ArrearsError } from '../../domain/errors.js';
import type { Store } from '../../store/index.js';
import { appendAudit } from '../audit/index.js';
import { applyCaseEvents } from '../cases/index.js';

export interface AgencyView {
  ref: string;
  name: string;
  placedAccounts: number;
}

export async function addAgency(
  store: Store,
  actor: Principal | null,
  a: { ref: string; name: string },
): Promise<AgencyView> {
  return store.transaction(async (tx) => {
    const row = await tx.db
      .insertInto('agencies')
      .values({ ref: a.ref, name: a.name })
      .onConflict((oc) => oc.column('ref').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!row) throw new ArrearsError('conflict', `agency "${a.ref}" already exists`);
    await appendAudit(tx, actor, {
      action: 'agency.created',
      entity: `agency:${a.ref}`,
      data: { name: a.name },
    });
    return { ref: a.ref, name: a.name, placedAccounts: 0 };
  });
}

/** Agencies with their active placement counts (an agency user sees only their own, through RLS). */
export async function listAgencies(store: Store): Promise<AgencyView[]> {
  const { rows } = await store.transaction(({ sql }) =>
    sql.query<{ ref: string; name: string; placed: number }>(
      `SELECT g.ref, g.name, (SELECT count(*)::int FROM placements p WHERE p.agency_id = g.id AND p.recalled_at IS NULL) AS placed
       FROM agencies g ORDER BY g.ref`,
    ),
  );
  return rows.map((r) => ({ ref: r.ref, name: r.name, placedAccounts: r.placed }));
}

/** Places accounts with an agency (recalling any other active placement), all in one transaction. */
export async function placeAccounts(
  store: Store,
  actor: Principal | null,
  agencyRef: string,
  accountRefs: readonly string[],
): Promise<{ placed: number }> {
  return store.transaction(async (tx) => {
    const agency = await tx.db
      .selectFrom('agencies')
      .select('id')
      .where('ref', '=', agencyRef)
      .executeTakeFirst();
    if (!agency) throw new ArrearsError('not_found', `agency "${agencyRef}" does not exist`);
    const { rows } = await tx.sql.query<{ id: number; ref: string }>(
      `SELECT id, ref FROM accounts WHERE ref = ANY($1::text[])`,
      [accountRefs],
    );
    const found = new Set(rows.map((r) => r.ref));
    const missing = accountRefs.filter((r) => !found.has(r));
    if (missing.length > 0)
      throw new ArrearsError('not_found', `unknown accounts: ${missing.slice(0, 10).join(', ')}`, {
        issues: missing.map((m) => ({ field: 'accounts', message: `account "${m}" does not exist` })),
      });
    const ids = rows.map((r) => r.id);
    await tx.sql.query(
      `UPDATE placements SET recalled_at = now() WHERE account_id = ANY($1::bigint[]) AND recalled_at IS NULL AND agency_id <> $2`,
      [ids, agency.id],
    );
    const { rows: ins } = await tx.sql.query<{ account_id: number }>(
      `INSERT INTO placements (account_id, agency_id)
       SELECT a, $2 FROM unnest($1::bigint[]) a
       WHERE NOT EXISTS (SELECT 1 FROM placements p WHERE p.account_id = a AND p.recalled_at IS NULL)
       RETURNING account_id`,
      [ids, agency.id],
    );
    const placed = ins.length;
    // Their cases show the placement (an agency works them now).
    await applyCaseEvents(
      tx,
      actor,
      ins.map((r) => ({ accountId: r.account_id, cause: 'placed' as const, detail: { agency: agencyRef } })),
    );
    await appendAudit(tx, actor, {
      action: 'accounts.placed',
      entity: `agency:${agencyRef}`,
      data: { accounts: [...accountRefs].sort(), placed },
    });
    return { placed };
  });
}

export async function recallAccount(
  store: Store,
  actor: Principal | null,
  accountRef: string,
): Promise<void> {
  await store.transaction(async (tx) => {
    const { rows } = await tx.sql.query<{ account_id: number; agency: string }>(
      `UPDATE placements p SET recalled_at = now() FROM accounts a, agencies g
       WHERE a.ref = $1 AND p.account_id = a.id AND p.recalled_at IS NULL AND g.id = p.agency_id
       RETURNING p.account_id, g.ref AS agency`,
      [accountRef],
    );
    const row = rows[0];
    if (!row) throw new ArrearsError('not_found', `account "${accountRef}" is not placed with an agency`);
    await applyCaseEvents(tx, actor, [
      { accountId: row.account_id, cause: 'recalled', detail: { agency: row.agency } },
    ]);
    await appendAudit(tx, actor, {
      action: 'account.recalled',
      entity: `account:${accountRef}`,
      accountId: row.account_id,
      data: { agency: row.agency },
    });
  });
}
