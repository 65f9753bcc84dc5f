import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Role } from '../../domain/access/index.js';
import type { Store } from '../../store/index.js';
import {
  createEndpoint,
  listDeliveries,
  listEndpoints,
  redeliver,
  updateEndpoint,
  WEBHOOK_EVENT_TYPES,
} from '../../services/webhooks/index.js';
import { principalOf } from '../auth.js';
import { doc, errorResponses } from '../schemas.js';

const ADMIN: readonly Role[] = ['admin'];

const Endpoint = z.object({
  id: z.number().int(),
  url: z.string(),
  eventTypes: z.array(z.string()),
  active: z.boolean(),
  description: z.string().nullable(),
  createdAt: z.string(),
});

const Delivery = z.object({
  id: z.number().int(),
  endpointId: z.number().int(),
  eventId: z.string(),
  eventType: z.string(),
  status: z.string().describe('pending, sending, delivered, retry or dead'),
  attempts: z.number().int(),
  nextAttemptAt: z.string(),
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  createdAt: z.string(),
});

const EventTypes = z
  .array(z.string())
  .describe(`event types to receive: ${WEBHOOK_EVENT_TYPES.join(', ')}, or "*" for all`);

const IdParams = z.object({ id: z.coerce.number().int().positive() });

export function webhookRoutes(app: FastifyInstance, store: Store) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/v1/webhooks/endpoints',
    {
      config: { access: ADMIN },
      schema: {
        ...doc('webhooks', 'Webhook endpoints (never their secrets)', ADMIN),
        response: { 200: z.object({ items: z.array(Endpoint) }), ...errorResponses },
      },
    },
    async () => ({ items: await listEndpoints(store) }),
  );
  r.post(
    '/api/v1/webhooks/endpoints',
    {
      config: { access: ADMIN },
      schema: {
        ...doc(
          'webhooks',
          'Add a webhook endpoint',
          ADMIN,
          'The answer carries the signing secret; it is shown this once and never returned again. Deliveries are signed: X-Arrears-Signature = "sha256=" + hex HMAC-SHA256 of X-Arrears-Timestamp + "." + body.',
        ),
        body: z.object({
          url: z.string().max(2000).describe('http:// or https:// URL that receives POSTed JSON'),
          eventTypes: EventTypes,
          description: z.string().max(500).optional(),
        }),
        response: { 201: Endpoint.extend({ secret: z.string() }), ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createEndpoint(store, principalOf(request), request.body)),
  );
  r.patch(
    '/api/v1/webhooks/endpoints/:id',
    {
      config: { access: ADMIN },
      schema: {
        ...doc('webhooks', 'Change, pause or resume a webhook endpoint', ADMIN),
        params: IdParams,
        body: z.object({
          url: z.string().max(2000).optional(),
          eventTypes: EventTypes.optional(),
          active: z.boolean().optional(),
        }),
        response: { 200: Endpoint, ...errorResponses },
      },
    },
    async (request) => updateEndpoint(store, principalOf(request), request.params.id, request.body),
  );
  r.get(
    '/api/v1/webhooks/deliveries',
    {
      config: { access: ADMIN },
      schema: {
        ...doc('webhooks', 'Recent webhook deliveries, newest first', ADMIN),
        querystring: z.object({
          status: z.enum(['pending', 'sending', 'delivered', 'retry', 'dead']).optional(),
          endpointId: z.coerce.number().int().positive().optional(),
          limit: z.coerce.number().int().min(1).max(1000).optional(),
        }),
        response: { 200: z.object({ items: z.array(Delivery) }), ...errorResponses },
      },
    },
    async (request) => ({ items: await listDeliveries(store, request.query) }),
  );
  r.post(
    '/api/v1/webhooks/deliveries/:id/redeliver',
    {
      config: { access: ADMIN },
      schema: {
        ...doc('webhooks', 'Queue a dead delivery again with a fresh attempt budget', ADMIN),
        params: IdParams,
        response: { 200: z.object({ id: z.number().int(), status: z.literal('retry') }), ...errorResponses },
      },
    },
    async (request) => redeliver(store, principalOf(request), request.params.id),
  );
}
