import { ArrearsError, type FieldIssue } from '../../domain/errors.js';
import type { CopyBuffer } from '../../store/index.js';
import {
  encodeCopyRows,
  textArray,
  type ChannelName,
  type OutboxStatus,
  type SqlClient,
  type Tx,
} from '../../store/index.js';

export const CHANNELS: readonly ChannelName[] = ['email', 'sms', 'letter', 'call', 'visit'];

/**
 * One action the strategy engine (or a person) plans: reach this account on this channel with this template
 * at this time. The idempotency key makes planning repeatable: an action whose (account, key) already exists
 * is skipped, so re-running a daily cycle plans nothing twice. Suggested key:
 * `${strategyVersion}:${arm}:${asOf}:${step}`.
 */
export interface PlannedAction {
  accountId: number;
  channel: ChannelName;
  template: string;
  /** Defaults to the debtor's locale at send time. */
  locale?: string | null;
  plannedAt: Date;
  strategyVersion?: string | null;
  strategyArm?: string | null;
  idempotencyKey: string;
  /** Extra template variables, under `vars`. */
  vars?: Record<string, unknown>;
  /** The strategy segment and step this action carries out, and the cycle day that planned it. */
  strategySegment?: string | null;
  strategyStep?: string | null;
  plannedOn?: string | null;
  /** Refused by the compliance gate when planned: stored as `blocked` with the rules and reason, never sent. */
  blocked?: { rules: readonly string[]; reason: string } | null;
}

export interface EnqueueResult {
  inserted: number;
  /** Actions whose (account, idempotency key) was already in the outbox. */
  duplicates: number;
}

function validate(actions: readonly PlannedAction[]): void {
  const issues: FieldIssue[] = [];
  actions.forEach((a, i) => {
    const at = (field: string, message: string) => issues.push({ field: `actions.${i}.${field}`, message });
    if (!Number.isSafeInteger(a.accountId) || a.accountId <= 0) at('accountId', 'must be a positive integer');
    if (!CHANNELS.includes(a.channel)) at('channel', `must be one of ${CHANNELS.join(', ')}`);
    if (!/^[a-z][a-z0-9_]*$/.test(a.template ?? '')) at('template', 'must be a template name (a-z, 0-9, _)');
    if (!(a.plannedAt instanceof Date) || Number.isNaN(a.plannedAt.getTime()))
      at('plannedAt', 'must be a valid instant');
    if (typeof a.idempotencyKey !== 'string' || a.idempotencyKey.length < 1 || a.idempotencyKey.length > 200)
      at('idempotencyKey', 'must be 1–200 characters');
  });
  if (issues.length > 0)
    throw new ArrearsError('invalid', `${issues.length} problem(s) in the planned actions`, { issues });
}

const COPY_COLUMNS = [
  'account_id',
  'idempotency_key',
  'channel',
  'template',
  'locale',
  'planned_at',
  'strategy_version',
  'strategy_arm',
  'vars',
  'strategy_segment',
  'strategy_step',
  'planned_on',
  'status',
  'gate_rules',
  'last_error',
  'next_attempt_at',
];

/**
 * Adds planned actions to the outbox inside the caller's transaction: one COPY into a staging table and one
 * INSERT … ON CONFLICT DO NOTHING, however many actions there are. Invalid actions fail the whole call with
 * every problem listed.
 */
export async function enqueueActions(
  tx: Tx,
  actions: readonly PlannedAction[],
  options: {
    /**
     * The caller has checked, under a lock it holds, that none of these keys exists: the rows are COPYed
     * straight into the outbox (a duplicate then fails the transaction instead of being skipped).
     */
    knownNew?: boolean;
  } = {},
): Promise<EnqueueResult> {
  if (actions.length === 0) return { inserted: 0, duplicates: 0 };
  validate(actions);
  const { sql } = tx;
  if (options.knownNew) {
    await copyNewActions(sql, encodeCopyRows(actions.map(row)));
    return { inserted: actions.length, duplicates: 0 };
  }
  if (actions.length <= FEW) return enqueueFew(sql, actions);
  const rows = encodeCopyRows(actions.map(row));
  await sql.query(
    `CREATE TEMP TABLE IF NOT EXISTS outbox_in (
       account_id bigint, idempotency_key text, channel text, template text, locale text, planned_at timestamptz,
       strategy_version text, strategy_arm text, vars jsonb, strategy_segment text, strategy_step text,
       planned_on date, status text, gate_rules text[], last_error text, next_attempt_at timestamptz)
       ON COMMIT DELETE ROWS`,
  );
  await sql.query(`TRUNCATE outbox_in`);
  await sql.copyIn('outbox_in', COPY_COLUMNS, rows);
  const { rows: counted } = await sql.query<{ n: number }>(
    `WITH ins AS (
       INSERT INTO outbox (${COPY_COLUMNS.join(', ')})
       SELECT DISTINCT ON (account_id, idempotency_key) ${COPY_COLUMNS.join(', ')} FROM outbox_in
       ORDER BY account_id, idempotency_key
       ON CONFLICT (account_id, idempotency_key) DO NOTHING RETURNING 1)
     SELECT count(*)::int AS n FROM ins`,
  );
  const inserted = counted[0]?.n ?? 0;
  return { inserted, duplicates: actions.length - inserted };
}

