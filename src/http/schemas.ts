import { z } from 'zod';
import { ROLES, type Role } from '../domain/access/index.js';
import type { Access } from './auth.js';

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().describe('error kind: invalid, unauthenticated, forbidden, not_found, conflict, …'),
      message: z.string().describe('what went wrong and what to do, for people'),
      details: z.record(z.string(), z.unknown()).optional().describe('e.g. issues: [{field, message}]'),
    }),
  })
  .describe('The one error shape of the API');

export const errorResponses = { '4xx': ErrorSchema, '5xx': ErrorSchema } as const;

export const DateText = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD')
  .describe('civil date YYYY-MM-DD');

export const MoneyText = z.string().describe('decimal amount in major units of the currency, e.g. "120.50"');

export const RefParams = z.object({ ref: z.string().min(1).max(64).describe('account ref') });

export const AllRoles: readonly Role[] = ROLES;

/** OpenAPI metadata for a route: tag, summary, who may call it and how to authenticate. */
export function doc(
  tag: string,
  summary: string,
  access: Access,
  description?: string,
): {
  tags: string[];
  summary: string;
  description: string;
  security?: { [label: string]: readonly string[] }[];
} {
  const who = access === 'public' ? 'Public.' : `Roles: ${access.join(', ')}.`;
  const base = { tags: [tag], summary, description: [description, who].filter(Boolean).join('\n\n') };
  if (access === 'public') return base;
  const security: { [label: string]: readonly string[] }[] = [{ bearer: [] }, { session: [] }];
  return { ...base, security };
}

/** The written, signed confirmation of a promise, plan or settlement: its outbox action and, once issued, the notice code. */
export const Confirmation = z
  .object({
    channel: z.string(),
    key: z.string().describe('idempotency key of the outbox action, e.g. promise:12:confirmation'),
    status: z.string().describe('outbox status: pending, sending, sent, retry, dead, blocked, unknown'),
    notice: z.string().nullable().describe('verification code once the notice is issued'),
  })
  .nullable();
