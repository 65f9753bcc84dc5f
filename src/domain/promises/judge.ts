import type { DayNumber } from '../calendar/index.js';

/** A debtor's promise to pay `amount` (minor units) by `dueOn`, made on `madeOn`. */
export interface PromiseTerms {
  amount: number;
  madeOn: DayNumber;
  dueOn: DayNumber;
  /** Days after `dueOn` during which a payment still keeps the promise. */
  graceDays: number;
  /** Shortfall (minor units) still judged as kept, e.g. bank charges or rounding. */
  tolerance: number;
}

export type PromiseStatus = 'pending' | 'kept' | 'partially_kept' | 'broken';

export interface PromiseJudgement {
  status: PromiseStatus;
  /** Sum of the payments that count: received from `madeOn` to `dueOn + graceDays`, up to `asOf`. */
  paid: number;
  /** What is still missing for the promise to be kept (0 when kept). */
  shortfall: number;
  /** The last day a payment counts. */
  deadline: DayNumber;
}

/**
 * Judges a promise from the payments posted (reversed payments excluded by the caller). Kept as soon as
 * the counted payments reach `amount − tolerance`, even early; otherwise pending until the grace period
 * ends, then partially kept if anything was paid in time, or broken.
 *
 * @example judgePromise({ amount: 10000, madeOn: d, dueOn: d + 7, graceDays: 2, tolerance: 0 }, [], d + 10).status // 'broken'
 */
export function judgePromise(
  p: PromiseTerms,
  payments: readonly { receivedOn: DayNumber; amount: number }[],
  asOf: DayNumber,
): PromiseJudgement {
  const deadline = p.dueOn + p.graceDays;
  let paid = 0;
  for (const pay of payments)
    if (pay.receivedOn >= p.madeOn && pay.receivedOn <= deadline && pay.receivedOn <= asOf)
      paid += pay.amount;
  const needed = Math.max(0, p.amount - p.tolerance);
  if (paid >= needed) return { status: 'kept', paid, shortfall: 0, deadline };
  const shortfall = p.amount - paid;
  if (asOf <= deadline) return { status: 'pending', paid, shortfall, deadline };
  return { status: paid > 0 ? 'partially_kept' : 'broken', paid, shortfall, deadline };
}
