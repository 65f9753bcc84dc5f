import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'arrears-cli-'));

/** Runs the real CLI (bin/arrears.mjs) against an embedded database in a temporary folder. */
async function arrears(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/arrears.mjs', ...args], {
      env: { ...process.env, ARREARS_DATA_DIR: dataDir, DATABASE_URL: '' },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('arrears CLI', () => {
  it('imports the documented example file and prints the stable JSON', async () => {
    const r = await arrears('import', 'docs/examples/portfolio.ndjson', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      imported: { creditors: 1, debtors: 1, accounts: 1, payments: 1 },
      committed: true,
      errors: [],
    });
  });

  it('exits non-zero on a bad file and reports line, field and message, writing nothing', async () => {
    const bad = path.join(dataDir, 'bad.ndjson');
    writeFileSync(
      bad,
      [
        '{"type":"debtor","ref":"D-X","name":"X","locale":"en","timezone":"America/New_York","jurisdiction":"US"}',
        '{"type":"account","ref":"A-X","debtorRef":"D-X","creditorRef":"CR-NONE","product":"card","currency":"USD","principal":"10.00","interestRate":"0.1","penaltyRate":"0.1","openedOn":"2026-01-01","installments":[{"due":"2026-02-01","principal":"10.00","interest":"1.00"}]}',
      ].join('\n'),
    );
    const r = await arrears('import', bad, '--json');
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { imported: Record<string, number>; errors: unknown[] };
    expect(out.imported).toEqual({ creditors: 0, debtors: 0, accounts: 0, payments: 0 });
    expect(out.errors).toEqual([
      {
        line: 2,
        field: 'creditorRef',
        message: 'unknown creditor ref "CR-NONE": not in this file nor in the database',
      },
    ]);
    const human = await arrears('import', bad);
    expect(human.code).toBe(1);
    expect(human.stderr).toContain('bad.ndjson:2: creditorRef: unknown creditor ref "CR-NONE"');
    expect(human.stderr).toContain('Nothing was imported');
    expect((await arrears('statement', 'A-X')).code).toBe(3);
  });

  it('prints an itemised statement with the documented fields', async () => {
    const r = await arrears('statement', 'A-1', '--as-of', '2026-11-22', '--json');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(s).toMatchObject({
      account: 'A-1',
      asOf: '2026-11-22',
      currency: 'CNY',
      dpd: 43,
      bucket: 'M2',
      outstandingPrincipal: '1444.47',
    });
    expect(s.overdue).toEqual({
      principal: '1444.47',
      interest: '15.00',
      fees: '0.00',
      penalty: '14.02',
      total: '1473.49',
    });
    expect(s.installments).toHaveLength(2);
    expect((s.formula as string[]).length).toBeGreaterThan(5);
    const human = await arrears('statement', 'A-1', '--as-of', '2026-11-22');
    expect(human.stdout).toContain('As of 2026-11-22: 43 days past due, bucket M2');
    expect(human.stdout).toContain('Overdue CNY 1473.49');
  });

  it('reports unknown accounts and bad dates clearly, as JSON errors with --json', async () => {
    const missing = await arrears('statement', 'A-NOPE', '--json');
    expect(missing.code).toBe(3);
    expect(JSON.parse(missing.stdout)).toEqual({
      error: { code: 'not_found', message: 'account "A-NOPE" does not exist' },
    });
    const badDate = await arrears('statement', 'A-1', '--as-of', '2026-13-01');
    expect(badDate.code).toBe(1);
    expect(badDate.stderr).toContain('--as-of "2026-13-01" is not a real date');
  });

  it('validates strategy files, reporting line and field of each problem', async () => {
    const ok = await arrears('strategy', 'validate', 'strategies/default-kr.yaml', '--json');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ valid: true, name: 'default-kr', version: 1 });
    const bad = path.join(dataDir, 'bad-strategy.yaml');
    writeFileSync(
      bad,
      'name: x\nversion: 1\nsegments:\n  - id: a\n    path:\n      - { id: s, channel: fax, template: t, at: { dpd: 1 } }\n',
    );
    const r = await arrears('strategy', 'validate', bad);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('line 6, segments.0.path.0.channel: Invalid option');
  });

  it('simulates the default strategies, the same way for the same seed', async () => {
    const args = [
      'simulate',
      '--days',
      '10',
      '--accounts',
      '200',
      '--as-of',
      '2026-11-22',
      '--seed',
      '4',
      '--json',
    ];
    const first = await arrears(...args);
    expect(first.code).toBe(0);
    const r = JSON.parse(first.stdout) as {
      strategies: string[];
      arms: { arm: string; accounts: number; curve: number[]; contacts: Record<string, number> }[];
    };
    expect(r.strategies.length).toBeGreaterThan(0);
    expect((r as unknown as { gate: string }).gate).toMatch(/^compliance \(US-/);
    expect(r.arms.length).toBeGreaterThan(0);
    for (const arm of r.arms) expect(arm.curve).toHaveLength(10);
    expect(r.arms.reduce((t, a) => t + a.contacts.call!, 0)).toBeGreaterThan(0);
    expect((await arrears(...args)).stdout).toBe(first.stdout);
    const bad = await arrears('simulate', '--days', '0');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--days must be a whole number');
  });

  it('runs a small demo and the portfolio summary', async () => {
    const demo = await arrears('demo', '--accounts', '300', '--as-of', '2026-11-22', '--json', '--no-serve');
    expect(demo.code).toBe(0);
    const d = JSON.parse(demo.stdout) as {
      imported: { accounts: number };
      portfolio: { byJurisdiction: { jurisdiction: string }[] };
    };
    expect(d.imported.accounts).toBe(300);
    expect(d.portfolio.byJurisdiction.map((j) => j.jurisdiction)).toEqual(['CN', 'ES', 'KR', 'US']);
    const p = await arrears('portfolio', '--as-of', '2026-11-22', '--json');
    expect(p.code).toBe(0);
    const summary = JSON.parse(p.stdout) as {
      accounts: number;
      byBucket: { bucket: string; accounts: number }[];
    };
    expect(summary.accounts).toBe(301);
    expect(summary.byBucket.reduce((n, b) => n + b.accounts, 0)).toBe(301);
    const human = await arrears('demo', '--accounts', '300', '--as-of', '2026-11-22', '--no-serve');
    expect(human.stdout).toContain('Where to look next');
    expect(human.stdout).toContain('statement A-001 --as-of 2026-11-22');
    expect(human.stdout).toContain('Demo logins (password "arrears-demo")');
    expect(human.stdout).toMatch(/agency-user\s+agency_user \(AG-NORTH\)/);
  });
});
