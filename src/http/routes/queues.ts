import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Role } from '../../domain/access/index.js';
import { ArrearsError } from '../../domain/errors.js';
import type { Store } from '../../store/index.js';
import {
  allocateCases,
  getProfile,
  listProfiles,
  listQueue,
  nextCase,
  setProfile,
} from '../../services/queues/index.js';
import { inScope, principalOf } from '../auth.js';
import { DateText, doc, errorResponses, MoneyText } from '../schemas.js';

const SUPERVISE: readonly Role[] = ['admin', 'manager'];
const READ_PROFILE: readonly Role[] = ['admin', 'manager', 'collector', 'field_agent'];
const QUEUE: readonly Role[] = ['admin', 'manager', 'collector', 'field_agent', 'agency_user'];

const Username = z.object({ username: z.string().min(1).max(64).describe('user name') });
const Profile = z.object({
  username: z.string(),
  role: z.string(),
  locales: z.array(z.string()).describe('debtor locales the user can work, e.g. en-US, zh-CN'),
  jurisdictions: z.array(z.string()),
  skills: z.array(z.string()).describe('e.g. legal, dispute, high_balance, hardship'),
  buckets: z.array(z.string()).describe('empty: every bucket'),
  maxOpenCases: z.number().int().describe('workload cap: open cases allocated to the user'),
  openCases: z.number().int(),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
});
const Factor = z.object({ factor: z.string(), value: z.string(), points: z.number() });
const QueueItem = z.object({
  account: z.string(),
  caseStatus: z.string(),
  bucket: z.string(),
  dpd: z.number().int(),
  overdue: MoneyText,
  currency: z.string(),
  propensity: z.number().describe('0..1, from the scorecard'),
  expectedRecovery: MoneyText.describe('overdue × propensity'),
  urgent: z.boolean().describe('a promise is due today or overdue and not yet judged'),
  promiseDue: DateText.nullable(),
  assignedTo: z.string().nullable(),
  claimedBy: z.string().nullable(),
  claimedUntil: z.string().nullable(),
  scorecard: z.string(),
  factors: z.array(Factor),
});
const QueueQuery = z.object({
  user: z.string().min(1).max(64).optional().describe('whose queue (manager, admin); default yours'),
  asOf: DateText.optional().describe("default: today in each debtor's zone"),
});

