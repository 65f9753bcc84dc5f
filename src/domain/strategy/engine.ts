import type { DayNumber } from '../calendar/index.js';
import { parseAmount } from '../money/index.js';
import type {
  Arm,
  Channel,
  Condition,
  EscalationTarget,
  PLAN_STATES,
  PROMISE_STATES,
  Segment,
  Step,
  Strategy,
} from './schema.js';

/** What the engine knows about an account on the planning day. Amounts in minor units. */
export interface AccountFacts {
  ref: string;
  jurisdiction: string;
  creditor: string;
  product: string;
  currency: string;
  bucket: string;
  dpd: number;
  overdue: number;
  /** Propensity to pay, 0..1; null when not scored (then score conditions do not match). */
  score: number | null;
  /** Whether the debtor has any channel on file at all. */
  contactable: boolean;
  promise: (typeof PROMISE_STATES)[number];
  plan: (typeof PLAN_STATES)[number];
  disputed: boolean;
  ceaseRequested: boolean;
  lastPaymentOn: DayNumber | null;
  lastKeptPromiseOn: DayNumber | null;
}

/** A strategy action already planned or taken for the account. */
export interface PastAction {
  segment: string;
  arm: string | null;
  step: string;
  on: DayNumber;
}

export interface PlannedStep {
  step: string;
  channel: Channel;
  template: string;
  /** Why it is due today, in words. */
  reason: string;
}

export interface AccountPlan {
  strategy: string;
  version: number;
  segment: string | null;
  arm: string | null;
  actions: PlannedStep[];
  escalations: { to: EscalationTarget; reason: string }[];
  /** Set when the account gets no treatment today, with the reason. */
  suppressed: string | null;
}

/**
 * Decides what the strategy does with one account today: the first segment whose conditions hold,
 * its arm (stable per account), the steps due, escalations, or why nothing happens. Pure: the daily
 * cycle gathers facts and history in bulk, calls this per account, and applies the result.
 *
 * @example planAccount(strategy, facts, history, toDay('2026-11-22')).actions // [{ step: 'sms-1', … }]
 */
export function planAccount(
  strategy: Strategy,
  facts: AccountFacts,
  history: readonly PastAction[],
  asOf: DayNumber,
): AccountPlan {
  const plan: AccountPlan = {
    strategy: strategy.name,
    version: strategy.version,
    segment: null,
    arm: null,
    actions: [],
    escalations: [],
    suppressed: null,
  };
  const global = strategy.suppressions.find((s) => matches(s.when, facts));
  if (global) return { ...plan, suppressed: global.reason };
  const segment = strategy.segments.find((s) => matches(s.when, facts));
  if (!segment) return { ...plan, suppressed: 'no segment matches the account' };
  plan.segment = segment.id;
  const local = segment.suppressions.find((s) => matches(s.when, facts));
  if (local) return { ...plan, suppressed: local.reason };
  const arm = segment.arms ? assignArm(strategy.name, segment, facts.ref) : null;
  plan.arm = arm?.id ?? null;
  plan.escalations = segment.escalations
    .filter((e) => matches(e.when, facts))
    .map((e) => ({ to: e.to, reason: e.reason }));
  if (facts.dpd < 1) return { ...plan, suppressed: 'not delinquent' };
  if (
    segment.waitAfterKeptPromiseDays > 0 &&
    facts.lastKeptPromiseOn !== null &&
    asOf - facts.lastKeptPromiseOn < segment.waitAfterKeptPromiseDays
  ) {
    return { ...plan, suppressed: `a promise was kept within ${segment.waitAfterKeptPromiseDays} days` };
  }
  const path = arm?.path ?? segment.path ?? [];
  plan.actions = dueSteps(path, facts, pathHistory(history, segment.id, plan.arm, asOf - facts.dpd), asOf);
  return plan;
}

/** This path's actions in the current delinquency episode (since the oldest unpaid installment fell due). */
function pathHistory(
  history: readonly PastAction[],
  segment: string,
  arm: string | null,
  episodeStart: DayNumber,
) {
  const last = new Map<string, DayNumber>();
  let latest: DayNumber | null = null;
  for (const a of history) {
    if (a.segment !== segment || a.arm !== arm || a.on <= episodeStart) continue;
    if ((last.get(a.step) ?? -Infinity) < a.on) last.set(a.step, a.on);
    if (latest === null || a.on > latest) latest = a.on;
  }
  return { last, latest, episodeStart };
}

