import { actorOf, type Principal } from '../../domain/access/index.js';
import { formatDay, todayIn } from '../../domain/calendar/index.js';
import { ArrearsError } from '../../domain/errors.js';
import { boundStore, type Store, type Tx } from '../../store/index.js';
import { appendAudit } from '../audit/index.js';
import { enqueueActions } from '../dispatch/index.js';
import { findAccount, iso, parseAt, type AccountFacts } from './account.js';
import { insertHold, releaseHoldTx } from './holds.js';

export const DISPUTE_CHANNELS = ['call', 'letter', 'email', 'visit', 'portal', 'api'] as const;
export type DisputeChannel = (typeof DISPUTE_CHANNELS)[number];
export const DISPUTE_OUTCOMES = ['upheld', 'rejected', 'verification_sent'] as const;
export type DisputeOutcome = (typeof DISPUTE_OUTCOMES)[number];

/** The letter template that tells the debtor how their dispute was resolved (all five locales). */
export const DISPUTE_LETTER = 'dispute_resolution';

export interface DisputeRequest {
  reason: string;
  channel: DisputeChannel;
  /** A written dispute (US 1692g(b) halts collection on a written one); default: letter, e-mail and portal. */
  written?: boolean | undefined;
  /** Default now. */
  receivedAt?: string | undefined;
}

export interface DisputeView {
  id: number;
  receivedAt: string;
  channel: string;
  written: boolean;
  reason: string;
  status: 'open' | DisputeOutcome;
  holdId: number;
  contactId: number | null;
  openedBy: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolution: string | null;
  /** The outbox idempotency key of the resolution letter. */
  letterKey: string | null;
}

async function disputesOf(store: Pick<Store, 'db'>, accountId: number, id?: number): Promise<DisputeView[]> {
  let q = store.db.selectFrom('disputes').selectAll().where('account_id', '=', accountId);
  if (id !== undefined) q = q.where('id', '=', id);
  const rows = await q.orderBy('id', 'desc').execute();
  return rows.map((d) => ({
    id: Number(d.id),
    receivedAt: iso(d.received_at)!,
    channel: d.channel,
    written: d.written,
    reason: d.reason,
    status: d.status,
    holdId: Number(d.hold_id),
    contactId: d.contact_id === null ? null : Number(d.contact_id),
    openedBy: d.opened_by,
    resolvedAt: iso(d.resolved_at),
    resolvedBy: d.resolved_by,
    resolution: d.resolution,
    letterKey: d.letter_key,
  }));
}

export async function listDisputes(
  store: Store,
  ref: string,
): Promise<{ account: string; items: DisputeView[] }> {
  const account = await findAccount(store, ref);
  return { account: ref, items: await disputesOf(store, account.id) };
}

/**
 * Opens a dispute inside the caller's transaction: a `dispute` hold (the gate then halts collection
 * contacts as the jurisdiction requires: US.REGF.DISPUTE_HALT, ARREARS.POLICY elsewhere) and the case
 * status `dispute`, audited.
 */
