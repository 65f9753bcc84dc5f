import type { Command } from 'commander';
import { ArrearsError } from '../../domain/errors.js';
import { runDueJobs, parseTimeOfDay, cycleDayDue } from '../../services/jobs/index.js';
import { withStore } from '../context.js';
import { printJson } from '../output.js';
import { cycleJson } from './cycle.js';
import { withDispatchDeps } from './dispatch.js';

interface Options {
  cycleAt: string;
  zone: string;
  every: string;
  once?: boolean;
  json?: boolean;
}

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description(
      "the scheduled job: runs each day's cycle once its time has come (resuming one that stopped) and sends what is due in the outbox, every few seconds until stopped",
    )
    .option('--cycle-at <HH:MM>', 'local time the day’s cycle becomes due', '06:00')
    .option('--zone <iana>', 'time zone of --cycle-at', 'UTC')
    .option('--every <seconds>', 'pause between rounds', '30')
    .option('--once', 'one round, then exit (for cron or a systemd timer)')
    .option('--json', 'one JSON line per round')
    .action(async (opts: Options) => {
      const cycleAt = parseTimeOfDay(opts.cycleAt);
      cycleDayDue(new Date(), cycleAt, opts.zone); // refuses an unknown zone before anything runs
      const every = Number(opts.every);
      if (!Number.isInteger(every) || every < 1 || every > 3600)
        throw new ArrearsError(
          'invalid',
          `--every must be whole seconds from 1 to 3600 (got "${opts.every}")`,
        );
      const stop = new AbortController();
      const pause = () =>
        new Promise<void>((resolve) => {
          const t = setTimeout(resolve, every * 1000);
          stop.signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
        });
      const onSignal = () => stop.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        await withStore((store) =>
          withDispatchDeps(store, async (deps) => {
            while (!stop.signal.aborted) {
              let tick;
              try {
                tick = await runDueJobs(store, deps, { cycleAt, zone: opts.zone });
              } catch (e) {
                // One bad round (database restarting, a stored strategy that no longer applies) must not end
                // a long-running worker: say what failed and try again after the pause. `--once` reports it.
                if (opts.once) throw e;
                process.stderr.write(
                  `${new Date().toISOString()} round failed, retrying in ${every} s: ${e instanceof Error ? e.message : String(e)}\n`,
                );
                await pause();
                continue;
              }
              const d = tick.dispatched;
              if (opts.json)
                printJson({
                  at: new Date().toISOString(),
                  promisesBroken: tick.promisesBroken,
                  plans: tick.plans,
                  cycle: tick.cycle && cycleJson(tick.cycle),
                  dispatched: d,
                });
              else {
                const c = tick.cycle;
                process.stdout.write(
                  `${new Date().toISOString()} ` +
                    (c ? `cycle ${c.asOf}: ${c.planned} planned, ${c.blocked} blocked; ` : '') +
                    `dispatch: ${d.sent} sent, ${d.rescheduled} rescheduled, ${d.retried} to retry, ${d.dead} dead\n`,
                );
              }
              if (opts.once) break;
              await pause();
            }
          }),
        );
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}
