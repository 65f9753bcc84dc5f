import { formatDay, todayIn, toDay, type DayNumber } from '../../domain/calendar/index.js';
import { ArrearsError } from '../../domain/errors.js';
import type { PromiseTerms } from '../../domain/promises/index.js';
import type { AccountFacts, PastAction } from '../../domain/strategy/index.js';
import { encodeCopyRows, type SqlClient, type Store } from '../../store/index.js';
import { appendAudit } from '../audit/index.js';
import { gateContacts, type ProposedContact } from '../compliance/index.js';
import { enqueueActions, type PlannedAction } from '../dispatch/index.js';
import { maxAccountId, readAccountPage, readCreditors } from '../statements/accounts.js';
import { loadActiveStrategies } from '../strategy/index.js';
import { planPage, type Candidate, type EscalationCandidate, type PageExtras } from './plan-page.js';

export interface CycleOptions {
  /** The cycle day (YYYY-MM-DD); default today in UTC. */
  asOf?: string;
  /** Accounts per batch (one transaction each); default 10,000. */
  batchSize?: number;
  /** Who runs it, for the audit record. */
  actor?: string;
  /** Called after each committed batch. */
  onBatch?: (done: { cursor: number; maxId: number; evaluated: number }) => void;
}

export interface CycleSummary {
  asOf: string;
  /** Open accounts evaluated. */
  evaluated: number;
  /** Actions written to the outbox to be sent (including those moved to a later allowed time). */
  planned: number;
  /** Of those, moved by the gate to its `nextAllowedAt`. */
  rescheduled: number;
  /** Actions the gate refused with no time that would help: stored as blocked, with the rules. */
  blocked: number;
  /** Planned actions by channel. */
  byChannel: Record<string, number>;
  /** Gate refusals (rescheduled or blocked) by rule id. */
  byRule: Record<string, number>;
  /** Accounts with nothing to do today, by reason. */
  suppressed: Record<string, number>;
  /** Escalations newly raised. */
  escalated: number;
  /** Where this invocation started: 0, or the cursor of an interrupted run it resumed. */
  resumedFrom: number;
  /** The number of times this as-of date has been run (a rerun plans nothing that already exists). */
  attempts: number;
  durationMs: number;
  /** Milliseconds spent per phase over all batches (read, extras, plan, existing, gate, outbox, escalations). */
  timings: Record<string, number>;
}

interface Totals {
  evaluated: number;
  planned: number;
  rescheduled: number;
  blocked: number;
  escalated: number;
  byChannel: Record<string, number>;
  byRule: Record<string, number>;
  suppressed: Record<string, number>;
}

const bump = (m: Record<string, number>, key: string, by = 1) => (m[key] = (m[key] ?? 0) + by);

/**
 * The daily collection cycle. Every open account is evaluated in id-range batches, one transaction each:
 * the statement engine gives DPD and amounts, the account's active strategy picks today's steps, each new
 * step passes the compliance gate at 10:00 in the debtor's zone (refused → moved to the gate's next
 * allowed time, or stored as blocked with the rules when no time helps), and the actions go into the
 * outbox with one COPY; escalations are raised (once while open). The batch's commit moves the run's
 * cursor, so a run that dies resumes after the last committed batch; idempotency keys
 * (`cycle:<day>:<segment>:<step>`) make a rerun of the same day plan nothing new.
 */
