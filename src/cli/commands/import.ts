import { createWriteStream } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { importFile, type ImportResult, type InputFormat } from '../../services/import/index.js';
import { withStore } from '../context.js';
import { printJson, progressBar, table } from '../output.js';

interface Options {
  skipInvalid?: boolean;
  rejects?: string;
  format?: InputFormat;
  json?: boolean;
}

export function registerImport(program: Command): void {
  program
    .command('import')
    .description('import creditors, debtors, accounts and payments from an NDJSON or CSV file (- for stdin)')
    .argument('<file>', 'file to import, or - to read NDJSON from standard input')
    .option(
      '--skip-invalid',
      'write the valid records and put every bad line with its reason in a rejects file',
    )
    .option('--rejects <file>', 'where rejected lines go with --skip-invalid (default FILE.rejects.ndjson)')
    .option('--format <format>', 'ndjson or csv (default: from the file name)')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, opts: Options) => {
      const source = file === '-' ? await spoolStdin() : file;
      const bar = progressBar('importing', !opts.json);
      const result = await withStore((store) =>
        importFile(store, source, {
          skipInvalid: opts.skipInvalid,
          rejectsFile: opts.rejects,
          format: opts.format ?? (file === '-' ? 'ndjson' : undefined),
          onProgress: (p) => bar.update(p.bytesRead, p.totalBytes),
        }),
      ).finally(() => bar.stop());
      if (opts.json) printJson(importJson(result));
      else printHuman(result, source);
      if (!result.committed) process.exitCode = 1;
    });
}

/** The stable `--json` shape (docs/cli.md). */
export function importJson(r: ImportResult) {
  return {
    imported: r.committed ? r.imported : { creditors: 0, debtors: 0, accounts: 0, payments: 0 },
    created: r.created,
    updated: r.updated,
    committed: r.committed,
    rejected: r.rejected,
    errorCount: r.errorCount,
    errors: r.errors,
    ...(r.errorCount > r.errors.length ? { errorsTruncated: true } : {}),
    ...(r.rejectsFile ? { rejectsFile: r.rejectsFile } : {}),
  };
}

function printHuman(r: ImportResult, file: string) {
  for (const e of r.errors) process.stderr.write(`${file}:${e.line}: ${e.field}: ${e.message}\n`);
  if (r.errorCount > r.errors.length)
    process.stderr.write(`… and ${r.errorCount - r.errors.length} more errors\n`);
  if (!r.committed) {
    process.stderr.write(
      `\nNothing was imported: ${r.rejected} of the records have errors (${r.errorCount} in all). Fix them, or use --skip-invalid to import the valid ones.\n`,
    );
    return;
  }
  const kinds = ['creditors', 'debtors', 'accounts', 'payments'] as const;
  process.stdout.write(
    table(
      ['', 'valid', 'created', 'updated'],
      kinds.map((k) => [k, r.imported[k], r.created[k], r.updated[k]]),
    ) + '\n',
  );
  if (r.rejectsFile)
    process.stdout.write(`${r.rejected} records rejected; each with its reasons in ${r.rejectsFile}\n`);
}

async function spoolStdin(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'arrears-import-'));
  const file = path.join(dir, 'stdin.ndjson');
  await pipeline(process.stdin, createWriteStream(file));
  return file;
}