/**
 * Actions known to be new (see `enqueueActions`' `knownNew`), checked and encoded as COPY text apart from the
 * COPY itself — a caller can encode one batch while the previous one is written. Invalid actions throw with
 * every problem listed.
 */
export function encodeNewActions(actions: readonly PlannedAction[], into?: CopyBuffer): Uint8Array {
  validate(actions);
  return encodeCopyRows(actions.map(row), into);
}

/** COPYs actions encoded by `encodeNewActions` (as text or its UTF-8 bytes) straight into the outbox (a duplicate key fails the transaction). */
export async function copyNewActions(sql: SqlClient, encoded: string | Uint8Array): Promise<void> {
  if (encoded.length === 0) return;
  await sql.copyIn('outbox', COPY_COLUMNS, encoded);
}

/** An action as a COPY row (COPY_COLUMNS; first attempt at the planned time). */
function row(a: PlannedAction): unknown[] {
  const at = a.plannedAt.toISOString();
  return [
    a.accountId,
    a.idempotencyKey,
    a.channel,
    a.template,
    a.locale ?? null,
    at,
    a.strategyVersion ?? null,
    a.strategyArm ?? null,
    a.vars ?? {},
    a.strategySegment ?? null,
    a.strategyStep ?? null,
    a.plannedOn ?? null,
    a.blocked ? 'blocked' : 'pending',
    a.blocked ? textArray(a.blocked.rules) : null,
    a.blocked?.reason ?? null,
    at,
  ];
}

// A few actions (a confirmation, a manual action) go in as one parameter: no temporary table, which a
// connection would own under the role that created it — an agency request (SET LOCAL ROLE arrears_agency)
// could then not reuse it, and creating tables per call is waste anyway.
const FEW = 50;
const RECORD_TYPES = `account_id bigint, idempotency_key text, channel text, template text, locale text,
  planned_at timestamptz, strategy_version text, strategy_arm text, vars jsonb, strategy_segment text,
  strategy_step text, planned_on date, status text, gate_rules text[], last_error text, next_attempt_at timestamptz`;

async function enqueueFew(sql: SqlClient, actions: readonly PlannedAction[]): Promise<EnqueueResult> {
  const rows = actions.map((a) => {
    const values = row(a);
    return Object.fromEntries(COPY_COLUMNS.map((c, i) => [c, values[i]]));
  });
  const { rows: out } = await sql.query<{ n: number }>(
    `WITH ins AS (
       INSERT INTO outbox (${COPY_COLUMNS.join(', ')})
       SELECT DISTINCT ON (account_id, idempotency_key) ${COPY_COLUMNS.join(', ')}
       FROM jsonb_to_recordset($1::jsonb) AS x(${RECORD_TYPES})
       ORDER BY account_id, idempotency_key
       ON CONFLICT (account_id, idempotency_key) DO NOTHING RETURNING 1)
     SELECT count(*)::int AS n FROM ins`,
    [JSON.stringify(rows)],
  );
  const inserted = out[0]?.n ?? 0;
  return { inserted, duplicates: actions.length - inserted };
}

export interface ClaimedAction {
  account_id: number;
  id: number;
  idempotency_key: string;
  channel: ChannelName;
  template: string;
  locale: string | null;
  planned_at: Date;
  strategy_version: string | null;
  strategy_arm: string | null;
  vars: Record<string, unknown>;
  attempts: number;
  notice_code: string | null;
}

/**
 * Claims up to `limit` due actions: rows locked with FOR UPDATE SKIP LOCKED (so concurrent workers on
 * PostgreSQL never take the same row), marked `sending` with a lease, committed before anything is sent.
 */