export async function runCycle(store: Store, options: CycleOptions = {}): Promise<CycleSummary> {
  const started = Date.now();
  const asOf = options.asOf ?? formatDay(todayIn('UTC'));
  let day: DayNumber;
  try {
    day = toDay(asOf);
  } catch {
    throw new ArrearsError('invalid', `--as-of must be a date as YYYY-MM-DD (got "${asOf}")`);
  }
  const batchSize = options.batchSize ?? 10_000;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1 || batchSize > 100_000)
    throw new ArrearsError(
      'invalid',
      `batch size must be a whole number from 1 to 100000 (got ${batchSize})`,
    );
  const actor = options.actor ?? 'cycle';
  const strategies = await loadActiveStrategies(store);
  const { cursor: start, attempts, totals } = await beginRun(store, asOf);
  const { creditors, maxId } = await store.transaction(async ({ sql }) => ({
    creditors: await readCreditors(sql),
    maxId: await maxAccountId(sql),
  }));

  const timings: Record<string, number> = {};
  const timed = async <T>(phase: string, fn: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    try {
      return await fn();
    } finally {
      timings[phase] = (timings[phase] ?? 0) + performance.now() - t;
    }
  };
  // The next batch's accounts are read (in a read-only transaction of their own) while this one is planned
  // and written: on PostgreSQL the two overlap on two connections; PGlite queues them on its one.
  const read = (from: number) =>
    timed('read', () =>
      store.transaction(async ({ sql }) => {
        const to = Math.min(from + batchSize, maxId);
        return {
          to,
          rows: await readAccountPage(sql, from, to, asOf),
          extras: await readExtras(sql, from, to),
        };
      }),
    );
  let next = start < maxId ? read(start) : null;
  // If a batch fails, the read already under way must not end as an unhandled rejection.
  const abandon = () => void next?.catch(() => undefined);
  for (let from = start; next; from += batchSize) {
    const { to, rows, extras } = await next;
    next = to < maxId ? read(to) : null;
    await store
      .transaction(async (tx) => {
        const { sql } = tx;
        // Runs of the same day take turns batch by batch: the keys checked below cannot appear meanwhile.
        await sql.query(`SELECT 1 FROM cycle_runs WHERE as_of = $1 FOR UPDATE`, [asOf]);
        const page = await timed('plan', async () =>
          planPage(rows, creditors, extras, (a) => strategies.forAccount(a), day),
        );
        const fresh = await timed('existing', () => withoutExisting(sql, page.candidates, from, to, asOf));
        const actions = await timed('gate', () => gate(sql, fresh, asOf, totals));
        await timed('outbox', () => enqueueActions(tx, actions, { knownNew: true }));
        const escalated = await timed('escalations', () => raiseEscalations(sql, page.escalations, asOf));
        totals.evaluated += page.evaluated;
        totals.escalated += escalated;
        for (const [reason, n] of Object.entries(page.suppressed)) bump(totals.suppressed, reason, n);
        await saveProgress(sql, asOf, to, totals, false);
      })
      .catch((e: unknown) => {
        abandon();
        throw e;
      });
    options.onBatch?.({ cursor: to, maxId, evaluated: totals.evaluated });
  }

  return store.transaction(async (tx) => {
    await saveProgress(tx.sql, asOf, maxId, totals, true);
    await appendAudit(tx, null, {
      action: 'cycle.run',
      entity: `cycle:${asOf}`,
      data: { by: actor, ...totals, resumedFrom: start, attempts },
    });
    for (const k of Object.keys(timings)) timings[k] = Math.round(timings[k]!);
    return { asOf, ...totals, resumedFrom: start, attempts, durationMs: Date.now() - started, timings };
  });
}

/**
 * Starts (or resumes) the run of a day. An interrupted run continues from its cursor with its totals; a
 * finished one starts over from the first account with fresh totals (its actions exist, so nothing is
 * planned twice).
 */
async function beginRun(
  store: Store,
  asOf: string,
): Promise<{ cursor: number; attempts: number; totals: Totals }> {
  return store.transaction(async ({ sql }) => {
    const { rows } = await sql.query<{
      status: string;
      cursor: number;
      attempts: number;
      evaluated: number;
      planned: number;
      rescheduled: number;
      blocked: number;
      escalated: number;
      by_channel: Record<string, number>;
      by_rule: Record<string, number>;
      suppressed_by: Record<string, number>;
    }>(
      `INSERT INTO cycle_runs (as_of) VALUES ($1)
       ON CONFLICT (as_of) DO UPDATE SET attempts = cycle_runs.attempts + 1,
         status = 'running', finished_at = NULL,
         cursor = CASE WHEN cycle_runs.status = 'finished' THEN 0 ELSE cycle_runs.cursor END
       RETURNING status, cursor, attempts, evaluated, planned, rescheduled, blocked, escalated, by_channel,
                 by_rule, suppressed_by`,
      [asOf],
    );
    const r = rows[0]!;
    const resume = Number(r.cursor) > 0;
    const json = (v: unknown) =>
      typeof v === 'string'
        ? (JSON.parse(v) as Record<string, number>)
        : { ...(v as Record<string, number>) };
    return {
      cursor: Number(r.cursor),
      attempts: r.attempts,
      totals: resume
        ? {
            evaluated: Number(r.evaluated),
            planned: Number(r.planned),
            rescheduled: Number(r.rescheduled),
            blocked: Number(r.blocked),
            escalated: Number(r.escalated),
            byChannel: json(r.by_channel),
            byRule: json(r.by_rule),
            suppressed: json(r.suppressed_by),
          }
        : {
            evaluated: 0,
            planned: 0,
            rescheduled: 0,
            blocked: 0,
            escalated: 0,
            byChannel: {},
            byRule: {},
            suppressed: {},
          },
    };
  });
}

