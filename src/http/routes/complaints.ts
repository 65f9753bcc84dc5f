import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Role } from '../../domain/access/index.js';
import type { Store } from '../../store/index.js';
import {
  addComplaintNote,
  assignComplaint,
  COMPLAINT_CATEGORIES,
  COMPLAINT_CHANNELS,
  COMPLAINT_OUTCOMES,
  listComplaints,
  openComplaint,
  overdueComplaints,
  resolveComplaint,
} from '../../services/complaints/index.js';
import { inScope, principalOf } from '../auth.js';
import { AllRoles, DateText, doc, errorResponses, RefParams } from '../schemas.js';

const INTAKE: readonly Role[] = [
  'admin',
  'manager',
  'collector',
  'field_agent',
  'legal',
  'compliance_officer',
  'agency_user',
];
const HANDLE: readonly Role[] = ['admin', 'manager', 'compliance_officer'];
const NOTE: readonly Role[] = [...HANDLE, 'legal'];
const OVERDUE: readonly Role[] = ['admin', 'manager', 'compliance_officer', 'auditor'];

const IdParams = RefParams.extend({ id: z.coerce.number().int().positive().describe('complaint id') });

const ComplaintView = z.object({
  id: z.number().int(),
  account: z.string(),
  receivedAt: z.string(),
  channel: z.string(),
  category: z.string(),
  summary: z.string(),
  jurisdiction: z.string(),
  slaRule: z.string().describe('the rule behind the deadlines, e.g. ES.COMPLAINT'),
  respondBy: DateText.nullable().describe('last local day to respond (US)'),
  resolveBy: DateText.describe('last local day to resolve'),
  status: z.enum(['open', 'investigating', 'resolved']),
  assignedTo: z.string().nullable(),
  respondedAt: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  resolvedBy: z.string().nullable(),
  outcome: z.enum(COMPLAINT_OUTCOMES).nullable(),
  resolution: z.string().nullable(),
  letterKey: z.string().nullable(),
  openedBy: z.string(),
  notes: z.array(
    z.object({
      id: z.number().int(),
      kind: z.enum(['investigation', 'response']),
      text: z.string(),
      author: z.string(),
      at: z.string(),
    }),
  ),
});

export function complaintRoutes(app: FastifyInstance, store: Store) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/v1/accounts/:ref/complaints',
    {
      config: { access: AllRoles },
      schema: {
        ...doc('complaints', "The account's complaints with their notes", AllRoles),
        params: RefParams,
        response: {
          200: z.object({ account: z.string(), items: z.array(ComplaintView) }),
          ...errorResponses,
        },
      },
    },
    async (request) => inScope(store, request, (s) => listComplaints(s, request.params.ref)),
  );
  r.post(
    '/api/v1/accounts/:ref/complaints',
    {
      config: { access: INTAKE },
      schema: {
        ...doc(
          'complaints',
          'Take in a complaint',
          INTAKE,
          "Deadlines from the debtor's jurisdiction (US 15 days to respond / 60 to close, CN 15 days, ES 15 business days, KR 14 days), counted in the debtor's zone from the day after receipt.",
        ),
        params: RefParams,
        body: z.object({
          summary: z.string().min(1).max(4000),
          category: z.enum(COMPLAINT_CATEGORIES),
          channel: z.enum(COMPLAINT_CHANNELS),
          receivedAt: z.string().optional().describe('ISO 8601 instant; default now'),
        }),
        response: { 201: ComplaintView, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await inScope(store, request, (s) =>
            openComplaint(s, principalOf(request), request.params.ref, request.body),
          ),
        ),
  );
  r.post(
    '/api/v1/accounts/:ref/complaints/:id/assignment',
    {
      config: { access: HANDLE },
      schema: {
        ...doc('complaints', 'Assign a complaint to a member of staff', HANDLE),
        params: IdParams,
        body: z.object({ username: z.string().min(1).max(64) }),
        response: { 200: ComplaintView, ...errorResponses },
      },
    },
    async (request) =>
      inScope(store, request, (s) =>
        assignComplaint(
          s,
          principalOf(request),
          request.params.ref,
          request.params.id,
          request.body.username,
        ),
      ),
  );
  r.post(
    '/api/v1/accounts/:ref/complaints/:id/notes',
    {
      config: { access: NOTE },
      schema: {
        ...doc(
          'complaints',
          'Add an investigation note or record the response given',
          NOTE,
          'kind response: the first one meets the respond deadline.',
        ),
        params: IdParams,
        body: z.object({
          kind: z.enum(['investigation', 'response']).optional().describe('default investigation'),
          text: z.string().min(1).max(8000),
        }),
        response: { 201: ComplaintView, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await inScope(store, request, (s) =>
            addComplaintNote(s, principalOf(request), request.params.ref, request.params.id, request.body),
          ),
        ),
  );
  r.post(
    '/api/v1/accounts/:ref/complaints/:id/resolution',
    {
      config: { access: HANDLE },
      schema: {
        ...doc(
          'complaints',
          'Resolve a complaint',
          HANDLE,
          'Plans the complaint_resolution letter to the complainant (outbox; the resolution text is printed in it and linted at send time).',
        ),
        params: IdParams,
        body: z.object({ outcome: z.enum(COMPLAINT_OUTCOMES), resolution: z.string().min(1).max(4000) }),
        response: { 200: ComplaintView, ...errorResponses },
      },
    },
    async (request) =>
      inScope(store, request, (s) =>
        resolveComplaint(s, principalOf(request), request.params.ref, request.params.id, request.body),
      ),
  );
  r.get(
    '/api/v1/complaints/overdue',
    {
      config: { access: OVERDUE },
      schema: {
        ...doc(
          'complaints',
          'Complaints past their SLA deadline, most overdue first',
          OVERDUE,
          "Not responded after respondBy, or not resolved after resolveBy, by the debtor's local date (or asOf).",
        ),
        querystring: z.object({ asOf: DateText.optional() }),
        response: {
          200: z.object({
            asOf: z.string().nullable(),
            items: z.array(
              z.object({
                account: z.string(),
                id: z.number().int(),
                category: z.string(),
                jurisdiction: z.string(),
                slaRule: z.string(),
                status: z.string(),
                assignedTo: z.string().nullable(),
                receivedAt: z.string(),
                missed: z.enum(['respond', 'resolve']),
                due: DateText,
                daysOverdue: z.number().int(),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => overdueComplaints(store, request.query.asOf),
  );
}
