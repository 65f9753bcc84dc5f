import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Role } from '../../domain/access/index.js';
import type { Store } from '../../store/index.js';
import { addPromise, listPromises } from '../../services/promises/index.js';
import { inScope, principalOf } from '../auth.js';
import { AllRoles, Confirmation, DateText, doc, errorResponses, MoneyText, RefParams } from '../schemas.js';

const RECORD: readonly Role[] = ['admin', 'manager', 'collector', 'field_agent', 'agency_user'];

const PromiseView = z.object({
  id: z.number().int(),
  amount: MoneyText,
  currency: z.string(),
  madeOn: DateText,
  dueOn: DateText,
  graceDays: z.number().int(),
  tolerance: MoneyText,
  status: z.enum(['pending', 'kept', 'partially_kept', 'broken']),
  paid: MoneyText,
  shortfall: MoneyText,
  deadline: DateText.describe('last day a payment counts: dueOn + graceDays'),
  confirmation: Confirmation,
});

export function promiseRoutes(app: FastifyInstance, store: Store) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/v1/accounts/:ref/promises',
    {
      config: { access: AllRoles },
      schema: {
        ...doc(
          'promises',
          "An account's promises to pay, judged from posted payments",
          AllRoles,
          'Kept once payments received from the day of the promise to dueOn + graceDays reach amount − tolerance (early payments count); pending until then; afterwards partially_kept if anything was paid in time, else broken. Reversed payments do not count.',
        ),
        params: RefParams,
        querystring: z.object({ asOf: DateText.optional() }),
        response: {
          200: z.object({ account: z.string(), asOf: DateText, items: z.array(PromiseView) }),
          ...errorResponses,
        },
      },
    },
    async (request) =>
      inScope(store, request, (s) => listPromises(s, request.params.ref, request.query.asOf)),
  );
  r.post(
    '/api/v1/accounts/:ref/promises',
    {
      config: { access: RECORD },
      schema: {
        ...doc(
          'promises',
          'Record a promise to pay',
          RECORD,
          'Made today (debtor time zone), due within 92 days. A written, signed confirmation is planned at once (e-mail, else letter; refused when the debtor has neither).',
        ),
        params: RefParams,
        body: z.object({
          amount: z.string().regex(/^\d{1,15}(\.\d{1,4})?$/, 'must be a positive decimal like 120.50'),
          dueOn: DateText,
          graceDays: z.number().int().min(0).max(60).optional().describe('default 2'),
          tolerance: z
            .string()
            .regex(/^\d{1,15}(\.\d{1,4})?$/)
            .optional()
            .describe('shortfall still judged kept, default "0"'),
        }),
        response: { 201: PromiseView, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await inScope(store, request, (s) =>
            addPromise(s, principalOf(request), request.params.ref, request.body),
          ),
        ),
  );
}
