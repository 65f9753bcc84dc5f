import { formatDay, todayIn, toDay, type DayNumber } from '../../domain/calendar/index.js';
import { ArrearsError } from '../../domain/errors.js';
import type { PromiseTerms } from '../../domain/promises/index.js';
import type { AccountFacts, PastAction } from '../../domain/strategy/index.js';
import { encodeCopyRows, useBatchSettings, type SqlClient, type Store } from '../../store/index.js';
import { appendAudit } from '../audit/index.js';
import {
  HISTORY_DAYS,
  judgeContacts,
  loadGateFactsRange,
  recordDecisions,
  type DecisionRow,
  type GateFacts,
  type ProposedContact,
} from '../compliance/index.js';
import { enqueueActions, type PlannedAction } from '../dispatch/index.js';
import { maxAccountId, readAccountPage, readCreditors, type AccountPageRow } from '../statements/accounts.js';
import { loadActiveStrategies } from '../strategy/index.js';
import { emitEventsSql } from '../webhooks/index.js';
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
  /** Called inside each batch's transaction when everything is written, just before it commits (fault-injection tests). */
  beforeCommit?: (batch: { from: number; to: number }) => void;
}

/** A run's counts, kept per batch and summed into `cycle_runs` as batches commit. */
interface Totals {
  /** Open accounts evaluated. */
  evaluated: number;
  /** Actions written to the outbox to be sent (including those moved to a later allowed time). */
  planned: number;
  /** Of those, moved by the gate to its `nextAllowedAt`. */
  rescheduled: number;
  /** Actions the gate refused with no time that would help: stored as blocked, with the rules. */
  blocked: number;
  /** Escalations newly raised. */
  escalated: number;
  /** Planned actions by channel. */
  byChannel: Record<string, number>;
  /** Gate refusals (rescheduled or blocked) by rule id. */
  byRule: Record<string, number>;
  /** Accounts with nothing to do today, by reason. */
  suppressed: Record<string, number>;
}

export interface CycleSummary extends Totals {
  asOf: string;
  /** Where this invocation started: 0, or the cursor of an interrupted run it resumed. */
  resumedFrom: number;
  /** The number of times this as-of date has been run (a rerun plans nothing that already exists). */
  attempts: number;
  durationMs: number;
  /** Milliseconds spent per phase over all batches (read, plan, gate, record, outbox, escalations; they overlap). */
  timings: Record<string, number>;
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
  const lap = (phase: string, t: number) => (timings[phase] = (timings[phase] ?? 0) + performance.now() - t);
  const timed = async <T>(phase: string, fn: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    try {
      return await fn();
    } finally {
      lap(phase, t);
    }
  };
  // Contacts are planned on the cycle day (10:00 local, or later when the gate moves them): history from
  // HISTORY_DAYS before the day's first instant anywhere (UTC+14) covers every window the rules count.
  const since = new Date(Date.parse(`${asOf}T00:00:00Z`) - (HISTORY_DAYS + 1) * 86_400_000);

