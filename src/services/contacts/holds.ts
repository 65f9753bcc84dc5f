import type { Principal } from '../../domain/access/index.js';
import { actorOf } from '../../domain/access/index.js';
import { ArrearsError } from '../../domain/errors.js';
import { boundStore, type DebtorHoldKind, type HoldKind, type Store, type Tx } from '../../store/index.js';
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

/**
 * The holds that concern the person, not one debt: a cease request (US 1692c(c)), attorney representation
 * (1692c(a)(2)), bankruptcy and death stop contact about every account of the debtor. A dispute concerns
 * one debt and a deferral one account.
 */
export const DEBTOR_HOLD_KINDS: readonly DebtorHoldKind[] = ['cease', 'attorney', 'bankruptcy', 'deceased'];

export type HoldScope = 'account' | 'debtor';

export const scopeOf = (kind: HoldKind): HoldScope =>
  (DEBTOR_HOLD_KINDS as readonly HoldKind[]).includes(kind) ? 'debtor' : 'account';

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
  /** `debtor`: the hold applies to every account of the debtor; `account`: to this account only. */
  scope: HoldScope;
  /** The account it was placed through (null when the caller cannot see that account). */
  placedVia: string | null;
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

/** The account's holds — its own and its debtor's —, active first, newest first. */
export async function listHolds(store: Store, ref: string): Promise<{ account: string; items: HoldView[] }> {
  const account = await findAccount(store, ref);
  return { account: ref, items: await holdsOf(store, account) };
}

