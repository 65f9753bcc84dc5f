import type { Principal } from '../../domain/access/index.js';
import { actorOf } from '../../domain/access/index.js';
import { ArrearsError } from '../../domain/errors.js';
import { boundStore, type HoldKind, type Store, type Tx } from '../../store/index.js';
import { appendAudit } from '../audit/index.js';
import { findAccount, iso, parseAt, type AccountFacts } from './account.js';

export const HOLD_KINDS: readonly HoldKind[] = [
  'cease',
  'dispute',
  'attorney',
  'bankruptcy',
  'deceased',
  'deferral',
];

export interface HoldRequest {
  kind: HoldKind;
  reason: string;
  /** Where the hold comes from: "debtor letter 2026-11-20", "court notice", "phone call"… */
  source: string;
  /** Deferral only: when collection may resume (ISO instant). */
  until?: string | undefined;
}

export interface HoldView {
  id: number;
  kind: HoldKind;
  reason: string;
  source: string;
  until: string | null;
  /** The dispute behind a `dispute` hold. */
  disputeId: number | null;
  placedAt: string;
  placedBy: string;
  releasedAt: string | null;
  releasedBy: string | null;
  releaseReason: string | null;
  active: boolean;
}

/** The account's holds, active first, newest first. */
export async function listHolds(store: Store, ref: string): Promise<{ account: string; items: HoldView[] }> {
  const account = await findAccount(store, ref);
  return { account: ref, items: await holdsOf(store, account.id) };
}

async function holdsOf(store: Store, accountId: number, id?: number): Promise<HoldView[]> {
  let q = store.db
    .selectFrom('account_holds as h')
    .leftJoin('disputes as d', (j) =>
      j.onRef('d.account_id', '=', 'h.account_id').onRef('d.hold_id', '=', 'h.id'),
    )
    .selectAll('h')
    .select('d.id as dispute_id')
    .where('h.account_id', '=', accountId);
  if (id !== undefined) q = q.where('h.id', '=', id);
  const rows = await q.orderBy('h.id', 'desc').execute();
  const views = rows.map((h) => {
    const released = iso(h.released_at);
    return {
      id: Number(h.id),
      kind: h.kind,
      reason: h.reason,
      source: h.source,
      until: iso(h.until),
      disputeId: h.dispute_id === null ? null : Number(h.dispute_id),
      placedAt: iso(h.placed_at)!,
      placedBy: h.placed_by,
      releasedAt: released,
      releasedBy: h.released_by,
      releaseReason: h.release_reason,
      active: released === null && (h.until === null || new Date(h.until) > new Date()),
    };
  });
  return [...views.filter((v) => v.active), ...views.filter((v) => !v.active)];
}

function validateHold(req: HoldRequest, now: Date): Date | null {
  const issues: { field: string; message: string }[] = [];
  if (!HOLD_KINDS.includes(req.kind))
    issues.push({ field: 'kind', message: `one of ${HOLD_KINDS.join(', ')}` });
  if (req.kind === 'dispute')
    issues.push({
      field: 'kind',
      message: 'a dispute hold comes with a dispute: POST /api/v1/accounts/{ref}/disputes',
    });
  if (!req.reason?.trim()) issues.push({ field: 'reason', message: 'must not be empty' });
  if (!req.source?.trim()) issues.push({ field: 'source', message: 'must not be empty' });
  let until: Date | null = null;
  if (req.kind === 'deferral') {
    if (req.until === undefined) issues.push({ field: 'until', message: 'a deferral needs until' });
    else {
      until = parseAt(req.until, 'until');
      if (until <= now) issues.push({ field: 'until', message: 'must be in the future' });
    }
  } else if (req.until !== undefined) {
    issues.push({ field: 'until', message: 'only a deferral has an end; release other holds instead' });
  }
  if (issues.length > 0) throw new ArrearsError('invalid', 'the hold is not valid', { issues });
  return until;
}

/** Inserts a hold inside the caller's transaction (audited). */
export async function insertHold(
  tx: Tx,
  actor: Principal | null,
  account: AccountFacts,
  req: { kind: HoldKind; reason: string; source: string; until: Date | null },
): Promise<number> {
  const row = await tx.db
    .insertInto('account_holds')
    .values({
      account_id: account.id,
      kind: req.kind,
      reason: req.reason.trim(),
      source: req.source.trim(),
      until: req.until,
      placed_by: actorOf(actor),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const id = Number(row.id);
  await appendAudit(tx, actor, {
    action: 'hold.placed',
    entity: `hold:${account.ref}/${id}`,
    accountId: account.id,
    data: { kind: req.kind, reason: req.reason, source: req.source, until: iso(req.until) },
  });
  return id;
}

/**
 * Places a hold: from then on the compliance gate refuses the contacts the jurisdiction's rule forbids
 * (US.FDCPA.CEASE, US.FDCPA.ATTORNEY, ARREARS.POLICY for bankruptcy, death and deferral, …). A second
 * active hold of the same kind is a conflict.
 */
export async function placeHold(
  store: Store,
  actor: Principal | null,
  ref: string,
  req: HoldRequest,
): Promise<HoldView> {
  const until = validateHold(req, new Date());
  return store.transaction(async (tx) => {
    const inTx = boundStore(store, tx);
    const account = await findAccount(inTx, ref);
    const active = (await holdsOf(inTx, account.id)).find((h) => h.active && h.kind === req.kind);
    if (active)
      throw new ArrearsError(
        'conflict',
        `account ${ref} already has an active ${req.kind} hold (${active.id})`,
        {
          holdId: active.id,
        },
      );
    const id = await insertHold(tx, actor, account, { ...req, until });
    return (await holdsOf(inTx, account.id, id))[0]!;
  });
}

/** Releases a hold inside the caller's transaction (audited); false when it was not active. */
export async function releaseHoldTx(
  tx: Tx,
  actor: Principal | null,
  account: AccountFacts,
  id: number,
  reason: string,
): Promise<boolean> {
  const { rows } = await tx.sql.query(
    `UPDATE account_holds SET released_at = now(), released_by = $3, release_reason = $4
      WHERE account_id = $1 AND id = $2 AND released_at IS NULL RETURNING id`,
    [account.id, id, actorOf(actor), reason],
  );
  if (rows.length === 0) return false;
  await appendAudit(tx, actor, {
    action: 'hold.released',
    entity: `hold:${account.ref}/${id}`,
    accountId: account.id,
    data: { reason },
  });
  return true;
}

/** Releases a hold (not a dispute's: resolving the dispute releases it). */
export async function releaseHold(
  store: Store,
  actor: Principal | null,
  ref: string,
  id: number,
  reason: string,
): Promise<HoldView> {
  if (!reason.trim())
    throw new ArrearsError('invalid', 'a release needs a reason', {
      issues: [{ field: 'reason', message: 'must not be empty' }],
    });
  return store.transaction(async (tx) => {
    const inTx = boundStore(store, tx);
    const account = await findAccount(inTx, ref);
    const hold = (await holdsOf(inTx, account.id, id))[0];
    if (!hold) throw new ArrearsError('not_found', `account ${ref} has no hold ${id}`);
    if (hold.disputeId !== null)
      throw new ArrearsError(
        'conflict',
        `hold ${id} belongs to dispute ${hold.disputeId}: resolve the dispute to release it`,
      );
    if (!(await releaseHoldTx(tx, actor, account, id, reason.trim())))
      throw new ArrearsError('conflict', `hold ${id} was already released`);
    return (await holdsOf(inTx, account.id, id))[0]!;
  });
}
