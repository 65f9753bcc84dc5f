export {
  createPlan,
  approvePlan,
  rejectPlan,
  cancelPlan,
  listPlans,
  getPlan,
  listPlansByStatus,
  DEFAULT_PLAN_GRACE_DAYS,
  type PlanRequest,
} from './plans.js';
export { judgePlans, type JudgePlansSummary } from './judge.js';
export {
  enqueueConfirmation,
  confirmationChannel,
  confirmationKey,
  agreementFacts,
  type ConfirmationView,
  type ConfirmationKind,
  type Reachable,
} from './confirm.js';
