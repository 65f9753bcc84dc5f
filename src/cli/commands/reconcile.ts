import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { ArrearsError } from '../../domain/errors.js';
import {
  matchLine,
  reconcileStatement,
  runLines,
  STATEMENT_FORMATS,
  type StatementFormat,
} from '../../services/reconciliation/index.js';
import { withStore } from '../context.js';
import { printJson, table } from '../output.js';

const positive = (v: string) => {
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new InvalidArgumentError('must be a whole number ≥ 1');
  return Number(v);
};

export function registerReconcile(program: Command): void {
  program
    .command('reconcile')
    .description('import a bank statement: post the payments it matches, keep every other line for matching')
    .argument('<file>', 'statement file: CSV (columns in docs/reconciliation.md) or ISO 20022 camt.053 XML')
    .option('--format <format>', 'csv or camt053 (default: camt053 for a .xml file, else csv)')
    .option('--dry-run', 'match and report without posting or storing anything')
    .option('--pattern <regex>', 'regular expression for account refs in the reference text')
    .option('--json', 'print JSON')
    .action(
      async (file: string, opts: { format?: string; dryRun?: boolean; pattern?: string; json?: boolean }) => {
        const format = opts.format ?? (/\.xml$/i.test(file) ? 'camt053' : 'csv');
        if (!(STATEMENT_FORMATS as readonly string[]).includes(format))
          throw new ArrearsError(
            'invalid',
            `--format ${format} is not supported; use ${STATEMENT_FORMATS.join(' or ')}`,
            { issues: [{ field: 'format', message: `must be one of ${STATEMENT_FORMATS.join(', ')}` }] },
          );
        let bytes: Buffer;
        try {
          bytes = await readFile(file);
        } catch (e) {
          throw new ArrearsError('not_found', `cannot read ${file}: ${(e as Error).message}`);
        }
        const report = await withStore((store) =>
          reconcileStatement(
            store,
            null,
            { name: path.basename(file), bytes },
            {
              format: format as StatementFormat,
              dryRun: opts.dryRun,
              referencePattern: opts.pattern ?? (process.env.ARREARS_RECONCILE_PATTERN || undefined),
            },
          ),
        );
        if (opts.json) return printJson(report);
        process.stdout.write(
          `${report.dryRun ? 'Dry run (nothing posted)' : `Run ${report.run}`}: ${report.lines} lines, ` +
            `${report.posted} posted, ${report.alreadyPosted} already posted, ${report.unmatched} to review\n`,
        );
        const review = report.outcomes.filter((o) => !['posted', 'already_posted'].includes(o.status));
        if (review.length > 0)
          process.stdout.write(
            table(
              ['line', 'transaction', 'amount', 'status', 'account', 'reason'],
              review.map((o) => [
                o.position ?? o.line,
                o.transactionId,
                `${o.currency} ${o.amount}`,
                o.status,
                o.account ?? '',
                o.reason ?? '',
              ]),
            ) + '\n',
          );
      },
    );
  program
    .command('reconcile-lines')
    .description('the stored lines of a reconciliation run')
    .argument('<run>', 'run id', positive)
    .option('--open', 'only lines waiting to be matched (unmatched, ambiguous)')
    .option('--json', 'print JSON')
    .action(async (run: number, opts: { open?: boolean; json?: boolean }) => {
      const r = await withStore((store) => runLines(store, run, { open: opts.open }));
      if (opts.json) return printJson(r);
      process.stdout.write(
        table(
          ['line', 'transaction', 'amount', 'reference', 'status', 'account', 'matched by', 'reason'],
          r.items.map((o) => [
            o.position ? `${o.line} ${o.position}` : o.line,
            o.transactionId,
            `${o.currency} ${o.amount}`,
            o.reference,
            o.status,
            o.account ?? '',
            o.matchedBy ?? '',
            o.reason ?? '',
          ]),
        ) + '\n',
      );
    });
  program
    .command('reconcile-match')
    .description('match an unmatched or ambiguous statement line to an account (posts its payment)')
    .argument('<run>', 'run id', positive)
    .argument('<line>', 'line number in the statement file', positive)
    .argument('<account>', 'account ref')
    .option('--json', 'print JSON')
    .action(async (run: number, line: number, account: string, opts: { json?: boolean }) => {
      const r = await withStore((store) => matchLine(store, null, run, line, account));
      if (opts.json) return printJson(r);
      process.stdout.write(
        `Line ${line} of run ${run} posted to ${account} as payment ${r.payment} (${r.amount})\n`,
      );
    });
}
