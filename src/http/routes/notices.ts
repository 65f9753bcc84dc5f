import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listKeys, verifyCode } from '../../notices/index.js';
import type { Store } from '../../store/index.js';
import { doc, errorResponses } from '../schemas.js';
import { pickLocale, verifyPage } from '../verify-page.js';

const VerifyResult = z.object({
  genuine: z.boolean(),
  reason: z.string().optional(),
  code: z.string().optional(),
  notice: z
    .object({
      channel: z.string(),
      creditor: z.string(),
      account: z.string().describe('masked: the last four characters'),
      amount: z.string(),
      currency: z.string(),
      date: z.string(),
      keyId: z.string(),
      recipient: z.string().optional().describe('masked'),
      subject: z.string().optional(),
      issuedAt: z.string().optional(),
    })
    .optional(),
  checks: z.record(z.string(), z.boolean().nullable()).optional(),
});

/**
 * What a debtor (or anyone holding a notice) may ask without an account: is this notice genuine, and which
 * keys sign our notices. Rate-limited per address, and nothing personal beyond what the notice shows.
 */
export function noticeRoutes(
  app: FastifyInstance,
  store: Store,
  verifyRateLimit: { max: number; timeWindow: number },
) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/v1/notices/keys',
    {
      config: { access: 'public' },
      schema: {
        ...doc(
          'notices',
          'The public keys that sign notices',
          'public',
          'Ed25519 public keys (active and retired) for checking a notice offline: `arrears verify --file notice.pdf --public-key KEY`.',
        ),
        response: {
          200: z.object({
            keys: z.array(
              z.object({
                keyId: z.string(),
                publicKey: z.string(),
                status: z.enum(['active', 'retired']),
                createdAt: z.string(),
                retiredAt: z.string().nullable(),
              }),
            ),
          }),
        },
      },
    },
    async () => ({ keys: await listKeys(store) }),
  );
  r.get(
    '/api/v1/verify/:code',
    {
      config: { access: 'public', rateLimit: verifyRateLimit },
      schema: {
        ...doc(
          'notices',
          'Is this notice genuine?',
          'public',
          'The verification code printed on every letter, e-mail and SMS (the QR code links here). Answers what was sent, masked; a forged, altered or unknown code is `genuine: false` with the reason.',
        ),
        params: z.object({ code: z.string().min(1).max(64) }),
        response: { 200: VerifyResult, ...errorResponses },
      },
    },
    async (req) => verifyCode(store, req.params.code),
  );
  // Where the QR code on a letter points (ARREARS_PUBLIC_URL/verify/CODE): the same answer as a page.
  r.get(
    '/verify/:code',
    {
      config: { access: 'public', rateLimit: verifyRateLimit },
      schema: {
        // A page for people; the JSON answer is documented at /api/v1/verify/{code}.
        hide: true,
        params: z.object({ code: z.string().min(1).max(64) }),
        querystring: z.object({ lang: z.string().max(20).optional() }),
      },
    },
    async (req, reply) => {
      const result = await verifyCode(store, req.params.code);
      return reply
        .type('text/html; charset=utf-8')
        .send(verifyPage(result, pickLocale(req.headers['accept-language'], req.query.lang)));
    },
  );
}
