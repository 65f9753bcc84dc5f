import type { Command } from 'commander';
import { ArrearsError } from '../../domain/errors.js';
import { runCycle, type CycleSummary } from '../../services/cycle/index.js';
import type { Store } from '../../store/index.js';
import { withStore } from '../context.js';
import { printJson, progressBar, table } from '../output.js';

interface Options {
  asOf?: string;
  batch: string;
  workers?: string;
  json?: boolean;
}

/** The cycle with a progress bar; shared by `cycle` and `demo`. */
export async function cycleWithProgress(
  store: Store,
  asOf: string | undefined,
  batchSize: number,
  showProgress: boolean,
  workers?: number,
): Promise<CycleSummary> {
  const bar = progressBar('cycle', showProgress);
  try {
    return await runCycle(store, {
      ...(asOf ? { asOf } : {}),
      batchSize,
      ...(workers !== undefined ? { workers } : {}),
      actor: 'cli',
      onBatch: ({ cursor, maxId }) => bar.update(cursor, maxId),
    });
  } finally {
    bar.stop();
  }
}

/** The JSON the command prints: the contract first, details after. */
export function cycleJson(s: CycleSummary) {
  return {
    asOf: s.asOf,
    evaluated: s.evaluated,
    planned: s.planned,
    blocked: s.blocked,
    byChannel: s.byChannel,
    byRule: s.byRule,
    rescheduled: s.rescheduled,
    suppressed: s.suppressed,
    escalated: s.escalated,
    resumedFrom: s.resumedFrom,
    attempts: s.attempts,
    workers: s.workers,
    durationMs: s.durationMs,
  };
}

export function registerCycle(program: Command): void {
  program
    .command('cycle')
    .description(
      "the daily collection cycle: evaluate every open account, plan today's strategy steps, pass each through the compliance gate at its planned time, write the outbox (idempotent, resumable)",
    )
    .option('--as-of <date>', 'cycle day, YYYY-MM-DD (default: today, UTC)')
    .option('--batch <n>', 'accounts per transaction', '10000')
    .option(
      '--workers <n>',
      'worker threads that prepare batches (PostgreSQL only; default: one per core from 50,000 accounts, else 0)',
    )
    .option('--json', 'print the summary as JSON')
    .action(async (opts: Options) => {
      const batch = Number(opts.batch);
      if (!Number.isInteger(batch) || batch < 1)
        throw new ArrearsError('invalid', `--batch must be a whole number ≥ 1 (got "${opts.batch}")`);
      const workers = opts.workers === undefined ? undefined : Number(opts.workers);
      if (workers !== undefined && !(Number.isInteger(workers) && workers >= 0))
        throw new ArrearsError('invalid', `--workers must be a whole number ≥ 0 (got "${opts.workers}")`);
      const s = await withStore((store) => cycleWithProgress(store, opts.asOf, batch, !opts.json, workers));
      if (opts.json) return printJson(cycleJson(s));
      const out = process.stdout;
      out.write(
        `Cycle ${s.asOf}: ${s.evaluated} accounts evaluated, ${s.planned} actions planned (${s.rescheduled} moved by the gate), ${s.blocked} blocked, ${s.escalated} escalations raised` +
          (s.resumedFrom > 0 ? ` — resumed after account id ${s.resumedFrom}` : '') +
          ` in ${(s.durationMs / 1000).toFixed(1)} s\n\n`,
      );
      const rows = (m: Record<string, number>) =>
        Object.entries(m)
          .sort((a, b) => b[1] - a[1])
          .map(([k, v]) => [k, v]);
      if (Object.keys(s.byChannel).length)
        out.write(table(['channel', 'planned'], rows(s.byChannel)) + '\n\n');
      if (Object.keys(s.byRule).length) out.write(table(['rule', 'refusals'], rows(s.byRule)) + '\n\n');
      if (Object.keys(s.suppressed).length)
        out.write(table(['no action today because', 'accounts'], rows(s.suppressed)) + '\n\n');
      out.write('Next: `arrears dispatch` sends what is due; `arrears outbox` shows the queue.\n');
    });
}
