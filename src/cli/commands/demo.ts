import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { formatDay, todayIn } from '../../domain/calendar/index.js';
import { ArrearsError } from '../../domain/errors.js';
import { writePortfolio } from '../../demo/generate.js';
import { importFile } from '../../services/import/index.js';
import { configFromEnv, openStore } from '../../store/index.js';
import { DEMO_AGENCIES, DEMO_PASSWORD, setUpDemoAccess } from '../../demo/access.js';
import { serve } from '../../http/serve.js';
import { parsePort } from './serve.js';
import { withStore } from '../context.js';
import { printJson, progressBar, table } from '../output.js';
import { printPortfolio, runSnapshot } from './portfolio.js';
import { cycleJson, cycleWithProgress } from './cycle.js';
import { setUpDemoTreatment } from '../../demo/treatment.js';

interface Options {
  serve: boolean;
  port?: string;
  host?: string;
  accounts: string;
  seed: string;
  asOf?: string;
  json?: boolean;
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      'generate a realistic portfolio across US, CN, KR and ES, import it and show the delinquency snapshot',
    )
    .option('--accounts <n>', 'number of accounts', '20000')
    .option('--seed <n>', 'generator seed (same seed, same portfolio)', '1')
    .option('--as-of <date>', 'YYYY-MM-DD the portfolio is built around (default: today, UTC)')
    .option('--json', 'print the import result and summary as JSON')
    .option('--no-serve', 'stop after the summary instead of starting the server on the demo data')
    .option('--port <n>', 'server port (default PORT or 3000)')
    .option('--host <h>', 'server address (default HOST or 127.0.0.1)')
    .action(async (opts: Options) => {
      const accounts = Number(opts.accounts);
      if (!Number.isInteger(accounts) || accounts < 1 || accounts > 5_000_000) {
        throw new ArrearsError(
          'invalid',
          `--accounts must be a whole number from 1 to 5000000 (got "${opts.accounts}")`,
        );
      }
      const asOf = opts.asOf ?? formatDay(todayIn('UTC'));
      const config = configFromEnv();
      const dir = path.resolve(config.dataDir ?? '.arrears', 'demo');
      mkdirSync(dir, { recursive: true });
      const file = path.join(dir, `portfolio-${accounts}-seed${opts.seed}-${asOf}.ndjson`);
      const log = (text: string) => {
        if (!opts.json) process.stdout.write(text);
      };
      log(`Generating ${accounts} accounts as of ${asOf} → ${file}\n`);
      await writePortfolio(file, { accounts, seed: Number(opts.seed), asOf });
      const bar = progressBar('importing', !opts.json);
      const { imported, summary, access, cycle, location } = await withStore(async (store) => {
        const imported = await importFile(store, file, {
          today: asOf,
          onProgress: (p) => bar.update(p.bytesRead, p.totalBytes),
        }).finally(() => bar.stop());
        if (!imported.committed)
          throw new ArrearsError(
            'internal',
            `the generated demo file did not import: ${JSON.stringify(imported.errors.slice(0, 3))}`,
          );
        const summary = await runSnapshot(store, asOf, !opts.json);
        const access = await setUpDemoAccess(store, asOf);
        await setUpDemoTreatment(store);
        const cycle = await cycleWithProgress(store, asOf, 10_000, !opts.json);
        return { imported, summary, access, cycle, location: store.location };
      });
      if (opts.json) {
        printJson({
          file,
          database: location,
          imported: imported.imported,
          portfolio: summary,
          users: access.users.map((u) => ({ ...u, password: DEMO_PASSWORD })),
          placedWithAgencies: access.placed,
          cycle: cycleJson(cycle),
        });
        return opts.serve ? serveDemo(opts) : undefined;
      }
      log(
        `Imported into ${location}: ${imported.imported.accounts} accounts, ${imported.imported.payments} payments.\n\n`,
      );
      printPortfolio(summary);
      log(
        `\nToday's collection cycle (the default strategy of each jurisdiction, every contact through the compliance gate): ` +
          `${cycle.planned} actions planned — ${Object.entries(cycle.byChannel)
            .map(([c, n]) => `${n} ${c}`)
            .join(', ')} — ${cycle.rescheduled} moved by the gate to an allowed time` +
          (Object.keys(cycle.byRule).length ? ` (${Object.keys(cycle.byRule).join(', ')})` : '') +
          `, ${cycle.blocked} blocked, ${cycle.escalated} escalations raised.\n`,
      );
      const sample = summary.byBucket.find((b) => b.bucket !== 'M0');
      const first = `A-${'1'.padStart(String(accounts).length, '0')}`;
      const next: [string, string][] = [
        [
          `npm run arrears -- statement ${first} --as-of ${asOf}`,
          'an itemised statement with the formula behind every figure',
        ],
        [`npm run arrears -- portfolio --as-of ${asOf} --json`, 'this summary as JSON'],
        [
          'npm run arrears -- dispatch --limit 20',
          'send the first 20 due actions (e-mail as .eml, SMS, PDF letters in the data folder; SMTP_URL sends for real)',
        ],
        [
          'npm run arrears -- outbox status',
          'the queue by status and channel: planned, sent, blocked by the gate',
        ],
        [
          `npm run arrears -- simulate --days 60 --as-of ${asOf}`,
          'the default strategies on this portfolio: recovery, contacts and cost per arm',
        ],
        [
          'npm run arrears -- strategy validate strategies/default-us.yaml',
          'a strategy to copy and adapt (docs/strategies.md)',
        ],
        [
          'npm run arrears -- import docs/examples/portfolio.ndjson',
          'import your own file (format: docs/import-format.md)',
        ],
      ];
      const width = Math.max(...next.map(([c]) => c.length));
      log(`\nWhere to look next:\n${next.map(([c, what]) => `  ${c.padEnd(width)}   ${what}`).join('\n')}\n`);
      if (sample)
        log(`\n${sample.delinquent} accounts are in ${sample.bucket} alone, waiting for treatment.\n`);
      log(`Data lives in ${location}; set DATABASE_URL=postgres://… to use a PostgreSQL server instead.\n`);
      log(
        `\nDemo logins (password "${DEMO_PASSWORD}"), ${access.placed} accounts over 90 days past due placed with ${DEMO_AGENCIES.map((a) => a.ref).join(' and ')}:\n` +
          table(
            ['username', 'role'],
            access.users.map((u) => [
              u.username,
              u.role + (u.role === 'agency_user' ? ` (${DEMO_AGENCIES[0].ref})` : ''),
            ]),
          ).replace(/^/gm, '  ') +
          '\n',
      );
      if (opts.serve) return serveDemo(opts);
      log('\nStart the API on this data with: npm run arrears -- serve\n');
    });
}

async function serveDemo(opts: Options): Promise<void> {
  const store = await openStore(configFromEnv());
  await serve(store, {
    port: parsePort(opts.port ?? process.env.PORT ?? '3000'),
    host: opts.host ?? process.env.HOST ?? '127.0.0.1',
    logLevel: process.env.LOG_LEVEL ?? 'warn',
    onListening: (url) =>
      process.stderr.write(
        `\nArrears API on the demo data: ${url}/api/v1 — reference ${url}/api/docs — sign in with POST ${url}/api/v1/auth/login (Ctrl-C stops it)\n`,
      ),
  });
}
