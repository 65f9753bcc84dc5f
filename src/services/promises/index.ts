export { addPromise, listPromises, DEFAULT_GRACE_DAYS, type PromiseRequest } from './promises.js';
