export { runDueJobs, type JobsConfig, type JobsTick } from './jobs.js';
export { cycleDayDue, parseTimeOfDay } from './schedule.js';
