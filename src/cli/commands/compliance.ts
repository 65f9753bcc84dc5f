import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { Command } from 'commander';
import {
  lintMessage,
  LOCALES,
  parseContactRequest,
  type Locale,
  type PackOverrides,
} from '../../domain/compliance/index.js';
import { ArrearsError } from '../../domain/errors.js';
import {
  checkRequest,
  decisionLog,
  listCreditorPolicies,
  setCreditorPolicy,
} from '../../services/compliance/index.js';
import { withStore } from '../context.js';
import { EXIT_CODES, printJson } from '../output.js';

function readInput(file: string | undefined): string {
  try {
    return readFileSync(file === undefined || file === '-' ? 0 : file, 'utf8');
  } catch (e) {
    throw new ArrearsError('not_found', `cannot read ${file ?? 'standard input'}: ${(e as Error).message}`);
  }
}

export function registerCompliance(program: Command): void {
  const compliance = program.command('compliance').description('compliance gate');
  compliance
    .command('check')
    .description(
      'decide one proposed contact (request JSON from FILE or standard input) and record the decision against the account its debtRef names; exit 5 when denied',
    )
    .argument('[file]', 'request JSON file, or - for standard input')
    .option('--no-record', 'a pure what-if check: do not open the database, record nothing')
    .option('--json', 'print the decision as JSON')
    .action(async (file: string | undefined, opts: { json?: boolean; record: boolean }) => {
      let input: unknown;
      try {
        input = JSON.parse(readInput(file));
      } catch (e) {
        if (e instanceof ArrearsError) throw e;
        throw new ArrearsError('invalid', `the request is not valid JSON: ${(e as Error).message}`);
      }
      const parsed = parseContactRequest(input);
      if (!parsed.ok) throw new ArrearsError('invalid', 'invalid contact request', { issues: parsed.issues });
      const checked = opts.record
        ? await withStore((store) => checkRequest(store, parsed.value, { record: true }))
        : await checkRequest(null, parsed.value, { record: false });
      if (opts.json) printJson(checked);
      else {
        process.stdout.write(`${checked.allowed ? 'ALLOWED' : 'DENIED'} (${checked.packVersion})\n`);
        for (const v of checked.violations) process.stdout.write(`  ${v.rule}: ${v.message}\n`);
        if (!checked.allowed)
          process.stdout.write(`Next allowed: ${checked.nextAllowedAt ?? 'never (no time helps)'}\n`);
        process.stdout.write(
          checked.recorded
            ? `Recorded: decision ${checked.decisionId} of account ${checked.account}\n`
            : `Not recorded: ${checked.notRecordedReason}\n`,
        );
      }
      if (!checked.allowed) process.exitCode = EXIT_CODES.contact_not_allowed;
    });
  compliance
    .command('log')
    .description("an account's recorded gate decisions (allowed or not), newest first")
    .argument('<account>', 'account ref')
    .option('--limit <n>', 'at most this many (default 50)', '50')
    .option('--json', 'print JSON')
    .action(async (account: string, opts: { limit: string; json?: boolean }) => {
      const log = await withStore((store) => decisionLog(store, account, Number(opts.limit)));
      if (opts.json) return printJson(log);
      for (const d of log.items)
        process.stdout.write(
          `${d.id} ${d.decidedAt} ${d.channel} at ${d.contactAt} ${d.allowed ? 'allowed' : 'DENIED'} ${d.packVersion}` +
            `${d.rules.length ? ` ${d.rules.join(',')}` : ''}\n`,
        );
    });

  const policy = compliance
    .command('policy')
    .description(
      "a creditor's overrides of a jurisdiction's rule parameters (stricter freely; looser only approved)",
    );
  policy
    .command('set')
    .description('set (or with {} remove) the overrides, e.g. {"US.REGF.CALL_FREQ_7IN7":{"maxCalls":3}}')
    .argument('<creditor>', 'creditor ref')
    .argument('<jurisdiction>', 'US | KR | CN | ES')
    .argument('[file]', 'overrides JSON file, or - for standard input')
    .option('--loosen', 'allow parameters looser than the pack (needs --reason and --approved-by; audited)')
    .option('--reason <text>', 'why the looser parameter is lawful here')
    .option('--approved-by <name>', 'who approved it')
    .option('--by <user>', 'who is making the change (default: the login name)')
    .option('--json', 'print JSON')
    .action(
      async (
        creditor: string,
        jurisdiction: string,
        file: string | undefined,
        opts: { loosen?: boolean; reason?: string; approvedBy?: string; by?: string; json?: boolean },
      ) => {
        let overrides: PackOverrides;
        try {
          overrides = JSON.parse(readInput(file)) as PackOverrides;
        } catch (e) {
          if (e instanceof ArrearsError) throw e;
          throw new ArrearsError('invalid', `the overrides are not valid JSON: ${(e as Error).message}`);
        }
        if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides))
          throw new ArrearsError(
            'invalid',
            'the overrides must be an object of rule id → { parameter: value }',
          );
        const by = opts.by ?? os.userInfo().username;
        const r = await withStore((store) =>
          setCreditorPolicy(store, null, {
            creditor,
            jurisdiction,
            overrides,
            by,
            ...(opts.loosen
              ? {
                  approval: {
                    loosen: true as const,
                    reason: opts.reason ?? '',
                    approvedBy: opts.approvedBy ?? '',
                  },
                }
              : {}),
          }),
        );
        if (opts.json) return printJson(r);
        process.stdout.write(
          `${creditor} ${jurisdiction}: pack ${r.packVersion}\n` +
            r.changes
              .map(
                (c) =>
                  `  ${c.rule}.${c.param}: ${JSON.stringify(c.from)} → ${JSON.stringify(c.to)} (${c.direction})\n`,
              )
              .join(''),
        );
      },
    );
  policy
    .command('list')
    .description('every creditor policy in force')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const list = await withStore((store) => listCreditorPolicies(store));
      if (opts.json) return printJson(list);
      for (const p of list)
        process.stdout.write(
          `${p.creditor} ${p.jurisdiction} ${p.packVersion} ${JSON.stringify(p.overrides)}\n`,
        );
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
