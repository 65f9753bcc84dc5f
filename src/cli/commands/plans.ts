import type { Command } from 'commander';
import { formatDay, todayIn } from '../../domain/calendar/index.js';
import { judgePlans } from '../../services/negotiation/index.js';
import { withStore } from '../context.js';
import { printJson } from '../output.js';

export function registerPlans(program: Command): void {
  const plans = program.command('plans').description('installment plans and settlements');
  plans
    .command('judge')
    .description(
      'judge every active plan and settlement from the posted payments: completed, broken (the account returns to its strategy) or still active',
    )
    .option('--as-of <date>', 'YYYY-MM-DD (default: today, UTC)')
    .option('--json', 'print JSON')
    .action(async (opts: { asOf?: string; json?: boolean }) => {
      const asOf = opts.asOf ?? formatDay(todayIn('UTC'));
      const r = await withStore((store) => store.transaction((tx) => judgePlans(tx, asOf)));
      if (opts.json) return printJson(r);
      process.stdout.write(
        `Plans as of ${r.asOf}: ${r.judged} judged — ${r.completed} completed, ${r.broken} broken, ${r.active} still active` +
          (r.settled > 0 ? `; ${r.settled} settled (the rest written off, accounts closed)` : '') +
          '\n',
      );
    });
}
