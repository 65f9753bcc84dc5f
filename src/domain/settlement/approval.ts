import { addMonths, type DayNumber } from '../calendar/index.js';
import { ArrearsError } from '../errors.js';
import { formatAmount, parseRate, rateToPercent, type Rate } from '../money/index.js';

/** What a collector offers the debtor: a lump sum now, or the amount in installments. */
export type Proposal =
  { kind: 'settlement'; amount: number } | { kind: 'plan'; amount: number; installments: number };

/** An approval tier: this role may grant up to this discount and this many installments. Lowest first. */
export interface ApprovalTier {
  role: string;
  maxDiscount: Rate;
  maxInstallments: number;
}

const rate = (text: string): Rate => {
  const r = parseRate(text);
  if (!r.ok) throw new RangeError(r.message);
  return r.value;
};

/** Collector up to 10 %, manager up to 30 %, beyond that the compliance officer (seed 002: never reduce arbitrarily). */
export const DEFAULT_APPROVAL_POLICY: readonly ApprovalTier[] = [
  { role: 'collector', maxDiscount: rate('0.10'), maxInstallments: 6 },
  { role: 'manager', maxDiscount: rate('0.30'), maxInstallments: 24 },
  { role: 'compliance_officer', maxDiscount: rate('1'), maxInstallments: 60 },
];

export interface ApprovalDecision {
  /** What the debtor would be forgiven, in minor units, and as a share of the payoff. */
  discount: number;
  discountPercent: string;
  /** The lowest role whose limits cover the proposal; null when no tier does. */
  requiredRole: string | null;
  reason: string;
}

/**
 * Which role must approve a proposal against today's payoff. The discount is compared exactly
 * (integers and bigint rates, no floating point), so 10.00 % is a collector's and 10.01 % is not.
 */
export function approvalFor(
  policy: readonly ApprovalTier[],
  payoff: number,
  currency: string,
  proposal: Proposal,
): ApprovalDecision {
  if (!Number.isSafeInteger(proposal.amount) || proposal.amount <= 0) {
    throw new ArrearsError('invalid', 'the proposed amount must be greater than zero');
  }
  if (proposal.kind === 'plan' && (!Number.isInteger(proposal.installments) || proposal.installments < 1)) {
    throw new ArrearsError('invalid', 'a plan needs at least one installment');
  }
  const discount = Math.max(0, payoff - proposal.amount);
  const discountPercent = payoff > 0 ? percent(discount, payoff) : '0%';
  const count = proposal.kind === 'plan' ? proposal.installments : 1;
  const tier = policy.find(
    (t) => withinDiscount(discount, payoff, t.maxDiscount) && count <= t.maxInstallments,
  );
  const what =
    `${formatAmount(proposal.amount, currency)} ${currency}` +
    (proposal.kind === 'plan' ? ` in ${count} installments` : ' at once') +
    ` against ${formatAmount(payoff, currency)} owed (discount ${discountPercent})`;
  return {
    discount,
    discountPercent,
    requiredRole: tier?.role ?? null,
    reason: tier ? `${what}: within the ${tier.role}'s limits` : `${what}: beyond every approval limit`,
  };
}

/** Roles outside the tiers that carry a tier's authority: an administrator approves as compliance does. */
export const AUTHORITY_OF: Readonly<Record<string, string>> = { admin: 'compliance_officer' };

/** Whether `role` may approve: its tier (or the tier it carries, see AUTHORITY_OF) is at or above the required one. */
export function mayApprove(
  policy: readonly ApprovalTier[],
  role: string,
  decision: ApprovalDecision,
): boolean {
  if (decision.requiredRole === null) return false;
  const own = AUTHORITY_OF[role] ?? role;
  const have = policy.findIndex((t) => t.role === own);
  const need = policy.findIndex((t) => t.role === decision.requiredRole);
  return have !== -1 && have >= need;
}

/** discount / payoff ≤ max, exactly: discount · 10^scale ≤ max.num · payoff. */
function withinDiscount(discount: number, payoff: number, max: Rate): boolean {
  if (payoff <= 0) return true;
  return BigInt(discount) * 10n ** BigInt(max.scale) <= max.num * BigInt(payoff);
}

function percent(part: number, whole: number): string {
  // Two decimals, half up, exact.
  const hundredths = (BigInt(part) * 10_000n * 2n + BigInt(whole)) / (2n * BigInt(whole));
  return rateToPercent({ num: hundredths, scale: 4 });
}

export interface PlanInstallment {
  seq: number;
  due: DayNumber;
  amount: number;
}

/**
 * Splits `amount` into `count` installments that sum to it exactly (the first ones carry the remainder
 * of a minor unit each), due monthly from `firstDue` or every `everyDays` days.
 */
export function planInstallments(
  amount: number,
  count: number,
  firstDue: DayNumber,
  every: { months: number } | { days: number } = { months: 1 },
): PlanInstallment[] {
  if (!Number.isInteger(count) || count < 1)
    throw new ArrearsError('invalid', 'a plan needs at least one installment');
  if (!Number.isSafeInteger(amount) || amount < count) {
    throw new ArrearsError('invalid', 'the plan amount must cover at least one minor unit per installment');
  }
  const base = Math.floor(amount / count);
  const extra = amount - base * count;
  return Array.from({ length: count }, (_, k) => ({
    seq: k + 1,
    due: 'months' in every ? addMonths(firstDue, k * every.months) : firstDue + k * every.days,
    amount: base + (k < extra ? 1 : 0),
  }));
}
