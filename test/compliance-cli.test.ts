import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/store/index.js';
import { accountRef, seedPeople } from './support/notices.js';

const run = promisify(execFile);
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'arrears-compliance-cli-'));

async function arrears(input: string | null, ...args: string[]) {
  const child = run(process.execPath, ['bin/arrears.mjs', ...args], {
    env: { ...process.env, DATABASE_URL: '', ARREARS_DATA_DIR: dataDir },
  });
  if (input !== null) {
    child.child.stdin!.write(input);
    child.child.stdin!.end();
  }
  try {
    const { stdout } = await child;
    return { code: 0, stdout };
  } catch (e) {
    const err = e as { code: number; stdout: string };
    return { code: err.code, stdout: err.stdout };
  }
}

const request = {
  jurisdiction: 'US',
  channel: 'call',
  at: '2026-03-09T16:00:00Z',
  debtRef: 'D-1',
  recipient: { role: 'debtor' },
  debtor: { timezone: 'America/New_York' },
  history: [],
};

describe('arrears compliance check / compliance log / lint-message', () => {
  beforeAll(async () => {
    const store = await openStore({ dataDir });
    await seedPeople(store);
    await store.close();
  });

  it('prints the decision and records it against a stored account; exit 0 when allowed, 5 when denied, 1 on an invalid request', async () => {
    // D-1 names no stored account: a what-if question, judged and answered, not recorded.
    const ok = await arrears(JSON.stringify(request), 'compliance', 'check', '-', '--json');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual({
      allowed: true,
      violations: [],
      nextAllowedAt: '2026-03-09T16:00:00.000Z',
      packVersion: 'US-2026.11.1',
      recorded: false,
      notRecordedReason: expect.stringMatching(/no stored account has ref "D-1"/),
    });
    // A-en is a stored account: the decision goes into its log, allowed or not.
    const night = await arrears(
      JSON.stringify({ ...request, debtRef: accountRef('en'), at: '2026-03-10T02:00:00Z' }),
      'compliance',
      'check',
      '--json',
    );
    expect(night.code).toBe(5);
    const recorded = JSON.parse(night.stdout) as { decisionId: number };
    expect(recorded).toMatchObject({
      allowed: false,
      violations: [{ rule: 'US.FDCPA.HOURS' }],
      nextAllowedAt: '2026-03-10T12:00:00.000Z',
      recorded: true,
      account: accountRef('en'),
      decisionId: expect.any(Number),
    });
    // --no-record: the same question as a pure what-if, nothing stored.
    const whatIf = await arrears(
      JSON.stringify({ ...request, debtRef: accountRef('en'), at: '2026-03-10T03:00:00Z' }),
      'compliance',
      'check',
      '--no-record',
      '--json',
    );
    expect(whatIf.code).toBe(5);
    expect(JSON.parse(whatIf.stdout)).toMatchObject({
      allowed: false,
      recorded: false,
      notRecordedReason: expect.stringMatching(/--no-record/),
    });
    const bad = await arrears(
      JSON.stringify({ ...request, channel: 'fax' }),
      'compliance',
      'check',
      '--json',
    );
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({
      error: { code: 'invalid', details: { issues: [{ field: 'channel' }] } },
    });
    // The account's decision log shows the recorded decision, and only it.
    const log = await arrears(null, 'compliance', 'log', accountRef('en'), '--json');
    expect(log.code).toBe(0);
    expect(JSON.parse(log.stdout)).toEqual({
      account: accountRef('en'),
      items: [
        expect.objectContaining({
          id: recorded.decisionId,
          channel: 'call',
          contactAt: '2026-03-10T02:00:00.000Z',
          allowed: false,
          rules: ['US.FDCPA.HOURS'],
          packVersion: 'US-2026.11.1',
          request: expect.objectContaining({ debtRef: accountRef('en'), at: '2026-03-10T02:00:00Z' }),
        }),
      ],
    });
  });

  it('lints a message given with --text', async () => {
    const r = await arrears(
      null,
      'lint-message',
      '--locale',
      'en',
      '--text',
      'Pay or go to p r i s o n',
      '--json',
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      findings: [{ category: 'false_legal_action', match: 'p r i s o n', start: 13, end: 24 }],
    });
  });
});
