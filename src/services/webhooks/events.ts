import { randomUUID } from 'node:crypto';
import type { Tx } from '../../store/index.js';

/** Every event type an integrator can subscribe to; an endpoint subscribed to "*" receives all of them. */
export const WEBHOOK_EVENT_TYPES = [
  'payment.posted',
  'payment.reversed',
  'promise.created',
  'promise.broken',
  'plan.broken',
  'settlement.completed',
  'case.escalated',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export interface WebhookEvent {
  type: WebhookEventType;
  /** The account the event is about (its deliveries are keyed by it); null for portfolio-wide events. */
  accountId: number | null;
  data: Record<string, unknown>;
}

/**
 * Queues one delivery of the event per active endpoint subscribed to its type, in the caller's
 * transaction: the event exists if and only if the state change it reports commits. Returns the event id.
 */
export async function emitEvent(tx: Tx, event: WebhookEvent): Promise<string> {
  return (await emitEvents(tx, [event]))[0]!;
}

/** `emitEvent` for many events in one statement (set-based callers: plan and promise judging). */
export async function emitEvents(tx: Tx, events: readonly WebhookEvent[]): Promise<string[]> {
  if (events.length === 0) return [];
  const occurredAt = new Date().toISOString();
  const rows = events.map((e) => {
    const id = randomUUID();
    return {
      id,
      account_id: e.accountId ?? 0,
      type: e.type,
      payload: { id, type: e.type, occurredAt, data: e.data },
    };
  });
  // No RETURNING: an agency user's transaction may insert deliveries but not read them.
  await tx.sql.query(
    `INSERT INTO webhook_deliveries (account_id, endpoint_id, event_id, event_type, payload)
     SELECT e.account_id, s.id, e.id, e.type, e.payload
       FROM jsonb_to_recordset($1::jsonb) AS e(id text, account_id bigint, type text, payload jsonb)
       JOIN webhook_subscriptions s ON e.type = ANY (s.event_types) OR '*' = ANY (s.event_types)`,
    [JSON.stringify(rows)],
    'arrears_webhook_emit',
  );
  return rows.map((r) => r.id);
}

/**
 * The statement that queues events computed in SQL, for set-based writers that never hold the rows in Node
 * (the daily cycle's escalations): `source` is a query yielding `account_id bigint, data jsonb`; each row
 * becomes one event of `type` (its own id, the payload shape `emitEvents` writes), delivered to every active
 * endpoint subscribed to it. Use it as a data-modifying CTE in the statement that makes the change.
 */
export function emitEventsSql(type: WebhookEventType, source: string): string {
  return `INSERT INTO webhook_deliveries (account_id, endpoint_id, event_id, event_type, payload)
    SELECT e.account_id, s.id, e.id, '${type}',
           jsonb_build_object('id', e.id, 'type', '${type}',
             'occurredAt', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'data', e.data)
      FROM (SELECT x.account_id, x.data, gen_random_uuid()::text AS id FROM (${source}) x
             -- Checked once (a one-time filter): with no subscriber, the events are not even built.
             WHERE EXISTS (SELECT 1 FROM webhook_subscriptions s0
                            WHERE '${type}' = ANY (s0.event_types) OR '*' = ANY (s0.event_types))) e
      JOIN webhook_subscriptions s ON '${type}' = ANY (s.event_types) OR '*' = ANY (s.event_types)`;
}
