import { divRoundHalfUp } from '../money/index.js';

/**
 * A transparent, rule-based propensity-to-pay scorecard: points on the log-odds scale for a few facts a
 * collector can check, turned into a probability with the logistic function. It stands in for the
 * statistical model of the scoring issue, which will replace it behind the same `scoreAccount` shape
 * (facts in, propensity and per-factor points out, a version string recorded with every allocation).
 */
export interface ScoringFacts {
  /** Days past due as of the scoring day. */
  dpd: number;
  /** Payments (not reversed) received in the 90 days up to the scoring day. */
  paymentsLast90Days: number;
  /** Promises judged kept. */
  promisesKept: number;
  /** Promises judged broken or only partially kept. */
  promisesBroken: number;
  /** The debtor has at least one phone number on file. */
  hasPhone: boolean;
  /** The debtor has at least one e-mail address on file. */
  hasEmail: boolean;
}

/** Weights are data: a new scorecard is a new value with a new version, never an edit of this one. */
export interface Scorecard {
  version: string;
  intercept: number;
  /** First band whose `maxDpd` is ≥ dpd (null: no upper bound) gives the points. */
  dpdBands: readonly { maxDpd: number | null; points: number; label: string }[];
  /** Points by number of payments in 90 days; the last entry applies to that many or more. */
  recentPayments: readonly number[];
  keptPromise: { pointsEach: number; maxCount: number };
  brokenPromise: { pointsEach: number; maxCount: number };
  contact: { phone: number; email: number; none: number };
}

export const SCORECARD_RULES_1: Scorecard = {
  version: 'rules-1',
  intercept: -1.0,
  dpdBands: [
    { maxDpd: 0, points: 1.5, label: 'current' },
    { maxDpd: 30, points: 1.0, label: '1-30' },
    { maxDpd: 60, points: 0.3, label: '31-60' },
    { maxDpd: 90, points: -0.3, label: '61-90' },
    { maxDpd: 180, points: -1.0, label: '91-180' },
    { maxDpd: null, points: -1.8, label: '181+' },
  ],
  recentPayments: [-0.6, 0.3, 0.8],
  keptPromise: { pointsEach: 0.4, maxCount: 3 },
  brokenPromise: { pointsEach: -0.5, maxCount: 3 },
  contact: { phone: 0.2, email: 0.1, none: -0.8 },
};

export const DEFAULT_SCORECARD = SCORECARD_RULES_1;

export interface ScoreFactor {
  factor: 'intercept' | 'dpd' | 'recent_payments' | 'promises_kept' | 'promises_broken' | 'contactability';
  /** The fact as read, e.g. "1-30" or "2". */
  value: string;
  points: number;
}

export interface Score {
  version: string;
  /** Probability of payment, 0..1, four decimals. */
  propensity: number;
  /** The same in basis points (integer 0..10000): what expected recovery is computed from. */
  propensityBp: number;
  /** Sum of the points (log-odds). */
  logit: number;
  factors: ScoreFactor[];
}

// `+ 0` turns −0 into 0 (a factor worth nothing reads as 0 in JSON and in comparisons).
const round4 = (x: number) => Math.round(x * 10_000) / 10_000 + 0;

/**
 * Scores one account's facts.
 *
 * @example scoreAccount({ dpd: 15, paymentsLast90Days: 1, promisesKept: 0, promisesBroken: 0, hasPhone: true, hasEmail: true }).propensity // 0.6457
 */
export function scoreAccount(facts: ScoringFacts, card: Scorecard = DEFAULT_SCORECARD): Score {
  const { band, pays, points } = factorPoints(facts, card);
  const factors: ScoreFactor[] = [
    { factor: 'intercept', value: card.version, points: points[0] },
    { factor: 'dpd', value: band.label, points: points[1] },
    { factor: 'recent_payments', value: String(pays), points: points[2] },
    { factor: 'promises_kept', value: String(facts.promisesKept), points: points[3] },
    { factor: 'promises_broken', value: String(facts.promisesBroken), points: points[4] },
    {
      factor: 'contactability',
      value:
        [facts.hasPhone ? 'phone' : '', facts.hasEmail ? 'email' : ''].filter(Boolean).join('+') || 'none',
      points: points[5],
    },
  ];
  const logit = logitOf(points);
  const propensityBp = Math.round(10_000 / (1 + Math.exp(-logit)));
  return { version: card.version, propensity: propensityBp / 10_000, propensityBp, logit, factors };
}

/** `scoreAccount(facts, card).propensity` without the explanation (bulk paths: one score an account). */
export function propensityOf(facts: ScoringFacts, card: Scorecard = DEFAULT_SCORECARD): number {
  return Math.round(10_000 / (1 + Math.exp(-logitOf(factorPoints(facts, card).points)))) / 10_000;
}

/** Each factor's points (rounded to 4 places), in the order of `Score.factors`. */
function factorPoints(facts: ScoringFacts, card: Scorecard) {
  const band = card.dpdBands.find((b) => b.maxDpd === null || facts.dpd <= b.maxDpd)!;
  const pays = Math.max(0, facts.paymentsLast90Days);
  const kept = Math.min(Math.max(0, facts.promisesKept), card.keptPromise.maxCount);
  const broken = Math.min(Math.max(0, facts.promisesBroken), card.brokenPromise.maxCount);
  const contact =
    !facts.hasPhone && !facts.hasEmail
      ? card.contact.none
      : (facts.hasPhone ? card.contact.phone : 0) + (facts.hasEmail ? card.contact.email : 0);
  const points = [
    round4(card.intercept),
    round4(band.points),
    round4(card.recentPayments[Math.min(pays, card.recentPayments.length - 1)]!),
    round4(kept * card.keptPromise.pointsEach),
    round4(broken * card.brokenPromise.pointsEach),
    round4(contact),
  ] as const;
  return { band, pays, points };
}

const logitOf = (points: readonly number[]) => round4(points.reduce((sum, p) => sum + p, 0));

/** Expected recovery in minor units: overdue × propensity, rounded half-up (integers only). */
export function expectedRecovery(overdueMinor: number, propensityBp: number): number {
  if (overdueMinor <= 0) return 0;
  return Number(divRoundHalfUp(BigInt(overdueMinor) * BigInt(propensityBp), 10_000n));
}
