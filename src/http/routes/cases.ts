import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Role } from '../../domain/access/index.js';
import type { Store } from '../../store/index.js';
import { claimCase, getCase, releaseCase } from '../../services/cases/index.js';
import { inScope, principalOf } from '../auth.js';
import { AllRoles, doc, errorResponses, RefParams } from '../schemas.js';

const WORK: readonly Role[] = ['admin', 'manager', 'collector', 'field_agent', 'legal', 'agency_user'];
const CaseView = z.object({
  account: z.string(),
  status: z.string(),
  claimedBy: z.string().nullable(),
  claimedUntil: z.string().nullable(),
});

export function caseRoutes(app: FastifyInstance, store: Store) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/v1/accounts/:ref/case',
    {
      config: { access: AllRoles },
      schema: {
        ...doc('cases', "The account's case and who has claimed it", AllRoles),
        params: RefParams,
        response: { 200: CaseView, ...errorResponses },
      },
    },
    async (request) => inScope(store, request, (s) => getCase(s, request.params.ref)),
  );
  r.post(
    '/api/v1/accounts/:ref/case/claim',
    {
      config: { access: WORK },
      schema: {
        ...doc(
          'cases',
          'Claim the case (locks it for others)',
          WORK,
          'Succeeds only if nobody else holds an unexpired claim (409 otherwise, with who and until when). Claiming again extends your claim.',
        ),
        params: RefParams,
        querystring: z.object({
          minutes: z.coerce
            .number()
            .int()
            .min(1)
            .max(480)
            .optional()
            .describe('how long the claim lasts; default 30'),
        }),
        response: { 200: CaseView, ...errorResponses },
      },
    },
    async (request) =>
      inScope(store, request, (s) =>
        claimCase(s, principalOf(request), request.params.ref, request.query.minutes),
      ),
  );
  r.delete(
    '/api/v1/accounts/:ref/case/claim',
    {
      config: { access: WORK },
      schema: {
        ...doc('cases', 'Release a claim (your own; a manager or admin: anyone’s)', WORK),
        params: RefParams,
        response: { 200: CaseView, ...errorResponses },
      },
    },
    async (request) =>
      inScope(store, request, (s) => releaseCase(s, principalOf(request), request.params.ref)),
  );
}