export async function claimDue(
  sql: SqlClient,
  now: Date,
  limit: number,
  leaseMs: number,
): Promise<ClaimedAction[]> {
  const { rows } = await sql.query<ClaimedAction>(
    `WITH due AS (
       SELECT account_id, id FROM outbox
       WHERE status IN ('pending', 'retry') AND next_attempt_at <= $1
       ORDER BY next_attempt_at, account_id, id
       LIMIT $2
       FOR UPDATE SKIP LOCKED)
     UPDATE outbox o
     SET status = 'sending', attempts = o.attempts + 1, lease_until = $3, updated_at = now()
     FROM due WHERE o.account_id = due.account_id AND o.id = due.id
     RETURNING o.account_id, o.id, o.idempotency_key, o.channel, o.template, o.locale, o.planned_at,
               o.strategy_version, o.strategy_arm, o.vars, o.attempts, o.notice_code`,
    [now.toISOString(), limit, new Date(now.getTime() + leaseMs).toISOString()],
  );
  return rows;
}

/**
 * Actions left `sending` past their lease belong to a worker that died. If no notice was recorded, nothing
 * was sent: they go back to the queue. If a notice was recorded the send may have happened: on channels
 * whose adapter deduplicates by key they are retried (the same notice, the same key); on the others they
 * become `unknown` and are never sent again without a person deciding.
 */
export async function recoverStale(
  sql: SqlClient,
  now: Date,
  idempotentChannels: readonly ChannelName[],
): Promise<{ requeued: number; unknown: number }> {
  const { rows } = await sql.query<{ status: OutboxStatus }>(
    `UPDATE outbox SET
       status = CASE WHEN notice_code IS NULL OR channel = ANY($2::text[]) THEN 'retry' ELSE 'unknown' END,
       last_error = CASE WHEN notice_code IS NULL OR channel = ANY($2::text[])
                         THEN 'worker stopped before recording the outcome; retried'
                         ELSE 'worker stopped after the notice was issued: it may have been sent, so it is not sent again automatically' END,
       next_attempt_at = $1, lease_until = NULL, updated_at = now()
     WHERE status = 'sending' AND lease_until < $1
     RETURNING status`,
    [now.toISOString(), idempotentChannels],
  );
  return {
    requeued: rows.filter((r) => r.status === 'retry').length,
    unknown: rows.filter((r) => r.status === 'unknown').length,
  };
}

export interface Outcome {
  accountId: number;
  id: number;
  status: Exclude<OutboxStatus, 'pending' | 'sending'>;
  providerRef?: string | null;
  error?: string | null;
  nextAttemptAt?: Date | null;
  /** -1 when the attempt should not count (rescheduled by the gate). */
  attemptDelta?: number;
}

/** Writes a batch of outcomes in one statement; only rows still `sending` (this worker's lease) change. */
export async function recordOutcomes(sql: SqlClient, outcomes: readonly Outcome[]): Promise<void> {
  if (outcomes.length === 0) return;
  await sql.query(
    `UPDATE outbox o SET
       status = r.status,
       provider_ref = COALESCE(r.ref, o.provider_ref),
       last_error = r.err,
       sent_at = CASE WHEN r.status = 'sent' THEN now() ELSE o.sent_at END,
       next_attempt_at = COALESCE(r.next, o.next_attempt_at),
       attempts = o.attempts + r.delta,
       lease_until = NULL,
       updated_at = now()
     FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::int[])
       AS r(account_id, id, status, ref, err, next, delta)
     WHERE o.account_id = r.account_id AND o.id = r.id AND o.status = 'sending'`,
    [
      outcomes.map((o) => o.accountId),
      outcomes.map((o) => o.id),
      outcomes.map((o) => o.status),
      outcomes.map((o) => o.providerRef ?? null),
      outcomes.map((o) => o.error ?? null),
      outcomes.map((o) => o.nextAttemptAt?.toISOString() ?? null),
      outcomes.map((o) => o.attemptDelta ?? 0),
    ],
  );
}

/** Counts by status and channel, for `arrears dispatch` and tests. */
export async function outboxCounts(sql: SqlClient): Promise<Record<string, Record<string, number>>> {
  const { rows } = await sql.query<{ status: string; channel: string; n: number }>(
    `SELECT status, channel, count(*)::int AS n FROM outbox GROUP BY status, channel ORDER BY status, channel`,
  );
  const out: Record<string, Record<string, number>> = {};
  for (const r of rows) (out[r.status] ??= {})[r.channel] = r.n;
  return out;
}
