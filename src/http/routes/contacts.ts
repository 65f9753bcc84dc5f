import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Role } from '../../domain/access/index.js';
import { CHANNELS } from '../../domain/compliance/index.js';
import type { Store } from '../../store/index.js';
import {
  checkContact,
  CONTACT_OUTCOMES,
  DISPUTE_CHANNELS,
  DISPUTE_OUTCOMES,
  getPreferences,
  HOLD_KINDS,
  listContacts,
  listDisputes,
  listHolds,
  logContact,
  openDispute,
  placeHold,
  releaseHold,
  resolveDispute,
  setPreferences,
} from '../../services/contacts/index.js';
import { inScope, principalOf } from '../auth.js';
import { AllRoles, doc, errorResponses, RefParams } from '../schemas.js';

/** Roles that deal with debtors and may record what a debtor asked for (holds, opt-outs, disputes). */
const RECORD: readonly Role[] = [
  'admin',
  'manager',
  'collector',
  'field_agent',
  'legal',
  'compliance_officer',
  'agency_user',
];
/** Lifting a hold or deciding a dispute: never the person whose contacts the hold stops. */
const DECIDE: readonly Role[] = ['admin', 'manager', 'legal', 'compliance_officer'];
const PREFERENCES: readonly Role[] = [
  'admin',
  'manager',
  'collector',
  'field_agent',
  'compliance_officer',
  'agency_user',
];
const CONTACT: readonly Role[] = ['admin', 'manager', 'collector', 'field_agent', 'legal', 'agency_user'];
const CHECK: readonly Role[] = [...CONTACT, 'compliance_officer'];

const IdParams = RefParams.extend({
  id: z.coerce.number().int().positive().describe('id within the account'),
});
const Instant = z.string().describe('ISO 8601 instant with an offset, e.g. 2026-11-23T15:00:00Z');
const Recipient = z
  .string()
  .regex(/^(debtor|attorney|contact:[1-9]\d{0,2})$/, 'must be debtor, attorney or contact:N')
  .describe('debtor (default), attorney, or a contact the debtor gave: contact:1, contact:2, …');

const HoldView = z.object({
  id: z.number().int(),
  kind: z.enum(HOLD_KINDS as [string, ...string[]]),
  scope: z
    .enum(['account', 'debtor'])
    .describe(
      'debtor: cease, attorney, bankruptcy, deceased — the hold applies to every account of the debtor; account: dispute, deferral',
    ),
  placedVia: z
    .string()
    .nullable()
    .describe('the account it was placed through (null when that account is not visible to the caller)'),
  reason: z.string(),
  source: z.string(),
  until: z.string().nullable(),
  disputeId: z.number().int().nullable(),
  placedAt: z.string(),
  placedBy: z.string(),
  releasedAt: z.string().nullable(),
  releasedBy: z.string().nullable(),
  releaseReason: z.string().nullable(),
  active: z.boolean(),
});
const Window = z.object({
  weekday: z.number().int().min(1).max(7).describe('ISO weekday of the band start, 1 = Monday'),
  from: z.string().regex(/^\d{2}:\d{2}$/, 'HH:mm'),
  to: z.string().regex(/^\d{2}:\d{2}$/, 'HH:mm'),
});
const Preferences = z.object({
  blockedChannels: z.array(z.enum(CHANNELS)),
  blockedWindows: z.array(Window).max(50),
  workplaceContactProhibited: z.boolean(),
});
const PreferencesView = Preferences.extend({
  account: z.string(),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
});
const CheckBody = z.object({
  channel: z.enum(CHANNELS),
  recipient: Recipient.optional(),
  at: Instant.optional().describe('default now'),
  phone: z
    .string()
    .regex(/^\+[1-9]\d{6,14}$/, 'E.164')
    .optional()
    .describe("number dialled or texted, when not the debtor's mobile"),
  workplace: z.boolean().optional().describe("the contact reaches the debtor's place of employment"),
  purpose: z
    .enum(['collection', 'location', 'message'])
    .optional()
    .describe('third parties only; default location'),
});
const CheckView = z.object({
  account: z.string(),
  channel: z.string(),
  recipient: z.string(),
  at: z.string(),
  allowed: z.boolean(),
  violations: z.array(z.object({ rule: z.string(), message: z.string(), citation: z.string() })),
  nextAllowedAt: z.string().nullable(),
  decisionId: z.number().int().nullable(),
});
const ContactView = z.object({
  id: z.number().int(),
  at: z.string(),
  channel: z.string(),
  direction: z.enum(['outbound', 'inbound']),
  recipient: z.string(),
  outcome: z.string(),
  gateOutcome: z.string(),
  consentToCalls: z.boolean(),
  note: z.string().nullable(),
  decisionId: z.number().int().nullable(),
  outboxId: z.number().int().nullable(),
  loggedBy: z.string(),
});
const DisputeView = z.object({
  id: z.number().int(),
  receivedAt: z.string(),
  channel: z.string(),
  written: z.boolean(),
  reason: z.string(),
  status: z.enum(['open', ...DISPUTE_OUTCOMES]),
  holdId: z.number().int(),
  contactId: z.number().int().nullable(),
  openedBy: z.string(),
  resolvedAt: z.string().nullable(),
  resolvedBy: z.string().nullable(),
  resolution: z.string().nullable(),
  letterKey: z.string().nullable(),
});