export async function openDisputeTx(
  tx: Tx,
  actor: Principal | null,
  account: AccountFacts,
  req: { reason: string; channel: DisputeChannel; written: boolean; receivedAt: Date; contactId?: number },
): Promise<DisputeView> {
  const { rows: cases } = await tx.sql.query<{ status: string }>(
    `SELECT status FROM cases WHERE account_id = $1`,
    [account.id],
  );
  const previous = cases[0]?.status ?? 'open';
  const holdId = await insertHold(tx, actor, account, {
    kind: 'dispute',
    reason: req.reason,
    source: `dispute (${req.channel}${req.written ? ', written' : ''})`,
    until: null,
  });
  const row = await tx.db
    .insertInto('disputes')
    .values({
      account_id: account.id,
      received_at: req.receivedAt,
      channel: req.channel,
      written: req.written,
      reason: req.reason,
      hold_id: holdId,
      previous_case_status: previous,
      contact_id: req.contactId ?? null,
      opened_by: actorOf(actor),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await tx.sql.query(
    `INSERT INTO cases (account_id, status) VALUES ($1, 'dispute')
     ON CONFLICT (account_id) DO UPDATE SET status = 'dispute', updated_at = now()`,
    [account.id],
  );
  const id = Number(row.id);
  await appendAudit(tx, actor, {
    action: 'dispute.opened',
    entity: `dispute:${account.ref}/${id}`,
    accountId: account.id,
    data: { channel: req.channel, written: req.written, holdId, contactId: req.contactId ?? null },
  });
  return (await disputesOf(tx, account.id, id))[0]!;
}

/** Opens a dispute (collector or API intake; the debtor portal later). */
export async function openDispute(
  store: Store,
  actor: Principal | null,
  ref: string,
  req: DisputeRequest,
): Promise<DisputeView> {
  const issues: { field: string; message: string }[] = [];
  if (!req.reason?.trim()) issues.push({ field: 'reason', message: 'must not be empty' });
  if (!DISPUTE_CHANNELS.includes(req.channel))
    issues.push({ field: 'channel', message: `one of ${DISPUTE_CHANNELS.join(', ')}` });
  const receivedAt = parseAt(req.receivedAt, 'receivedAt');
  if (receivedAt.getTime() > Date.now() + 60_000)
    issues.push({ field: 'receivedAt', message: 'is in the future' });
  if (issues.length > 0) throw new ArrearsError('invalid', 'the dispute is not valid', { issues });
  return store.transaction(async (tx) => {
    const account = await findAccount(boundStore(store, tx), ref);
    return openDisputeTx(tx, actor, account, {
      reason: req.reason.trim(),
      channel: req.channel,
      written: req.written ?? ['letter', 'email', 'portal'].includes(req.channel),
      receivedAt,
    });
  });
}

export interface DisputeResolution {
  outcome: DisputeOutcome;
  /** What was found, for the record (not printed in the letter). */
  resolution: string;
}

/**
 * Resolves a dispute: upheld (the debt or part of it was wrong), rejected, or verification sent (US
 * 1692g(b)). Releases its hold, restores the case status when no other dispute is open, and plans the
 * resolution letter (`dispute_resolution`, in the debtor's locale) through the outbox — the dispatcher
 * renders, signs and sends it, gate-checked like every notice.
 */
export async function resolveDispute(
  store: Store,
  actor: Principal | null,
  ref: string,
  id: number,
  req: DisputeResolution,
): Promise<DisputeView> {
  const issues: { field: string; message: string }[] = [];
  if (!DISPUTE_OUTCOMES.includes(req.outcome))
    issues.push({ field: 'outcome', message: `one of ${DISPUTE_OUTCOMES.join(', ')}` });
  if (!req.resolution?.trim()) issues.push({ field: 'resolution', message: 'must not be empty' });
  if (issues.length > 0) throw new ArrearsError('invalid', 'the resolution is not valid', { issues });
  return store.transaction(async (tx) => {
    const inTx = boundStore(store, tx);
    const account = await findAccount(inTx, ref);
    const dispute = (await disputesOf(inTx, account.id, id))[0];
    if (!dispute) throw new ArrearsError('not_found', `account ${ref} has no dispute ${id}`);
    if (dispute.status !== 'open')
      throw new ArrearsError('conflict', `dispute ${id} was already resolved (${dispute.status})`);
    const letterKey = `dispute:${id}:resolution`;
    await tx.db
      .updateTable('disputes')
      .set({
        status: req.outcome,
        resolved_at: new Date(),
        resolved_by: actorOf(actor),
        resolution: req.resolution.trim(),
        letter_key: letterKey,
      })
      .where('account_id', '=', account.id)
      .where('id', '=', id)
      .execute();
    await releaseHoldTx(tx, actor, account, dispute.holdId, `dispute ${id} resolved: ${req.outcome}`);
    const { rows: open } = await tx.sql.query<{ previous_case_status: string }>(
      `SELECT previous_case_status FROM disputes WHERE account_id = $1 AND status = 'open' LIMIT 1`,
      [account.id],
    );
    if (open.length === 0) {
      const { rows: first } = await tx.sql.query<{ previous_case_status: string }>(
        `SELECT previous_case_status FROM disputes WHERE account_id = $1 AND previous_case_status <> 'dispute'
          ORDER BY id DESC LIMIT 1`,
        [account.id],
      );
      await tx.sql.query(
        `UPDATE cases SET status = $2, updated_at = now() WHERE account_id = $1 AND status = 'dispute'`,
        [account.id, first[0]?.previous_case_status ?? 'open'],
      );
    }
    await enqueueActions(tx, [
      {
        accountId: account.id,
        channel: 'letter',
        template: DISPUTE_LETTER,
        plannedAt: new Date(),
        idempotencyKey: letterKey,
        vars: {
          outcome: req.outcome,
          disputeId: id,
          receivedOn: formatDay(todayIn(account.timezone, new Date(dispute.receivedAt))),
        },
      },
    ]);
    await appendAudit(tx, actor, {
      action: 'dispute.resolved',
      entity: `dispute:${ref}/${id}`,
      accountId: account.id,
      data: { outcome: req.outcome, holdId: dispute.holdId, letterKey },
    });
    return (await disputesOf(inTx, account.id, id))[0]!;
  });
}
