import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { openComplaint } from '../src/services/complaints/index.js';
import { placeHold } from '../src/services/contacts/index.js';
import { openStore } from '../src/store/index.js';
import { accountRef, seedPeople } from './support/notices.js';

const run = promisify(execFile);
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'arrears-contacts-cli-'));

async function arrears(...args: string[]) {
  try {
    const { stdout } = await run(process.execPath, ['bin/arrears.mjs', ...args], {
      env: { ...process.env, DATABASE_URL: '', ARREARS_DATA_DIR: dataDir },
    });
    return { code: 0, stdout };
  } catch (e) {
    const err = e as { code: number; stdout: string };
    return { code: err.code, stdout: err.stdout };
  }
}

describe('arrears contact-check / complaints overdue', () => {
  beforeAll(async () => {
    const store = await openStore({ dataDir });
    await seedPeople(store);
    await placeHold(store, null, accountRef('es'), { kind: 'cease', reason: 'burofax', source: 'letter' });
    await openComplaint(store, null, accountRef('ko'), {
      summary: 'calls at night',
      category: 'harassment',
      channel: 'call',
      receivedAt: '2026-11-02T01:00:00Z',
    });
    await store.close();
  });

  it('prints the decision, records it, and exits 5 when refused', async () => {
    const ok = await arrears(
      'contact-check',
      accountRef('en'),
      '--channel',
      'call',
      '--at',
      '2026-11-20T15:00:00Z',
      '--json',
    );
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ allowed: true, decisionId: expect.any(Number) });
    const night = await arrears(
      'contact-check',
      accountRef('en'),
      '--channel',
      'call',
      '--at',
      '2026-11-20T03:00:00Z',
    );
    expect(night.code).toBe(5);
    expect(night.stdout).toMatch(/refused: .*next allowed 2026-11-20T13:00:00.000Z/);
    expect(night.stdout).toMatch(/US\.FDCPA\.HOURS/);
    const held = await arrears('contact-check', accountRef('es'), '--channel', 'letter', '--json');
    expect(held.code).toBe(5);
    expect(JSON.parse(held.stdout)).toMatchObject({ allowed: false, nextAllowedAt: null });
    expect((await arrears('contact-check', 'A-nope', '--channel', 'call')).code).not.toBe(0);
  }, 60_000);

  it('lists overdue complaints', async () => {
    const r = await arrears('complaints', 'overdue', '--as-of', '2026-11-20', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      items: [{ account: accountRef('ko'), slaRule: 'KR.COMPLAINT', due: '2026-11-16', daysOverdue: 4 }],
    });
  }, 60_000);
});
