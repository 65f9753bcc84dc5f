import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { formatDay, todayIn } from '../src/domain/calendar/index.js';
import { createPlan } from '../src/services/negotiation/index.js';
import { openStore } from '../src/store/index.js';
import { accountRef, seedPeople } from './support/notices.js';

const run = promisify(execFile);
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'arrears-cli-plans-'));

async function arrears(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/arrears.mjs', ...args], {
      env: { ...process.env, ARREARS_DATA_DIR: dataDir, DATABASE_URL: '' },
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('arrears plans judge', () => {
  // Three real CLI processes, each opening the embedded database: allow for a busy machine.
  it(
    'breaks an unpaid plan once, reports it as JSON, and changes nothing the second time',
    { timeout: 180_000 },
    async () => {
      const store = await openStore({ dataDir });
      await seedPeople(store);
      const today = todayIn('America/New_York');
      const plan = await createPlan(
        store,
        { userId: 1, username: 'carla', role: 'collector', agencyId: null, via: 'cli' },
        accountRef('en'),
        { kind: 'installment', installments: 2, dueOn: formatDay(today + 1) },
      );
      expect(plan.status).toBe('active');
      await store.close();

      const asOf = formatDay(today + 5); // the first installment's deadline (due + 2 days' grace) has passed
      const first = await arrears('plans', 'judge', '--as-of', asOf, '--json');
      expect(first.code, first.stderr).toBe(0);
      expect(JSON.parse(first.stdout)).toEqual({
        asOf,
        judged: 1,
        completed: 0,
        broken: 1,
        active: 0,
        settled: 0,
      });
      const again = await arrears('plans', 'judge', '--as-of', asOf);
      expect(again.stdout).toBe(`Plans as of ${asOf}: 0 judged — 0 completed, 0 broken, 0 still active\n`);
      const bad = await arrears('plans', 'judge', '--as-of', '2026-02-30', '--json');
      expect(bad.code).toBe(1);
      expect(bad.stdout + bad.stderr).toContain('asOf');
    },
  );
});
