import type { Command } from 'commander';
import { DEFAULT_BUCKETS } from '../../domain/delinquency/index.js';
import { portfolioJson, resolveAsOf, snapshotPortfolio } from '../../services/statements/index.js';
import type { Store } from '../../store/index.js';
import { withStore } from '../context.js';
import { printJson, progressBar, table } from '../output.js';

type PortfolioJson = ReturnType<typeof portfolioJson>;

/** Computes and stores the snapshot, then returns its summary JSON. Shared by `portfolio` and `demo`. */
export async function runSnapshot(
  store: Store,
  asOf: string | undefined,
  showProgress: boolean,
): Promise<PortfolioJson> {
  const bar = progressBar('snapshot', showProgress);
  try {
    const summary = await snapshotPortfolio(store, resolveAsOf(asOf), {
      onProgress: (d, t) => bar.update(d, t),
    });
    return portfolioJson(
      summary,
      DEFAULT_BUCKETS.map((b) => b.name),
    );
  } finally {
    bar.stop();
  }
}

const money = (m: Record<string, string>) =>
  Object.entries(m)
    .map(([c, v]) => `${c} ${v}`)
    .join(', ') || '—';

export function printPortfolio(p: PortfolioJson): void {
  const out = process.stdout;
  out.write(`Portfolio as of ${p.asOf}: ${p.accounts} open accounts, ${p.delinquent} delinquent\n\n`);
  out.write(
    table(
      ['bucket', 'accounts', 'overdue', 'outstanding principal'],
      p.byBucket.map((b) => [b.bucket, b.accounts, money(b.overdue), money(b.outstandingPrincipal)]),
    ) + '\n\n',
  );
  out.write(
    table(
      ['jurisdiction', 'accounts', 'delinquent', 'overdue'],
      p.byJurisdiction.map((j) => [j.jurisdiction, j.accounts, j.delinquent, money(j.overdue)]),
    ) + '\n\n',
  );
  out.write(
    table(
      ['creditor', 'name', 'accounts', 'delinquent', 'overdue'],
      p.byCreditor.map((c) => [c.creditor, c.name, c.accounts, c.delinquent, money(c.overdue)]),
    ) + '\n',
  );
}

export function registerPortfolio(program: Command): void {
  program
    .command('portfolio')
    .description(
      'delinquency snapshot of every open account: counts and balances by bucket, jurisdiction and creditor',
    )
    .option('--as-of <date>', 'YYYY-MM-DD (default: today, UTC)')
    .option('--json', 'print the summary as JSON')
    .action(async (opts: { asOf?: string; json?: boolean }) => {
      const p = await withStore((store) => runSnapshot(store, opts.asOf, !opts.json));
      if (opts.json) printJson(p);
      else printPortfolio(p);
    });
}
