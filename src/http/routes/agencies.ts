import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Role } from '../../domain/access/index.js';
import type { Store } from '../../store/index.js';
import { addAgency, listAgencies, placeAccounts, recallAccount } from '../../services/agencies/index.js';
import { inScope, principalOf } from '../auth.js';
import { doc, errorResponses, RefParams } from '../schemas.js';

const LIST: readonly Role[] = ['admin', 'manager', 'agency_user'];
const ADMIN: readonly Role[] = ['admin'];
const PLACE: readonly Role[] = ['admin', 'manager'];
const Agency = z.object({ ref: z.string(), name: z.string(), placedAccounts: z.number().int() });

export function agencyRoutes(app: FastifyInstance, store: Store) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/v1/agencies',
    {
      config: { access: LIST },
      schema: {
        ...doc(
          'agencies',
          'Agencies and their active placements',
          LIST,
          'An agency user sees only their own agency.',
        ),
        response: { 200: z.object({ items: z.array(Agency) }), ...errorResponses },
      },
    },
    async (request) => ({ items: await inScope(store, request, listAgencies) }),
  );
  r.post(
    '/api/v1/agencies',
    {
      config: { access: ADMIN },
      schema: {
        ...doc('agencies', 'Create an agency', ADMIN),
        body: z.object({ ref: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/), name: z.string().min(1).max(200) }),
        response: { 201: Agency, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await addAgency(store, principalOf(request), request.body)),
  );
  r.post(
    '/api/v1/agencies/:ref/placements',
    {
      config: { access: PLACE },
      schema: {
        ...doc(
          'agencies',
          'Place accounts with an agency',
          PLACE,
          'An account placed elsewhere is recalled from there first.',
        ),
        params: z.object({ ref: z.string().min(1).max(64).describe('agency ref') }),
        body: z.object({ accounts: z.array(z.string().min(1).max(64)).min(1).max(10_000) }),
        response: { 200: z.object({ placed: z.number().int() }), ...errorResponses },
      },
    },
    async (request) => placeAccounts(store, principalOf(request), request.params.ref, request.body.accounts),
  );
  r.delete(
    '/api/v1/accounts/:ref/placement',
    {
      config: { access: PLACE },
      schema: {
        ...doc('agencies', 'Recall an account from its agency', PLACE),
        params: RefParams,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await recallAccount(store, principalOf(request), request.params.ref);
      return reply.status(204).send(null);
    },
  );
}
