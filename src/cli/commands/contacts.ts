import type { Command } from 'commander';
import { CHANNELS, type Channel } from '../../domain/compliance/index.js';
import { ArrearsError } from '../../domain/errors.js';
import { overdueComplaints } from '../../services/complaints/index.js';
import { checkContact } from '../../services/contacts/index.js';
import { withStore } from '../context.js';
import { EXIT_CODES, printJson, table } from '../output.js';

export function registerContacts(program: Command): void {
  program
    .command('contact-check')
    .description(
      "may I contact this account's debtor now? The gate with holds, preferences and logged contacts; the decision is recorded; exit 5 when refused",
    )
    .argument('<account>', 'account ref')
    .requiredOption('--channel <channel>', CHANNELS.join(', '))
    .option('--recipient <who>', 'debtor (default), attorney, or contact:N')
    .option('--at <instant>', 'ISO 8601 instant with an offset (default now)')
    .option('--json', 'print the decision as JSON')
    .action(
      async (ref: string, opts: { channel: string; recipient?: string; at?: string; json?: boolean }) => {
        if (!CHANNELS.includes(opts.channel as Channel))
          throw new ArrearsError('invalid', `--channel must be one of ${CHANNELS.join(', ')}`);
        const d = await withStore((store) =>
          checkContact(store, ref, {
            channel: opts.channel as Channel,
            recipient: opts.recipient,
            at: opts.at,
          }),
        );
        if (!d.allowed) process.exitCode = EXIT_CODES.contact_not_allowed;
        if (opts.json) return printJson(d);
        process.stdout.write(
          d.allowed
            ? `allowed: ${d.channel} to ${d.recipient} at ${d.at} (decision ${d.decisionId})\n`
            : `refused: ${d.channel} to ${d.recipient} at ${d.at} (decision ${d.decisionId}); next allowed ${d.nextAllowedAt ?? 'never (no time helps)'}\n` +
                d.violations.map((v) => `  ${v.rule}: ${v.message} [${v.citation}]\n`).join(''),
        );
      },
    );
  program
    .command('complaints')
    .description('complaints')
    .command('overdue')
    .description('complaints past their SLA deadline, most overdue first')
    .option('--as-of <date>', "YYYY-MM-DD (default: each debtor's today)")
    .option('--json', 'print as JSON')
    .action(async (opts: { asOf?: string; json?: boolean }) => {
      const r = await withStore((store) => overdueComplaints(store, opts.asOf));
      if (opts.json) return printJson(r);
      process.stdout.write(
        table(
          ['account', 'id', 'category', 'rule', 'missed', 'due', 'days over', 'assigned'],
          r.items.map((c) => [
            c.account,
            c.id,
            c.category,
            c.slaRule,
            c.missed,
            c.due,
            c.daysOverdue,
            c.assignedTo ?? '',
          ]),
        ) + '\n',
      );
    });
}
