import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Role } from '../../domain/access/index.js';
import type { Store } from '../../store/index.js';
import { PAYMENT_CHANNELS } from '../../services/import/index.js';
import { listPayments, postPayment, reversePayment } from '../../services/payments/index.js';
import { inScope, principalOf } from '../auth.js';
import { AllRoles, DateText, doc, errorResponses, MoneyText, RefParams } from '../schemas.js';

const POST: readonly Role[] = ['admin', 'manager', 'collector', 'agency_user'];
const REVERSE: readonly Role[] = ['admin', 'manager'];

const Allocation = z.object({ installment: z.number().int(), component: z.string(), amount: MoneyText });
const Summary = z.object({
  asOf: DateText,
  dpd: z.number().int(),
  bucket: z.string(),
  overdue: MoneyText,
  payoff: MoneyText,
  credit: MoneyText,
});

export function paymentRoutes(app: FastifyInstance, store: Store) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/v1/accounts/:ref/payments',
    {
      config: { access: AllRoles },
      schema: {
        ...doc('payments', "An account's payments, reversed ones included, with their allocation", AllRoles),
        params: RefParams,
        querystring: z.object({ asOf: DateText.optional() }),
        response: {
          200: z.object({
            account: z.string(),
            asOf: DateText,
            items: z.array(
              z.object({
                ref: z.string(),
                amount: MoneyText,
                currency: z.string(),
                receivedOn: DateText,
                channel: z.string(),
                reversed: z.boolean(),
                reversalReason: z.string().nullable(),
                allocations: z.array(Allocation),
                unapplied: MoneyText.nullable(),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) =>
      inScope(store, request, (s) => listPayments(s, request.params.ref, request.query.asOf)),
  );
  r.post(
    '/api/v1/accounts/:ref/payments',
    {
      config: { access: POST },
      schema: {
        ...doc(
          'payments',
          'Post a payment (exactly once per Idempotency-Key)',
          POST,
          'The same Idempotency-Key with the same body returns the first answer (header Idempotent-Replayed: true); with a different body it is 409. The allocation is computed by the statement engine. There is no cash channel.',
        ),
        params: RefParams,
        headers: z.looseObject({
          'idempotency-key': z
            .string()
            .min(1)
            .max(200)
            .describe('a unique key per payment, chosen by the client'),
        }),
        body: z.object({
          amount: z.string().regex(/^\d{1,15}(\.\d{1,4})?$/, 'must be a positive decimal like 120.50'),
          receivedOn: DateText,
          channel: z.string().describe(`one of ${PAYMENT_CHANNELS.join(', ')} (cash is refused)`),
          ref: z.string().min(1).max(64).optional().describe("the payer's or bank's reference"),
        }),
        response: {
          201: z.object({
            payment: z.object({
              ref: z.string(),
              amount: MoneyText,
              currency: z.string(),
              receivedOn: DateText,
              channel: z.string(),
            }),
            allocations: z.array(Allocation),
            unapplied: MoneyText,
            statement: Summary,
          }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const key = request.headers['idempotency-key'];
      const posted = await inScope(store, request, (s) =>
        postPayment(s, principalOf(request), request.params.ref, key, request.body),
      );
      if (posted.replayed) void reply.header('idempotent-replayed', 'true');
      return reply.status(posted.status).send(posted.body);
    },
  );
  r.post(
    '/api/v1/accounts/:ref/payments/:paymentRef/reversal',
    {
      config: { access: REVERSE },
      schema: {
        ...doc('payments', 'Reverse a payment (bounced, charged back, posted in error)', REVERSE),
        params: RefParams.extend({ paymentRef: z.string().min(1).max(64) }),
        body: z.object({ reason: z.string().min(3).max(500) }),
        response: {
          200: z.object({
            payment: z.string(),
            reversed: z.literal(true),
            reason: z.string(),
            statement: Summary,
          }),
          ...errorResponses,
        },
      },
    },
    async (request) =>
      inScope(store, request, (s) =>
        reversePayment(
          s,
          principalOf(request),
          request.params.ref,
          request.params.paymentRef,
          request.body.reason,
        ),
      ),
  );
}
