import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Role } from '../../domain/access/index.js';
import {
  approvePlan,
  cancelPlan,
  createPlan,
  getPlan,
  listPlans,
  listPlansByStatus,
  rejectPlan,
} from '../../services/negotiation/index.js';
import type { Store } from '../../store/index.js';
import { inScope, principalOf } from '../auth.js';
import { AllRoles, Confirmation, DateText, doc, errorResponses, MoneyText, RefParams } from '../schemas.js';

/** Who may propose a plan or settlement; the approval authority is the role's (src/domain/settlement). */
const PROPOSE: readonly Role[] = ['admin', 'manager', 'collector', 'compliance_officer', 'agency_user'];
/** Who may approve or reject an offer beyond its proposer's authority. */
const APPROVE: readonly Role[] = ['admin', 'manager', 'compliance_officer'];
const CANCEL: readonly Role[] = PROPOSE;

const STATUSES = ['pending_approval', 'active', 'completed', 'broken', 'cancelled', 'rejected'] as const;

const Amount = z.string().regex(/^\d{1,15}(\.\d{1,4})?$/, 'must be a positive decimal like 120.50');

const PlanView = z.object({
  id: z.number().int(),
  account: z.string(),
  kind: z.enum(['installment', 'settlement']),
  status: z.enum(STATUSES),
  currency: z.string(),
  owed: MoneyText.describe('the payoff on the day it was made'),
  amount: MoneyText.describe('the agreed total'),
  discount: MoneyText.describe('owed − amount'),
  discountPercent: z.string(),
  requiredRole: z.string().describe('the lowest role whose authority covers the offer'),
  approvalReason: z.string(),
  installments: z.array(z.object({ seq: z.number().int(), dueOn: DateText, amount: MoneyText })),
  madeOn: DateText,
  graceDays: z.number().int(),
  tolerance: MoneyText,
  proposedBy: z.string(),
  proposedRole: z.string(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decisionNote: z.string().nullable(),
  closedOn: DateText.nullable(),
  closeReason: z.string().nullable(),
  progress: z
    .object({
      asOf: DateText,
      judged: z.enum(['active', 'completed', 'broken']),
      paid: MoneyText,
      installmentsKept: z.number().int(),
      missed: z
        .object({ seq: z.number().int(), dueOn: DateText, deadline: DateText, shortfall: MoneyText })
        .nullable(),
    })
    .nullable()
    .describe(
      'judged from the payments as of asOf, or as of closedOn once closed (null while pending or after rejection)',
    ),
  confirmation: Confirmation,
});

const PlanParams = RefParams.extend({ id: z.coerce.number().int().positive() });

const CreateBody = z.object({
  kind: z.enum(['installment', 'settlement']),
  amount: Amount.optional().describe('agreed total; default for an installment plan: the amount owed today'),
  dueOn: DateText.optional().describe("a settlement's due date, or an installment plan's first due date"),
  installments: z.number().int().min(1).max(120).optional().describe('count, split exactly, monthly'),
  everyDays: z.number().int().min(1).max(92).optional().describe('instead of monthly'),
  schedule: z
    .array(z.object({ dueOn: DateText, amount: Amount }))
    .min(1)
    .max(120)
    .optional()
    .describe('an explicit schedule that adds up exactly to amount'),
  graceDays: z.number().int().min(0).max(60).optional().describe('default 2'),
  tolerance: Amount.optional().describe('total shortfall still judged kept, default "0"'),
});

export function planRoutes(app: FastifyInstance, store: Store) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/v1/plans',
    {
      config: { access: AllRoles },
      schema: {
        ...doc(
          'plans',
          'Plans and settlements across accounts by status (the approval queue)',
          AllRoles,
          'Oldest first; page with `after` = the last id. An agency user sees only its placed accounts.',
        ),
        querystring: z.object({
          status: z.enum(STATUSES).default('pending_approval'),
          after: z.coerce.number().int().min(0).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
        response: {
          200: z.object({
            items: z.array(
              z.object({
                id: z.number().int(),
                account: z.string(),
                kind: z.enum(['installment', 'settlement']),
                status: z.enum(STATUSES),
                currency: z.string(),
                owed: MoneyText,
                amount: MoneyText,
                discount: MoneyText,
                installments: z.number().int(),
                requiredRole: z.string(),
                proposedBy: z.string(),
                proposedRole: z.string(),
                madeOn: DateText,
              }),
            ),
            next: z.number().int().nullable().describe('pass as `after` for the next page'),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => inScope(store, request, (s) => listPlansByStatus(s, request.query)),
  );
  r.get(
    '/api/v1/accounts/:ref/plans',
    {
      config: { access: AllRoles },
      schema: {
        ...doc(
          'plans',
          "An account's installment plans and settlements",
          AllRoles,
          'Active plans are judged from posted payments as of asOf: an installment is kept once the payments since the plan was made reach the running total by its due date + graceDays (less the tolerance).',
        ),
        params: RefParams,
        querystring: z.object({ asOf: DateText.optional() }),
        response: {
          200: z.object({ account: z.string(), asOf: DateText, items: z.array(PlanView) }),
          ...errorResponses,
        },
      },
    },
    async (request) => inScope(store, request, (s) => listPlans(s, request.params.ref, request.query.asOf)),
  );
  r.post(
    '/api/v1/accounts/:ref/plans',
    {
      config: { access: PROPOSE },
      schema: {
        ...doc(
          'plans',
          'Propose an installment plan or a settlement',
          PROPOSE,
          "Against today's amount owed (payoff). Within the proposer's authority (collector: up to 10 % discount and 6 installments; manager: 30 % and 24; compliance officer or admin: beyond) it is active at once and a signed confirmation is planned to the debtor; otherwise it is pending_approval. One open plan per account.",
        ),
        params: RefParams,
        body: CreateBody,
        response: { 201: PlanView, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await inScope(store, request, (s) =>
            createPlan(s, principalOf(request), request.params.ref, request.body),
          ),
        ),
  );
  r.get(
    '/api/v1/accounts/:ref/plans/:id',
    {
      config: { access: AllRoles },
      schema: {
        ...doc('plans', 'One plan or settlement', AllRoles),
        params: PlanParams,
        querystring: z.object({ asOf: DateText.optional() }),
        response: { 200: PlanView, ...errorResponses },
      },
    },
    async (request) =>
      inScope(store, request, (s) => getPlan(s, request.params.ref, request.params.id, request.query.asOf)),
  );
  r.post(
    '/api/v1/accounts/:ref/plans/:id/approval',
    {
      config: { access: APPROVE },
      schema: {
        ...doc(
          'plans',
          'Approve an offer that is beyond its proposer’s authority',
          APPROVE,
          'Only a role whose authority covers the offer, never the person who proposed it. The plan turns active and a signed confirmation is planned to the debtor.',
        ),
        params: PlanParams,
        body: z.object({ note: z.string().max(500).optional() }).optional(),
        response: { 200: PlanView, ...errorResponses },
      },
    },
    async (request) =>
      inScope(store, request, (s) =>
        approvePlan(s, principalOf(request), request.params.ref, request.params.id, request.body?.note),
      ),
  );
  r.post(
    '/api/v1/accounts/:ref/plans/:id/rejection',
    {
      config: { access: APPROVE },
      schema: {
        ...doc('plans', 'Reject an offer waiting for approval', APPROVE),
        params: PlanParams,
        body: z.object({ reason: z.string().min(1).max(500) }),
        response: { 200: PlanView, ...errorResponses },
      },
    },
    async (request) =>
      inScope(store, request, (s) =>
        rejectPlan(s, principalOf(request), request.params.ref, request.params.id, request.body.reason),
      ),
  );
  r.post(
    '/api/v1/accounts/:ref/plans/:id/cancellation',
    {
      config: { access: CANCEL },
      schema: {
        ...doc(
          'plans',
          'Withdraw an offer or end an active plan',
          CANCEL,
          'An offer: its proposer or anyone who could approve it. An active plan: anyone whose authority covers it. The account returns to its strategy.',
        ),
        params: PlanParams,
        body: z.object({ reason: z.string().min(1).max(500) }),
        response: { 200: PlanView, ...errorResponses },
      },
    },
    async (request) =>
      inScope(store, request, (s) =>
        cancelPlan(s, principalOf(request), request.params.ref, request.params.id, request.body.reason),
      ),
  );
}
