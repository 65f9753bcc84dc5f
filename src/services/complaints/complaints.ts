import { actorOf, type Principal, type Role } from '../../domain/access/index.js';
import { formatDay, todayIn, toDay } from '../../domain/calendar/index.js';
import { complaintDeadlines } from '../../domain/complaints/index.js';
import { ArrearsError } from '../../domain/errors.js';
import { boundStore, type Store } from '../../store/index.js';
import { appendAudit } from '../audit/index.js';
import { findAccount, iso, parseAt } from '../contacts/index.js';
import { enqueueActions } from '../dispatch/index.js';

export const COMPLAINT_CHANNELS = ['call', 'letter', 'email', 'visit', 'portal', 'api', 'regulator'] as const;
export type ComplaintChannel = (typeof COMPLAINT_CHANNELS)[number];
export const COMPLAINT_CATEGORIES = [
  'harassment',
  'wrong_amount',
  'not_my_debt',
  'privacy',
  'third_party_contact',
  'agent_conduct',
  'payment_not_applied',
  'other',
] as const;
export const COMPLAINT_OUTCOMES = ['upheld', 'partially_upheld', 'rejected'] as const;
export type ComplaintOutcome = (typeof COMPLAINT_OUTCOMES)[number];
/** The resolution letter to the complainant (all five locales). */
export const COMPLAINT_LETTER = 'complaint_resolution';

/** Staff who may be assigned a complaint. */
const HANDLERS: readonly Role[] = ['admin', 'manager', 'compliance_officer', 'legal', 'collector'];

export interface ComplaintRequest {
  summary: string;
  category: (typeof COMPLAINT_CATEGORIES)[number];
  channel: ComplaintChannel;
  /** Default now. The SLA counts from the next local day of the debtor. */
  receivedAt?: string | undefined;
}

export interface ComplaintNoteView {
  id: number;
  kind: 'investigation' | 'response';
  text: string;
  author: string;
  at: string;
}

export interface ComplaintView {
  id: number;
  account: string;
  receivedAt: string;
  channel: string;
  category: string;
  summary: string;
  jurisdiction: string;
  /** The rule behind the deadlines (src/domain/complaints). */
  slaRule: string;
  /** Last local day to respond (US only), and to resolve. */
  respondBy: string | null;
  resolveBy: string;
  status: 'open' | 'investigating' | 'resolved';
  assignedTo: string | null;
  respondedAt: string | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
  outcome: ComplaintOutcome | null;
  resolution: string | null;
  letterKey: string | null;
  openedBy: string;
  notes: ComplaintNoteView[];
}

async function complaintsOf(store: Pick<Store, 'db'>, accountId: number, ref: string, id?: number) {
  let q = store.db.selectFrom('complaints').selectAll().where('account_id', '=', accountId);
  if (id !== undefined) q = q.where('id', '=', id);
  const rows = await q.orderBy('id', 'desc').execute();
  let nq = store.db.selectFrom('complaint_notes').selectAll().where('account_id', '=', accountId);
  if (id !== undefined) nq = nq.where('complaint_id', '=', id);
  const notes = await nq.orderBy('id').execute();
  return rows.map((c): ComplaintView => ({
    id: Number(c.id),
    account: ref,
    receivedAt: iso(c.received_at)!,
    channel: c.channel,
    category: c.category,
    summary: c.summary,
    jurisdiction: c.jurisdiction,
    slaRule: c.sla_rule,
    respondBy: c.respond_by,
    resolveBy: c.resolve_by,
    status: c.status,
    assignedTo: c.assigned_to_name,
    respondedAt: iso(c.responded_at),
    resolvedAt: iso(c.resolved_at),
    resolvedBy: c.resolved_by,
    outcome: c.outcome,
    resolution: c.resolution,
    letterKey: c.letter_key,
    openedBy: c.opened_by,
    notes: notes
      .filter((n) => Number(n.complaint_id) === Number(c.id))
      .map((n) => ({ id: Number(n.id), kind: n.kind, text: n.text, author: n.author, at: iso(n.at)! })),
  }));
}

export async function listComplaints(
  store: Store,
  ref: string,
): Promise<{ account: string; items: ComplaintView[] }> {
  const account = await findAccount(store, ref);
  return { account: ref, items: await complaintsOf(store, account.id, ref) };
}

/**
 * Takes in a complaint about an account. Its deadlines come from the debtor's jurisdiction
 * (`complaintDeadlines`: US 15/60 calendar days, CN 15 days, ES 15 business days, KR 14 days), counted in
 * the debtor's zone from the day after receipt.
 */
