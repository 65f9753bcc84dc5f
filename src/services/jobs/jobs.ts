import type { Store } from '../../store/index.js';
import { runCycle, type CycleSummary } from '../cycle/index.js';
import { dispatch, type DispatchDeps, type DispatchSummary } from '../dispatch/index.js';
import { judgePlans, type JudgePlansSummary } from '../negotiation/index.js';
import { emitBrokenPromises } from '../promises/index.js';
import { cycleDayDue } from './schedule.js';

export interface JobsConfig {
  /** Minutes after local midnight when the day's cycle becomes due. */
  cycleAt: number;
  /** The zone `cycleAt` is read in (the operator's, not the debtors': each contact has its own hours). */
  zone: string;
}

export interface JobsTick {
  /** Promises judged broken this round (each final promise moves its case out of `promise` and is judged once). */
  promisesBroken: number;
  /** Plans judged before the day's cycle (broken plans return their accounts to the strategy). */
  plans: JudgePlansSummary | null;
  cycle: CycleSummary | null;
  dispatched: DispatchSummary;
}

/**
 * One round of the scheduled work: the promises whose grace has passed are judged (their cases leave
 * `promise`; `promise.broken` events); when the due day's cycle has not finished, the day's plan judging (so a
 * broken plan puts its account back in the strategy) and the cycle (a run that stopped resumes); then
 * everything due in the outbox. Several workers may run this at once on one PostgreSQL:
 * cycle batches take turns on the run's row lock and the dispatcher claims with SKIP LOCKED.
 */
export async function runDueJobs(
  store: Store,
  deps: DispatchDeps,
  config: JobsConfig,
  now: Date = new Date(),
): Promise<JobsTick> {
  const promisesBroken = await emitBrokenPromises(store);
  const day = cycleDayDue(now, config.cycleAt, config.zone);
  const done = await store.db
    .selectFrom('cycle_runs')
    .select('status')
    .where('as_of', '=', day)
    .executeTakeFirst();
  if (done?.status === 'finished')
    return { promisesBroken, plans: null, cycle: null, dispatched: await dispatch(deps) };
  const plans = await store.transaction((tx) => judgePlans(tx, day));
  const cycle = await runCycle(store, { asOf: day, actor: 'worker' });
  return { promisesBroken, plans, cycle, dispatched: await dispatch(deps) };
}
