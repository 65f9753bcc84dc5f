export { readStrategyFile, parseStrategyText } from './files.js';
export { defaultStrategyFile, DEFAULT_STRATEGY_JURISDICTIONS } from './defaults.js';
export {
  saveStrategy,
  activateStrategy,
  deactivateScope,
  listStrategies,
  loadActiveStrategies,
  type ActiveStrategies,
  type StrategyVersionInfo,
} from './registry.js';
