import { z } from 'zod';
import type { FieldIssue } from '../errors.js';

/**
 * The strategy document a manager writes (YAML or JSON; docs/strategies.md): segments tried in order,
 * each with conditions, a treatment path (or weighted arms of paths: champion/challenger), escalations
 * and suppressions. This schema is the contract; `parseStrategy` reports every mistake at once with its path.
 */

export const CHANNELS = ['sms', 'email', 'letter', 'call', 'visit'] as const;
export type Channel = (typeof CHANNELS)[number];

export const ESCALATIONS = ['collector_queue', 'field_visit', 'legal_review', 'agency_placement'] as const;
export type EscalationTarget = (typeof ESCALATIONS)[number];

export const PROMISE_STATES = ['none', 'active', 'kept', 'broken'] as const;
export const PLAN_STATES = ['none', 'active', 'broken', 'completed'] as const;

const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be lower-case letters, digits, "-" or "_" (at most 64)');
const decimal = z.string().regex(/^\d+(\.\d+)?$/, 'must be a decimal amount in major units such as "500.00"');
const intRange = z
  .object({ gte: z.number().int().optional(), lte: z.number().int().optional() })
  .strict()
  .refine((r) => r.gte !== undefined || r.lte !== undefined, 'give gte, lte or both')
  .refine((r) => r.gte === undefined || r.lte === undefined || r.gte <= r.lte, 'gte must not exceed lte');
const amountRange = z
  .object({ gte: decimal.optional(), lte: decimal.optional() })
  .strict()
  .refine((r) => r.gte !== undefined || r.lte !== undefined, 'give gte, lte or both');
const scoreRange = z
  .object({ gte: z.number().min(0).max(1).optional(), lte: z.number().min(0).max(1).optional() })
  .strict()
  .refine((r) => r.gte !== undefined || r.lte !== undefined, 'give gte, lte or both');
const list = <T extends z.ZodType>(item: T) => z.array(item).min(1, 'must list at least one value');

/** Conditions on an account; all given conditions must hold. Amounts are in the account's currency. */
export const conditionSchema = z
  .object({
    jurisdiction: list(z.string().regex(/^[A-Z]{2}$/, 'must be an ISO country code such as "US"')).optional(),
    creditor: list(z.string().min(1)).optional(),
    product: list(z.string().min(1)).optional(),
    bucket: list(z.string().min(1)).optional(),
    dpd: intRange.optional(),
    overdue: amountRange.optional(),
    score: scoreRange.optional(),
    contactable: z.boolean().optional(),
    promise: list(z.enum(PROMISE_STATES)).optional(),
    plan: list(z.enum(PLAN_STATES)).optional(),
    disputed: z.boolean().optional(),
    ceaseRequested: z.boolean().optional(),
  })
  .strict();
export type Condition = z.infer<typeof conditionSchema>;

const stepSchema = z
  .object({
    id,
    channel: z.enum(CHANNELS),
    /** A template name as the template store knows it (`reminder`, `notice`, …); the channel picks its variant. */
    template: z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be a template name (a-z, 0-9, _), e.g. reminder'),
    /** When the step first becomes due: at a DPD, or some days after another step of the same path. */
    at: z.union([
      z.object({ dpd: z.number().int().min(1) }).strict(),
      z.object({ afterStep: id, days: z.number().int().min(0) }).strict(),
    ]),
    /** Repeat every N days while the account stays in the segment. */
    every: z.number().int().min(1).optional(),
    /** Skip the step if a payment arrived since the path's previous action. */
    unlessPaidSinceLastStep: z.boolean().default(false),
    when: conditionSchema.optional(),
  })
  .strict();
export type Step = z.infer<typeof stepSchema>;

const pathSchema = z.array(stepSchema).min(1, 'a path needs at least one step');

const armSchema = z.object({ id, weight: z.number().int().min(1).max(100), path: pathSchema }).strict();
export type Arm = z.infer<typeof armSchema>;