  // A pipeline over id-range batches. Read: one read-only transaction per batch fetches the accounts, the
  // strategy's extras, the gate's facts and the keys already planned today. Compute (pure CPU): plan, drop
  // what exists, judge with the gate. Write: one transaction per batch, in order, records the decisions,
  // COPYs the actions, raises escalations and moves the cursor. The next batch is read and computed while
  // this one is written: on PostgreSQL the stages overlap on separate connections; PGlite queues them.
  const read = (from: number) =>
    timed('read', () =>
      store.transaction(async ({ sql }): Promise<BatchInput> => {
        await useBatchSettings(store, sql);
        const to = Math.min(from + batchSize, maxId);
        const rows = await readAccountPage(sql, from, to, asOf);
        const extras = await readExtras(sql, from, to);
        const facts = await loadGateFactsRange(sql, from, to, since, { countPlanned: true });
        const existing = await existingKeys(sql, from, to, asOf);
        return { from, to, rows, extras, facts, existing };
      }),
    );
  const compute = (b: BatchInput): BatchOutput => {
    let t = performance.now();
    // Dispute and cease holds (the account's and the debtor's) come with the gate's facts.
    for (const [id, f] of b.facts) {
      const kinds = new Set((f.holds ?? []).map((h) => h.kind));
      if (kinds.has('dispute') || kinds.has('cease'))
        b.extras.holds.set(id, { disputed: kinds.has('dispute'), ceaseRequested: kinds.has('cease') });
    }
    const page = planPage(b.rows, creditors, b.extras, (a) => strategies.forAccount(a), day);
    const fresh = page.candidates.filter((c) => !b.existing.has(`${c.accountId} ${c.idempotencyKey}`));
    lap('plan', t);
    t = performance.now();
    const delta = emptyTotals();
    const { actions, decisions } = gate(fresh, b.facts, asOf, delta);
    delta.evaluated = page.evaluated;
    for (const [reason, n] of Object.entries(page.suppressed)) bump(delta.suppressed, reason, n);
    lap('gate', t);
    return { from: b.from, to: b.to, actions, decisions, escalations: page.escalations, delta };
  };
  let committed = totals;
  const write = (o: BatchOutput) =>
    store.transaction(async (tx) => {
      const { sql } = tx;
      await useBatchSettings(store, sql);
      // One run of a day at a time: batches commit in order, each where the last one ended.
      const { rows: run } = await sql.query<{ cursor: number }>(
        `SELECT cursor FROM cycle_runs WHERE as_of = $1 FOR UPDATE`,
        [asOf],
      );
      if (Number(run[0]?.cursor) !== o.from)
        throw new ArrearsError(
          'conflict',
          `another run of the cycle for ${asOf} moved past account id ${o.from} meanwhile: one run of a day at a time (run it again to finish)`,
        );
      await timed('record', () => recordDecisions(sql, o.decisions));
      await timed('outbox', () => enqueueActions(tx, o.actions, { knownNew: true }));
      o.delta.escalated = await timed('escalations', () => raiseEscalations(sql, o.escalations, asOf));
      const after = addTotals(committed, o.delta);
      await saveProgress(sql, asOf, o.to, after, false);
      options.beforeCommit?.({ from: o.from, to: o.to });
      return after;
    });

  let next = start < maxId ? read(start) : null;
  let writing: Promise<void> | null = null;
  try {
    while (next) {
      const input = await next;
      next = input.to < maxId ? read(input.to) : null;
      const output = compute(input);
      await writing;
      writing = write(output).then((after) => {
        committed = after;
        options.onBatch?.({ cursor: output.to, maxId, evaluated: after.evaluated });
      });
    }
    await writing;
  } catch (e) {
    // The stages still under way must not end as unhandled rejections.
    void next?.catch(() => undefined);
    void writing?.catch(() => undefined);
    throw e;
  }

  return store.transaction(async (tx) => {
    await saveProgress(tx.sql, asOf, maxId, committed, true);
    await appendAudit(tx, null, {
      action: 'cycle.run',
      entity: `cycle:${asOf}`,
      data: { by: actor, ...committed, resumedFrom: start, attempts },
    });
    for (const k of Object.keys(timings)) timings[k] = Math.round(timings[k]!);
    return { asOf, ...committed, resumedFrom: start, attempts, durationMs: Date.now() - started, timings };
  });
}

interface BatchInput {
  from: number;
  to: number;
  rows: AccountPageRow[];
  extras: PageExtras;
  facts: Map<number, GateFacts>;
  existing: Set<string>;
}

interface BatchOutput {
  from: number;
  to: number;
  actions: PlannedAction[];
  decisions: DecisionRow[];
  escalations: EscalationCandidate[];
  /** What this batch adds to the run's totals. */
  delta: Totals;
}

const emptyTotals = (): Totals => ({
  evaluated: 0,
  planned: 0,
  rescheduled: 0,
  blocked: 0,
  escalated: 0,
  byChannel: {},
  byRule: {},
  suppressed: {},
});

