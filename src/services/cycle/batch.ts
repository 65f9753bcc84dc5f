import { toDay, type DayNumber } from '../../domain/calendar/index.js';
import { ArrearsError } from '../../domain/errors.js';
import type { PromiseTerms } from '../../domain/promises/index.js';
import type { AccountFacts, PastAction } from '../../domain/strategy/index.js';
import {
  CopyBuffer,
  encodeCopyRows,
  useBatchSettings,
  type SqlClient,
  type Store,
} from '../../store/index.js';
import {
  copyDecisions,
  encodeDecisions,
  HISTORY_DAYS,
  judgeContacts,
  loadGateFactsRange,
  type DecisionRow,
  type GateFacts,
  type ProposedContact,
} from '../compliance/index.js';
import { copyNewActions, encodeNewActions, type PlannedAction } from '../dispatch/index.js';
import { maxAccountId, readAccountRange, readCreditors, type CreditorRow } from '../statements/accounts.js';
import { loadActiveStrategies, type ActiveStrategies } from '../strategy/index.js';
import { emitEventsSql } from '../webhooks/index.js';
import { planPage, type Candidate, type EscalationCandidate, type PageExtras } from './plan-page.js';

/** A run's counts, kept per batch and summed into `cycle_runs` as batches commit. */
export interface Totals {
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

/** What every batch of one run shares: read once by the run (or by each worker thread). */
export interface CycleContext {
  store: Store;
  /** The cycle day, YYYY-MM-DD and as a day number. */
  asOf: string;
  day: DayNumber;
  /** Where the gate's history window starts (see `runCycle`). */
  since: Date;
  strategies: ActiveStrategies;
  creditors: ReadonlyMap<number, CreditorRow>;
  maxId: number;
}

/** Reads what every batch of a run on `asOf` (YYYY-MM-DD, already checked) shares. */
export async function cycleContext(store: Store, asOf: string): Promise<CycleContext> {
  const strategies = await loadActiveStrategies(store);
  const { creditors, maxId } = await store.transaction(async ({ sql }) => ({
    creditors: await readCreditors(sql),
    maxId: await maxAccountId(sql),
  }));
  // Contacts are planned on the cycle day (10:00 local, or later when the gate moves them): history from
  // HISTORY_DAYS before the day's first instant anywhere (UTC+14) covers every window the rules count.
  const since = new Date(Date.parse(`${asOf}T00:00:00Z`) - (HISTORY_DAYS + 1) * 86_400_000);
  return { store, asOf, day: toDay(asOf), since, strategies, creditors, maxId };
}

/**
 * One batch read and computed, waiting for its turn to be written: the rows already encoded as COPY text in
 * UTF-8 — bytes, so that they move from a worker thread to the thread that writes without a copy, and stay
 * out of that thread's heap (megabytes of strings there would wait for a full garbage collection).
 */
export interface PreparedBatch {
  from: number;
  to: number;
  decisions: Uint8Array;
  actions: Uint8Array;
  escalations: Uint8Array;
  /** What this batch adds to the run's totals (`escalated` is counted when written). */
  delta: Totals;
}

/** Accounts planned, judged and encoded together within a batch (see `prepareBatch`). */
const SLICE = 1_000;

/** Milliseconds spent per phase (read, plan, gate, encode; record, outbox, escalations). */
export type Timings = Record<string, number>;

/** The buffers of a prepared batch, to move them to another thread. */
export const transferList = (b: PreparedBatch): ArrayBuffer[] =>
  [b.decisions, b.actions, b.escalations].map((u) => u.buffer as ArrayBuffer);

const bump = (m: Record<string, number>, key: string, by = 1) => (m[key] = (m[key] ?? 0) + by);

export const emptyTotals = (): Totals => ({
  evaluated: 0,
  planned: 0,
  rescheduled: 0,
  blocked: 0,
  escalated: 0,
  byChannel: {},
  byRule: {},
  suppressed: {},
});

export function addTotals(a: Totals, b: Totals): Totals {
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

/** Phase timings: `lap(phase)` adds the time since the last lap (or the start) to that phase. */
function stopwatch(): { timings: Timings; lap: (phase: string) => void } {
  const timings: Timings = {};
  let t = performance.now();
  return {
    timings,
    lap(phase) {
      const now = performance.now();
      timings[phase] = (timings[phase] ?? 0) + now - t;
      t = now;
    },
  };
}

export function addTimings(into: Timings, more: Timings): void {
  for (const [k, v] of Object.entries(more)) into[k] = (into[k] ?? 0) + v;
}

/**
 * Reads and computes the open accounts with ids in (from, to]. Read: one read-only transaction fetches the
 * accounts, the strategy's extras, the gate's facts (with the debtor, which the accounts are read without:
 * one lookup of each debtor, not two) and the keys already planned today. Compute (pure CPU):
 * plan, drop what exists, judge with the gate, encode the decision log rows and the outbox rows for COPY.
 * Nothing is written: `commitBatch` does that, in order.
 */
export async function prepareBatch(
  ctx: CycleContext,
  from: number,
  to: number,
): Promise<{ prepared: PreparedBatch; timings: Timings }> {
  const { timings, lap } = stopwatch();
  const { rows, extras, facts, existing } = await ctx.store.transaction(async ({ sql }) => {
    await useBatchSettings(ctx.store, sql);
    return {
      rows: await readAccountRange(sql, from, to, ctx.asOf),
      extras: await readExtras(sql, from, to),
      facts: await loadGateFactsRange(sql, from, to, ctx.since, { countPlanned: true }),
      existing: await existingKeys(sql, from, to, ctx.asOf),
    };
  });
  lap('read');
  // Dispute and cease holds (the account's and the debtor's) come with the gate's facts.
  for (const [id, f] of facts) {
    if (!f.holds?.length) continue;
    const disputed = f.holds.some((h) => h.kind === 'dispute');
    const ceaseRequested = f.holds.some((h) => h.kind === 'cease');
    if (disputed || ceaseRequested) extras.holds.set(id, { disputed, ceaseRequested });
  }
  // Planned, judged and encoded a slice of accounts at a time: what a slice makes (statements, candidates,
  // requests, decisions, rows) is garbage once encoded, and dies young instead of outliving the batch.
  const delta = emptyTotals();
  const out = { decisions: new CopyBuffer(), actions: new CopyBuffer(), escalations: new CopyBuffer() };
  for (let k = 0; k < rows.length; k += SLICE) {
    const slice = rows.slice(k, k + SLICE);
    const page = planPage(slice, facts, ctx.creditors, extras, (a) => ctx.strategies.forAccount(a), ctx.day);
    const fresh = page.candidates.filter((c) => !existing.has(`${c.accountId} ${c.idempotencyKey}`));
    lap('plan');
    const { actions, decisions } = gate(fresh, facts, ctx.asOf, delta);
    delta.evaluated += page.evaluated;
    for (const [reason, n] of Object.entries(page.suppressed)) bump(delta.suppressed, reason, n);
    lap('gate');
    encodeDecisions(decisions, out.decisions);
    encodeNewActions(actions, out.actions);
    encodeEscalations(page.escalations, out.escalations);
    lap('encode');
  }
  const prepared: PreparedBatch = {
    from,
    to,
    decisions: out.decisions.bytes(),
    actions: out.actions.bytes(),
    escalations: out.escalations.bytes(),
    delta,
  };
  return { prepared, timings };
}

/**
 * Writes a prepared batch in one transaction: checks that the run's cursor stands where the batch starts
 * (one run of a day at a time; batches commit in order), appends the decisions, COPYs the actions, raises the
 * escalations and moves the cursor with the run's totals (`before` plus this batch). `beforeCommit` runs last,
 * inside the transaction (fault-injection tests).
 */
export async function commitBatch(
  ctx: CycleContext,
  b: PreparedBatch,
  before: Totals,
  beforeCommit?: (batch: { from: number; to: number }) => void,
): Promise<{ after: Totals; escalated: number; timings: Timings }> {
  const { timings, lap } = stopwatch();
  return ctx.store.transaction(async ({ sql }) => {
    await useBatchSettings(ctx.store, sql);
    // The batches commit one after another; none needs to wait for its WAL flush. A crash can lose only
    // the last few commits — their actions and the cursor together, so the rerun plans them again — and
    // anything that acted on them (a send, which commits synchronously) made them durable first: WAL is
    // flushed in order.
    if (ctx.store.kind === 'postgres') await sql.query(`SET LOCAL synchronous_commit = off`);
    const { rows: run } = await sql.query<{ cursor: number }>(
      `SELECT cursor FROM cycle_runs WHERE as_of = $1 FOR UPDATE`,
      [ctx.asOf],
    );
    if (Number(run[0]?.cursor) !== b.from)
      throw new ArrearsError(
        'conflict',
        `another run of the cycle for ${ctx.asOf} moved past account id ${b.from} meanwhile: one run of a day at a time (run it again to finish)`,
      );
    lap('begin');
    await copyDecisions(sql, b.decisions);
    lap('record');
    await copyNewActions(sql, b.actions);
    lap('outbox');
    const escalated = await raiseEscalations(sql, b.escalations, ctx.asOf);
    lap('escalations');
    const after = addTotals(before, { ...b.delta, escalated });
    await saveProgress(sql, ctx.asOf, b.to, after, false);
    beforeCommit?.({ from: b.from, to: b.to });
    return { after, escalated, timings };
  });
}

export async function saveProgress(
  sql: SqlClient,
  asOf: string,
  cursor: number,
  t: Totals,
  finished: boolean,
): Promise<void> {
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

const encodeEscalations = (list: readonly EscalationCandidate[], into: CopyBuffer): Uint8Array =>
  encodeCopyRows(
    list.map((e) => [e.accountId, e.target, e.reason, e.strategy, e.version, e.segment]),
    into,
  );

/**
 * Raises escalations (encoded by `encodeEscalations`) with one COPY; one stays open per account and target,
 * so repeats are skipped. Each one raised is a `case.escalated` webhook event.
 */
async function raiseEscalations(sql: SqlClient, encoded: Uint8Array, asOf: string): Promise<number> {
  if (encoded.length === 0) return 0;
  await sql.query(
    `CREATE TEMP TABLE IF NOT EXISTS escalations_in (account_id bigint, target text, reason text, strategy text,
       strategy_version integer, segment text) ON COMMIT DELETE ROWS`,
  );
  await sql.query(`TRUNCATE escalations_in`);
  await sql.copyIn(
    'escalations_in',
    ['account_id', 'target', 'reason', 'strategy', 'strategy_version', 'segment'],
    encoded,
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
