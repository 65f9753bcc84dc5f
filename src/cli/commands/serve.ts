import type { Command } from 'commander';
import { ArrearsError } from '../../domain/errors.js';
import { serve } from '../../http/serve.js';
import { configFromEnv, openStore } from '../../store/index.js';

export function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ArrearsError('invalid', `--port must be a whole number from 0 to 65535 (got "${text}")`);
  return port;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the HTTP API (/api/v1, docs at /api/docs) until SIGINT/SIGTERM')
    .option('--port <n>', 'port (default PORT or 3000; 0 picks a free one)')
    .option('--host <h>', 'address to listen on (default HOST or 127.0.0.1)')
    .option('--webhooks', 'also deliver webhook events in-process (or run `arrears webhooks deliver` apart)')
    .action(async (opts: { port?: string; host?: string; webhooks?: boolean }) => {
      const port = parsePort(opts.port ?? process.env.PORT ?? '3000');
      const host = opts.host ?? process.env.HOST ?? '127.0.0.1';
      const store = await openStore(configFromEnv());
      await serve(store, {
        port,
        host,
        logLevel: process.env.LOG_LEVEL ?? 'info',
        webhooks: opts.webhooks ?? false,
        onListening: (url) =>
          process.stderr.write(`Arrears API listening on ${url} — reference at ${url}/api/docs\n`),
      });
      process.stderr.write('Arrears API stopped.\n');
    });
}
