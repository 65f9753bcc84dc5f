import { formatDay } from '../../domain/calendar/index.js';
import { ArrearsError, isArrearsError } from '../../domain/errors.js';
import { formatAmount } from '../../domain/money/index.js';
import type { ChannelAdapter, ChannelSet, OutboundMessage, Recipient } from '../../channels/index.js';
import {
  contentHash,
  newCode,
  noticeToken,
  signNotice,
  type NoticePayload,
  type Signer,
} from '../../notices/index.js';
import { encodeCopyRows, type ChannelName, type SqlClient, type Store } from '../../store/index.js';
import {
  latestTemplates,
  normalizeLocale,
  renderMessage,
  templateKey,
  type ContentCheck,
  type Locale,
  type SenderProfile,
  type TemplateRecord,
} from '../../templates/index.js';
import { loadAccountContexts, recipientFor, type AccountContext } from './context.js';
import { claimDue, recordOutcomes, recoverStale, type ClaimedAction, type Outcome } from './outbox.js';

/** What the compliance gate says about one contact at send time. */
export type GateDecision =
  { allowed: true } | { allowed: false; reason: string; rules?: string[]; nextAllowedAt?: Date | null };

export interface GateRequest {
  accountId: number;
  channel: ChannelName;
  at: Date;
  strategyVersion: string | null;
}

/** The contact gate, re-checked for every action right before it is sent (injected: it lives in compliance). */
export type SendGate = (requests: readonly GateRequest[]) => Promise<GateDecision[]>;

export interface DispatchDeps {
  store: Store;
  channels: ChannelSet;
  signer: Signer;
  gate: SendGate;
  contentCheck: ContentCheck;
  sender: SenderProfile;
  /** Base of the public verification page: `${publicUrl}/verify/CODE`. */
  publicUrl: string;
  /** Injectable clock (tests). */
  now?: () => Date;
}

export interface DispatchOptions {
  /** Actions claimed per round. */
  batchSize?: number;
  /** Messages in flight at once, per worker. */
  concurrency?: number;
  /**
   * Claim-render-send loops run side by side in this process, so one batch is prepared while another is
   * on the wire (they claim disjoint rows exactly as separate processes would).
   */
  workers?: number;
  /** Stop after this many actions (default: until nothing is due). */
  limit?: number;
  maxAttempts?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  leaseMs?: number;
}

export interface DispatchSummary {
  claimed: number;
  sent: number;
  retried: number;
  dead: number;
  blocked: number;
  unknown: number;
  rescheduled: number;
  recovered: { requeued: number; unknown: number };
  byChannel: Record<string, number>;
  errors: { accountId: number; id: number; status: string; error: string }[];
}

interface Prepared {
  action: ClaimedAction;
  adapter: ChannelAdapter;
  message: OutboundMessage;
  templateVersion?: number;
}

const DEFAULTS = {
  batchSize: 200,
  workers: 2,
  concurrency: 16,
  maxAttempts: 6,
  backoffBaseMs: 30_000,
  backoffMaxMs: 3_600_000,
  leaseMs: 300_000,
};

/** Exponential backoff with ±20 % jitter: base · 2^(attempt−1), capped. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  const raw = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(raw * (0.8 + 0.4 * random()));
}

const NOTICE_COLUMNS = [
  'account_id',
  'code',
  'outbox_id',
  'channel',
  'account_ref',
  'creditor_ref',
  'creditor_name',
  'amount',
  'currency',
  'notice_date',
  'locale',
  'recipient',
  'subject',
  'content',
  'content_hash',
  'key_id',
  'signed_payload',
  'signature',
];

/**
 * Sends what is due, round by round, until nothing is due (or `limit`). Each round:
 * 1. claim a batch (FOR UPDATE SKIP LOCKED, status `sending`, leased) — committed;
 * 2. re-check the gate; render, lint, sign; record the notices (code + signature + content) — committed
 *    before anything leaves, so every message that goes out can be verified;
 * 3. send through the channel adapters, `concurrency` at a time;
 * 4. record every outcome in one statement: sent, retry (backoff), dead, blocked, unknown.
 * An action that was already issued a notice (a retry) resends that same notice, never a new one.
 */