/** The holds that apply to the account: its own (dispute, deferral) and its debtor's (cease, attorney, …). */
async function holdsOf(store: Store, account: AccountFacts, id?: number): Promise<HoldView[]> {
  let own = store.db
    .selectFrom('account_holds as h')
    .leftJoin('disputes as d', (j) =>
      j.onRef('d.account_id', '=', 'h.account_id').onRef('d.hold_id', '=', 'h.id'),
    )
    .selectAll('h')
    .select('d.id as dispute_id')
    .where('h.account_id', '=', account.id);
  // The account a debtor hold was placed through may be one the caller cannot see (row-level security).
  let person = store.db
    .selectFrom('debtor_holds as h')
    .leftJoin('accounts as v', 'v.id', 'h.account_id')
    .selectAll('h')
    .select('v.ref as via_ref')
    .where('h.debtor_id', '=', account.debtorId);
  if (id !== undefined) {
    own = own.where('h.id', '=', id);
    person = person.where('h.id', '=', id);
  }
  const [ownRows, personRows] = [await own.execute(), await person.execute()];
  const now = new Date();
  const views: HoldView[] = [
    ...ownRows.map((h) => ({
      id: Number(h.id),
      kind: h.kind,
      scope: 'account' as const,
      placedVia: account.ref,
      reason: h.reason,
      source: h.source,
      until: iso(h.until),
      disputeId: h.dispute_id === null ? null : Number(h.dispute_id),
      placedAt: iso(h.placed_at)!,
      placedBy: h.placed_by,
      releasedAt: iso(h.released_at),
      releasedBy: h.released_by,
      releaseReason: h.release_reason,
      active: h.released_at === null && (h.until === null || new Date(h.until) > now),
    })),
    ...personRows.map((h) => ({
      id: Number(h.id),
      kind: h.kind,
      scope: 'debtor' as const,
      placedVia: h.via_ref,
      reason: h.reason,
      source: h.source,
      until: null,
      disputeId: null,
      placedAt: iso(h.placed_at)!,
      placedBy: h.placed_by,
      releasedAt: iso(h.released_at),
      releasedBy: h.released_by,
      releaseReason: h.release_reason,
      active: h.released_at === null,
    })),
  ].sort((a, b) => Number(b.active) - Number(a.active) || b.id - a.id);
  return views;
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

/**
 * Inserts a hold inside the caller's transaction (audited, on the chain of the account it is placed
 * through): a person's hold (cease, attorney, bankruptcy, deceased) on the debtor, the others on the account.
 */
export async function insertHold(
  tx: Tx,
  actor: Principal | null,
  account: AccountFacts,
  req: { kind: HoldKind; reason: string; source: string; until: Date | null },
): Promise<number> {
  const common = {
    reason: req.reason.trim(),
    source: req.source.trim(),
    placed_by: actorOf(actor),
  };
  const scope = scopeOf(req.kind);
  const row =
    scope === 'debtor'
      ? await tx.db
          .insertInto('debtor_holds')
          .values({
            ...common,
            debtor_id: account.debtorId,
            kind: req.kind as DebtorHoldKind,
            account_id: account.id,
          })
          .onConflict((oc) => oc.doNothing())
          .returning('id')
          .executeTakeFirst()
      : await tx.db
          .insertInto('account_holds')
          .values({ ...common, account_id: account.id, kind: req.kind, until: req.until })
          .onConflict((oc) => oc.doNothing())
          .returning('id')
          .executeTakeFirst();
  // Two placements at once: the one-active-hold-per-kind index lets one through; the other is told so.
  if (!row) throw new ArrearsError('conflict', `a ${req.kind} hold is already active on ${account.ref}`);
  const id = Number(row.id);
  await appendAudit(tx, actor, {
    action: 'hold.placed',
    entity: `hold:${account.ref}/${id}`,
    accountId: account.id,
    data: {
      kind: req.kind,
      scope,
      ...(scope === 'debtor' ? { debtorId: account.debtorId } : {}),
      reason: req.reason,
      source: req.source,
      until: iso(req.until),
    },
  });
  return id;
}

/**
 * Places a hold: from then on the compliance gate refuses the contacts the jurisdiction's rule forbids
 * (US.FDCPA.CEASE, US.FDCPA.ATTORNEY, ARREARS.POLICY for bankruptcy, death and deferral, …). A cease,
 * attorney, bankruptcy or deceased hold is the debtor's and holds every account of theirs, whichever
 * account it is placed through. A second active hold of the same kind on the account (or its debtor) is a
 * conflict.
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
    const active = (await holdsOf(inTx, account)).find((h) => h.active && h.kind === req.kind);
    if (active)
      throw new ArrearsError(
        'conflict',
        active.scope === 'debtor'
          ? `the debtor of account ${ref} already has an active ${req.kind} hold (${active.id}), which holds all their accounts`
          : `account ${ref} already has an active ${req.kind} hold (${active.id})`,
        { holdId: active.id, scope: active.scope },
      );
    const id = await insertHold(tx, actor, account, { ...req, until });
    return (await holdsOf(inTx, account, id))[0]!;
  });
}

/**
 * Releases a hold that applies to the account inside the caller's transaction (audited on the account's
 * chain): the account's own, or its debtor's — which releases it for every account of the debtor. False
 * when it was not active.
 */
export async function releaseHoldTx(
  tx: Tx,
  actor: Principal | null,
  account: AccountFacts,
  id: number,
  reason: string,
  scope: HoldScope = 'account',
): Promise<boolean> {
  const { rows } =
    scope === 'debtor'
      ? await tx.sql.query(
          `UPDATE debtor_holds SET released_at = now(), released_by = $3, release_reason = $4, released_via = $5
            WHERE debtor_id = $1 AND id = $2 AND released_at IS NULL RETURNING id`,
          [account.debtorId, id, actorOf(actor), reason, account.id],
        )
      : await tx.sql.query(
          `UPDATE account_holds SET released_at = now(), released_by = $3, release_reason = $4
            WHERE account_id = $1 AND id = $2 AND released_at IS NULL RETURNING id`,
          [account.id, id, actorOf(actor), reason],
        );
  if (rows.length === 0) return false;
  await appendAudit(tx, actor, {
    action: 'hold.released',
    entity: `hold:${account.ref}/${id}`,
    accountId: account.id,
    data: { reason, scope, ...(scope === 'debtor' ? { debtorId: account.debtorId } : {}) },
  });
  return true;
}

/**
 * Releases a hold (not a dispute's: resolving the dispute releases it). A debtor's hold may be released
 * through any of their accounts, and is released for all of them.
 */
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
    const hold = (await holdsOf(inTx, account, id))[0];
    if (!hold) throw new ArrearsError('not_found', `account ${ref} has no hold ${id}`);
    if (hold.disputeId !== null)
      throw new ArrearsError(
        'conflict',
        `hold ${id} belongs to dispute ${hold.disputeId}: resolve the dispute to release it`,
      );
    if (!(await releaseHoldTx(tx, actor, account, id, reason.trim(), hold.scope)))
      throw new ArrearsError('conflict', `hold ${id} was already released`);
    return (await holdsOf(inTx, account, id))[0]!;
  });
}
