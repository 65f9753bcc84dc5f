import type { Command } from 'commander';
import { formatDay, todayIn } from '../../domain/calendar/index.js';
import { ArrearsError } from '../../domain/errors.js';
import { simulationGate } from '../../services/compliance/index.js';
import { simulatePortfolio, simulationJson } from '../../services/simulation/index.js';
import { withStore } from '../context.js';
import { printJson, table } from '../output.js';

interface Options {
  strategy?: string;
  days: string;
  accounts: string;
  seed: string;
  asOf?: string;
  json?: boolean;
}

const whole = (name: string, text: string) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1)
    throw new ArrearsError('invalid', `--${name} must be a whole number ≥ 1 (got "${text}")`);
  return n;
};

export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .description(
      'run a strategy over the portfolio (or a generated one when the database is empty) with simulated debtor behaviour; recovery, contacts, blocks and cost per arm',
    )
    .option(
      '--strategy <file>',
      "strategy file (default: the active strategies, or each jurisdiction's shipped default)",
    )
    .requiredOption('--days <n>', 'days to simulate')
    .option('--accounts <n>', 'at most this many accounts', '20000')
    .option('--seed <n>', 'random seed (same seed, same result)', '1')
    .option('--as-of <date>', 'first simulated day, YYYY-MM-DD (default: today, UTC)')
    .option('--json', 'print the report as JSON')
    .action(async (opts: Options) => {
      const report = simulationJson(
        await withStore((store) =>
          simulatePortfolio(store, {
            asOf: opts.asOf ?? formatDay(todayIn('UTC')),
            days: whole('days', opts.days),
            accounts: whole('accounts', opts.accounts),
            seed: whole('seed', opts.seed),
            gate: simulationGate,
            ...(opts.strategy ? { strategyFile: opts.strategy } : {}),
          }),
        ),
      );
      if (opts.json) return printJson(report);
      const out = process.stdout;
      out.write(
        `Simulated ${report.days} days over ${report.accounts} ${report.source} accounts with ${report.strategies.join(', ')} (gate: ${report.gate})\n\n`,
      );
      out.write(
        table(
          [
            'arm',
            'accounts',
            'recovered',
            'sms',
            'email',
            'letter',
            'call',
            'visit',
            'blocked',
            'promises kept/made',
            'cost',
          ],
          report.arms.map((a) => [
            a.arm,
            a.accounts,
            `${(a.recoveredShare * 100).toFixed(1)}%`,
            a.contacts.sms,
            a.contacts.email,
            a.contacts.letter,
            a.contacts.call,
            a.contacts.visit,
            Object.values(a.blocked).reduce((t, n) => t + n, 0),
            `${a.promises.kept}/${a.promises.made}`,
            a.cost,
          ]),
        ) + '\n',
      );
      if (report.withoutStrategy > 0)
        out.write(`${report.withoutStrategy} accounts had no strategy for their jurisdiction\n`);
    });
}
