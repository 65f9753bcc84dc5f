import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { ArrearsError } from '../../domain/errors.js';
import {
  activateStrategy,
  deactivateScope,
  listStrategies,
  readStrategyFile,
  saveStrategy,
} from '../../services/strategy/index.js';
import { withStore } from '../context.js';
import { printJson, table } from '../output.js';

/** Who made a change from the command line: --by, else the login name. */
const actor = (by: string | undefined) => by ?? process.env.USER ?? 'cli';

export function registerStrategy(program: Command): void {
  const strategy = program.command('strategy').description('collection strategies (docs/strategies.md)');
  strategy
    .command('validate')
    .description('check a strategy file (YAML or JSON); every problem is reported with its line and field')
    .argument('<file>', 'strategy file')
    .option('--json', 'print {"valid":true,"name","version","segments"} or the error as JSON')
    .action(async (file: string, opts: { json?: boolean }) => {
      const s = await readStrategyFile(file);
      const summary = {
        valid: true,
        name: s.name,
        version: s.version,
        segments: s.segments.map((seg) => ({
          id: seg.id,
          arms: seg.arms?.map((a) => ({ id: a.id, weight: a.weight, steps: a.path.length })) ?? null,
          steps: seg.path?.length ?? null,
        })),
      };
      if (opts.json) return printJson(summary);
      process.stdout.write(`${file}: strategy ${s.name} v${s.version} is valid\n`);
      for (const seg of summary.segments) {
        const what = seg.arms
          ? seg.arms.map((a) => `${a.id} ${a.weight}% (${a.steps} steps)`).join(' / ')
          : `${seg.steps} steps`;
        process.stdout.write(`  ${seg.id}: ${what}\n`);
      }
    });

  strategy
    .command('add')
    .description(
      'save a new version of a strategy (versions never change once saved), optionally activating it',
    )
    .argument('<file>', 'strategy file (YAML or JSON)')
    .option('--activate <scope>', 'activate it for a scope: default, jurisdiction:US or creditor:<ref>')
    .option('--by <user>', 'who is making the change (default: the login name)')
    .option('--json', 'print {"name","version","activatedFor"} as JSON')
    .action(async (file: string, opts: { activate?: string; by?: string; json?: boolean }) => {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (e) {
        throw new ArrearsError('invalid', `cannot read strategy file ${file}: ${(e as Error).message}`);
      }
      const saved = await withStore(async (store) => {
        const s = await saveStrategy(store, text, actor(opts.by), file);
        if (opts.activate) await activateStrategy(store, s.name, s.version, opts.activate, actor(opts.by));
        return s;
      });
      const result = { ...saved, activatedFor: opts.activate ?? null };
      if (opts.json) return printJson(result);
      process.stdout.write(
        `saved ${saved.name} v${saved.version}${opts.activate ? `, active for ${opts.activate}` : ''}\n`,
      );
    });
  strategy
    .command('activate')
    .description('make a saved strategy version the one used for a scope')
    .argument('<name>', 'strategy name')
    .argument('<version>', 'version number')
    .requiredOption('--scope <scope>', 'default, jurisdiction:US or creditor:<ref>')
    .option('--by <user>', 'who is making the change (default: the login name)')
    .option('--json', 'print {"name","version","scope"} as JSON')
    .action(async (name: string, version: string, opts: { scope: string; by?: string; json?: boolean }) => {
      const v = Number(version);
      if (!Number.isInteger(v) || v < 1)
        throw new ArrearsError('invalid', `version must be a whole number ≥ 1 (got "${version}")`);
      await withStore((store) => activateStrategy(store, name, v, opts.scope, actor(opts.by)));
      if (opts.json) return printJson({ name, version: v, scope: opts.scope });
      process.stdout.write(`${name} v${v} is now active for ${opts.scope}\n`);
    });
  strategy
    .command('deactivate')
    .description('remove the strategy of a scope (its accounts fall back to a wider scope)')
    .requiredOption('--scope <scope>', 'default, jurisdiction:US or creditor:<ref>')
    .option('--by <user>', 'who is making the change (default: the login name)')
    .action(async (opts: { scope: string; by?: string }) => {
      await withStore((store) => deactivateScope(store, opts.scope, actor(opts.by)));
      process.stdout.write(`no strategy of its own is active for ${opts.scope} now\n`);
    });
  strategy
    .command('list')
    .description('saved strategy versions and where each is active')
    .option('--json', 'print [{"name","version","createdAt","createdBy","activeFor":[…]}]')
    .action(async (opts: { json?: boolean }) => {
      const list = await withStore((store) => listStrategies(store));
      if (opts.json) return printJson(list);
      process.stdout.write(
        table(
          ['name', 'version', 'saved', 'by', 'active for'],
          list.map((s) => [s.name, s.version, s.createdAt, s.createdBy, s.activeFor.join(', ')]),
        ) + '\n',
      );
    });
}
