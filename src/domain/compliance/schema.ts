/**
 * The contact-check request: the stable JSON interface of `arrears compliance check` (docs/compliance.md).
 * Validate at the boundary with `parseContactRequest`, then hand the typed value to `evaluateContact`.
 *
 * Optional fields beyond the issue's shape, each needed by a rule (absent ⇒ that rule reports insufficient_data
 * only when it actually needs the fact): `purpose`, `visitors`, `recipient.ref`, `destination`,
 * `debtor.flags.deferredUntil`, `history[].phone`, `history[].recipientRef`.
 */
import { z } from 'zod';
import { isTimeZone } from '../calendar/index.js';
import type { FieldIssue } from '../errors.js';
import { parseHhMm, parseInstant } from './time/clock.js';

export const JURISDICTIONS = ['US', 'KR', 'CN', 'ES'] as const;
export const CHANNELS = ['call', 'sms', 'email', 'letter', 'visit', 'im'] as const;
export const OUTCOMES = [
  'not_connected',
  'no_answer',
  'voicemail',
  'connected',
  'conversation',
  'sent',
  'delivered',
  'visited',
] as const;
export const RELATIONSHIPS = [
  'spouse',
  'parent',
  'child',
  'sibling',
  'employer',
  'colleague',
  'friend',
  'other',
] as const;
export const LOCALES = ['en', 'es', 'ko', 'zh-CN', 'zh-TW'] as const;
export const PURPOSES = ['collection', 'location', 'message'] as const;

export type Jurisdiction = (typeof JURISDICTIONS)[number];
export type Channel = (typeof CHANNELS)[number];
export type Outcome = (typeof OUTCOMES)[number];
export type Locale = (typeof LOCALES)[number];

const instant = z
  .string()
  .refine(
    (s) => !Number.isNaN(parseInstant(s)),
    'must be an ISO 8601 instant with an offset, e.g. 2026-03-08T14:00:00Z',
  );
const zone = z.string().refine(isTimeZone, 'must be an IANA time zone such as America/New_York');
const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 number such as +12125550123');
const hhmm = z.string().refine((s) => !Number.isNaN(parseHhMm(s)), 'must be HH:mm between 00:00 and 24:00');

export const contactRequestSchema = z.strictObject({
  jurisdiction: z.enum(JURISDICTIONS),
  channel: z.enum(CHANNELS),
  at: instant,
  debtRef: z.string().min(1),
  /** Why a third party is contacted: only `location` (and in CN `message`) is lawful. */
  purpose: z.enum(PURPOSES).optional(),
  /** Number of field agents on a visit (CN.VISIT needs at least 2). */
  visitors: z.number().int().min(1).optional(),
  recipient: z.strictObject({
    role: z.enum(['debtor', 'third_party', 'attorney']),
    relationship: z.enum(RELATIONSHIPS).optional(),
    designated: z.boolean().optional(),
    source: z.enum(['debtor_provided', 'address_book', 'skip_trace']).optional(),
    /** Stable id of the third party, to count "once per third party" (matches history[].recipientRef). */
    ref: z.string().min(1).optional(),
  }),
  /** Facts about where this contact lands. */
  destination: z
    .strictObject({
      /** Number dialled or texted when it is not `debtor.phone`. */
      phone: e164.optional(),
      /** The call, visit or letter reaches the debtor's place of employment. */
      workplace: z.boolean().optional(),
      /** The e-mail address is provided by the debtor's employer. */
      employerEmail: z.boolean().optional(),
      /** The e-mail inbox is shared with others (e.g. a team address). */
      sharedInbox: z.boolean().optional(),
      /** The message would be visible to the public or to the person's contacts (social media, group chat). */
      publicVisible: z.boolean().optional(),
    })
    .optional(),
  debtor: z.strictObject({
    timezone: zone.optional(),
    possibleTimezones: z.array(zone).optional(),
    phone: e164.optional(),
    flags: z
      .strictObject({
        ceaseRequested: z.boolean().optional(),
        disputed: z.boolean().optional(),
        attorneyRepresented: z.boolean().optional(),
        bankruptcy: z.boolean().optional(),
        deceased: z.boolean().optional(),
        workplaceContactProhibited: z.boolean().optional(),
        /** Collection paused (e.g. KR IDPA deferral) until this instant. */
        deferredUntil: instant.optional(),
      })
      .optional(),
    blockedChannels: z.array(z.enum(CHANNELS)).optional(),
    blockedWindows: z
      .array(z.strictObject({ weekday: z.number().int().min(1).max(7), from: hhmm, to: hhmm }))
      .optional(),
  }),
  history: z.array(
    z.strictObject({
      channel: z.enum(CHANNELS),
      at: instant,
      direction: z.enum(['outbound', 'inbound']),
      outcome: z.enum(OUTCOMES),
      debtRef: z.string().min(1),
      recipient: z.enum(['debtor', 'third_party']),
      consentGiven: z.boolean().optional(),
      phone: e164.optional(),
      recipientRef: z.string().min(1).optional(),
    }),
  ),
  content: z.strictObject({ text: z.string(), locale: z.enum(LOCALES) }).optional(),
});

export type ContactRequest = z.infer<typeof contactRequestSchema>;
export type HistoryEvent = ContactRequest['history'][number];

export type ParseResult<T> = { ok: true; value: T } | { ok: false; issues: FieldIssue[] };

/** Validates a request and reports every problem at once, each with its dotted field path. */
export function parseContactRequest(input: unknown): ParseResult<ContactRequest> {
  const result = contactRequestSchema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  const issues: FieldIssue[] = [];
  for (const issue of result.error.issues) {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        issues.push({ field: path ? `${path}.${key}` : key, message: 'unknown field' });
      }
    } else {
      issues.push({ field: path || '(root)', message: issue.message });
    }
  }
  return { ok: false, issues };
}
