import { InvalidArgumentError, type Command } from 'commander';
import { channelsFromEnv, type ChannelAdapter } from '../../channels/index.js';
import { keyConfigFromEnv, loadSigner } from '../../notices/index.js';
import { lintContent, sendGate } from '../../services/compliance/index.js';
import { dispatch, publicUrlFromEnv, senderFromEnv } from '../../services/dispatch/index.js';
import { configFromEnv } from '../../store/index.js';
import { ensureDefaultTemplates } from '../../templates/index.js';
import { withStore } from '../context.js';
import { printJson } from '../output.js';

const int = (v: string) => {
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new InvalidArgumentError('must be a whole number ≥ 1');
  return Number(v);
};

export function registerDispatch(program: Command): void {
  program
    .command('dispatch')
    .description('send what is due in the outbox (e-mail, SMS, letters, call and visit tasks), with retries')
    .option('--limit <n>', 'stop after this many actions', int)
    .option('--batch <n>', 'actions claimed per round (default 200)', int)
    .option('--concurrency <n>', 'messages in flight per worker (default 16)', int)
    .option('--workers <n>', 'claim-render-send loops side by side (default 2)', int)
    .option('--json', 'print JSON')
    .action(
      async (opts: {
        limit?: number;
        batch?: number;
        concurrency?: number;
        workers?: number;
        json?: boolean;
      }) => {
        const summary = await withStore(async (store) => {
          await ensureDefaultTemplates(store);
          const channels = channelsFromEnv(store, configFromEnv().dataDir ?? './.arrears');
          try {
            return await dispatch(
              {
                store,
                channels,
                signer: await loadSigner(store, keyConfigFromEnv()),
                gate: sendGate(store),
                contentCheck: lintContent,
                sender: senderFromEnv(),
                publicUrl: publicUrlFromEnv(),
              },
              {
                limit: opts.limit,
                batchSize: opts.batch,
                concurrency: opts.concurrency,
                workers: opts.workers,
              },
            );
          } finally {
            await Promise.all(Object.values<ChannelAdapter>(channels).map((c) => c.close()));
          }
        });
        if (opts.json) return printJson(summary);
        const s = summary;
        process.stdout.write(
          `claimed ${s.claimed}: sent ${s.sent}, retry later ${s.retried}, rescheduled ${s.rescheduled}, dead ${s.dead}, blocked ${s.blocked}, unknown ${s.unknown}\n`,
        );
        for (const e of s.errors.slice(0, 20))
          process.stdout.write(`  action ${e.id} (${e.status}): ${e.error}\n`);
      },
    );
}