export function queueRoutes(app: FastifyInstance, store: Store) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/v1/collectors',
    {
      config: { access: SUPERVISE },
      schema: {
        ...doc('queues', 'Collectors and field agents with their profiles and open cases', SUPERVISE),
        response: { 200: z.object({ items: z.array(Profile) }), ...errorResponses },
      },
    },
    async () => ({ items: await listProfiles(store) }),
  );
  r.get(
    '/api/v1/collectors/:username',
    {
      config: { access: READ_PROFILE },
      schema: {
        ...doc('queues', 'A collector profile (your own; a manager or admin: anyone’s)', READ_PROFILE),
        params: Username,
        response: { 200: Profile, ...errorResponses },
      },
    },
    async (request) => getProfile(store, principalOf(request), request.params.username),
  );
  r.put(
    '/api/v1/collectors/:username',
    {
      config: { access: SUPERVISE },
      schema: {
        ...doc(
          'queues',
          'Set a collector profile',
          SUPERVISE,
          'Languages (debtor locales), jurisdictions, skills and buckets the user works, and the workload cap. Replaces the whole profile.',
        ),
        params: Username,
        body: z.object({
          locales: z.array(z.string().max(16)).max(20),
          jurisdictions: z.array(z.string().max(8)).max(20),
          skills: z.array(z.string().max(32)).max(20).optional(),
          buckets: z.array(z.string().max(32)).max(20).optional(),
          maxOpenCases: z.number().int().min(0).max(100_000),
        }),
        response: { 200: Profile, ...errorResponses },
      },
    },
    async (request) => setProfile(store, principalOf(request), request.params.username, request.body),
  );
  r.post(
    '/api/v1/allocations',
    {
      config: { access: SUPERVISE },
      schema: {
        ...doc(
          'queues',
          'Allocate queued cases to collectors',
          SUPERVISE,
          'Takes the accounts with an open collector_queue (to collectors) or field_visit (to field agents) escalation and assigns them by language, jurisdiction, bucket and skill, never above a workload cap, highest expected recovery first, to the least loaded eligible user. Accepted escalations are closed. Every case is reported, unassigned ones with the reason.',
        ),
        body: z.object({ asOf: DateText.optional().describe('default today (UTC)') }).optional(),
        response: {
          200: z.object({
            run: z.number().int(),
            asOf: DateText,
            scorecard: z.string(),
            considered: z.number().int(),
            assigned: z.number().int(),
            kept: z.number().int(),
            unassigned: z.number().int(),
            byReason: z.record(z.string(), z.number().int()),
            byUser: z.array(
              z.object({
                user: z.string(),
                assigned: z.number().int(),
                openCases: z.number().int(),
                maxOpenCases: z.number().int(),
              }),
            ),
            items: z.array(
              z.object({
                account: z.string(),
                target: z.string(),
                outcome: z.enum(['assigned', 'kept', 'unassigned']),
                user: z.string().nullable(),
                reason: z.string().nullable(),
                bucket: z.string(),
                expectedRecovery: MoneyText,
                currency: z.string(),
                propensity: z.number(),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => allocateCases(store, principalOf(request), request.body?.asOf),
  );
  r.get(
    '/api/v1/queue',
    {
      config: { access: QUEUE },
      schema: {
        ...doc(
          'queues',
          'Your queue, best first',
          QUEUE,
          'Cases allocated to you (an agency user: the accounts placed with the agency), ordered: promises due today or overdue and not yet judged first, then expected recovery (overdue × propensity) descending. Keyset paged.',
        ),
        querystring: QueueQuery.extend({
          limit: z.coerce.number().int().min(1).max(200).default(50),
          cursor: z.string().max(200).optional(),
        }),
        response: {
          200: z.object({ items: z.array(QueueItem), nextCursor: z.string().nullable() }),
          ...errorResponses,
        },
      },
    },
    async (request) => inScope(store, request, (s) => listQueue(s, principalOf(request), request.query)),
  );
  const NextResponse = z.object({ item: QueueItem.nullable() });
  r.get(
    '/api/v1/queue/next',
    {
      config: { access: QUEUE },
      schema: {
        ...doc(
          'queues',
          'The next best account (not claimed by anyone else)',
          QUEUE,
          'Read-only. To claim it in the same step use POST /api/v1/queue/next (a GET never changes state).',
        ),
        querystring: QueueQuery.extend({
          claim: z.enum(['true', 'false']).optional().describe('refused: claim with POST'),
        }),
        response: { 200: NextResponse, ...errorResponses },
      },
    },
    async (request) => {
      if (request.query.claim === 'true')
        throw new ArrearsError('invalid', 'claim with POST /api/v1/queue/next; a GET never changes state', {
          issues: [{ field: 'claim', message: 'use POST to claim' }],
        });
      const { item } = await inScope(store, request, (s) =>
        nextCase(s, principalOf(request), { user: request.query.user, asOf: request.query.asOf }),
      );
      return { item };
    },
  );
  r.post(
    '/api/v1/queue/next',
    {
      config: { access: QUEUE },
      schema: {
        ...doc(
          'queues',
          'Claim the next best account',
          QUEUE,
          'Claims the best case of your queue that nobody else holds, atomically (the claim of POST /accounts/:ref/case/claim); if another caller claims it first, the next one is taken, so two callers never get the same case. item is null when nothing is left.',
        ),
        querystring: z.object({
          asOf: DateText.optional(),
          claim: z.enum(['true']).optional().describe('accepted for compatibility; POST always claims'),
        }),
        response: { 200: NextResponse, ...errorResponses },
      },
    },
    async (request) => {
      const { item } = await inScope(store, request, (s) =>
        nextCase(s, principalOf(request), { asOf: request.query.asOf, claim: true }),
      );
      return { item };
    },
  );
}
