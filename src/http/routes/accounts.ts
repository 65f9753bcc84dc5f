import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Role } from '../../domain/access/index.js';
import type { Store } from '../../store/index.js';
import { getAccount, listAccounts } from '../../services/accounts/index.js';
import {
  getStatement,
  snapshotPortfolio,
  portfolioJson,
  statementJson,
  resolveAsOf,
} from '../../services/statements/index.js';
import { DEFAULT_BUCKETS } from '../../domain/delinquency/index.js';
import { inScope } from '../auth.js';
import { AllRoles, DateText, doc, errorResponses, MoneyText, RefParams } from '../schemas.js';

const Parts = z.object({
  principal: MoneyText,
  interest: MoneyText,
  fees: MoneyText,
  penalty: MoneyText,
  total: MoneyText,
});

export const StatementSchema = z.object({
  account: z.string(),
  creditor: z.string(),
  debtor: z.string(),
  product: z.string(),
  asOf: DateText,
  currency: z.string(),
  dpd: z.number().int(),
  bucket: z.string(),
  overdue: Parts,
  outstandingPrincipal: MoneyText,
  payoff: MoneyText,
  credit: MoneyText,
  capReduction: z.object({ amount: MoneyText, rule: z.string() }).nullable(),
  installments: z.array(
    z.object({
      seq: z.number().int(),
      due: DateText,
      status: z.string(),
      daysPastDue: z.number().int(),
      charged: Parts,
      paid: Parts,
      writtenOff: Parts.optional().describe('forgiven by a settlement write-off (only when there is one)'),
      outstanding: Parts,
    }),
  ),
  payments: z.array(
    z.object({
      ref: z.string(),
      receivedOn: DateText,
      amount: MoneyText,
      allocations: z.array(
        z.object({ installment: z.number().int(), component: z.string(), amount: MoneyText }),
      ),
      unapplied: MoneyText,
    }),
  ),
  adjustments: z
    .array(
      z.object({
        kind: z.literal('settlement_write_off'),
        ref: z.string().describe('the settlement or plan that was completed'),
        on: DateText,
        amounts: Parts.describe('forgiven by component; with the payments they explain every figure'),
        unapplied: MoneyText,
      }),
    )
    .describe('itemised lines that are not payments: what a completed settlement wrote off'),
  formula: z.array(z.string()).describe('plain-language lines that produce every figure'),
});

const ListItem = z.object({
  ref: z.string(),
  status: z.enum(['open', 'closed']),
  product: z.string(),
  currency: z.string(),
  principal: MoneyText,
  openedOn: DateText,
  creditor: z.string(),
  debtor: z.string(),
  jurisdiction: z.string(),
  agency: z.string().nullable(),
});

const Detail = z.object({
  ref: z.string(),
  status: z.enum(['open', 'closed']),
  product: z.string(),
  currency: z.string(),
  principal: MoneyText,
  interestRate: z.string(),
  penaltyRate: z.string(),
  openedOn: DateText,
  paymentReference: z
    .string()
    .nullable()
    .describe(
      'the reference the payer quotes (normalised: no spaces, upper case); reconciliation matches it first',
    ),
  creditor: z.object({ ref: z.string(), name: z.string() }),
  debtor: z.object({
    ref: z.string(),
    name: z.string(),
    locale: z.string(),
    timezone: z.string(),
    jurisdiction: z.string(),
    phones: z.array(z.object({ number: z.string(), kind: z.string() })),
    emails: z.array(z.string()),
  }),
  placement: z.object({ agency: z.string(), placedAt: z.string() }).nullable(),
  summary: z.object({
    asOf: DateText,
    dpd: z.number().int(),
    bucket: z.string(),
    overdue: MoneyText,
    payoff: MoneyText,
    credit: MoneyText,
  }),
});

const Group = z.object({
  accounts: z.number().int(),
  delinquent: z.number().int(),
  overdue: z.record(z.string(), MoneyText),
  outstandingPrincipal: z.record(z.string(), MoneyText),
});

const PORTFOLIO: readonly Role[] = ['admin', 'manager', 'compliance_officer', 'auditor', 'agency_user'];

export function accountRoutes(app: FastifyInstance, store: Store) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/v1/accounts',
    {
      config: { access: AllRoles },
      schema: {
        ...doc(
          'accounts',
          'List accounts (keyset pages)',
          AllRoles,
          'An agency user sees only the accounts placed with their agency.',
        ),
        querystring: z.object({
          limit: z.coerce.number().int().min(1).max(500).default(50),
          cursor: z.string().max(40).optional(),
          status: z.enum(['open', 'closed']).optional(),
          creditor: z.string().max(64).optional(),
          jurisdiction: z.string().length(2).optional(),
          agency: z.string().max(64).optional(),
        }),
        response: {
          200: z.object({ items: z.array(ListItem), nextCursor: z.string().nullable() }),
          ...errorResponses,
        },
      },
    },
    async (request) => inScope(store, request, (s) => listAccounts(s, request.query)),
  );
  r.get(
    '/api/v1/accounts/:ref',
    {
      config: { access: AllRoles },
      schema: {
        ...doc('accounts', "One account: debtor, placement and today's summary", AllRoles),
        params: RefParams,
        response: { 200: Detail, ...errorResponses },
      },
    },
    async (request) => inScope(store, request, (s) => getAccount(s, request.params.ref)),
  );
  r.get(
    '/api/v1/accounts/:ref/statement',
    {
      config: { access: AllRoles },
      schema: {
        ...doc(
          'accounts',
          'Itemised statement as of a date',
          AllRoles,
          "DPD, bucket, overdue principal/interest/fees/penalty per installment, each payment's allocation, caps and the formula. asOf defaults to today in the debtor's time zone.",
        ),
        params: RefParams,
        querystring: z.object({ asOf: DateText.optional() }),
        response: { 200: StatementSchema, ...errorResponses },
      },
    },
    async (request) =>
      statementJson(
        await inScope(store, request, (s) => getStatement(s, request.params.ref, request.query.asOf)),
      ),
  );
  r.get(
    '/api/v1/portfolio',
    {
      config: { access: PORTFOLIO },
      schema: {
        ...doc(
          'accounts',
          'Portfolio summary by bucket, jurisdiction and creditor',
          PORTFOLIO,
          'Computed with the statement engine over every open account visible to the caller (an agency: its placements). Read-only: no snapshot is stored.',
        ),
        querystring: z.object({ asOf: DateText.optional() }),
        response: {
          200: Group.extend({
            asOf: DateText,
            byBucket: z.array(Group.extend({ bucket: z.string() })),
            byJurisdiction: z.array(Group.extend({ jurisdiction: z.string() })),
            byCreditor: z.array(Group.extend({ creditor: z.string(), name: z.string() })),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const asOf = resolveAsOf(request.query.asOf, 'UTC');
      const summary = await inScope(store, request, (s) => snapshotPortfolio(s, asOf, { persist: false }));
      return portfolioJson(
        summary,
        DEFAULT_BUCKETS.map((b) => b.name),
      );
    },
  );
}
