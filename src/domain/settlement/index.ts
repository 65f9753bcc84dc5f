export {
  approvalFor,
  mayApprove,
  planInstallments,
  AUTHORITY_OF,
  DEFAULT_APPROVAL_POLICY,
  type ApprovalDecision,
  type ApprovalTier,
  type PlanInstallment,
  type Proposal,
} from './approval.js';
export { judgePlan, type PlanJudgement, type PlanTerms } from './judge.js';
export {
  outstandingOf,
  writeOffParts,
  writeOffTotal,
  WRITE_OFF_ORDER,
  type WriteOffParts,
} from './writeoff.js';
