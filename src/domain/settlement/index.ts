export {
  approvalFor,
  mayApprove,
  planInstallments,
  DEFAULT_APPROVAL_POLICY,
  type ApprovalDecision,
  type ApprovalTier,
  type PlanInstallment,
  type Proposal,
} from './approval.js';
