export { readStrategyFile, parseStrategyText } from './files.js';
export { defaultStrategyFile, DEFAULT_STRATEGY_JURISDICTIONS } from './defaults.js';