function dueSteps(
  path: readonly Step[],
  facts: AccountFacts,
  h: ReturnType<typeof pathHistory>,
  asOf: DayNumber,
): PlannedStep[] {
  const out: PlannedStep[] = [];
  const channels = new Set<Channel>();
  for (const step of path) {
    if (step.when && !matches(step.when, facts)) continue;
    if (step.unlessPaidSinceLastStep && h.latest !== null && (facts.lastPaymentOn ?? -Infinity) > h.latest)
      continue;
    const reason = whyDue(step, h, asOf);
    if (reason === null || channels.has(step.channel)) continue;
    channels.add(step.channel);
    out.push({ step: step.id, channel: step.channel, template: step.template, reason });
  }
  return out;
}

function whyDue(step: Step, h: ReturnType<typeof pathHistory>, asOf: DayNumber): string | null {
  const done = h.last.get(step.id);
  if (done !== undefined) {
    if (step.every !== undefined && asOf - done >= step.every) return `repeats every ${step.every} days`;
    return null;
  }
  if ('dpd' in step.at) return asOf - h.episodeStart >= step.at.dpd ? `DPD reached ${step.at.dpd}` : null;
  const after = h.last.get(step.at.afterStep);
  if (after === undefined) return null;
  return asOf - after >= step.at.days ? `${step.at.days} days after ${step.at.afterStep}` : null;
}

const thresholds = new Map<string, number | null>();
/** A threshold in the account's minor units; null when it has more decimals than the currency (KRW "0.50"). */
function minor(value: string, currency: string): number | null {
  const key = `${currency} ${value}`;
  let n = thresholds.get(key);
  if (n === undefined) {
    // Trailing zeros say nothing: "1000.00" is 1000 won.
    const r = parseAmount(value.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, ''), currency);
    n = r.ok ? r.value : null;
    thresholds.set(key, n);
  }
  return n;
}

/** Every given condition must hold; a condition on data the account lacks (no score) does not hold. */
export function matches(c: Condition, f: AccountFacts): boolean {
  if (c.jurisdiction && !c.jurisdiction.includes(f.jurisdiction)) return false;
  if (c.creditor && !c.creditor.includes(f.creditor)) return false;
  if (c.product && !c.product.includes(f.product)) return false;
  if (c.bucket && !c.bucket.includes(f.bucket)) return false;
  if (c.dpd && !inRange(f.dpd, c.dpd.gte, c.dpd.lte)) return false;
  if (c.overdue) {
    const lo = c.overdue.gte === undefined ? undefined : minor(c.overdue.gte, f.currency);
    const hi = c.overdue.lte === undefined ? undefined : minor(c.overdue.lte, f.currency);
    // A threshold the currency cannot express matches nothing, rather than a silently rounded amount.
    if (lo === null || hi === null || !inRange(f.overdue, lo, hi)) return false;
  }
  if (c.score && (f.score === null || !inRange(f.score, c.score.gte, c.score.lte))) return false;
  if (c.contactable !== undefined && c.contactable !== f.contactable) return false;
  if (c.promise && !c.promise.includes(f.promise)) return false;
  if (c.plan && !c.plan.includes(f.plan)) return false;
  if (c.disputed !== undefined && c.disputed !== f.disputed) return false;
  if (c.ceaseRequested !== undefined && c.ceaseRequested !== f.ceaseRequested) return false;
  return true;
}

const inRange = (v: number, gte?: number, lte?: number) =>
  (gte === undefined || v >= gte) && (lte === undefined || v <= lte);

/**
 * The account's arm in a split segment: a stable hash of strategy name, segment and account ref mapped
 * to 0..9999 and cut by cumulative weight. The version is left out on purpose, so an account keeps its
 * arm when the strategy is revised (unless the weights move).
 */
export function assignArm(strategy: string, segment: Pick<Segment, 'id' | 'arms'>, ref: string): Arm | null {
  if (!segment.arms) return null;
  const point = (hash32(`${strategy}\u0000${segment.id}\u0000${ref}`) % 10_000) / 100;
  let edge = 0;
  for (const arm of segment.arms) {
    edge += arm.weight;
    if (point < edge) return arm;
  }
  return segment.arms.at(-1) ?? null;
}

/** FNV-1a over UTF-16 code units, finished with murmur3's avalanche so nearby refs spread evenly. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
