export {
  enqueueActions,
  encodeNewActions,
  copyNewActions,
  outboxCounts,
  CHANNELS,
  type PlannedAction,
  type EnqueueResult,
  type ClaimedAction,
} from './outbox.js';
export {
  dispatch,
  backoffMs,
  type DispatchDeps,
  type DispatchOptions,
  type DispatchSummary,
  type GateDecision,
  type GateRequest,
  type SendGate,
} from './dispatcher.js';
export { loadAccountContexts, type AccountContext } from './context.js';
export { senderFromEnv, publicUrlFromEnv } from './config.js';
export { planManualAction } from './manual.js';
export { resolveAction, type Resolution } from './resolve.js';
