import { formatDay, todayIn, toDay } from '../../domain/calendar/index.js';
import { ArrearsError } from '../../domain/errors.js';
import { connectionUrlOf, type Store } from '../../store/index.js';
import { createPool, defaultWorkerCount } from '../../workers/pool.js';
import { appendAudit } from '../audit/index.js';
import {
  addTimings,
  commitBatch,
  cycleContext,
  emptyTotals,
  prepareBatch,
  saveProgress,
  type CycleContext,
  type PreparedBatch,
  type Timings,
  type Totals,
} from './batch.js';
import { handle, type CycleTask, type CycleTaskResult } from './cycle-task.js';

export interface CycleOptions {
  /** The cycle day (YYYY-MM-DD); default today in UTC. */
  asOf?: string;
  /** Accounts per batch (one transaction each); default 10,000. */
  batchSize?: number;
  /**
   * Worker threads that read, plan and judge batches in parallel, each with its own connections (PostgreSQL
   * only; the embedded database has one connection). Default: one per core (at most 4) when at least
   * WORKER_THRESHOLD accounts are to be evaluated on PostgreSQL, else 0 (all in this thread).
   */
  workers?: number;
  /** Who runs it, for the audit record. */
  actor?: string;
  /** Called after each committed batch. */
  onBatch?: (done: { cursor: number; maxId: number; evaluated: number }) => void;
  /**
   * Called inside each batch's transaction when everything is written, just before it commits
   * (fault-injection tests). A function cannot cross to a worker thread: with it, the run uses none.
   */
  beforeCommit?: (batch: { from: number; to: number }) => void;
}

export type { Totals } from './batch.js';

export interface CycleSummary extends Totals {
  asOf: string;
  /** Where this invocation started: 0, or the cursor of an interrupted run it resumed. */
  resumedFrom: number;
  /** The number of times this as-of date has been run (a rerun plans nothing that already exists). */
  attempts: number;
  /** Worker threads used (0: all in this thread). */
  workers: number;
  durationMs: number;
  /** Milliseconds spent per phase over all batches (read, plan, gate, encode; begin, record, outbox, escalations; they overlap). */
  timings: Record<string, number>;
}

/** Below this many accounts to evaluate, starting worker threads costs more than they save. */
export const WORKER_THRESHOLD = 50_000;

/**
 * The daily collection cycle. Every open account is evaluated in id-range batches: the statement engine
 * gives DPD and amounts, the account's active strategy picks today's steps, each new step passes the
 * compliance gate at 10:00 in the debtor's zone (refused → moved to the gate's next allowed time, or stored
 * as blocked with the rules when no time helps), and the actions go into the outbox with one COPY;
 * escalations are raised (once while open). Batches are prepared (read, planned, judged, encoded) ahead —
 * in worker threads on a large PostgreSQL portfolio — and committed one transaction each, in id order; the
 * commit moves the run's cursor, so a run that dies resumes after the last committed batch; idempotency
 * keys (`cycle:<day>:<segment>:<step>`) make a rerun of the same day plan nothing new.
 */
