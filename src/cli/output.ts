import { SingleBar } from 'cli-progress';
import { ArrearsError, type ErrorKind } from '../domain/errors.js';

/** The one place where an error kind becomes a process exit code (docs/cli.md). */
export const EXIT_CODES: Record<ErrorKind, number> = {
  invalid: 1,
  not_found: 3,
  conflict: 4,
  contact_not_allowed: 5,
  approval_required: 5,
  account_closed: 4,
  unavailable: 6,
  unauthenticated: 7,
  forbidden: 7,
  rate_limited: 6,
  internal: 70,
};

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

/** Reports an error on stderr (as JSON with --json) and sets the exit code; never prints a stack to users. */
export function reportError(e: unknown, json: boolean): void {
  const err =
    e instanceof ArrearsError
      ? e
      : new ArrearsError('internal', 'unexpected error: ' + String((e as Error)?.message ?? e));
  if (json) {
    process.stdout.write(
      JSON.stringify({ error: { code: err.kind, message: err.message, details: err.details } }, null, 2) +
        '\n',
    );
  } else {
    process.stderr.write(`arrears: ${err.message}\n`);
    for (const issue of err.details?.issues ?? []) {
      process.stderr.write(
        `  ${issue.line !== undefined ? `line ${issue.line}, ` : ''}${issue.field}: ${issue.message}\n`,
      );
    }
    if (err.kind === 'internal' && process.env.ARREARS_DEBUG)
      process.stderr.write(String((e as Error).stack) + '\n');
  }
  process.exitCode = EXIT_CODES[err.kind];
}

/** A progress bar on stderr for interactive use; silent with --json or when stderr is not a terminal. */
export function progressBar(label: string, enabled: boolean) {
  if (!enabled || !process.stderr.isTTY) return { update: (_v: number, _t: number) => {}, stop: () => {} };
  const bar = new SingleBar({
    format: `${label} [{bar}] {percentage}% | {value}/{total}`,
    stream: process.stderr,
    hideCursor: true,
  });
  let started = false;
  return {
    update(value: number, total: number) {
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      bar.setTotal(total);
      bar.update(value);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

/** Left-aligned text table for human output. */
export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const width = (s: string) =>
    [...s].reduce(
      (w, ch) => w + (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff00-\uff60]/.test(ch) ? 2 : 1),
      0,
    );
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => width(r[i] ?? ''))));
  return cells
    .map((r) =>
      r
        .map((c, i) => c + ' '.repeat(Math.max(0, widths[i]! - width(c))))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
