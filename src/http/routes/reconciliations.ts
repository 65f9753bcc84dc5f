import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Role } from '../../domain/access/index.js';
import type { Store } from '../../store/index.js';
import { listRuns, matchLine, reconcileStatement, runLines } from '../../services/reconciliation/index.js';
import { principalOf } from '../auth.js';
import { doc, errorResponses } from '../schemas.js';

const RECONCILE: readonly Role[] = ['admin', 'manager'];

const Line = z.object({
  line: z
    .number()
    .int()
    .describe("the line in a CSV file; a camt.053 transaction's place in the file (1, 2, …)"),
  position: z
    .string()
    .nullable()
    .describe('camt.053: where the transaction is in the document, e.g. Stmt[1]/Ntry[3]/TxDtls[2]'),
  transactionId: z.string(),
  bookedOn: z.string(),
  amount: z.string(),
  currency: z.string(),
  reference: z.string(),
  status: z
    .string()
    .describe(
      'posted, already_posted, unmatched, ambiguous, invalid, matched_manually (would_post in a dry run)',
    ),
  reason: z.string().nullable(),
  account: z.string().nullable(),
  payment: z.string().nullable(),
  matchedBy: z
    .enum(['payment_reference', 'account_ref', 'manual'])
    .nullable()
    .describe('how the account was found: its payment reference, an account ref in the text, or by hand'),
});

const RunParams = z.object({ id: z.coerce.number().int().positive() });

export function reconciliationRoutes(app: FastifyInstance, store: Store) {
  for (const type of ['text/csv', 'application/xml', 'text/xml'])
    if (!app.hasContentTypeParser(type))
      app.addContentTypeParser(type, { parseAs: 'string', bodyLimit: 50 * 1024 * 1024 }, (_req, body, done) =>
        done(null, body),
      );
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/api/v1/reconciliations',
    {
      config: { access: RECONCILE },
      bodyLimit: 50 * 1024 * 1024,
      schema: {
        ...doc(
          'reconciliations',
          'Import a bank statement (CSV, Content-Type text/csv; or ISO 20022 camt.053, Content-Type application/xml)',
          RECONCILE,
          'camt.053.001.02 to .001.08 are read whatever their namespace prefix: each booked credit entry, or each transaction of a batch entry, is one line. Each credit whose reference names exactly one account of the same currency posts a bank_transfer payment with Idempotency-Key bank:<transaction_id>; re-importing a statement posts nothing twice. Every other line is stored with its reason for manual matching. A file that is not entirely readable is refused (400, issues with line and field) before anything is posted. Columns: docs/reconciliation.md.',
        ),
        querystring: z.object({
          file: z.string().max(500).optional().describe('file name, for the report'),
          format: z
            .enum(['csv', 'camt053'])
            .optional()
            .describe('default: camt053 for an XML content type, else csv'),
          dryRun: z.enum(['true', 'false']).optional(),
          referencePattern: z
            .string()
            .max(500)
            .optional()
            .describe('regular expression for account refs in the reference'),
        }),
        body: z.string().min(1).describe('the statement: CSV with a header line, or a camt.053 XML document'),
        response: {
          200: z.object({
            run: z.number().int().nullable(),
            file: z.string(),
            dryRun: z.boolean(),
            lines: z.number().int(),
            posted: z.number().int(),
            alreadyPosted: z.number().int(),
            unmatched: z.number().int(),
            outcomes: z.array(Line),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const xml = /\bxml\b/i.test(request.headers['content-type'] ?? '');
      const format = request.query.format ?? (xml ? 'camt053' : 'csv');
      return reconcileStatement(
        store,
        principalOf(request),
        {
          name: request.query.file ?? (format === 'camt053' ? 'statement.xml' : 'statement.csv'),
          bytes: Buffer.from(request.body, 'utf8'),
        },
        {
          format,
          dryRun: request.query.dryRun === 'true',
          referencePattern: request.query.referencePattern,
        },
      );
    },
  );
  r.get(
    '/api/v1/reconciliations',
    {
      config: { access: RECONCILE },
      schema: {
        ...doc('reconciliations', 'Reconciliation runs, newest first', RECONCILE),
        response: {
          200: z.object({
            items: z.array(
              z.object({
                id: z.number().int(),
                file: z.string(),
                format: z.string(),
                lines: z.number().int(),
                posted: z.number().int(),
                alreadyPosted: z.number().int(),
                unmatched: z.number().int(),
                createdAt: z.string(),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async () => ({ items: await listRuns(store) }),
  );
  r.get(
    '/api/v1/reconciliations/:id/lines',
    {
      config: { access: RECONCILE },
      schema: {
        ...doc(
          'reconciliations',
          'The stored lines of a run (open=true: only those waiting to be matched)',
          RECONCILE,
        ),
        params: RunParams,
        querystring: z.object({ open: z.enum(['true', 'false']).optional() }),
        response: { 200: z.object({ run: z.number().int(), items: z.array(Line) }), ...errorResponses },
      },
    },
    async (request) => runLines(store, request.params.id, { open: request.query.open === 'true' }),
  );
  r.post(
    '/api/v1/reconciliations/:id/lines/:line/match',
    {
      config: { access: RECONCILE },
      schema: {
        ...doc(
          'reconciliations',
          'Match an unmatched or ambiguous line to an account (posts its payment)',
          RECONCILE,
        ),
        params: RunParams.extend({ line: z.coerce.number().int().positive() }),
        body: z.object({ account: z.string().min(1).max(64).describe('account ref') }),
        response: {
          200: z.object({
            run: z.number().int(),
            line: z.number().int(),
            status: z.literal('matched_manually'),
            matchedBy: z.literal('manual'),
            account: z.string(),
            payment: z.string(),
            amount: z.string(),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) =>
      matchLine(store, principalOf(request), request.params.id, request.params.line, request.body.account),
  );
}
