import type { DayNumber } from '../calendar/index.js';
import type { Rate } from '../money/index.js';

/** The parts of an installment, in the vocabulary of the allocation order. */
export type Component = 'fees' | 'penalty' | 'interest' | 'principal';

/** Costs, then interest, then principal: the civil-code order of China, Korea and Spain. */
export const DEFAULT_ALLOCATION_ORDER: readonly Component[] = ['fees', 'penalty', 'interest', 'principal'];

export interface Bucket {
  /** Label shown to people, e.g. "M2". */
  name: string;
  /** Inclusive lower DPD bound. */
  minDpd: number;
  /** Inclusive upper DPD bound; null = no upper bound. */
  maxDpd: number | null;
}

export const DEFAULT_BUCKETS: readonly Bucket[] = [
  { name: 'M0', minDpd: 0, maxDpd: 0 },
  { name: 'M1', minDpd: 1, maxDpd: 30 },
  { name: 'M2', minDpd: 31, maxDpd: 60 },
  { name: 'M3', minDpd: 61, maxDpd: 90 },
  { name: 'M4', minDpd: 91, maxDpd: 120 },
  { name: 'M5', minDpd: 121, maxDpd: 150 },
  { name: 'M6', minDpd: 151, maxDpd: 180 },
  { name: 'M7+', minDpd: 181, maxDpd: null },
];

/**
 * Legal or contractual caps. None applies unless configured (per creditor, optionally per product).
 * - `penaltyRateMax`: the penalty rate actually applied is min(contract penalty rate, this) — e.g. KR 0.20, CN 0.24.
 * - `penaltyMarginMax`: the penalty rate may exceed the contract interest rate by at most this — e.g. ES 0.02
 *   (Supreme Court STS 265/2015: more than 2 points over the ordinary rate is abusive).
 * - `annualCostRateMax`: total charges (interest + fees + penalty) fallen due by a date may not exceed
 *   Σ over each day since opening of (principal outstanding at the end of the previous day × rate / 365).
 */
export interface Caps {
  penaltyRateMax?: Rate;
  penaltyMarginMax?: Rate;
  annualCostRateMax?: Rate;
  /** Where the cap comes from, shown in the statement, e.g. "KR Interest Limitation Act (20%)". */
  source?: string;
}

export interface AccountTerms {
  currency: string;
  /** Original principal in minor units; equals the sum of installment principals. */
  principal: number;
  interestRate: Rate;
  penaltyRate: Rate;
  openedOn: DayNumber;
  /** Penalty also accrues on overdue interest (compound on interest only). Off unless the contract says so. */
  penaltyOnInterest: boolean;
  allocationOrder: readonly Component[];
  buckets: readonly Bucket[];
  caps: Caps;
}

export interface InstallmentInput {
  /** 1-based position in the schedule. */
  seq: number;
  due: DayNumber;
  principal: number;
  interest: number;
  fees: number;
}

export interface PaymentInput {
  ref: string;
  receivedOn: DayNumber;
  /** Minor units, > 0. */
  amount: number;
}

/**
 * A settlement write-off: on completing a settlement (or a discounted plan) the creditor forgives what
 * remains, by component. It ends the contract on `on`: after it nothing accrues, and installments due
 * later are not charged interest or fees beyond what was paid before.
 */
export interface WriteOffInput {
  /** What it refers to, e.g. the event id or the plan: shown in the statement. */
  ref: string;
  on: DayNumber;
  principal: number;
  interest: number;
  fees: number;
  penalty: number;
}

/** An itemised line of the statement that is not a payment: what was written off, and when. */
export interface AdjustmentLine {
  kind: 'settlement_write_off';
  ref: string;
  on: DayNumber;
  /** The amounts recorded, by component. */
  amounts: Components;
  total: number;
  /** Part of the recorded amounts that found nothing outstanding to write off (0 when it matched). */
  unapplied: number;
}

/** `paid`: nothing outstanding; `overdue`: due before the as-of date with something unpaid; `due_today`; `not_due`. */
export type InstallmentStatus = 'paid' | 'overdue' | 'due_today' | 'not_due';

export interface Components {
  principal: number;
  interest: number;
  fees: number;
  penalty: number;
}

export interface InstallmentLine {
  seq: number;
  due: DayNumber;
  /** What the schedule (plus penalty accrued to the as-of date, after any cap) charges. */
  charged: Components;
  paid: Components;
  /** Forgiven by a settlement write-off; only on statements with one. */
  writtenOff?: Components;
  /** charged − paid (− written off), never negative. */
  outstanding: Components;
  status: InstallmentStatus;
  /** Days this installment is past due (0 when paid or not yet due). */
  daysPastDue: number;
}

export interface Allocation {
  seq: number;
  component: Component;
  amount: number;
}

export interface PaymentLine {
  ref: string;
  receivedOn: DayNumber;
  amount: number;
  allocations: Allocation[];
  /** Part of the payment that found nothing to pay (overpayment), held as a credit. */
  unapplied: number;
}

export interface Statement {
  asOf: DayNumber;
  currency: string;
  dpd: number;
  bucket: string;
  /** Outstanding amounts of installments due on or before the as-of date. */
  overdue: Components & { total: number };
  /** Principal not yet repaid, due or not. */
  outstandingPrincipal: number;
  /** Everything owed today if the account were settled: overdue total + principal not yet due. */
  payoff: number;
  /** Credit from overpayments, not applied to anything. */
  credit: number;
  installments: InstallmentLine[];
  payments: PaymentLine[];
  /** Write-offs, in date order (empty for most accounts): with the payments they explain every figure. */
  adjustments: AdjustmentLine[];
  /** Reduction applied because a configured cap was reached; null when no cap bit. */
  capReduction: { amount: number; rule: string } | null;
  /** Plain-language lines, in order, that produce every figure above. */
  formula: string[];
}
