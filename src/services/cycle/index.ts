export { runCycle, type CycleOptions, type CycleSummary } from './cycle.js';