export function contactRoutes(app: FastifyInstance, store: Store) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/accounts/:ref/holds',
    {
      config: { access: AllRoles },
      schema: {
        ...doc(
          'contacts',
          "The account's holds (active first): its own and its debtor's",
          AllRoles,
          'A cease, attorney, bankruptcy or deceased hold is the debtor’s (`scope: debtor`) and is listed on every account of theirs, whichever account it was placed through.',
        ),
        params: RefParams,
        response: { 200: z.object({ account: z.string(), items: z.array(HoldView) }), ...errorResponses },
      },
    },
    async (request) => inScope(store, request, (s) => listHolds(s, request.params.ref)),
  );
  r.post(
    '/api/v1/accounts/:ref/holds',
    {
      config: { access: RECORD },
      schema: {
        ...doc(
          'contacts',
          'Place a hold (cease, attorney, bankruptcy, deceased, deferral)',
          RECORD,
          'From then on the compliance gate refuses the contacts the jurisdiction forbids (US.FDCPA.CEASE, US.FDCPA.ATTORNEY, ARREARS.POLICY…), at send time, in the daily cycle and in contact-check. A cease, attorney, bankruptcy or deceased hold concerns the person: it is placed on the debtor and holds every account of theirs (`scope: debtor`); a deferral holds this account and needs `until`. Dispute holds come with a dispute (POST …/disputes). 409 when a hold of that kind is already active on the account or its debtor.',
        ),
        params: RefParams,
        body: z.object({
          kind: z.enum(['cease', 'attorney', 'bankruptcy', 'deceased', 'deferral']),
          reason: z.string().min(1).max(2000),
          source: z
            .string()
            .min(1)
            .max(200)
            .describe('where it comes from: debtor letter, court notice, call…'),
          until: Instant.optional().describe('deferral only'),
        }),
        response: { 201: HoldView, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await inScope(store, request, (s) =>
            placeHold(s, principalOf(request), request.params.ref, request.body),
          ),
        ),
  );
  r.post(
    '/api/v1/accounts/:ref/holds/:id/release',
    {
      config: { access: DECIDE },
      schema: {
        ...doc(
          'contacts',
          'Release a hold',
          DECIDE,
          "A debtor's hold (`scope: debtor`) may be released through any of their accounts and is released for all of them. A dispute's hold is released by resolving the dispute (409 here).",
        ),
        params: IdParams,
        body: z.object({ reason: z.string().min(1).max(2000) }),
        response: { 200: HoldView, ...errorResponses },
      },
    },
    async (request) =>
      inScope(store, request, (s) =>
        releaseHold(s, principalOf(request), request.params.ref, request.params.id, request.body.reason),
      ),
  );

  r.get(
    '/api/v1/accounts/:ref/preferences',
    {
      config: { access: AllRoles },
      schema: {
        ...doc('contacts', "The debtor's contact preferences (opt-outs, blocked bands, workplace)", AllRoles),
        params: RefParams,
        response: { 200: PreferencesView, ...errorResponses },
      },
    },
    async (request) => inScope(store, request, (s) => getPreferences(s, request.params.ref)),
  );
  r.put(
    '/api/v1/accounts/:ref/preferences',
    {
      config: { access: PREFERENCES },
      schema: {
        ...doc(
          'contacts',
          "Replace the debtor's contact preferences",
          PREFERENCES,
          "They belong to the debtor and apply to all the debtor's accounts. Collectors, field agents and agencies may add restrictions; lifting one (403 otherwise) needs admin, manager or compliance_officer.",
        ),
        params: RefParams,
        body: Preferences,
        response: { 200: PreferencesView, ...errorResponses },
      },
    },
    async (request) =>
      inScope(store, request, (s) =>
        setPreferences(s, principalOf(request), request.params.ref, request.body),
      ),
  );

  r.post(
    '/api/v1/accounts/:ref/contact-check',
    {
      config: { access: CHECK },
      schema: {
        ...doc(
          'contacts',
          'May I contact now? The compliance gate for one proposed contact',
          CHECK,
          'Evaluates the contact with the account’s holds, the debtor’s preferences and every logged and sent contact of the window, and records the decision (decisionId). 200 with allowed false, the violations (rule id, message, citation) and nextAllowedAt when refused.',
        ),
        params: RefParams,
        body: CheckBody,
        response: { 200: CheckView, ...errorResponses },
      },
    },
    async (request) => inScope(store, request, (s) => checkContact(s, request.params.ref, request.body)),
  );
  r.get(
    '/api/v1/accounts/:ref/contacts',
    {
      config: { access: AllRoles },
      schema: {
        ...doc('contacts', "The account's contact log, newest first (last 500)", AllRoles),
        params: RefParams,
        response: { 200: z.object({ account: z.string(), items: z.array(ContactView) }), ...errorResponses },
      },
    },
    async (request) => inScope(store, request, (s) => listContacts(s, request.params.ref)),
  );
  r.post(
    '/api/v1/accounts/:ref/contacts',
    {
      config: { access: CONTACT },
      schema: {
        ...doc(
          'contacts',
          'Log a contact and its outcome',
          CONTACT,
          'An outbound contact is re-checked by the compliance gate at its time; when the gate refuses it the answer is 422 contact_not_allowed (details: violations, nextAllowedAt) and nothing is written. Inbound contacts are not gated but count (an inbound conversation starts the US 7-day wait). Outcome `dispute` also opens a dispute; `callback_request` records consent to calls unless consentToCalls says otherwise.',
        ),
        params: RefParams,
        body: CheckBody.extend({
          direction: z.enum(['outbound', 'inbound']).optional().describe('default outbound'),
          outcome: z.enum(CONTACT_OUTCOMES),
          consentToCalls: z.boolean().optional(),
          note: z.string().max(4000).optional(),
          outboxId: z
            .number()
            .int()
            .positive()
            .optional()
            .describe('the call or visit task this contact carries out'),
        }),
        response: {
          201: z.object({ contact: ContactView, dispute: DisputeView.nullable() }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await inScope(store, request, (s) =>
            logContact(s, principalOf(request), request.params.ref, request.body),
          ),
        ),
  );

  r.get(
    '/api/v1/accounts/:ref/disputes',
    {
      config: { access: AllRoles },
      schema: {
        ...doc('contacts', "The account's disputes", AllRoles),
        params: RefParams,
        response: { 200: z.object({ account: z.string(), items: z.array(DisputeView) }), ...errorResponses },
      },
    },
    async (request) => inScope(store, request, (s) => listDisputes(s, request.params.ref)),
  );
  r.post(
    '/api/v1/accounts/:ref/disputes',
    {
      config: { access: RECORD },
      schema: {
        ...doc(
          'contacts',
          'Open a dispute',
          RECORD,
          'Places a dispute hold (the gate then halts collection contacts: US.REGF.DISPUTE_HALT, ARREARS.POLICY elsewhere) and sets the case status to dispute.',
        ),
        params: RefParams,
        body: z.object({
          reason: z.string().min(1).max(4000),
          channel: z.enum(DISPUTE_CHANNELS),
          written: z.boolean().optional().describe('default: true for letter, email and portal'),
          receivedAt: Instant.optional().describe('default now'),
        }),
        response: { 201: DisputeView, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await inScope(store, request, (s) =>
            openDispute(s, principalOf(request), request.params.ref, request.body),
          ),
        ),
  );
  r.post(
    '/api/v1/accounts/:ref/disputes/:id/resolution',
    {
      config: { access: DECIDE },
      schema: {
        ...doc(
          'contacts',
          'Resolve a dispute',
          DECIDE,
          'upheld, rejected or verification_sent: releases the hold, restores the case status and plans the dispute_resolution letter to the debtor (outbox; signed and gate-checked by the dispatcher). 409 when already resolved.',
        ),
        params: IdParams,
        body: z.object({ outcome: z.enum(DISPUTE_OUTCOMES), resolution: z.string().min(1).max(4000) }),
        response: { 200: DisputeView, ...errorResponses },
      },
    },
    async (request) =>
      inScope(store, request, (s) =>
        resolveDispute(s, principalOf(request), request.params.ref, request.params.id, request.body),
      ),
  );
}