export async function dispatch(deps: DispatchDeps, options: DispatchOptions = {}): Promise<DispatchSummary> {
  const o = { ...DEFAULTS };
  for (const [k, v] of Object.entries(options))
    if (v !== undefined && k in o) (o as Record<string, number>)[k] = v as number;
  const now = deps.now ?? (() => new Date());
  const summary: DispatchSummary = {
    claimed: 0,
    sent: 0,
    retried: 0,
    dead: 0,
    blocked: 0,
    unknown: 0,
    rescheduled: 0,
    recovered: { requeued: 0, unknown: 0 },
    byChannel: {},
    errors: [],
  };
  const idempotent = Object.values<ChannelAdapter>(deps.channels)
    .filter((a) => a.idempotent)
    .map((a) => a.channel);
  summary.recovered = await deps.store.transaction(({ sql }) => recoverStale(sql, now(), idempotent));
  let templates = await latestTemplates(deps.store);
  const limit = options.limit ?? Infinity;
  while (summary.claimed < limit) {
    const size = Math.min(o.batchSize, limit - summary.claimed);
    const claimed = await deps.store.transaction(({ sql }) => claimDue(sql, now(), size, o.leaseMs));
    if (claimed.length === 0) break;
    summary.claimed += claimed.length;
    const outcomes = await processBatch(deps, o, claimed, templates);
    await deps.store.transaction(({ sql }) => recordOutcomes(sql, outcomes));
    for (const out of outcomes) tally(summary, out, claimed);
    if (outcomes.some((x) => x.error?.startsWith('no template')))
      templates = await latestTemplates(deps.store);
  }
  return summary;
}

function tally(s: DispatchSummary, out: Outcome, claimed: ClaimedAction[]) {
  switch (out.status) {
    case 'sent': {
      s.sent++;
      const ch = claimed.find((c) => c.id === out.id && c.account_id === out.accountId)?.channel ?? '?';
      s.byChannel[ch] = (s.byChannel[ch] ?? 0) + 1;
      return;
    }
    case 'retry':
      if (out.attemptDelta === -1) s.rescheduled++;
      else s.retried++;
      break;
    case 'dead':
      s.dead++;
      break;
    case 'blocked':
      s.blocked++;
      break;
    case 'unknown':
      s.unknown++;
      break;
  }
  if (out.error && s.errors.length < 100)
    s.errors.push({ accountId: out.accountId, id: out.id, status: out.status, error: out.error });
}

/** Letters that confirm an account's closing go to the closed account; nothing else does. */
const SENT_WHEN_CLOSED: ReadonlySet<string> = new Set(['settlement_completed']);

async function processBatch(
  deps: DispatchDeps,
  o: typeof DEFAULTS,
  claimed: ClaimedAction[],
  templates: Map<string, TemplateRecord>,
): Promise<Outcome[]> {
  const at = (deps.now ?? (() => new Date()))();
  const outcomes: Outcome[] = [];
  const fail = (a: ClaimedAction, e: unknown) => outcomes.push(failure(a, e, o, at));

  const decisions = await deps.gate(
    claimed.map((a) => ({
      accountId: a.account_id,
      channel: a.channel,
      at,
      strategyVersion: a.strategy_version,
    })),
  );
  const allowed: ClaimedAction[] = [];
  claimed.forEach((a, i) => {
    const d = decisions[i] ?? { allowed: false, reason: 'the gate gave no decision' };
    if (d.allowed) return allowed.push(a);
    const reason = `gate: ${d.reason}${d.rules?.length ? ` [${d.rules.join(', ')}]` : ''}`;
    if (d.nextAllowedAt)
      outcomes.push({
        accountId: a.account_id,
        id: a.id,
        status: 'retry',
        error: reason,
        nextAttemptAt: d.nextAllowedAt,
        attemptDelta: -1,
      });
    else outcomes.push({ accountId: a.account_id, id: a.id, status: 'blocked', error: reason });
  });

  const fresh = allowed.filter((a) => !a.notice_code);
  const resend = allowed.filter((a) => a.notice_code);
  const prepared: Prepared[] = [];
  const noticeRows: unknown[][] = [];

  const contexts = await deps.store.transaction(({ sql }) =>
    loadAccountContexts(
      sql,
      fresh.map((a) => a.account_id),
      at,
    ),
  );
  for (const a of fresh) {
    try {
      const adapter = deps.channels[a.channel];
      if (!adapter) throw new ArrearsError('invalid', `no ${a.channel} channel is configured`);
      const ctx = contexts.get(a.account_id);
      if (!ctx) throw new ArrearsError('not_found', `account ${a.account_id} does not exist`);
      if (ctx.status === 'closed' && !SENT_WHEN_CLOSED.has(a.template))
        throw new ArrearsError('account_closed', `account ${ctx.ref} is closed`);
      const { message, row, templateVersion } = await issue(deps, a, ctx, templates);
      prepared.push({ action: a, adapter, message, templateVersion });
      noticeRows.push(row);
    } catch (e) {
      fail(a, e);
    }
  }
  if (resend.length > 0) {
    const stored = await loadIssued(deps, resend);
    for (const a of resend) {
      const adapter = deps.channels[a.channel];
      const m = stored.get(a.id);
      if (!adapter || !m)
        fail(a, new ArrearsError('internal', `notice ${a.notice_code} of action ${a.id} is missing`));
      else prepared.push({ action: a, adapter, message: m });
    }
  }
  if (noticeRows.length > 0) {
    await deps.store.transaction(async ({ sql }) => {
      await sql.copyIn('notices', NOTICE_COLUMNS, encodeCopyRows(noticeRows));
      await setNoticeCodes(
        sql,
        prepared.filter((p) => !p.action.notice_code),
      );
    });
  }

  let next = 0;
  const worker = async () => {
    while (next < prepared.length) {
      const p = prepared[next++]!;
      try {
        const { providerRef } = await p.adapter.send(p.message);
        outcomes.push({ accountId: p.action.account_id, id: p.action.id, status: 'sent', providerRef });
      } catch (e) {
        fail(p.action, e);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(o.concurrency, prepared.length) }, worker));
  return outcomes;
}

