export {
  simulatePortfolio,
  simulationJson,
  type SimulateOptions,
  type SimulationReport,
} from './simulation.js';
