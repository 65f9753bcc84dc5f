/**
 * The contact gate: may this contact happen at this instant, through this channel, to this person, with this content?
 * Pure: the caller loads the facts (history, flags, content) and persists the decision.
 */
import { Facts } from './packs/facts.js';
import { PACKS } from './packs/index.js';
import type { RulePack, Violation } from './packs/types.js';
import type { ContactRequest, Jurisdiction } from './schema.js';
import { DAY_MS, parseInstant } from './time/clock.js';

export interface DecisionViolation {
  rule: string;
  message: string;
}

/** The stable decision JSON of `arrears compliance check`. */
export interface Decision {
  allowed: boolean;
  violations: DecisionViolation[];
  /** Earliest instant ≥ `at` at which the same contact passes every rule (= `at` when allowed); null when no time helps. */
  nextAllowedAt: string | null;
  packVersion: string;
}

export interface EvaluateOptions {
  /** Per-jurisdiction packs replacing the built-in ones, e.g. a creditor's tightened pack. */
  packs?: Partial<Record<Jurisdiction, RulePack>>;
  /** How far ahead `nextAllowedAt` is searched (default 366 days). */
  horizonDays?: number;
}

const MAX_STEPS = 64;

function evaluate(pack: RulePack, facts: Facts, t: number): Violation[] {
  const ctx = { facts, t };
  const out: Violation[] = [];
  for (const rule of pack.rules) {
    const found = rule.evaluate(ctx);
    for (const v of found) out.push(v);
  }
  return out;
}

/**
 * Jumps from candidate to candidate: each violation names the earliest instant its rule could pass, so the latest of
 * those is the next instant worth testing. Stops at the first instant with no violation, or when some rule says no
 * time helps (cease, deceased, content…), or beyond the horizon.
 */
function searchNext(
  pack: RulePack,
  facts: Facts,
  at: number,
  first: Violation[],
  horizonMs: number,
): number | null {
  let t = at;
  let violations = first;
  for (let step = 0; step < MAX_STEPS; step++) {
    let next = t;
    for (const v of violations) {
      if (v.retryAt === null) return null;
      if (v.retryAt > next) next = v.retryAt;
    }
    if (next <= t || next > at + horizonMs) return null;
    t = next;
    violations = evaluate(pack, facts, t);
    if (violations.length === 0) return t;
  }
  return null;
}

function denied(rule: string, message: string, packVersion: string): Decision {
  return { allowed: false, violations: [{ rule, message }], nextAllowedAt: null, packVersion };
}

/**
 * Decides one proposed contact. Validate untrusted input with `parseContactRequest` first.
 *
 * @example
 * const decision = evaluateContact({ jurisdiction: 'US', channel: 'call', at: '2026-03-09T12:00:00Z', debtRef: 'D-1',
 *   recipient: { role: 'debtor' }, debtor: { timezone: 'America/New_York' }, history: [] });
 * // → { allowed: true, violations: [], nextAllowedAt: '2026-03-09T12:00:00.000Z', packVersion: 'US-2026.11.1' }
 */
export function evaluateContact(request: ContactRequest, options: EvaluateOptions = {}): Decision {
  const jurisdiction = request.jurisdiction as string;
  const pack =
    options.packs?.[request.jurisdiction] ?? (PACKS as Record<string, RulePack | undefined>)[jurisdiction];
  if (!pack || pack.jurisdiction !== request.jurisdiction) {
    return denied(
      'ARREARS.JURISDICTION',
      `insufficient_data: no rule pack for jurisdiction "${jurisdiction}"; contact denied (fail closed)`,
      pack?.version ?? 'none',
    );
  }
  const at = parseInstant(request.at);
  if (Number.isNaN(at)) {
    return denied(
      'ARREARS.INPUT',
      'insufficient_data: at is not an ISO 8601 instant with an offset',
      pack.version,
    );
  }
  const facts = new Facts(request);
  if (facts.badHistory.length > 0) {
    const list = facts.badHistory.map((i) => `history.${i}.at`).join(', ');
    return denied(
      'ARREARS.INPUT',
      `insufficient_data: not ISO 8601 instants with an offset: ${list}`,
      pack.version,
    );
  }

  const first = evaluate(pack, facts, at);
  if (first.length === 0) {
    return {
      allowed: true,
      violations: [],
      nextAllowedAt: new Date(at).toISOString(),
      packVersion: pack.version,
    };
  }
  const seen = new Set<string>();
  const violations: DecisionViolation[] = [];
  for (const v of first) {
    const key = `${v.rule}\u0000${v.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    violations.push({ rule: v.rule, message: v.message });
  }
  const next = searchNext(pack, facts, at, first, (options.horizonDays ?? 366) * DAY_MS);
  return {
    allowed: false,
    violations,
    nextAllowedAt: next === null ? null : new Date(next).toISOString(),
    packVersion: pack.version,
  };
}
