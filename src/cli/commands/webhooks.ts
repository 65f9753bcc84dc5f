import { InvalidArgumentError, type Command } from 'commander';
import { emitBrokenPromises } from '../../services/promises/index.js';
import {
  createEndpoint,
  deliverWebhooks,
  listEndpoints,
  startWebhookRunner,
  WEBHOOK_EVENT_TYPES,
} from '../../services/webhooks/index.js';
import { withStore } from '../context.js';
import { printJson, table } from '../output.js';

const positive = (v: string) => {
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new InvalidArgumentError('must be a whole number ≥ 1');
  return Number(v);
};

export function registerWebhooks(program: Command): void {
  const webhooks = program.command('webhooks').description('signed event notifications to integrators');
  webhooks
    .command('add')
    .description('add an endpoint; prints its signing secret once')
    .argument('<url>', 'http(s) URL that receives POSTed JSON')
    .requiredOption('--events <types>', `comma-separated: ${WEBHOOK_EVENT_TYPES.join(', ')} or *`)
    .option('--json', 'print JSON')
    .action(async (url: string, opts: { events: string; json?: boolean }) => {
      const ep = await withStore((store) =>
        createEndpoint(store, null, { url, eventTypes: opts.events.split(',').map((t) => t.trim()) }),
      );
      if (opts.json) return printJson(ep);
      process.stdout.write(
        `Endpoint ${ep.id} added. Signing secret (shown once, keep it safe): ${ep.secret}\n`,
      );
    });
  webhooks
    .command('list')
    .description('endpoints (never their secrets)')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const items = await withStore((store) => listEndpoints(store));
      if (opts.json) return printJson({ items });
      process.stdout.write(
        table(
          ['id', 'url', 'events', 'active'],
          items.map((e) => [e.id, e.url, e.eventTypes.join(','), e.active ? 'yes' : 'no']),
        ) + '\n',
      );
    });
  webhooks
    .command('deliver')
    .description(
      'deliver due webhook events, retrying failures with backoff; runs until stopped unless --once',
    )
    .option('--once', 'deliver what is due now and exit')
    .option('--max-attempts <n>', 'attempts before a delivery is dead (default 8)', positive)
    .option('--timeout <ms>', 'request timeout in ms (default 10000)', positive)
    .option('--interval <ms>', 'pause between rounds when running continuously (default 5000)', positive)
    .option('--json', 'print JSON')
    .action(
      async (opts: {
        once?: boolean;
        maxAttempts?: number;
        timeout?: number;
        interval?: number;
        json?: boolean;
      }) => {
        const options = {
          ...(opts.maxAttempts ? { maxAttempts: opts.maxAttempts } : {}),
          ...(opts.timeout ? { timeoutMs: opts.timeout } : {}),
        };
        await withStore(async (store) => {
          if (opts.once) {
            await emitBrokenPromises(store);
            const summary = await deliverWebhooks(store, options);
            if (opts.json) return printJson(summary);
            process.stdout.write(
              `Delivered ${summary.delivered}, retrying ${summary.retried}, dead ${summary.dead}` +
                (summary.recovered ? `, ${summary.recovered} recovered from a stopped worker` : '') +
                '\n',
            );
            return;
          }
          const runner = startWebhookRunner(store, {
            ...options,
            intervalMs: opts.interval ?? 5_000,
            beforeRound: () => emitBrokenPromises(store),
            onError: (e) => process.stderr.write(`webhook delivery round failed: ${(e as Error).message}\n`),
          });
          await new Promise<void>((resolve) => {
            process.once('SIGINT', resolve);
            process.once('SIGTERM', resolve);
          });
          await runner.stop();
        });
      },
    );
}
