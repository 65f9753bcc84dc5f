import { randomBytes } from 'node:crypto';
import type { Principal } from '../../domain/access/index.js';
import { ArrearsError, type FieldIssue } from '../../domain/errors.js';
import type { Store } from '../../store/index.js';
import { appendAudit } from '../audit/index.js';
import { WEBHOOK_EVENT_TYPES } from './events.js';

export interface EndpointRequest {
  url: string;
  eventTypes: string[];
  description?: string | undefined;
}

/** An endpoint as shown after creation: never its secret. */
export interface EndpointView {
  id: number;
  url: string;
  eventTypes: string[];
  active: boolean;
  description: string | null;
  createdAt: string;
}

const view = (r: {
  id: number;
  url: string;
  event_types: string[];
  active: boolean;
  description: string | null;
  created_at: Date;
}): EndpointView => ({
  id: r.id,
  url: r.url,
  eventTypes: r.event_types,
  active: r.active,
  description: r.description,
  createdAt: r.created_at.toISOString(),
});

function validate(req: Partial<EndpointRequest>): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (req.url !== undefined) {
    let ok = false;
    try {
      const u = new URL(req.url);
      ok = u.protocol === 'https:' || u.protocol === 'http:';
    } catch {
      ok = false;
    }
    if (!ok) issues.push({ field: 'url', message: 'must be an http:// or https:// URL' });
  }
  if (req.eventTypes !== undefined) {
    if (req.eventTypes.length === 0)
      issues.push({ field: 'eventTypes', message: 'must name at least one event' });
    req.eventTypes.forEach((t, i) => {
      if (t !== '*' && !(WEBHOOK_EVENT_TYPES as readonly string[]).includes(t))
        issues.push({
          field: `eventTypes.${i}`,
          message: `"${t}" is not an event type; use one of ${WEBHOOK_EVENT_TYPES.join(', ')} or "*"`,
        });
    });
  }
  return issues;
}

/** Creates an endpoint with a fresh signing secret, returned here and never again. */
export async function createEndpoint(store: Store, actor: Principal | null, req: EndpointRequest) {
  const issues = validate(req);
  if (issues.length > 0) throw new ArrearsError('invalid', 'the webhook endpoint is not valid', { issues });
  const secret = `whsec_${randomBytes(24).toString('hex')}`;
  return store.transaction(async (tx) => {
    const row = await tx.db
      .insertInto('webhook_endpoints')
      .values({
        url: req.url,
        secret,
        event_types: [...new Set(req.eventTypes)],
        description: req.description ?? null,
        created_by: actor?.userId ?? null,
      })
      .returning(['id', 'url', 'event_types', 'active', 'description', 'created_at'])
      .executeTakeFirstOrThrow();
    await appendAudit(tx, actor, {
      action: 'webhook.endpoint_created',
      entity: `webhook_endpoint:${row.id}`,
      data: { url: row.url, eventTypes: row.event_types },
    });
    return { ...view(row), secret };
  });
}

export async function listEndpoints(store: Store): Promise<EndpointView[]> {
  const rows = await store.db
    .selectFrom('webhook_endpoints')
    .select(['id', 'url', 'event_types', 'active', 'description', 'created_at'])
    .orderBy('id')
    .execute();
  return rows.map(view);
}

/** Changes url, event types or active; the secret stays. */
export async function updateEndpoint(
  store: Store,
  actor: Principal | null,
  id: number,
  patch: { url?: string | undefined; eventTypes?: string[] | undefined; active?: boolean | undefined },
): Promise<EndpointView> {
  const issues = validate(patch);
  if (issues.length > 0) throw new ArrearsError('invalid', 'the webhook endpoint is not valid', { issues });
  return store.transaction(async (tx) => {
    const row = await tx.db
      .updateTable('webhook_endpoints')
      .set({
        ...(patch.url !== undefined ? { url: patch.url } : {}),
        ...(patch.eventTypes !== undefined ? { event_types: [...new Set(patch.eventTypes)] } : {}),
        ...(patch.active !== undefined ? { active: patch.active } : {}),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .returning(['id', 'url', 'event_types', 'active', 'description', 'created_at'])
      .executeTakeFirst();
    if (!row) throw new ArrearsError('not_found', `webhook endpoint ${id} does not exist`);
    await appendAudit(tx, actor, {
      action: 'webhook.endpoint_updated',
      entity: `webhook_endpoint:${id}`,
      data: { url: row.url, eventTypes: row.event_types, active: row.active },
    });
    return view(row);
  });
}

export interface DeliveryView {
  id: number;
  endpointId: number;
  eventId: string;
  eventType: string;
  status: string;
  attempts: number;
  nextAttemptAt: string;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

export async function listDeliveries(
  store: Store,
  filter: { status?: string | undefined; endpointId?: number | undefined; limit?: number | undefined },
): Promise<DeliveryView[]> {
  let q = store.db
    .selectFrom('webhook_deliveries')
    .select([
      'id',
      'endpoint_id',
      'event_id',
      'event_type',
      'status',
      'attempts',
      'next_attempt_at',
      'last_status_code',
      'last_error',
      'delivered_at',
      'created_at',
    ])
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(filter.limit ?? 100);
  if (filter.status) q = q.where('status', '=', filter.status as 'dead');
  if (filter.endpointId !== undefined) q = q.where('endpoint_id', '=', filter.endpointId);
  const rows = await q.execute();
  return rows.map((r) => ({
    id: r.id,
    endpointId: r.endpoint_id,
    eventId: r.event_id,
    eventType: r.event_type,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at.toISOString(),
    lastStatusCode: r.last_status_code,
    lastError: r.last_error,
    deliveredAt: r.delivered_at?.toISOString() ?? null,
    createdAt: r.created_at.toISOString(),
  }));
}

/** Puts a dead delivery back in the queue with a fresh attempt budget. */
export async function redeliver(store: Store, actor: Principal | null, id: number) {
  return store.transaction(async (tx) => {
    const { rows } = await tx.sql.query<{ account_id: number; status: string }>(
      `SELECT account_id, status FROM webhook_deliveries WHERE id = $1 FOR UPDATE`,
      [id],
    );
    const d = rows[0];
    if (!d) throw new ArrearsError('not_found', `webhook delivery ${id} does not exist`);
    if (d.status !== 'dead')
      throw new ArrearsError(
        'conflict',
        `webhook delivery ${id} is ${d.status}; only a dead delivery is redelivered`,
      );
    await tx.sql.query(
      `UPDATE webhook_deliveries SET status = 'retry', attempts = 0, next_attempt_at = now(), updated_at = now()
       WHERE account_id = $1 AND id = $2`,
      [d.account_id, id],
    );
    await appendAudit(tx, actor, {
      action: 'webhook.redelivered',
      entity: `webhook_delivery:${id}`,
      accountId: d.account_id === 0 ? undefined : d.account_id,
      data: {},
    });
    return { id, status: 'retry' as const };
  });
}
