import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { formatDay, todayIn } from '../../domain/calendar/index.js';
import { ArrearsError } from '../../domain/errors.js';
import { writePortfolio } from '../../demo/generate.js';
import { importFile } from '../../services/import/index.js';
import { configFromEnv } from '../../store/index.js';
import { withStore } from '../context.js';
import { printJson, progressBar } from '../output.js';
import { printPortfolio, runSnapshot } from './portfolio.js';

interface Options {
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
      const { imported, summary, location } = await withStore(async (store) => {
        const imported = await importFile(store, file, {
          today: asOf,
          onProgress: (p) => bar.update(p.bytesRead, p.totalBytes),
        }).finally(() => bar.stop());
        if (!imported.committed)
          throw new ArrearsError(
            'internal',
            `the generated demo file did not import: ${JSON.stringify(imported.errors.slice(0, 3))}`,
          );
        return { imported, summary: await runSnapshot(store, asOf, !opts.json), location: store.location };
      });
      if (opts.json)
        return printJson({ file, database: location, imported: imported.imported, portfolio: summary });
      log(
        `Imported into ${location}: ${imported.imported.accounts} accounts, ${imported.imported.payments} payments.\n\n`,
      );
      printPortfolio(summary);
      const sample = summary.byBucket.find((b) => b.bucket !== 'M0');
      const first = `A-${'1'.padStart(String(accounts).length, '0')}`;
      const next: [string, string][] = [
        [
          `npm run arrears -- statement ${first} --as-of ${asOf}`,
          'an itemised statement with the formula behind every figure',
        ],
        [`npm run arrears -- portfolio --as-of ${asOf} --json`, 'this summary as JSON'],
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
    });
}
