import type { DayNumber } from '../calendar/index.js';
import { judgePromise } from '../promises/index.js';

/** An agreed schedule (a settlement is one installment), judged with the promise rules per installment. */
export interface PlanTerms {
  madeOn: DayNumber;
  installments: readonly { due: DayNumber; amount: number }[];
  /** Days after each due date during which a payment still counts for it. */
  graceDays: number;
  /** Total shortfall still judged as kept (bank charges, rounding). */
  tolerance: number;
}

export interface PlanJudgement {
  status: 'active' | 'completed' | 'broken';
  /** Payments counted: received from `madeOn` up to `asOf`. */
  paid: number;
  /** Installments whose cumulative amount has been reached in time. */
  kept: number;
  /** The installment that broke the plan, and what was missing at its deadline. */
  missed: { seq: number; due: DayNumber; deadline: DayNumber; shortfall: number } | null;
}

/**
 * Judges a plan from the payments posted (reversed ones excluded by the caller). Installment k is kept
 * when the payments received from `madeOn` to its due date + grace reach the schedule's running total
 * through k, less the tolerance — so paying early or ahead counts, and a late payment within grace keeps
 * it. The plan is completed once the last installment is kept, broken as soon as any installment's
 * deadline passes short (a partial payment beyond the tolerance breaks it), and active otherwise.
 *
 * @example judgePlan({ madeOn: d, installments: [{ due: d + 30, amount: 500 }], graceDays: 2, tolerance: 0 }, [], d + 33).status // 'broken'
 */
export function judgePlan(
  plan: PlanTerms,
  payments: readonly { receivedOn: DayNumber; amount: number }[],
  asOf: DayNumber,
): PlanJudgement {
  let paid = 0;
  for (const p of payments) if (p.receivedOn >= plan.madeOn && p.receivedOn <= asOf) paid += p.amount;
  let running = 0;
  let kept = 0;
  for (const [k, inst] of plan.installments.entries()) {
    running += inst.amount;
    const j = judgePromise(
      {
        amount: running,
        madeOn: plan.madeOn,
        dueOn: inst.due,
        graceDays: plan.graceDays,
        tolerance: plan.tolerance,
      },
      payments,
      asOf,
    );
    if (j.status === 'kept') {
      kept++;
      continue;
    }
    if (j.status === 'pending') return { status: 'active', paid, kept, missed: null };
    return {
      status: 'broken',
      paid,
      kept,
      missed: { seq: k + 1, due: inst.due, deadline: j.deadline, shortfall: j.shortfall },
    };
  }
  return { status: 'completed', paid, kept, missed: null };
}
