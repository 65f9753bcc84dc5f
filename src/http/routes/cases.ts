import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Role } from '../../domain/access/index.js';
import type { Store } from '../../store/index.js';
import { CASE_STATUSES, CLOSE_REASONS } from '../../domain/cases/index.js';
import {
  accountTimeline,
  addNote,
  claimCase,
  getCase,
  listNotes,
  MAX_NOTE_LENGTH,
  releaseCase,
  setCaseStatus,
} from '../../services/cases/index.js';
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
  const Page = z.object({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(300).optional(),
  });
  r.get(
    '/api/v1/accounts/:ref/timeline',
    {
      config: { access: AllRoles },
      schema: {
        ...doc(
          'cases',
          "The case's timeline, newest first",
          AllRoles,
          'One list over events, case changes, payments, promises, notices sent, compliance gate decisions, notes and escalations: {at, kind, summary, ref}. Keyset paged.',
        ),
        params: RefParams,
        querystring: Page,
        response: {
          200: z.object({
            account: z.string(),
            items: z.array(
              z.object({
                at: z.string(),
                kind: z
                  .string()
                  .describe('event, case, payment, promise, notice, decision, note, escalation'),
                summary: z.string(),
                ref: z.string(),
              }),
            ),
            nextCursor: z.string().nullable(),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => inScope(store, request, (s) => accountTimeline(s, request.params.ref, request.query)),
  );
  const Note = z.object({ id: z.number().int(), at: z.string(), author: z.string(), text: z.string() });
  r.get(
    '/api/v1/accounts/:ref/notes',
    {
      config: { access: AllRoles },
      schema: {
        ...doc('cases', "The case's notes, newest first", AllRoles),
        params: RefParams,
        querystring: Page,
        response: {
          200: z.object({ account: z.string(), items: z.array(Note), nextCursor: z.string().nullable() }),
          ...errorResponses,
        },
      },
    },
    async (request) => inScope(store, request, (s) => listNotes(s, request.params.ref, request.query)),
  );
  r.post(
    '/api/v1/accounts/:ref/notes',
    {
      config: { access: WORK },
      schema: {
        ...doc(
          'cases',
          'Add a note to the case',
          WORK,
          'Notes are append-only: never edited or deleted. The audit record keeps the length and hash of the text, not the text.',
        ),
        params: RefParams,
        body: z.object({ text: z.string().min(1).max(MAX_NOTE_LENGTH) }),
        response: { 201: Note, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await inScope(store, request, (s) =>
            addNote(s, principalOf(request), request.params.ref, request.body.text),
          ),
        ),
  );
  r.post(
    '/api/v1/accounts/:ref/case/status',
    {
      config: { access: WORK },
      schema: {
        ...doc(
          'cases',
          'Change the case status',
          WORK,
          'Closing needs reason paid (nothing owed) or recalled (the lender closed the account); only a manager or admin reopens a closed case or sets one back to open; legal only by legal, manager, admin; promise needs a pending promise; placed needs an active placement. Audited, and shown on the timeline.',
        ),
        params: RefParams,
        body: z.object({ status: z.enum(CASE_STATUSES), reason: z.enum(CLOSE_REASONS).optional() }),
        response: { 200: CaseView, ...errorResponses },
      },
    },
    async (request) =>
      inScope(store, request, (s) =>
        setCaseStatus(s, principalOf(request), request.params.ref, request.body),
      ),
  );
}
