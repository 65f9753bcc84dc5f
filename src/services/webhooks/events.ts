import { randomUUID } from 'node:crypto';
import type { Tx } from '../../store/index.js';

/**
 * Every event type an integrator can subscribe to. `plan.broken` and `case.escalated` are emitted by the
 * plan and escalation modules; an endpoint subscribed to "*" receives all of them.
 */
export const WEBHOOK_EVENT_TYPES = [
  'payment.posted',
  'payment.reversed',
  'promise.created',
  'promise.broken',
  'plan.broken',
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
  const id = randomUUID();
  const payload = {
    id,
    type: event.type,
    occurredAt: new Date().toISOString(),
    data: event.data,
  };
  // No RETURNING: an agency user's transaction may insert deliveries but not read them.
  await tx.sql.query(
    `INSERT INTO webhook_deliveries (account_id, endpoint_id, event_id, event_type, payload)
     SELECT $1, s.id, $2, $3, $4 FROM webhook_subscriptions s
     WHERE $3 = ANY (s.event_types) OR '*' = ANY (s.event_types)`,
    [event.accountId ?? 0, id, event.type, JSON.stringify(payload)],
  );
  return id;
}