const segmentSchema = z
  .object({
    id,
    description: z.string().optional(),
    when: conditionSchema.default({}),
    /** One path for everyone, or arms splitting accounts by stable hash (weights sum to 100). */
    path: pathSchema.optional(),
    arms: z.array(armSchema).min(2, 'a split needs at least two arms').optional(),
    /** No treatment for N days after a kept promise. */
    waitAfterKeptPromiseDays: z.number().int().min(0).default(0),
    escalations: z
      .array(z.object({ to: z.enum(ESCALATIONS), when: conditionSchema, reason: z.string().min(1) }).strict())
      .default([]),
    suppressions: z
      .array(z.object({ when: conditionSchema, reason: z.string().min(1) }).strict())
      .default([]),
  })
  .strict();
export type Segment = z.infer<typeof segmentSchema>;

export const strategySchema = z
  .object({
    name: id,
    version: z.number().int().min(1),
    description: z.string().optional(),
    /** Applied before any segment: matching accounts get no treatment at all. */
    suppressions: z
      .array(z.object({ when: conditionSchema, reason: z.string().min(1) }).strict())
      .default([]),
    segments: z.array(segmentSchema).min(1, 'a strategy needs at least one segment'),
  })
  .strict();
export type Strategy = z.infer<typeof strategySchema>;

/** A schema problem: the dotted path, a stable code and a message. */
export interface StrategyIssue extends FieldIssue {
  code: string;
}

export type ParseResult = { ok: true; strategy: Strategy } | { ok: false; issues: StrategyIssue[] };

/** Validates a decoded strategy document and its cross-references; every problem is reported. */
export function parseStrategy(input: unknown): ParseResult {
  const parsed = strategySchema.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map((i) => ({
        field: i.path.map(String).join('.') || '(document)',
        code: i.code === 'invalid_type' && i.input === undefined ? 'required' : i.code,
        message: i.code === 'invalid_type' && i.input === undefined ? 'is required' : i.message,
      })),
    };
  }
  const issues = crossCheck(parsed.data);
  return issues.length > 0 ? { ok: false, issues } : { ok: true, strategy: parsed.data };
}

function crossCheck(s: Strategy): StrategyIssue[] {
  const issues: StrategyIssue[] = [];
  const add = (field: string, code: string, message: string) => issues.push({ field, code, message });
  const seen = new Set<string>();
  s.segments.forEach((seg, i) => {
    const at = `segments.${i}`;
    if (seen.has(seg.id)) add(`${at}.id`, 'duplicate_id', `segment id "${seg.id}" is used twice`);
    seen.add(seg.id);
    if ((seg.path === undefined) === (seg.arms === undefined)) {
      add(at, 'path_or_arms', 'give either a path or arms (champion/challenger), not both or neither');
    }
    if (seg.path) checkPath(seg.path, `${at}.path`, add);
    if (seg.arms) {
      const total = seg.arms.reduce((sum, a) => sum + a.weight, 0);
      if (total !== 100) add(`${at}.arms`, 'weights', `arm weights must sum to 100 (they sum to ${total})`);
      const armIds = new Set<string>();
      seg.arms.forEach((arm, j) => {
        if (armIds.has(arm.id)) add(`${at}.arms.${j}.id`, 'duplicate_id', `arm id "${arm.id}" is used twice`);
        armIds.add(arm.id);
        checkPath(arm.path, `${at}.arms.${j}.path`, add);
      });
    }
  });
  return issues;
}

function checkPath(path: Step[], at: string, add: (field: string, code: string, message: string) => void) {
  const ids = new Map<string, number>();
  path.forEach((step, k) => {
    if (ids.has(step.id))
      add(`${at}.${k}.id`, 'duplicate_id', `step id "${step.id}" is used twice in this path`);
    ids.set(step.id, k);
  });
  path.forEach((step, k) => {
    if (!('afterStep' in step.at)) return;
    const target = ids.get(step.at.afterStep);
    if (target === undefined) {
      add(`${at}.${k}.at.afterStep`, 'unknown_step', `no step "${step.at.afterStep}" in this path`);
    } else if (target === k) {
      add(`${at}.${k}.at.afterStep`, 'self_reference', 'a step cannot wait for itself');
    }
  });
}
