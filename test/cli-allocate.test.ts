import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { setProfile } from '../src/services/queues/index.js';
import { addUser } from '../src/services/users/index.js';
import { openStore } from '../src/store/index.js';

const run = promisify(execFile);
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'arrears-allocate-'));

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

describe('arrears allocate', () => {
  it('allocates an escalated case to the eligible collector and prints the stable JSON', async () => {
    expect((await arrears('import', 'docs/examples/portfolio.ndjson')).code).toBe(0);
    const store = await openStore({ dataDir });
    try {
      const a = await store.db
        .selectFrom('accounts as a')
        .innerJoin('debtors as d', 'd.id', 'a.debtor_id')
        .select(['a.id', 'd.locale', 'd.jurisdiction'])
        .executeTakeFirstOrThrow();
      await addUser(store, null, { username: 'ana', role: 'collector', password: 'correct horse battery' });
      await setProfile(store, null, 'ana', {
        locales: [a.locale],
        jurisdictions: [a.jurisdiction],
        skills: ['high_balance'],
        maxOpenCases: 5,
      });
      await store.db
        .insertInto('escalations')
        .values({
          account_id: a.id,
          target: 'collector_queue',
          reason: 'test',
          strategy: 's',
          strategy_version: 1,
          segment: 'x',
          raised_on: '2026-11-22',
        })
        .execute();
    } finally {
      await store.close();
    }
    const r = await arrears('allocate', '--as-of', '2026-11-22', '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { considered: number; assigned: number; items: { user: string }[] };
    expect(out).toMatchObject({ considered: 1, assigned: 1, unassigned: 0, scorecard: 'rules-1' });
    expect(out.items[0]!.user).toBe('ana');
    const bad = await arrears('allocate', '--as-of', '2026-13-01', '--json');
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({ error: { code: 'invalid' } });
  }, 300_000);
});