function failure(a: ClaimedAction, e: unknown, o: typeof DEFAULTS, at: Date): Outcome {
  const err = isArrearsError(e) ? e : new ArrearsError('internal', (e as Error)?.message ?? String(e));
  const base = { accountId: a.account_id, id: a.id, error: err.message.slice(0, 1000) };
  if (err.kind === 'contact_not_allowed' || err.kind === 'account_closed')
    return { ...base, status: 'blocked' };
  if (err.kind !== 'unavailable') return { ...base, status: 'dead' };
  if (a.attempts >= o.maxAttempts)
    return { ...base, status: 'dead', error: `${base.error} (gave up after ${a.attempts} attempts)` };
  return {
    ...base,
    status: 'retry',
    nextAttemptAt: new Date(at.getTime() + backoffMs(a.attempts, o.backoffBaseMs, o.backoffMaxMs)),
  };
}

async function issue(
  deps: DispatchDeps,
  a: ClaimedAction,
  ctx: AccountContext,
  templates: Map<string, TemplateRecord>,
): Promise<{ message: OutboundMessage; row: unknown[]; templateVersion: number }> {
  const locale: Locale = normalizeLocale(a.locale ?? ctx.debtor.locale, `outbox ${a.id} locale`);
  const tpl = templates.get(templateKey(a.template, a.channel, locale));
  if (!tpl) throw new ArrearsError('invalid', `no template ${a.template}/${a.channel}/${locale}`);
  const to = recipientFor(ctx);
  // No notice is issued for a message that has nowhere to go.
  const missing = {
    email: !to.email,
    sms: !to.phone,
    call: !to.phone,
    letter: !to.address,
    visit: !to.address,
  }[a.channel];
  if (missing)
    throw new ArrearsError(
      'invalid',
      `account ${ctx.ref} has no ${{ email: 'e-mail address', sms: 'mobile number', call: 'phone number', letter: 'postal address', visit: 'address' }[a.channel]} on file`,
    );
  const code = newCode();
  const verifyUrl = `${deps.publicUrl.replace(/\/$/, '')}/verify/${code}`;
  const st = ctx.statement;
  const rendered = await renderMessage(
    tpl,
    {
      template: a.template,
      channel: a.channel,
      locale,
      jurisdiction: ctx.debtor.jurisdiction,
      debtor: { name: ctx.debtor.name },
      account: { ref: ctx.ref, product: ctx.product },
      creditor: ctx.creditor,
      statement: st,
      notice: { code, verifyUrl, date: st.asOf },
      contact: deps.sender,
      vars: a.vars,
    },
    deps.contentCheck,
  );
  const date = formatDay(st.asOf);
  const amount = signedAmountOf(a) ?? st.overdue.total;
  const signed = signNotice(
    {
      v: 1,
      code,
      account: ctx.ref,
      creditor: ctx.creditor.ref,
      amount: formatAmount(amount, st.currency),
      currency: st.currency,
      date,
      channel: a.channel,
      contentHash: contentHash(rendered.subject, rendered.text),
      keyId: deps.signer.keyId,
    },
    deps.signer.privateKey,
  );
  const message: OutboundMessage = {
    idempotencyKey: a.idempotency_key,
    accountId: a.account_id,
    outboxId: a.id,
    channel: a.channel,
    locale,
    to,
    subject: rendered.subject,
    text: rendered.text,
    notice: { code, verifyUrl, token: noticeToken(signed), date },
    from: { name: deps.sender.name, email: deps.sender.email, address: deps.sender.address },
    dueAt: a.planned_at,
  };
  const row = [
    a.account_id,
    code,
    a.id,
    a.channel,
    ctx.ref,
    ctx.creditor.ref,
    ctx.creditor.name,
    amount,
    st.currency,
    date,
    locale,
    JSON.stringify(to),
    rendered.subject,
    rendered.text,
    signed.payload.contentHash,
    deps.signer.keyId,
    signed.signedText,
    signed.signature,
  ];
  return { message, row, templateVersion: tpl.version };
}

