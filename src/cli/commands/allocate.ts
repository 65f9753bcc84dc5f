import type { Command } from 'commander';
import { allocateCases } from '../../services/queues/index.js';
import { withStore } from '../context.js';
import { printJson, table } from '../output.js';

export function registerAllocate(program: Command): void {
  program
    .command('allocate')
    .description(
      'allocate the cases of open collector-queue / field-visit escalations to collectors and field agents by their profiles',
    )
    .option('--as-of <date>', 'scoring date YYYY-MM-DD (default today, UTC)')
    .option('--json', 'print the run with every case as JSON')
    .action(async (opts: { asOf?: string; json?: boolean }) => {
      const run = await withStore((store) => allocateCases(store, null, opts.asOf));
      if (opts.json) return printJson(run);
      const out = process.stdout;
      out.write(
        `Allocation run ${run.run} as of ${run.asOf} (scorecard ${run.scorecard}): ${run.considered} cases, ${run.assigned} assigned, ${run.kept} kept, ${run.unassigned} unassigned\n`,
      );
      if (run.unassigned > 0)
        out.write(
          '\n' +
            table(
              ['reason', 'cases'],
              Object.entries(run.byReason).map(([k, v]) => [k, v]),
            ) +
            '\n',
        );
      if (run.byUser.length > 0)
        out.write(
          '\n' +
            table(
              ['user', 'assigned now', 'open cases', 'cap'],
              run.byUser.map((u) => [u.user, u.assigned, u.openCases, u.maxOpenCases]),
            ) +
            '\n',
        );
    });
}