async function saveProgress(sql: SqlClient, asOf: string, cursor: number, t: Totals, finished: boolean) {
  await sql.query(
    `UPDATE cycle_runs SET cursor = $2, evaluated = $3, planned = $4, rescheduled = $5, blocked = $6,
       escalated = $7, by_channel = $8, by_rule = $9, suppressed_by = $10,
       status = CASE WHEN $11 THEN 'finished' ELSE 'running' END,
       finished_at = CASE WHEN $11 THEN now() ELSE NULL END
     WHERE as_of = $1`,
    [
      asOf,
      cursor,
      t.evaluated,
      t.planned,
      t.rescheduled,
      t.blocked,
      t.escalated,
      JSON.stringify(t.byChannel),
      JSON.stringify(t.byRule),
      JSON.stringify(t.suppressed),
      finished,
    ],
  );
}

/** Path history, promises, plans and open holds of the accounts in (from, to], one query each. */
async function readExtras(sql: SqlClient, from: number, to: number): Promise<PageExtras> {
  const history = new Map<number, PastAction[]>();
  const { rows: past } = await sql.query<{
    account_id: number;
    segment: string;
    arm: string | null;
    step: string;
    on: number;
  }>(
    `SELECT account_id, strategy_segment AS segment, strategy_arm AS arm, strategy_step AS step,
            max(planned_on) - DATE '1970-01-01' AS on
       FROM outbox
      WHERE account_id > $1 AND account_id <= $2 AND strategy_step IS NOT NULL AND status <> 'blocked'
      GROUP BY 1, 2, 3, 4`,
    [from, to],
  );
  for (const p of past) {
    const id = Number(p.account_id);
    let list = history.get(id);
    if (!list) history.set(id, (list = []));
    list.push({ segment: p.segment, arm: p.arm, step: p.step, on: Number(p.on) });
  }
  const promises = new Map<number, PromiseTerms[]>();
  const { rows: proms } = await sql.query<{
    account_id: number;
    amount: number;
    made: number;
    due: number;
    grace_days: number;
    tolerance: number;
  }>(
    `SELECT account_id, amount, made_on - DATE '1970-01-01' AS made, due_on - DATE '1970-01-01' AS due,
            grace_days, tolerance
       FROM promises WHERE account_id > $1 AND account_id <= $2 ORDER BY account_id, made_on, id`,
    [from, to],
  );
  for (const p of proms) {
    const id = Number(p.account_id);
    let list = promises.get(id);
    if (!list) promises.set(id, (list = []));
    list.push({
      amount: Number(p.amount),
      madeOn: Number(p.made),
      dueOn: Number(p.due),
      graceDays: p.grace_days,
      tolerance: Number(p.tolerance),
    });
  }
  // The newest plan decides the strategy's `plan` fact; cancelled, rejected and pending offers count as none.
  const plans = new Map<number, AccountFacts['plan']>();
  const { rows: planRows } = await sql.query<{ account_id: number; status: string }>(
    `SELECT DISTINCT ON (account_id) account_id, status FROM plans
      WHERE account_id > $1 AND account_id <= $2 ORDER BY account_id, id DESC`,
    [from, to],
  );
  for (const p of planRows)
    if (p.status === 'active' || p.status === 'broken' || p.status === 'completed')
      plans.set(Number(p.account_id), p.status);
  const holds = new Map<number, { disputed: boolean; ceaseRequested: boolean }>();
  const { rows: holdRows } = await sql.query<{ account_id: number; disputed: boolean; cease: boolean }>(
    `SELECT account_id, bool_or(kind = 'dispute') AS disputed, bool_or(kind = 'cease') AS cease
       FROM (SELECT account_id, kind FROM account_holds
              WHERE account_id > $1 AND account_id <= $2 AND released_at IS NULL
             UNION ALL
             SELECT a.id, h.kind FROM accounts a JOIN debtor_holds h ON h.debtor_id = a.debtor_id
              WHERE a.id > $1 AND a.id <= $2 AND h.released_at IS NULL) x
      GROUP BY account_id`,
    [from, to],
  );
  for (const h of holdRows)
    holds.set(Number(h.account_id), { disputed: h.disputed, ceaseRequested: h.cease });
  return { history, promises, plans, holds };
}

