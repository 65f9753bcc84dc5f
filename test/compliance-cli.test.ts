import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

async function arrears(input: string | null, ...args: string[]) {
  const child = run(process.execPath, ['bin/arrears.mjs', ...args], {
    env: { ...process.env, DATABASE_URL: '' },
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

describe('arrears compliance check / lint-message', () => {
  it('prints the decision; exit 0 when allowed, 5 when denied, 1 on an invalid request', async () => {
    const ok = await arrears(JSON.stringify(request), 'compliance', 'check', '-', '--json');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual({
      allowed: true,
      violations: [],
      nextAllowedAt: '2026-03-09T16:00:00.000Z',
      packVersion: 'US-2026.11.1',
    });
    const night = await arrears(
      JSON.stringify({ ...request, at: '2026-03-10T02:00:00Z' }),
      'compliance',
      'check',
      '--json',
    );
    expect(night.code).toBe(5);
    expect(JSON.parse(night.stdout)).toMatchObject({
      allowed: false,
      violations: [{ rule: 'US.FDCPA.HOURS' }],
      nextAllowedAt: '2026-03-10T12:00:00.000Z',
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
