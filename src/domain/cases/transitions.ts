import type { Role } from '../access/index.js';
import type { FieldIssue } from '../errors.js';

export const CASE_STATUSES = [
  'open',
  'in_progress',
  'promise',
  'plan',
  'dispute',
  'legal',
  'placed',
  'closed',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const CLOSE_REASONS = ['paid', 'recalled'] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];

/** What the service knows about the account when a status change is asked for. */
export interface TransitionFacts {
  /** Nothing is owed any more (the statement's payoff is zero). */
  paidInFull: boolean;
  /** The lender closed or recalled the account (accounts.status = 'closed'). */
  recalledByLender: boolean;
  /** The account is placed with an agency now. */
  placed: boolean;
  /** A promise to pay is pending (not yet judged). */
  pendingPromise: boolean;
}

export interface TransitionRequest {
  from: CaseStatus;
  to: CaseStatus;
  role: Role;
  reason?: CloseReason | undefined;
}

const SUPERVISORS: readonly Role[] = ['admin', 'manager'];
const LEGAL: readonly Role[] = ['admin', 'manager', 'legal'];

/**
 * Every reason the change is not allowed (empty: allowed). A closed case only reopens (to open) by a
 * manager or admin; a case closes only when paid in full or recalled, and the reason must be true.
 *
 * @example checkTransition({ from: 'open', to: 'closed', role: 'collector', reason: 'paid' }, { paidInFull: false, … })
 *   // [{ field: 'reason', message: 'the account is not paid in full' }]
 */
export function checkTransition(req: TransitionRequest, facts: TransitionFacts): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const add = (field: string, message: string) => issues.push({ field, message });
  if (req.from === req.to) add('status', `the case is already ${req.to}`);
  if (req.from === 'closed') {
    if (req.to !== 'open') add('status', 'a closed case can only be reopened (status open)');
    if (!SUPERVISORS.includes(req.role)) add('status', 'only a manager or admin can reopen a closed case');
    return issues;
  }
  if (req.reason !== undefined && req.to !== 'closed') add('reason', 'is only for closing a case');
  switch (req.to) {
    case 'closed':
      if (req.reason === undefined) add('reason', 'say why the case closes: paid or recalled');
      else if (req.reason === 'paid' && !facts.paidInFull) add('reason', 'the account is not paid in full');
      else if (req.reason === 'recalled' && !facts.recalledByLender)
        add('reason', 'the lender has not closed or recalled the account');
      break;
    case 'placed':
      if (!facts.placed) add('status', 'the account is not placed with an agency; place it first');
      break;
    case 'promise':
      if (!facts.pendingPromise) add('status', 'there is no pending promise to pay; record one first');
      break;
    case 'legal':
      if (!LEGAL.includes(req.role))
        add('status', 'only legal, a manager or an admin can move a case to legal');
      break;
    case 'open':
      if (!SUPERVISORS.includes(req.role))
        add('status', 'only a manager or admin can set a case back to open');
      break;
    case 'in_progress':
    case 'plan':
    case 'dispute':
      break;
    default: {
      const never: never = req.to;
      add('status', `unknown status ${String(never)}`);
    }
  }
  // A placed case goes back to the creditor's own work only after a recall; a dispute or legal action may be
  // recorded while the agency holds it (placing makes a case `placed` automatically).
  if (req.from === 'placed' && !['closed', 'dispute', 'legal'].includes(req.to) && facts.placed)
    add('status', 'the account is still placed with an agency; recall it first');
  return issues;
}
