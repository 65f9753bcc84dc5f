import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import {
  evaluateContact,
  lintMessage,
  LOCALES,
  parseContactRequest,
  type Locale,
} from '../../domain/compliance/index.js';
import { ArrearsError } from '../../domain/errors.js';
import { EXIT_CODES, printJson } from '../output.js';

function readInput(file: string | undefined): string {
  try {
    return readFileSync(file === undefined || file === '-' ? 0 : file, 'utf8');
  } catch (e) {
    throw new ArrearsError('not_found', `cannot read ${file ?? 'standard input'}: ${(e as Error).message}`);
  }
}

export function registerCompliance(program: Command): void {
  program
    .command('compliance')
    .description('compliance gate')
    .command('check')
    .description('decide one proposed contact (request JSON from FILE or standard input); exit 5 when denied')
    .argument('[file]', 'request JSON file, or - for standard input')
    .option('--json', 'print the decision as JSON')
    .action((file: string | undefined, opts: { json?: boolean }) => {
      let input: unknown;
      try {
        input = JSON.parse(readInput(file));
      } catch (e) {
        if (e instanceof ArrearsError) throw e;
        throw new ArrearsError('invalid', `the request is not valid JSON: ${(e as Error).message}`);
      }
      const parsed = parseContactRequest(input);
      if (!parsed.ok) throw new ArrearsError('invalid', 'invalid contact request', { issues: parsed.issues });
      const decision = evaluateContact(parsed.value);
      if (opts.json) printJson(decision);
      else {
        process.stdout.write(`${decision.allowed ? 'ALLOWED' : 'DENIED'} (${decision.packVersion})\n`);
        for (const v of decision.violations) process.stdout.write(`  ${v.rule}: ${v.message}\n`);
        if (!decision.allowed)
          process.stdout.write(`Next allowed: ${decision.nextAllowedAt ?? 'never (no time helps)'}\n`);
      }
      if (!decision.allowed) process.exitCode = EXIT_CODES.contact_not_allowed;
    });

  program
    .command('lint-message')
    .description('find coercive or deceptive wording in a message (text, FILE or standard input)')
    .argument('[file]', 'message file, or - for standard input')
    .requiredOption('--locale <locale>', LOCALES.join(' | '))
    .option('--text <text>', 'the message itself')
    .option('--json', 'print findings as JSON')
    .action((file: string | undefined, opts: { locale: string; text?: string; json?: boolean }) => {
      if (!(LOCALES as readonly string[]).includes(opts.locale))
        throw new ArrearsError('invalid', `--locale must be one of ${LOCALES.join(', ')}`);
      const text = opts.text ?? readInput(file);
      const result = lintMessage(text, opts.locale as Locale);
      if (opts.json) return printJson(result);
      if (result.findings.length === 0) process.stdout.write('No findings.\n');
      for (const f of result.findings)
        process.stdout.write(`${f.start}-${f.end} ${f.category}: ${f.match}\n`);
    });
}
