import type { Store } from '../../store/index.js';
import { runCycle, type CycleSummary } from '../cycle/index.js';
import { dispatch, type DispatchDeps, type DispatchSummary } from '../dispatch/index.js';
import { cycleDayDue } from './schedule.js';

export interface JobsConfig {
  /** Minutes after local midnight when the day's cycle becomes due. */
  cycleAt: number;
  /** The zone `cycleAt` is read in (the operator's, not the debtors': each contact has its own hours). */
  zone: string;
}

export interface JobsTick {
  cycle: CycleSummary | null;
  dispatched: DispatchSummary;
}

/**
 * One round of the scheduled work: the due day's cycle when it has not finished (a run that stopped
 * resumes), then everything due in the outbox. Several workers may run this at once on one PostgreSQL:
 * cycle batches take turns on the run's row lock and the dispatcher claims with SKIP LOCKED.
 */
export async function runDueJobs(
  store: Store,
  deps: DispatchDeps,
  config: JobsConfig,
  now: Date = new Date(),
): Promise<JobsTick> {
  const day = cycleDayDue(now, config.cycleAt, config.zone);
  const done = await store.db
    .selectFrom('cycle_runs')
    .select('status')
    .where('as_of', '=', day)
    .executeTakeFirst();
  const cycle = done?.status === 'finished' ? null : await runCycle(store, { asOf: day, actor: 'worker' });
  return { cycle, dispatched: await dispatch(deps) };
}
