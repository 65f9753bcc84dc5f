export {
  addPromise,
  listPromises,
  emitBrokenPromises,
  DEFAULT_GRACE_DAYS,
  type PromiseRequest,
} from './promises.js';
