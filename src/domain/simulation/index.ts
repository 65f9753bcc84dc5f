export {
  simulate,
  DEFAULT_BEHAVIOUR,
  type SimAccount,
  type BehaviourModel,
  type SimulationGate,
  type SimContact,
  type ArmReport,
  type SimulationResult,
} from './simulate.js';
