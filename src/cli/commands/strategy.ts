import type { Command } from 'commander';
import { readStrategyFile } from '../../services/strategy/index.js';
import { printJson } from '../output.js';

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
}