/**
 * The amount a notice signs: the overdue total, unless the action carries `vars.signedAmount` (integer minor
 * units in the account's currency) — a confirmation signs the amount agreed, which is what it states.
 */
function signedAmountOf(a: ClaimedAction): number | null {
  const v = a.vars?.signedAmount;
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0)
    throw new ArrearsError(
      'invalid',
      `outbox ${a.id}: vars.signedAmount must be a whole number of minor units`,
    );
  return v;
}

async function setNoticeCodes(sql: SqlClient, prepared: Prepared[]) {
  await sql.query(
    `UPDATE outbox o SET notice_code = r.code, template_version = r.v, updated_at = now()
     FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::int[]) AS r(account_id, id, code, v)
     WHERE o.account_id = r.account_id AND o.id = r.id`,
    [
      prepared.map((p) => p.action.account_id),
      prepared.map((p) => p.action.id),
      prepared.map((p) => p.message.notice.code),
      prepared.map((p) => p.templateVersion ?? null),
    ],
  );
}

/** Rebuilds the message of an action that already has a notice, from what was recorded. */
async function loadIssued(
  deps: DispatchDeps,
  actions: ClaimedAction[],
): Promise<Map<number, OutboundMessage>> {
  const rows = await deps.store.db
    .selectFrom('notices as n')
    .innerJoin('outbox as o', (j) =>
      j.onRef('o.account_id', '=', 'n.account_id').onRef('o.notice_code', '=', 'n.code'),
    )
    .select([
      'o.id as outbox_id',
      'o.account_id',
      'o.idempotency_key',
      'o.planned_at',
      'n.code',
      'n.channel',
      'n.locale',
      'n.recipient',
      'n.subject',
      'n.content',
      'n.notice_date',
      'n.signed_payload',
      'n.signature',
    ])
    .where(
      'o.id',
      'in',
      actions.map((a) => a.id),
    )
    .execute();
  const out = new Map<number, OutboundMessage>();
  for (const r of rows) {
    out.set(r.outbox_id, {
      idempotencyKey: r.idempotency_key,
      accountId: r.account_id,
      outboxId: r.outbox_id,
      channel: r.channel,
      locale: r.locale as Locale,
      to: JSON.parse(r.recipient) as Recipient,
      subject: r.subject,
      text: r.content,
      notice: {
        code: r.code,
        verifyUrl: `${deps.publicUrl.replace(/\/$/, '')}/verify/${r.code}`,
        token: noticeToken({
          payload: JSON.parse(r.signed_payload) as NoticePayload,
          signedText: r.signed_payload,
          signature: r.signature,
        }),
        date: r.notice_date,
      },
      from: { name: deps.sender.name, email: deps.sender.email, address: deps.sender.address },
      dueAt: new Date(r.planned_at),
    });
  }
  return out;
}