export async function runCycle(store: Store, options: CycleOptions = {}): Promise<CycleSummary> {
  const started = Date.now();
  const asOf = options.asOf ?? formatDay(todayIn('UTC'));
  try {
    toDay(asOf);
  } catch {
    throw new ArrearsError('invalid', `--as-of must be a date as YYYY-MM-DD (got "${asOf}")`);
  }
  const batchSize = options.batchSize ?? 10_000;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1 || batchSize > 100_000)
    throw new ArrearsError(
      'invalid',
      `batch size must be a whole number from 1 to 100000 (got ${batchSize})`,
    );
  if (
    options.workers !== undefined &&
    !(Number.isSafeInteger(options.workers) && options.workers >= 0 && options.workers <= 16)
  )
    throw new ArrearsError('invalid', `workers must be a whole number from 0 to 16 (got ${options.workers})`);
  const actor = options.actor ?? 'cycle';
  const ctx = await cycleContext(store, asOf);
  const { cursor: start, attempts, totals } = await beginRun(store, asOf);
  const { maxId } = ctx;

  const ranges: [number, number][] = [];
  for (let from = start; from < maxId; from += batchSize)
    ranges.push([from, Math.min(from + batchSize, maxId)]);
  const url = connectionUrlOf(store);
  const workers =
    url === null || options.beforeCommit
      ? 0
      : (options.workers ?? (maxId - start >= WORKER_THRESHOLD ? defaultWorkerCount() : 0));
  const preparer = workers > 0 ? await inWorkers(url!, { ...ctx, batchSize }, workers) : inThread(ctx);

  // Batches are prepared ahead — one at a time in each worker thread (batch i in thread i mod count), or the
  // next one in this thread while the last is written (on its own connection; PGlite queues them) — and
  // written by this thread strictly in id order, each where the last one ended.
  const timings: Timings = {};
  const ahead = Math.max(1, workers);
  const prepares = new Map<number, Promise<PreparedBatch>>();
  const launch = (i: number) => {
    if (i >= ranges.length) return;
    const [from, to] = ranges[i]!;
    prepares.set(
      i,
      preparer.prepare(i, from, to).then(({ prepared, timings: t }) => {
        addTimings(timings, t);
        return prepared;
      }),
    );
  };
  let committed = totals;
  try {
    for (let i = 0; i < ahead; i++) launch(i);
    for (let i = 0; i < ranges.length; i++) {
      const batch = await prepares.get(i)!;
      prepares.delete(i);
      launch(i + ahead);
      const { after, timings: t } = await commitBatch(ctx, batch, committed, options.beforeCommit);
      committed = after;
      addTimings(timings, t);
      options.onBatch?.({ cursor: batch.to, maxId, evaluated: after.evaluated });
    }
  } catch (e) {
    // The batches still being prepared must not end as unhandled rejections.
    for (const p of prepares.values()) void p.catch(() => undefined);
    throw e;
  } finally {
    await preparer.close();
  }

  return store.transaction(async (tx) => {
    await saveProgress(tx.sql, asOf, maxId, committed, true);
    await appendAudit(tx, null, {
      action: 'cycle.run',
      entity: `cycle:${asOf}`,
      data: { by: actor, ...committed, resumedFrom: start, attempts },
    });
    for (const k of Object.keys(timings)) timings[k] = Math.round(timings[k]!);
    return {
      asOf,
      ...committed,
      resumedFrom: start,
      attempts,
      workers,
      durationMs: Date.now() - started,
      timings,
    };
  });
}

/** Prepares batches: in this thread, or in worker threads with their own connections. */
interface Preparer {
  /** Prepares batch `i` (a worker thread's turn comes again when its previous batch is prepared). */
  prepare(i: number, from: number, to: number): Promise<{ prepared: PreparedBatch; timings: Timings }>;
  close(): Promise<void>;
}

const inThread = (ctx: CycleContext): Preparer => ({
  prepare: (_i, from, to) => prepareBatch(ctx, from, to),
  close: async () => undefined,
});

/**
 * A worker thread's heap: a 64 MiB young generation, and an old generation bounded by the batch (each thread
 * holds one batch at a time), so that the threads together stay within the cycle's memory budget (1 GiB for
 * 1,000,000 accounts) instead of growing while garbage is cheap to keep. A batch that does not fit (accounts
 * with far more history than usual) ends the thread and fails the run with nothing of that batch written;
 * run it again with smaller batches or `workers: 0` to resume.
 */
const workerHeap = (batchSize: number) => ({
  maxYoungGenerationSizeMb: 64,
  maxOldGenerationSizeMb: 256 + Math.ceil(batchSize / 1000) * 16,
});

async function inWorkers(
  url: string,
  ctx: CycleContext & { batchSize: number },
  count: number,
): Promise<Preparer> {
  const pool = createPool<CycleTask, CycleTaskResult>(
    new URL('./cycle-task.ts', import.meta.url),
    handle,
    count,
    workerHeap(ctx.batchSize),
  );
  const each = (task: CycleTask) =>
    Promise.all(Array.from({ length: count }, (_, w) => pool.run(task, [], w)));
  const close = async () => {
    await each({ kind: 'close' }).catch(() => undefined);
    await pool.close();
  };
  try {
    const opened = await each({ kind: 'open', databaseUrl: url, asOf: ctx.asOf });
    if (opened.some((o) => o.versions !== ctx.strategies.versions))
      throw new ArrearsError(
        'conflict',
        `the active strategies changed while the cycle for ${ctx.asOf} started: run it again`,
      );
  } catch (e) {
    await close();
    throw e;
  }
  return {
    async prepare(i, from, to) {
      const r = await pool.run({ kind: 'prepare', from, to }, [], i % count);
      return { prepared: r.prepared!, timings: r.timings ?? {} };
    },
    close,
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
