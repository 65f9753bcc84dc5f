import type { CaseStatus } from './transitions.js';

/** What happened on an account that may move its case without a person deciding it. */
export const CASE_CAUSES = [
  'promise_recorded',
  'promise_kept',
  'promise_broken',
  'plan_active',
  'plan_completed',
  'plan_broken',
  'plan_cancelled',
  'paid_off',
  'placed',
  'recalled',
  'payment_reversed',
] as const;
export type CaseCause = (typeof CASE_CAUSES)[number];

/** What the service knows about the case when the cause happens. */
export interface CaseContext {
  status: CaseStatus;
  /** A collector works the case: it is assigned to one, or claimed now. Back to work is `in_progress`, else `open`. */
  worked: boolean;
  /** Another promise to pay is still pending (not yet due or within its grace). */
  pendingPromise: boolean;
}

/** Said in the timeline and the audit record of each automatic change. */
export const CAUSE_TEXT: Record<CaseCause, string> = {
  promise_recorded: 'a promise to pay was recorded',
  promise_kept: 'the promise to pay was kept',
  promise_broken: 'the promise to pay was broken',
  plan_active: 'a plan or settlement was agreed',
  plan_completed: 'the plan or settlement was paid',
  plan_broken: 'the plan or settlement was broken',
  plan_cancelled: 'the plan or settlement was cancelled',
  paid_off: 'the account was paid off',
  placed: 'the account was placed with an agency',
  recalled: 'the account was recalled from the agency',
  payment_reversed: 'a payment was reversed and the account owes again',
};

/**
 * The status a case moves to when `cause` happens, or null when it stays as it is. A case in `dispute`
 * or `legal` is a person's decision and no automatic change overrides it; nor does anything but a
 * recall move a case `placed` with an agency (the agency works it), except that it closes when paid;
 * a closed case stays closed (only a manager reopens it) unless a payment is reversed and the account owes
 * again (`payment_reversed` → back to work). Otherwise:
 * - a promise recorded → `promise` (an agreed plan outranks it: a case in `plan` stays);
 * - the promise kept or broken, with no other promise pending → back to work: `in_progress` when a
 *   collector works the case, else `open`;
 * - a plan or settlement agreed → `plan`; broken or cancelled → back to work as above;
 * - the plan completed or the account paid off → `closed`;
 * - placed with an agency → `placed`; recalled → `open`.
 *
 * @example nextCaseStatus({ status: 'open', worked: false, pendingPromise: false }, 'promise_recorded') // 'promise'
 * @example nextCaseStatus({ status: 'dispute', worked: true, pendingPromise: false }, 'plan_active') // null
 */
export function nextCaseStatus(c: CaseContext, cause: CaseCause): CaseStatus | null {
  const backToWork: CaseStatus = c.worked ? 'in_progress' : 'open';
  // The one automatic way out of `closed`: the payment that closed it bounced, so money is owed again.
  if (cause === 'payment_reversed') return c.status === 'closed' ? backToWork : null;
  const to = ((): CaseStatus | null => {
    if (c.status === 'closed' || c.status === 'dispute' || c.status === 'legal') return null;
    if (c.status === 'placed')
      return cause === 'recalled'
        ? 'open'
        : cause === 'plan_completed' || cause === 'paid_off'
          ? 'closed'
          : null;
    switch (cause) {
      case 'promise_recorded':
        return c.status === 'plan' ? null : 'promise';
      case 'promise_kept':
      case 'promise_broken':
        return c.status === 'promise' && !c.pendingPromise ? backToWork : null;
      case 'plan_active':
        return 'plan';
      case 'plan_broken':
      case 'plan_cancelled':
        return c.status === 'plan' ? (c.pendingPromise ? 'promise' : backToWork) : null;
      case 'plan_completed':
      case 'paid_off':
        return 'closed';
      case 'placed':
        return 'placed';
      case 'recalled':
        return null;
    }
  })();
  return to === c.status ? null : to;
}
