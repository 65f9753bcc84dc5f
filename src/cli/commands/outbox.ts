import type { Command } from 'commander';
import { ArrearsError } from '../../domain/errors.js';
import {
  CHANNELS,
  outboxCounts,
  planManualAction,
  resolveAction,
  type Resolution,
} from '../../services/dispatch/index.js';
import type { ChannelName } from '../../store/index.js';
import { withStore } from '../context.js';
import { printJson } from '../output.js';

export function registerOutbox(program: Command): void {
  const outbox = program
    .command('outbox')
    .description('planned actions waiting to be sent, and their states');
  outbox
    .command('add')
    .description('plan one action by hand (the strategy engine plans in bulk)')
    .argument('<account>', 'account ref')
    .requiredOption('--channel <channel>', CHANNELS.join('|'))
    .requiredOption('--template <name>', 'template name, e.g. reminder or notice')
    .option('--locale <locale>', "default: the debtor's locale")
    .option('--at <instant>', 'ISO instant (default: now)')
    .option('--key <key>', 'idempotency key (default: a new one)')
    .option('--json', 'print JSON')
    .action(
      async (
        ref: string,
        opts: {
          channel: string;
          template: string;
          locale?: string;
          at?: string;
          key?: string;
          json?: boolean;
        },
      ) => {
        if (!CHANNELS.includes(opts.channel as ChannelName))
          throw new ArrearsError('invalid', `--channel must be one of ${CHANNELS.join(', ')}`, {
            issues: [{ field: 'channel', message: `one of ${CHANNELS.join(', ')}` }],
          });
        const at = opts.at === undefined ? undefined : new Date(opts.at);
        if (at && Number.isNaN(at.getTime()))
          throw new ArrearsError('invalid', `--at "${opts.at}" is not an ISO instant`, {
            issues: [{ field: 'at', message: 'e.g. 2026-11-23T09:00:00Z' }],
          });
        const r = await withStore((store) =>
          planManualAction(store, {
            accountRef: ref,
            channel: opts.channel as ChannelName,
            template: opts.template,
            locale: opts.locale,
            at,
            key: opts.key,
          }),
        );
        if (opts.json) return printJson(r);
        process.stdout.write(
          r.inserted ? `planned (key ${r.idempotencyKey})\n` : `already planned (key ${r.idempotencyKey})\n`,
        );
      },
    );
  outbox
    .command('resolve')
    .description('settle an unknown or dead action by hand: sent, retry (send again) or dead; audited')
    .argument('<account>', 'account ref')
    .argument('<key>', "the action's idempotency key")
    .requiredOption('--as <resolution>', 'sent | retry | dead')
    .requiredOption('--note <text>', 'why (kept in the audit trail)')
    .option('--json', 'print JSON')
    .action(async (ref: string, key: string, opts: { as: string; note: string; json?: boolean }) => {
      const r = await withStore((store) =>
        resolveAction(store, {
          accountRef: ref,
          idempotencyKey: key,
          as: opts.as as Resolution,
          note: opts.note,
        }),
      );
      if (opts.json) return printJson(r);
      process.stdout.write(`action ${r.id}: ${r.from} → ${r.to}\n`);
    });
  outbox
    .command('status')
    .description('actions by status and channel')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const counts = await withStore((store) => store.transaction(({ sql }) => outboxCounts(sql)));
      if (opts.json) return printJson(counts);
      for (const [status, byChannel] of Object.entries(counts))
        process.stdout.write(
          `${status}: ${Object.entries(byChannel)
            .map(([c, n]) => `${c} ${n}`)
            .join(', ')}\n`,
        );
    });
}