function addTotals(a: Totals, b: Totals): Totals {
  const sum = (x: Record<string, number>, y: Record<string, number>) => {
    const out = { ...x };
    for (const [k, v] of Object.entries(y)) bump(out, k, v);
    return out;
  };
  return {
    evaluated: a.evaluated + b.evaluated,
    planned: a.planned + b.planned,
    rescheduled: a.rescheduled + b.rescheduled,
    blocked: a.blocked + b.blocked,
    escalated: a.escalated + b.escalated,
    byChannel: sum(a.byChannel, b.byChannel),
    byRule: sum(a.byRule, b.byRule),
    suppressed: sum(a.suppressed, b.suppressed),
  };
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
        : emptyTotals(),
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

/** Path history, promises and plans of the accounts in (from, to], one query each. */
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
  // Holds are filled in from the gate's facts (read in the same transaction).
  const holds = new Map<number, { disputed: boolean; ceaseRequested: boolean }>();
  return { history, promises, plans, holds };
}

/** The (account, key) pairs already in the outbox for the day's steps: planned by an earlier run today. */
async function existingKeys(sql: SqlClient, from: number, to: number, asOf: string): Promise<Set<string>> {
  const { rows } = await sql.query<{ account_id: number; idempotency_key: string }>(
    `SELECT account_id, idempotency_key FROM outbox
      WHERE account_id > $1 AND account_id <= $2 AND planned_on = $3 AND strategy_step IS NOT NULL`,
    [from, to, asOf],
  );
  return new Set(rows.map((r) => `${r.account_id} ${r.idempotency_key}`));
}

/**
 * Every new action through the compliance gate at its planned time, judged together for the batch (every
 * decision kept for the log). Allowed → planned then; refused with a next allowed time → planned then;
 * refused for good (or with no zone to plan in) → stored as blocked with the rules, never sent.
 */
function gate(
  candidates: Candidate[],
  facts: Map<number, GateFacts>,
  asOf: string,
  t: Totals,
): { actions: PlannedAction[]; decisions: DecisionRow[] } {
  const timed = candidates.filter((c): c is Candidate & { at: Date } => c.at !== null);
  const proposals: ProposedContact[] = timed.map((c) => ({
    accountId: c.accountId,
    channel: c.channel,
    at: c.at,
  }));
  const { outcomes, decisions } = judgeContacts(proposals, facts);
  const decided = new Map<Candidate, (typeof outcomes)[number]>();
  timed.forEach((c, i) => decided.set(c, outcomes[i]!));
  const actions = candidates.map((c): PlannedAction => {
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
  return { actions, decisions };
}

/**
 * Raises escalations with one COPY; one stays open per account and target, so repeats are skipped. Each one
 * raised is a `case.escalated` webhook event.
 */
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
  // Each escalation newly raised is a `case.escalated` webhook event, queued in the same statement.
  const { rows } = await sql.query<{ n: number }>(
    `WITH ins AS (
       INSERT INTO escalations (account_id, target, reason, strategy, strategy_version, segment, raised_on)
       SELECT DISTINCT ON (account_id, target) account_id, target, reason, strategy, strategy_version, segment, $1::date
         FROM escalations_in ORDER BY account_id, target
       ON CONFLICT (account_id, target) WHERE status = 'open' DO NOTHING
       RETURNING account_id, target, reason, strategy, strategy_version, segment),
     ev AS (${emitEventsSql(
       'case.escalated',
       `SELECT i.account_id, jsonb_build_object('account', a.ref, 'target', i.target, 'reason', i.reason,
               'strategy', i.strategy || '@' || i.strategy_version, 'segment', i.segment, 'raisedOn', $1::text) AS data
          FROM ins i JOIN accounts a ON a.id = i.account_id`,
     )})
     SELECT count(*)::int AS n FROM ins`,
    [asOf],
  );
  return rows[0]?.n ?? 0;
}
