import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'arrears-cli-cycle-'));

async function arrears(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/arrears.mjs', ...args], {
      env: { ...process.env, ARREARS_DATA_DIR: dataDir, DATABASE_URL: '', SMTP_URL: '', SMS_WEBHOOK_URL: '' },
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('arrears cycle and arrears worker', () => {
  it('plans the day once, prints the JSON contract, and the worker runs the due day once', async () => {
    expect((await arrears('import', 'docs/examples/portfolio.ndjson', '--json')).code).toBe(0);
    const added = await arrears(
      'strategy',
      'add',
      'strategies/default-cn.yaml',
      '--activate',
      'jurisdiction:CN',
    );
    expect(added.code, added.stderr).toBe(0);

    const first = await arrears('cycle', '--as-of', '2026-11-20', '--json');
    expect(first.code, first.stderr).toBe(0);
    const s = JSON.parse(first.stdout) as Record<string, unknown>;
    expect(Object.keys(s).slice(0, 6)).toEqual([
      'asOf',
      'evaluated',
      'planned',
      'blocked',
      'byChannel',
      'byRule',
    ]);
    expect(s).toMatchObject({ asOf: '2026-11-20', evaluated: 1 });
    expect(s.planned).toBeGreaterThan(0);

    const again = JSON.parse((await arrears('cycle', '--as-of', '2026-11-20', '--json')).stdout) as {
      planned: number;
      attempts: number;
    };
    expect(again).toMatchObject({ planned: 0, attempts: 2 });

    const human = await arrears('cycle', '--as-of', '2026-11-20');
    expect(human.stdout).toMatch(/Cycle 2026-11-20: 1 accounts evaluated, 0 actions planned/);

    // The worker sends what it plans, and a notice cannot go out unsigned: without a key it stops at once.
    const keyless = await arrears('worker', '--once', '--json', '--cycle-at', '00:00');
    expect(keyless.code).not.toBe(0);
    expect(keyless.stdout + keyless.stderr).toMatch(/no signing key/);
    expect((await arrears('keys', 'generate')).code).toBe(0);
    const tick = await arrears('worker', '--once', '--json', '--cycle-at', '00:00');
    expect(tick.code, tick.stderr).toBe(0);
    const t1 = JSON.parse(tick.stdout) as { cycle: { asOf: string } | null; dispatched: { claimed: number } };
    expect(t1.cycle?.asOf).toBe(new Date().toISOString().slice(0, 10));
    const t2 = JSON.parse((await arrears('worker', '--once', '--json', '--cycle-at', '00:00')).stdout) as {
      cycle: unknown;
    };
    expect(t2.cycle).toBeNull();

    const bad = await arrears('worker', '--once', '--cycle-at', '25:00');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--cycle-at must be a time as HH:MM/);
    const badDay = await arrears('cycle', '--as-of', '2026-02-30', '--json');
    expect(badDay.code).not.toBe(0);
    expect(badDay.stdout + badDay.stderr).toMatch(/--as-of must be a date/);
  }, 400_000);
});
