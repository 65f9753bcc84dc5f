import { actorOf, type Principal } from '../../domain/access/index.js';
import type { Channel, Outcome } from '../../domain/compliance/index.js';
import { ArrearsError } from '../../domain/errors.js';
import { boundStore, type Store } from '../../store/index.js';
import { appendAudit } from '../audit/index.js';
import {
  gateContacts,
  historySince,
  loadGateFactsByRef,
  type GateOutcome,
  type ProposedContact,
} from '../compliance/index.js';
import { findAccount, iso, parseAt } from './account.js';
import { openDisputeTx, type DisputeView } from './disputes.js';

/** What a collector records about a contact. Each maps to the gate's outcome vocabulary (OUTCOMES). */
export const CONTACT_OUTCOMES = [
  'right_party',
  'wrong_party',
  'no_answer',
  'voicemail',
  'busy',
  'not_connected',
  'refused',
  'promise',
  'dispute',
  'callback_request',
  'sent',
  'delivered',
] as const;
export type ContactOutcome = (typeof CONTACT_OUTCOMES)[number];

/** Outcomes that mean the person was reached and spoken with. */
const SPOKEN: ReadonlySet<ContactOutcome> = new Set([
  'right_party',
  'refused',
  'promise',
  'dispute',
  'callback_request',
]);

/**
 * The gate's outcome for a logged one, or null when the outcome makes no sense on the channel. A wrong
 * party is a connected call (it counts as placed, and CN counts it as connected: the stricter reading);
 * busy and not_connected are calls that did not connect (not counted by US.REGF.CALL_FREQ_7IN7).
 */
export function gateOutcomeOf(
  channel: Channel,
  direction: 'outbound' | 'inbound',
  o: ContactOutcome,
): Outcome | null {
  switch (channel) {
    case 'call':
      if (SPOKEN.has(o)) return 'conversation';
      if (o === 'wrong_party') return 'connected';
      if (o === 'no_answer' || o === 'voicemail') return o;
      if (o === 'busy' || o === 'not_connected') return 'not_connected';
      return null;
    case 'visit':
      if (SPOKEN.has(o) || o === 'wrong_party') return 'visited';
      if (o === 'no_answer') return 'no_answer';
      return null;
    case 'sms':
    case 'email':
    case 'letter':
    case 'im':
      if (o === 'sent' || o === 'delivered') return o;
      // A message the debtor wrote in (a dispute by e-mail, a promise by SMS) was delivered to us.
      if (direction === 'inbound' && SPOKEN.has(o)) return 'delivered';
      return null;
  }
}

export interface ContactCheckRequest {
  channel: Channel;
  /** `debtor` (default), `attorney` or a designated contact `contact:N`. */
  recipient?: string | undefined;
  /** Default now. */
  at?: string | undefined;
  phone?: string | undefined;
  workplace?: boolean | undefined;
  purpose?: 'collection' | 'location' | 'message' | undefined;
}

export interface ContactCheckView {
  account: string;
  channel: Channel;
  recipient: string;
  at: string;
  allowed: boolean;
  violations: { rule: string; message: string; citation: string }[];
  /** Earliest instant at which the same contact would pass (= at when allowed); null when no time helps. */
  nextAllowedAt: string | null;
  /** The compliance_decisions row that records this decision. */
  decisionId: number | null;
}

function proposal(accountId: number, req: ContactCheckRequest, at: Date): ProposedContact {
  return {
    accountId,
    channel: req.channel,
    at,
    ...(req.recipient !== undefined ? { recipient: req.recipient } : {}),
    ...(req.phone !== undefined ? { phone: req.phone } : {}),
    ...(req.workplace !== undefined ? { workplace: req.workplace } : {}),
    ...(req.purpose !== undefined ? { purpose: req.purpose } : {}),
  };
}

function checkView(ref: string, req: ContactCheckRequest, at: Date, o: GateOutcome): ContactCheckView {
  return {
    account: ref,
    channel: req.channel,
    recipient: req.recipient ?? 'debtor',
    at: at.toISOString(),
    allowed: o.allowed,
    violations: o.violations ?? [],
    nextAllowedAt: o.allowed ? at.toISOString() : (o.nextAllowedAt?.toISOString() ?? null),
    decisionId: o.decisionId ?? null,
  };
}

/**
 * "May I contact now?": the compliance gate for one proposed contact, with the account's holds, the
 * debtor's preferences and the logged contacts; the decision is recorded in the decision log. Two
 * statements, both prepared: the account with all its facts, then the decision — no transaction around
 * them (the INSERT is atomic by itself; the read needs no lock), so a check costs two round trips.
 */
export async function checkContact(
  store: Store,
  ref: string,
  req: ContactCheckRequest,
): Promise<ContactCheckView> {
  const at = parseAt(req.at, 'at');
  const facts = await loadGateFactsByRef(store.sql, ref, historySince([{ at }]));
  if (!facts) throw new ArrearsError('not_found', `account "${ref}" does not exist`);
  const [outcome] = await gateContacts(store.sql, [proposal(facts.accountId, req, at)], {
    decisionIds: true,
    facts: new Map([[facts.accountId, facts]]),
  });
  if (outcome!.rules[0] === 'unknown_recipient')
    throw new ArrearsError('invalid', outcome!.reason!, {
      issues: [{ field: 'recipient', message: outcome!.reason! }],
    });
  return checkView(ref, req, at, outcome!);
}

export interface LogContactRequest extends ContactCheckRequest {
  direction?: 'outbound' | 'inbound' | undefined;
  outcome: ContactOutcome;
  /** The person consented directly to further calls (US 12 CFR 1006.14(b)(3)(i)); default for callback_request. */
  consentToCalls?: boolean | undefined;
  note?: string | undefined;
  /** The outbox action (call or visit task) this contact carries out. */
  outboxId?: number | undefined;
}