/** Drops the candidates whose (account, key) is already in the outbox: planned by an earlier run today. */
async function withoutExisting(
  sql: SqlClient,
  candidates: Candidate[],
  from: number,
  to: number,
  asOf: string,
): Promise<Candidate[]> {
  if (candidates.length === 0) return candidates;
  const { rows } = await sql.query<{ account_id: number; idempotency_key: string }>(
    `SELECT account_id, idempotency_key FROM outbox
      WHERE account_id > $1 AND account_id <= $2 AND planned_on = $3 AND strategy_step IS NOT NULL`,
    [from, to, asOf],
  );
  if (rows.length === 0) return candidates;
  const existing = new Set(rows.map((r) => `${r.account_id} ${r.idempotency_key}`));
  return candidates.filter((c) => !existing.has(`${c.accountId} ${c.idempotencyKey}`));
}

/**
 * Every new action through the compliance gate at its planned time, in one call for the batch (decisions
 * recorded). Allowed → planned then; refused with a next allowed time → planned then; refused for good
 * (or with no zone to plan in) → stored as blocked with the rules, never sent.
 */
async function gate(
  sql: SqlClient,
  candidates: Candidate[],
  asOf: string,
  t: Totals,
): Promise<PlannedAction[]> {
  const timed = candidates.filter((c): c is Candidate & { at: Date } => c.at !== null);
  const proposals: ProposedContact[] = timed.map((c) => ({
    accountId: c.accountId,
    channel: c.channel,
    at: c.at,
  }));
  const outcomes = await gateContacts(sql, proposals, { countPlanned: true });
  const decided = new Map<Candidate, (typeof outcomes)[number]>();
  timed.forEach((c, i) => decided.set(c, outcomes[i]!));
  return candidates.map((c) => {
    const o = decided.get(c) ?? {
      allowed: false,
      rules: ['insufficient_data'],
      reason: 'the debtor has no valid time zone to plan the contact in',
      nextAllowedAt: null,
    };
    const base: PlannedAction = {
      accountId: c.accountId,
      channel: c.channel,
      template: c.template,
      plannedAt: c.at ?? new Date(`${asOf}T00:00:00Z`),
      strategyVersion: `${c.strategy}@${c.version}`,
      strategyArm: c.arm,
      strategySegment: c.segment,
      strategyStep: c.step,
      plannedOn: asOf,
      idempotencyKey: c.idempotencyKey,
      vars: { reason: c.reason },
    };
    if (o.allowed) {
      t.planned++;
      bump(t.byChannel, c.channel);
      return base;
    }
    for (const rule of o.rules) bump(t.byRule, rule);
    if (o.nextAllowedAt) {
      t.planned++;
      t.rescheduled++;
      bump(t.byChannel, c.channel);
      return { ...base, plannedAt: o.nextAllowedAt };
    }
    t.blocked++;
    return { ...base, blocked: { rules: o.rules, reason: o.reason ?? 'refused by the compliance gate' } };
  });
}

/** Raises escalations with one COPY; one stays open per account and target, so repeats are skipped. */
async function raiseEscalations(sql: SqlClient, list: EscalationCandidate[], asOf: string): Promise<number> {
  if (list.length === 0) return 0;
  await sql.query(
    `CREATE TEMP TABLE IF NOT EXISTS escalations_in (account_id bigint, target text, reason text, strategy text,
       strategy_version integer, segment text) ON COMMIT DELETE ROWS`,
  );
  await sql.query(`TRUNCATE escalations_in`);
  await sql.copyIn(
    'escalations_in',
    ['account_id', 'target', 'reason', 'strategy', 'strategy_version', 'segment'],
    encodeCopyRows(list.map((e) => [e.accountId, e.target, e.reason, e.strategy, e.version, e.segment])),
  );
  const { rows } = await sql.query<{ n: number }>(
    `WITH ins AS (
       INSERT INTO escalations (account_id, target, reason, strategy, strategy_version, segment, raised_on)
       SELECT DISTINCT ON (account_id, target) account_id, target, reason, strategy, strategy_version, segment, $1::date
         FROM escalations_in ORDER BY account_id, target
       ON CONFLICT (account_id, target) WHERE status = 'open' DO NOTHING RETURNING 1)
     SELECT count(*)::int AS n FROM ins`,
    [asOf],
  );
  return rows[0]?.n ?? 0;
}
