import type { Command } from 'commander';
import { verifyAudit } from '../../services/audit/index.js';
import { withStore } from '../context.js';
import { printJson } from '../output.js';

/** Exit code of `audit verify` when the chain is broken (docs/cli.md). */
export const BROKEN_CHAIN_EXIT = 8;

export function registerAudit(program: Command): void {
  program
    .command('audit')
    .description('the hash-chained audit log')
    .command('verify')
    .description('walk the audit chain and report the first broken link')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { json?: boolean }) => {
      const r = await withStore((store) => verifyAudit(store));
      if (!r.ok) process.exitCode = BROKEN_CHAIN_EXIT;
      if (opts.json) return printJson(r);
      if (r.ok) {
        process.stdout.write(
          `Audit chains intact: ${r.records} records in ${r.chains} chains, each record hashing the one before.\n`,
        );
        return;
      }
      const b = r.firstBroken!;
      const chain = b.chain === 0 ? '0 (no account)' : `of account id ${b.chain}`;
      process.stdout.write(
        `Audit chain ${chain} BROKEN at record ${b.seq}: ${b.reason} (${r.records} records verified before it).\n`,
      );
    });
}
