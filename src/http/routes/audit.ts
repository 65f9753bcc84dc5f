import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Role } from '../../domain/access/index.js';
import type { Store } from '../../store/index.js';
import { listAudit, verifyAudit } from '../../services/audit/index.js';
import { doc, errorResponses } from '../schemas.js';

const AUDIT: readonly Role[] = ['admin', 'auditor', 'compliance_officer'];

const Record = z.object({
  seq: z.number().int(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  entity: z.string(),
  accountId: z.number().int().nullable(),
  data: z.record(z.string(), z.unknown()),
  prevHash: z.string(),
  hash: z.string(),
});

export function auditRoutes(app: FastifyInstance, store: Store) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/v1/audit',
    {
      config: { access: AUDIT },
      schema: {
        ...doc('audit', 'Audit records in chain order', AUDIT),
        querystring: z.object({
          after: z.coerce.number().int().min(0).default(0),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
        }),
        response: { 200: z.object({ items: z.array(Record) }), ...errorResponses },
      },
    },
    async (request) => ({ items: await listAudit(store, request.query.after, request.query.limit) }),
  );
  r.get(
    '/api/v1/audit/verify',
    {
      config: { access: AUDIT },
      schema: {
        ...doc('audit', 'Walk the hash chain and report the first broken link', AUDIT),
        response: {
          200: z.object({
            ok: z.boolean(),
            records: z.number().int(),
            headSeq: z.number().int(),
            firstBroken: z.object({ seq: z.number().int(), reason: z.string() }).nullable(),
          }),
          ...errorResponses,
        },
      },
    },
    async () => verifyAudit(store),
  );
}
