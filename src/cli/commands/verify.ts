import type { Command } from 'commander';
import { ArrearsError } from '../../domain/errors.js';
import { verifyCode, verifyFile, type VerifyResult } from '../../notices/index.js';
import { withStore } from '../context.js';
import { printJson } from '../output.js';

/** Exit code of a check that ran and found the notice not genuine (docs/cli.md). */
export const NOT_GENUINE_EXIT = 8;

function print(r: VerifyResult, json: boolean | undefined) {
  if (!r.genuine) process.exitCode = NOT_GENUINE_EXIT;
  if (json) return printJson(r);
  const out = process.stdout;
  out.write(
    r.genuine ? `GENUINE — notice ${r.code}\n` : `NOT GENUINE${r.code ? ` — ${r.code}` : ''}: ${r.reason}\n`,
  );
  if (r.notice) {
    const n = r.notice;
    out.write(
      `  from ${n.creditor}, account ${n.account}, ${n.amount} ${n.currency} on ${n.date} by ${n.channel}\n`,
    );
    if (n.recipient) out.write(`  sent to ${n.recipient}${n.subject ? `: "${n.subject}"` : ''}\n`);
    out.write(`  signed with key ${n.keyId}\n`);
  }
}

export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description(
      'check that a notice is genuine: by its code (online) or a .pdf/.eml file with the public key (offline)',
    )
    .argument('[code]', 'the verification code printed on the notice')
    .option('--file <path>', 'a notice.pdf or notice.eml to check offline')
    .option('--public-key <key>', 'the issuer\'s public key, ed25519:… (see "arrears keys show")')
    .option('--json', 'print JSON')
    .action(async (code: string | undefined, opts: { file?: string; publicKey?: string; json?: boolean }) => {
      if (opts.file) {
        if (!opts.publicKey)
          throw new ArrearsError('invalid', "--file needs --public-key (the issuer's published key)", {
            issues: [{ field: 'publicKey', message: 'required with --file' }],
          });
        return print(await verifyFile(opts.file, opts.publicKey), opts.json);
      }
      if (!code)
        throw new ArrearsError('invalid', 'give a verification code, or --file with --public-key', {
          issues: [{ field: 'code', message: 'required without --file' }],
        });
      print(await withStore((store) => verifyCode(store, code)), opts.json);
    });
}