export async function openComplaint(
  store: Store,
  actor: Principal | null,
  ref: string,
  req: ComplaintRequest,
): Promise<ComplaintView> {
  const issues: { field: string; message: string }[] = [];
  if (!req.summary?.trim()) issues.push({ field: 'summary', message: 'must not be empty' });
  if (!COMPLAINT_CHANNELS.includes(req.channel))
    issues.push({ field: 'channel', message: `one of ${COMPLAINT_CHANNELS.join(', ')}` });
  if (!COMPLAINT_CATEGORIES.includes(req.category))
    issues.push({ field: 'category', message: `one of ${COMPLAINT_CATEGORIES.join(', ')}` });
  const receivedAt = parseAt(req.receivedAt, 'receivedAt');
  if (receivedAt.getTime() > Date.now() + 60_000)
    issues.push({ field: 'receivedAt', message: 'is in the future' });
  if (issues.length > 0) throw new ArrearsError('invalid', 'the complaint is not valid', { issues });
  return store.transaction(async (tx) => {
    const inTx = boundStore(store, tx);
    const account = await findAccount(inTx, ref);
    const { sla, deadlines } = complaintDeadlines(account.jurisdiction, receivedAt, account.timezone);
    const due = (name: 'respond' | 'resolve') => {
      const d = deadlines.find((x) => x.name === name);
      return d ? formatDay(d.due) : null;
    };
    const row = await tx.db
      .insertInto('complaints')
      .values({
        account_id: account.id,
        received_at: receivedAt,
        channel: req.channel,
        category: req.category,
        summary: req.summary.trim(),
        jurisdiction: account.jurisdiction,
        sla_rule: sla.rule,
        respond_by: due('respond'),
        resolve_by: due('resolve')!,
        opened_by: actorOf(actor),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const id = Number(row.id);
    await appendAudit(tx, actor, {
      action: 'complaint.opened',
      entity: `complaint:${ref}/${id}`,
      accountId: account.id,
      data: { category: req.category, channel: req.channel, slaRule: sla.rule, resolveBy: due('resolve') },
    });
    return (await complaintsOf(tx, account.id, ref, id))[0]!;
  });
}

async function openOne(store: Store, ref: string, id: number) {
  const account = await findAccount(store, ref);
  const complaint = (await complaintsOf(store, account.id, ref, id))[0];
  if (!complaint) throw new ArrearsError('not_found', `account ${ref} has no complaint ${id}`);
  if (complaint.status === 'resolved')
    throw new ArrearsError('conflict', `complaint ${id} is already resolved`);
  return { account, complaint };
}

/** Assigns the complaint to a member of staff (by username). */
export async function assignComplaint(
  store: Store,
  actor: Principal | null,
  ref: string,
  id: number,
  username: string,
): Promise<ComplaintView> {
  return store.transaction(async (tx) => {
    const inTx = boundStore(store, tx);
    const { account } = await openOne(inTx, ref, id);
    const user = await tx.db
      .selectFrom('users')
      .select(['id', 'username', 'role', 'disabled'])
      .where('username', '=', username)
      .executeTakeFirst();
    if (!user || user.disabled)
      throw new ArrearsError('invalid', `no active user "${username}"`, {
        issues: [{ field: 'username', message: 'no such active user' }],
      });
    if (!HANDLERS.includes(user.role as Role))
      throw new ArrearsError(
        'invalid',
        `a ${user.role} cannot handle complaints (${HANDLERS.join(', ')} can)`,
        {
          issues: [{ field: 'username', message: `role ${user.role} does not handle complaints` }],
        },
      );
    await tx.db
      .updateTable('complaints')
      .set({ assigned_to: user.id, assigned_to_name: user.username })
      .where('account_id', '=', account.id)
      .where('id', '=', id)
      .execute();
    await appendAudit(tx, actor, {
      action: 'complaint.assigned',
      entity: `complaint:${ref}/${id}`,
      accountId: account.id,
      data: { to: user.username },
    });
    return (await complaintsOf(tx, account.id, ref, id))[0]!;
  });
}

/**
 * Adds an investigation note, or records the response given to the complainant (kind `response`: the
 * first one meets the respond deadline). The complaint moves to `investigating`.
 */
export async function addComplaintNote(
  store: Store,
  actor: Principal | null,
  ref: string,
  id: number,
  note: { kind?: 'investigation' | 'response' | undefined; text: string },
): Promise<ComplaintView> {
  if (!note.text?.trim())
    throw new ArrearsError('invalid', 'the note is empty', {
      issues: [{ field: 'text', message: 'must not be empty' }],
    });
  const kind = note.kind ?? 'investigation';
  return store.transaction(async (tx) => {
    const inTx = boundStore(store, tx);
    const { account } = await openOne(inTx, ref, id);
    const row = await tx.db
      .insertInto('complaint_notes')
      .values({
        account_id: account.id,
        complaint_id: id,
        kind,
        text: note.text.trim(),
        author: actorOf(actor),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tx.sql.query(
      `UPDATE complaints SET status = 'investigating',
              responded_at = CASE WHEN $3 AND responded_at IS NULL THEN now() ELSE responded_at END
        WHERE account_id = $1 AND id = $2`,
      [account.id, id, kind === 'response'],
    );
    await appendAudit(tx, actor, {
      action: 'complaint.noted',
      entity: `complaint:${ref}/${id}`,
      accountId: account.id,
      data: { kind, noteId: Number(row.id) },
    });
    return (await complaintsOf(tx, account.id, ref, id))[0]!;
  });
}

/**
 * Resolves the complaint and plans the resolution letter to the complainant (`complaint_resolution`, the
 * debtor's locale; the summary of findings is printed in it and linted by the dispatcher like every text).
 */
export async function resolveComplaint(
  store: Store,
  actor: Principal | null,
  ref: string,
  id: number,
  req: { outcome: ComplaintOutcome; resolution: string },
): Promise<ComplaintView> {
  const issues: { field: string; message: string }[] = [];
  if (!COMPLAINT_OUTCOMES.includes(req.outcome))
    issues.push({ field: 'outcome', message: `one of ${COMPLAINT_OUTCOMES.join(', ')}` });
  if (!req.resolution?.trim()) issues.push({ field: 'resolution', message: 'must not be empty' });
  if (issues.length > 0) throw new ArrearsError('invalid', 'the resolution is not valid', { issues });
  return store.transaction(async (tx) => {
    const inTx = boundStore(store, tx);
    const { account, complaint } = await openOne(inTx, ref, id);
    const letterKey = `complaint:${id}:resolution`;
    await tx.sql.query(
      `UPDATE complaints SET status = 'resolved', resolved_at = now(), resolved_by = $3, outcome = $4,
              resolution = $5, letter_key = $6, responded_at = COALESCE(responded_at, now())
        WHERE account_id = $1 AND id = $2`,
      [account.id, id, actorOf(actor), req.outcome, req.resolution.trim(), letterKey],
    );
    await enqueueActions(tx, [
      {
        accountId: account.id,
        channel: 'letter',
        template: COMPLAINT_LETTER,
        plannedAt: new Date(),
        idempotencyKey: letterKey,
        vars: {
          complaintId: id,
          outcome: req.outcome,
          receivedOn: formatDay(todayIn(account.timezone, new Date(complaint.receivedAt))),
          resolution: req.resolution.trim(),
        },
      },
    ]);
    await appendAudit(tx, actor, {
      action: 'complaint.resolved',
      entity: `complaint:${ref}/${id}`,
      accountId: account.id,
      data: { outcome: req.outcome, letterKey, resolveBy: complaint.resolveBy },
    });
    return (await complaintsOf(tx, account.id, ref, id))[0]!;
  });
}

export interface OverdueComplaint {
  account: string;
  id: number;
  category: string;
  jurisdiction: string;
  slaRule: string;
  status: string;
  assignedTo: string | null;
  receivedAt: string;
  /** The deadline that passed first: respond (not yet responded) or resolve. */
  missed: 'respond' | 'resolve';
  due: string;
  daysOverdue: number;
}

/**
 * Complaints past a deadline, the most overdue first: not responded after `respondBy`, or not resolved
 * after `resolveBy`, judged by the debtor's local date (or `asOf`).
 */
export async function overdueComplaints(
  store: Store,
  asOf?: string,
): Promise<{ asOf: string | null; items: OverdueComplaint[] }> {
  if (asOf !== undefined) toDay(asOf);
  const { rows } = await store.transaction(({ sql }) =>
    sql.query<{
      ref: string;
      id: number;
      category: string;
      jurisdiction: string;
      sla_rule: string;
      status: string;
      assigned_to_name: string | null;
      received_at: Date | string;
      respond_by: string | null;
      resolve_by: string;
      responded_at: Date | string | null;
      today: string;
    }>(
      `SELECT a.ref, c.id, c.category, c.jurisdiction, c.sla_rule, c.status, c.assigned_to_name, c.received_at,
              c.respond_by, c.resolve_by, c.responded_at,
              COALESCE($1::date, (now() AT TIME ZONE d.timezone)::date)::text AS today
         FROM complaints c JOIN accounts a ON a.id = c.account_id JOIN debtors d ON d.id = a.debtor_id
        WHERE c.status <> 'resolved'
          AND (c.resolve_by < COALESCE($1::date, (now() AT TIME ZONE d.timezone)::date)
               OR (c.responded_at IS NULL AND c.respond_by < COALESCE($1::date, (now() AT TIME ZONE d.timezone)::date)))`,
      [asOf ?? null],
    ),
  );
  const items = rows.map((r): OverdueComplaint => {
    const today = toDay(r.today);
    const respondMissed = r.responded_at === null && r.respond_by !== null && toDay(r.respond_by) < today;
    const due = respondMissed ? r.respond_by! : r.resolve_by;
    return {
      account: r.ref,
      id: Number(r.id),
      category: r.category,
      jurisdiction: r.jurisdiction,
      slaRule: r.sla_rule,
      status: r.status,
      assignedTo: r.assigned_to_name,
      receivedAt: iso(r.received_at)!,
      missed: respondMissed ? 'respond' : 'resolve',
      due,
      daysOverdue: today - toDay(due),
    };
  });
  items.sort((a, b) => b.daysOverdue - a.daysOverdue || a.account.localeCompare(b.account) || a.id - b.id);
  return { asOf: asOf ?? null, items };
}
