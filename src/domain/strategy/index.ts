export * from './schema.js';
export {
  planAccount,
  assignArm,
  matches,
  type AccountFacts,
  type AccountPlan,
  type PastAction,
  type PlannedStep,
} from './engine.js';