export interface ContactView {
  id: number;
  at: string;
  channel: string;
  direction: 'outbound' | 'inbound';
  recipient: string;
  outcome: string;
  gateOutcome: string;
  consentToCalls: boolean;
  note: string | null;
  decisionId: number | null;
  outboxId: number | null;
  loggedBy: string;
}

/** How far back a contact may be logged. */
const MAX_AGE_DAYS = 30;

/**
 * Logs a contact and its outcome. An outbound contact is re-checked by the gate at its own time with
 * everything logged before it, and refused (contact_not_allowed, nothing written) when the gate denies:
 * a contact that breaks a rule cannot be recorded as if it were fine. An inbound contact (the debtor
 * called or wrote) is not gated but counts (an inbound conversation starts US.REGF.CALL_WAIT_7D).
 * Outcome `dispute` opens a dispute (hold + case status) in the same transaction.
 */
export async function logContact(
  store: Store,
  actor: Principal | null,
  ref: string,
  req: LogContactRequest,
): Promise<{ contact: ContactView; dispute: DisputeView | null }> {
  const now = new Date();
  const at = parseAt(req.at, 'at', now);
  const direction = req.direction ?? 'outbound';
  const issues: { field: string; message: string }[] = [];
  if (at.getTime() > now.getTime() + 60_000) issues.push({ field: 'at', message: 'is in the future' });
  if (at.getTime() < now.getTime() - MAX_AGE_DAYS * 86_400_000)
    issues.push({ field: 'at', message: `is more than ${MAX_AGE_DAYS} days ago` });
  const gateOutcome = gateOutcomeOf(req.channel, direction, req.outcome);
  if (gateOutcome === null)
    issues.push({
      field: 'outcome',
      message: `${req.outcome} is not an outcome of a ${direction} ${req.channel}`,
    });
  if (issues.length > 0 || gateOutcome === null)
    throw new ArrearsError('invalid', 'the contact is not valid', { issues });
  const recipientKey = req.recipient ?? 'debtor';
  return store.transaction(async (tx) => {
    const inTx = boundStore(store, tx);
    const account = await findAccount(inTx, ref);
    let decisionId: number | null = null;
    if (direction === 'outbound') {
      const [o] = await gateContacts(tx.sql, [proposal(account.id, req, at)], { decisionIds: true });
      if (o!.rules[0] === 'unknown_recipient')
        throw new ArrearsError('invalid', o!.reason!, {
          issues: [{ field: 'recipient', message: o!.reason! }],
        });
      if (!o!.allowed)
        throw new ArrearsError(
          'contact_not_allowed',
          `the compliance gate refuses this contact at ${at.toISOString()}: ${o!.reason}`,
          {
            violations: o!.violations,
            nextAllowedAt: o!.nextAllowedAt?.toISOString() ?? null,
          },
        );
      decisionId = o!.decisionId ?? null;
    }
    const consent = req.consentToCalls ?? req.outcome === 'callback_request';
    const row = await tx.db
      .insertInto('contacts')
      .values({
        account_id: account.id,
        at,
        channel: req.channel,
        direction,
        recipient:
          recipientKey === 'debtor' ? 'debtor' : recipientKey === 'attorney' ? 'attorney' : 'third_party',
        contact_ref: recipientKey.startsWith('contact:') ? recipientKey : null,
        phone: req.phone ?? null,
        outcome: req.outcome,
        gate_outcome: gateOutcome,
        consent_to_calls: consent && SPOKEN.has(req.outcome),
        note: req.note ?? null,
        decision_id: decisionId,
        outbox_id: req.outboxId ?? null,
        logged_by: actorOf(actor),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const id = Number(row.id);
    await appendAudit(tx, actor, {
      action: 'contact.logged',
      entity: `contact:${ref}/${id}`,
      accountId: account.id,
      data: { channel: req.channel, direction, recipient: recipientKey, outcome: req.outcome, decisionId },
    });
    const dispute =
      req.outcome === 'dispute'
        ? await openDisputeTx(tx, actor, account, {
            reason: req.note?.trim() || `disputed during a ${req.channel} on ${at.toISOString()}`,
            channel:
              req.channel === 'call' ||
              req.channel === 'visit' ||
              req.channel === 'letter' ||
              req.channel === 'email'
                ? req.channel
                : 'api',
            written: req.channel === 'letter' || req.channel === 'email',
            receivedAt: at,
            contactId: id,
          })
        : null;
    const contact = (await contactsOf(inTx, account.id, id))[0]!;
    return { contact, dispute };
  });
}

async function contactsOf(store: Store, accountId: number, id?: number): Promise<ContactView[]> {
  let q = store.db.selectFrom('contacts').selectAll().where('account_id', '=', accountId);
  if (id !== undefined) q = q.where('id', '=', id);
  const rows = await q.orderBy('at', 'desc').orderBy('id', 'desc').limit(500).execute();
  return rows.map((c) => ({
    id: Number(c.id),
    at: iso(c.at)!,
    channel: c.channel,
    direction: c.direction,
    recipient: c.contact_ref ?? c.recipient,
    outcome: c.outcome,
    gateOutcome: c.gate_outcome,
    consentToCalls: c.consent_to_calls,
    note: c.note,
    decisionId: c.decision_id === null ? null : Number(c.decision_id),
    outboxId: c.outbox_id === null ? null : Number(c.outbox_id),
    loggedBy: c.logged_by,
  }));
}

/** The account's logged contacts, newest first (the last 500). */
export async function listContacts(
  store: Store,
  ref: string,
): Promise<{ account: string; items: ContactView[] }> {
  const account = await findAccount(store, ref);
  return { account: ref, items: await contactsOf(store, account.id) };
}
