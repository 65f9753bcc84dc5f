import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Role } from '../../domain/access/index.js';
import { ArrearsError } from '../../domain/errors.js';
import type { Store } from '../../store/index.js';
import { listAudit, verifyAudit } from '../../services/audit/index.js';
import { doc, errorResponses } from '../schemas.js';

const AUDIT: readonly Role[] = ['admin', 'auditor', 'compliance_officer'];

const Record = z.object({
  chain: z.number().int().describe('account id of the chain; 0 for changes that belong to no account'),
  seq: z.number().int(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  entity: z.string(),
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
        ...doc(
          'audit',
          'Audit records of one chain, in order',
          AUDIT,
          'Each account has its own hash chain; changes that belong to no account (users, sessions, agencies, placements) are chain 0.',
        ),
        querystring: z.object({
          account: z
            .string()
            .max(64)
            .optional()
            .describe('account ref whose chain to list (default: chain 0)'),
          after: z.coerce.number().int().min(0).default(0),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
        }),
        response: { 200: z.object({ items: z.array(Record) }), ...errorResponses },
      },
    },
    async (request) => {
      const { account, after, limit } = request.query;
      let chain = 0;
      if (account !== undefined) {
        const row = await store.db
          .selectFrom('accounts')
          .select('id')
          .where('ref', '=', account)
          .executeTakeFirst();
        if (!row) throw new ArrearsError('not_found', `account "${account}" does not exist`);
        chain = row.id;
      }
      return { items: await listAudit(store, chain, after, limit) };
    },
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
            chains: z.number().int(),
            firstBroken: z
              .object({ chain: z.number().int(), seq: z.number().int(), reason: z.string() })
              .nullable(),
          }),
          ...errorResponses,
        },
      },
    },
    async () => verifyAudit(store),
  );
}
