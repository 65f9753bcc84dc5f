import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { ArrearsError } from '../../domain/errors.js';
import { lintContent } from '../../services/compliance/index.js';
import { ensureDefaultTemplates, listTemplates, saveTemplate } from '../../templates/index.js';
import { withStore } from '../context.js';
import { printJson, table } from '../output.js';

export function registerTemplates(program: Command): void {
  const templates = program
    .command('templates')
    .description('message templates (LiquidJS), versioned per locale');
  templates
    .command('list')
    .description('every stored version (the shipped ones are added on first use)')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const rows = await withStore(async (store) => {
        await ensureDefaultTemplates(store);
        return listTemplates(store);
      });
      const out = rows.map((r) => ({
        ...r,
        created_at: new Date(r.created_at as unknown as string).toISOString(),
      }));
      if (opts.json) return printJson({ templates: out });
      process.stdout.write(
        table(
          ['name', 'channel', 'locale', 'version', 'note'],
          out.map((r) => [r.name, r.channel, r.locale, r.version, r.note]),
        ) + '\n',
      );
    });
  templates
    .command('save')
    .description(
      'store a new version after checking it renders, carries the required texts and passes the content check',
    )
    .requiredOption('--name <name>', 'template name')
    .requiredOption('--channel <channel>', 'email|sms|letter|call|visit')
    .requiredOption('--locale <locale>', 'en|es|ko|zh-CN|zh-TW')
    .requiredOption('--body <file>', 'Liquid body file')
    .option('--subject <text>', 'Liquid subject line', '')
    .option('--note <text>', 'what changed')
    .option('--json', 'print JSON')
    .action(
      async (opts: {
        name: string;
        channel: string;
        locale: string;
        body: string;
        subject: string;
        note?: string;
        json?: boolean;
      }) => {
        let body: string;
        try {
          body = readFileSync(opts.body, 'utf8');
        } catch (e) {
          throw new ArrearsError('not_found', `cannot read --body ${opts.body}: ${(e as Error).message}`);
        }
        const t = await withStore((store) => saveTemplate(store, { ...opts, body }, lintContent));
        if (opts.json)
          return printJson({ name: t.name, channel: t.channel, locale: t.locale, version: t.version });
        process.stdout.write(`saved ${t.name}/${t.channel}/${t.locale} version ${t.version}\n`);
      },
    );
}
