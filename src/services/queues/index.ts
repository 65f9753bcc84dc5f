export { loadCaseFacts, type CaseFacts } from './facts.js';
export {
  listProfiles,
  getProfile,
  setProfile,
  QUEUE_ROLES,
  type ProfileInput,
  type ProfileView,
} from './profiles.js';
export { allocateCases, type AllocationRun, type AllocationItem } from './allocation.js';
export { listQueue, nextCase, type QueueItem, type QueueOptions } from './queue.js';
