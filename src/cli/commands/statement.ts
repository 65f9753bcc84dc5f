import type { Command } from 'commander';
import { getStatement, statementJson } from '../../services/statements/index.js';
import { withStore } from '../context.js';
import { printJson, table } from '../output.js';

export function registerStatement(program: Command): void {
  program
    .command('statement')
    .description(
      "an account's itemised statement: days past due, bucket, what is owed and the formula behind every figure",
    )
    .argument('<account>', 'account ref')
    .option('--as-of <date>', "YYYY-MM-DD (default: today in the debtor's time zone)")
    .option('--json', 'print the statement as JSON')
    .action(async (ref: string, opts: { asOf?: string; json?: boolean }) => {
      const s = statementJson(await withStore((store) => getStatement(store, ref, opts.asOf)));
      if (opts.json) return printJson(s);
      const out = process.stdout;
      out.write(`Account ${s.account} (${s.product}) — creditor ${s.creditor}, debtor ${s.debtor}\n`);
      out.write(`As of ${s.asOf}: ${s.dpd} days past due, bucket ${s.bucket}\n\n`);
      out.write(
        table(
          ['#', 'due', 'status', 'principal', 'interest', 'fees', 'penalty', 'paid', 'outstanding'],
          s.installments.map((i) => [
            i.seq,
            i.due,
            i.status,
            i.charged.principal,
            i.charged.interest,
            i.charged.fees,
            i.charged.penalty,
            i.paid.total,
            i.outstanding.total,
          ]),
        ) + '\n\n',
      );
      out.write(
        `Overdue ${s.currency} ${s.overdue.total} = principal ${s.overdue.principal} + interest ${s.overdue.interest} + fees ${s.overdue.fees} + penalty ${s.overdue.penalty}\n`,
      );
      out.write(
        `Outstanding principal ${s.outstandingPrincipal}; to settle today ${s.payoff}${/[1-9]/.test(s.credit) ? `; credit ${s.credit}` : ''}\n`,
      );
      if (s.capReduction) out.write(`Reduced by ${s.capReduction.amount} under ${s.capReduction.rule}\n`);
      out.write('\nHow these figures are computed:\n');
      for (const line of s.formula) out.write(`  ${line}\n`);
    });
}
