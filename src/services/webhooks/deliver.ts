import { createHmac } from 'node:crypto';
import type { Store } from '../../store/index.js';
import { backoffMs } from '../dispatch/index.js';

export interface DeliverOptions {
  /** Attempts before a delivery is dead (default 8). */
  maxAttempts?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Per-request timeout (default 10 s). */
  timeoutMs?: number;
  /** Deliveries claimed per round (default 50). */
  batch?: number;
  /** A claimed delivery whose worker stopped is retried after this lease (default 2 min). */
  leaseMs?: number;
  now?: () => Date;
}

export interface DeliverSummary {
  delivered: number;
  retried: number;
  dead: number;
  recovered: number;
}

const DEFAULTS = {
  maxAttempts: 8,
  backoffBaseMs: 30_000,
  backoffMaxMs: 3_600_000,
  timeoutMs: 10_000,
  batch: 50,
  leaseMs: 120_000,
};

/** `sha256=` + hex HMAC-SHA256 of `timestamp + "." + body` with the endpoint's secret. */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

interface Claimed {
  account_id: number;
  id: number;
  event_type: string;
  payload: Record<string, unknown>;
  attempts: number;
  url: string;
  secret: string;
}

interface Result {
  accountId: number;
  id: number;
  status: 'delivered' | 'retry' | 'dead';
  code: number | null;
  error: string | null;
  next: Date | null;
}

async function send(d: Claimed, timeoutMs: number): Promise<{ code: number | null; error: string | null }> {
  const body = JSON.stringify(d.payload);
  const timestamp = String(Math.floor(Date.now() / 1000));
  try {
    const res = await fetch(d.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Arrears-Webhooks/1',
        'x-arrears-event': d.event_type,
        'x-arrears-delivery': String(d.id),
        'x-arrears-timestamp': timestamp,
        'x-arrears-signature': signWebhook(d.secret, timestamp, body),
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.body?.cancel().catch(() => undefined);
    return res.status >= 200 && res.status < 300
      ? { code: res.status, error: null }
      : { code: res.status, error: `the endpoint answered ${res.status}` };
  } catch (e) {
    const name = e instanceof Error ? e.name : '';
    return {
      code: null,
      error:
        name === 'TimeoutError'
          ? `no answer within ${timeoutMs} ms`
          : `request failed: ${e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e)}`,
    };
  }
}

/**
 * Delivers what is due, round by round, until nothing is due. Each round claims a batch (FOR UPDATE SKIP
 * LOCKED, status `sending` with a lease, committed before any request), posts them concurrently, then
 * records every outcome in one statement: delivered on 2xx, otherwise retry with exponential backoff and
 * jitter, dead after `maxAttempts`. A worker that stops mid-round leaves `sending` rows whose lease runs
 * out; the next run puts them back in the queue (a receiver may then see a delivery twice: the
 * X-Arrears-Delivery id lets it deduplicate).
 */
export async function deliverWebhooks(store: Store, options: DeliverOptions = {}): Promise<DeliverSummary> {
  const o = { ...DEFAULTS, ...options };
  const now = options.now ?? (() => new Date());
  const summary: DeliverSummary = { delivered: 0, retried: 0, dead: 0, recovered: 0 };
  const stale = await store.transaction(async (tx) => {
    const { rows } = await tx.sql.query<{ n: number }>(
      `WITH r AS (
         UPDATE webhook_deliveries SET status = 'retry', lease_until = NULL, updated_at = now(),
           last_error = 'worker stopped before recording the outcome; retried'
         WHERE status = 'sending' AND lease_until < $1 RETURNING 1)
       SELECT count(*)::int AS n FROM r`,
      [now().toISOString()],
    );
    return rows;
  });
  summary.recovered = stale[0]?.n ?? 0;
  for (;;) {
    const at = now();
    const claimed = await store.transaction(async (tx) => {
      const { rows } = await tx.sql.query<Claimed>(
        `WITH due AS (
           SELECT account_id, id FROM webhook_deliveries
           WHERE status IN ('pending', 'retry') AND next_attempt_at <= $1
           ORDER BY next_attempt_at, account_id, id
           LIMIT $2
           FOR UPDATE SKIP LOCKED)
         UPDATE webhook_deliveries w
         SET status = 'sending', attempts = w.attempts + 1, lease_until = $3, updated_at = now()
         FROM due, webhook_endpoints e
         WHERE w.account_id = due.account_id AND w.id = due.id AND e.id = w.endpoint_id
         RETURNING w.account_id, w.id, w.event_type, w.payload, w.attempts, e.url, e.secret`,
        [at.toISOString(), o.batch, new Date(at.getTime() + o.leaseMs).toISOString()],
      );
      return rows;
    });
    if (claimed.length === 0) break;
    const results: Result[] = await Promise.all(
      claimed.map(async (d) => {
        const r = await send(d, o.timeoutMs);
        if (r.error === null)
          return { accountId: d.account_id, id: d.id, status: 'delivered', ...r, next: null };
        if (d.attempts >= o.maxAttempts)
          return { accountId: d.account_id, id: d.id, status: 'dead', ...r, next: null };
        const next = new Date(now().getTime() + backoffMs(d.attempts, o.backoffBaseMs, o.backoffMaxMs));
        return { accountId: d.account_id, id: d.id, status: 'retry', ...r, next };
      }),
    );
    await store.transaction(async (tx) => {
      await tx.sql.query(
        `UPDATE webhook_deliveries w SET
           status = r.status, last_status_code = r.code, last_error = r.err,
           next_attempt_at = COALESCE(r.next, w.next_attempt_at),
           delivered_at = CASE WHEN r.status = 'delivered' THEN now() ELSE w.delivered_at END,
           lease_until = NULL, updated_at = now()
         FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::int[], $5::text[], $6::timestamptz[])
           AS r(account_id, id, status, code, err, next)
         WHERE w.account_id = r.account_id AND w.id = r.id AND w.status = 'sending'`,
        [
          results.map((r) => r.accountId),
          results.map((r) => r.id),
          results.map((r) => r.status),
          results.map((r) => r.code),
          results.map((r) => r.error),
          results.map((r) => r.next?.toISOString() ?? null),
        ],
      );
    });
    for (const r of results) {
      if (r.status === 'delivered') summary.delivered++;
      else if (r.status === 'dead') summary.dead++;
      else summary.retried++;
    }
  }
  return summary;
}

/** Runs deliveries in-process every `intervalMs` until stopped (for `arrears serve`). */
export function startWebhookRunner(
  store: Store,
  options: DeliverOptions & {
    intervalMs?: number;
    onError?: (e: unknown) => void;
    /** Runs before each round, e.g. emitting events found by a sweep (promise.broken). */
    beforeRound?: () => Promise<unknown>;
  } = {},
): { stop: () => Promise<void> } {
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    if (stopped) return;
    running = (options.beforeRound ?? (() => Promise.resolve()))()
      .then(() => deliverWebhooks(store, options))
      .catch((e: unknown) => options.onError?.(e))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, options.intervalMs ?? 5_000);
      });
  };
  tick();
  return {
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
