import { InvalidArgumentError, type Command } from 'commander';
import { channelsFromEnv, type ChannelAdapter } from '../../channels/index.js';
import { keyConfigFromEnv, loadSigner } from '../../notices/index.js';
import { lintContent, sendGate } from '../../services/compliance/index.js';
import {
  dispatch,
  publicUrlFromEnv,
  senderFromEnv,
  type DispatchDeps,
} from '../../services/dispatch/index.js';
import { configFromEnv, type Store } from '../../store/index.js';
import { ensureDefaultTemplates } from '../../templates/index.js';
import { withStore } from '../context.js';
import { printJson } from '../output.js';

const int = (v: string) => {
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new InvalidArgumentError('must be a whole number ≥ 1');
  return Number(v);
};

/**
 * The dispatcher's parts as configured by the environment (channels, signing key, the real compliance gate
 * and content linter); the channels are closed when `fn` ends. Shared by `dispatch` and `worker`.
 */
export async function withDispatchDeps<T>(store: Store, fn: (deps: DispatchDeps) => Promise<T>): Promise<T> {
  await ensureDefaultTemplates(store);
  const channels = channelsFromEnv(store, configFromEnv().dataDir ?? './.arrears');
  try {
    return await fn({
      store,
      channels,
      signer: await loadSigner(store, keyConfigFromEnv()),
      gate: sendGate(store),
      contentCheck: lintContent,
      sender: senderFromEnv(),
      publicUrl: publicUrlFromEnv(),
    });
  } finally {
    await Promise.all(Object.values<ChannelAdapter>(channels).map((c) => c.close()));
  }
}

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
        const summary = await withStore((store) =>
          withDispatchDeps(store, (deps) =>
            dispatch(deps, {
              limit: opts.limit,
              batchSize: opts.batch,
              concurrency: opts.concurrency,
              workers: opts.workers,
            }),
          ),
        );
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
