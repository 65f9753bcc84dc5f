import type { AddressInfo } from 'node:net';
import { emitBrokenPromises } from '../services/promises/index.js';
import { startWebhookRunner } from '../services/webhooks/index.js';
import type { Store } from '../store/index.js';
import { buildApp, type AppOptions } from './app.js';

export interface ServeOptions extends AppOptions {
  port: number;
  host: string;
  /** Deliver webhook events in-process (every 5 s) while serving. */
  webhooks?: boolean;
  /** Called with the URL once listening (the CLI prints it). */
  onListening?: (url: string) => void;
}

/**
 * Listens until SIGINT or SIGTERM, then shuts down gracefully: readiness turns 503, in-flight requests
 * finish, the listener and then the store close. Resolves when all of that is done.
 */
export async function serve(store: Store, options: ServeOptions): Promise<void> {
  const { app, state } = await buildApp(store, options);
  await app.listen({ port: options.port, host: options.host });
  const address = app.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  options.onListening?.(`http://${host}:${address.port}`);
  const webhooks = options.webhooks
    ? startWebhookRunner(store, {
        beforeRound: () => emitBrokenPromises(store),
        onError: (e) => app.log.error({ err: e }, 'webhook delivery round failed'),
      })
    : null;
  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      state.ready = false;
      app.log.info({ signal }, 'shutting down');
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await webhooks?.stop();
  await app.close();
  await store.close();
}
