import { execFile, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { openStore } from '../src/store/index.js';

const run = promisify(execFile);
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'arrears-serve-'));
const env = { ...process.env, ARREARS_DATA_DIR: dataDir, DATABASE_URL: '' };

async function arrears(args: string[], extraEnv: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/arrears.mjs', ...args], {
      env: { ...env, ...extraEnv },
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('arrears user add, serve and audit verify (real process, real socket)', () => {
  it('creates a user, serves over HTTP, shuts down gracefully on SIGTERM, and verifies the audit chain', async () => {
    const weak = await arrears(['user', 'add', 'boss', '--role', 'admin'], { ARREARS_PASSWORD: 'short' });
    expect(weak.code).toBe(1);
    expect(weak.stderr).toContain('password: must be at least 10 characters');
    const added = await arrears(['user', 'add', 'boss', '--role', 'admin', '--json'], {
      ARREARS_PASSWORD: 'a long enough secret',
    });
    expect(added.code).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({ username: 'boss', role: 'admin', agency: null });

    const server = spawn(process.execPath, ['bin/arrears.mjs', 'serve', '--port', '0'], { env });
    let stderr = '';
    let stdout = '';
    server.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      server.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        const m = /listening on (http:\/\/[^\s]+)/.exec(stderr);
        if (m) resolve(m[1]!);
      });
      server.on('exit', (code) => reject(new Error(`server exited with ${code}: ${stderr}`)));
    });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await (await fetch(`${url}/health`)).json()).toEqual({ status: 'ok' });
    expect((await fetch(`${url}/ready`)).status).toBe(200);
    const login = await fetch(`${url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'boss', password: 'a long enough secret' }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const users = await fetch(`${url}/api/v1/users`, { headers: { cookie } });
    expect(((await users.json()) as { items: { username: string }[] }).items.map((u) => u.username)).toEqual([
      'boss',
    ]);

    const exited = new Promise<number | null>((resolve) => server.on('exit', resolve));
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toContain('Arrears API stopped.');
    expect(stdout).toContain('"msg":"shutting down"');
    expect(stdout).not.toContain('a long enough secret');
    expect(stdout).not.toContain(cookie.split('=')[1]!);

    const ok = await arrears(['audit', 'verify', '--json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual({ ok: true, chains: 1, records: 2, firstBroken: null });

    const store = await openStore({ dataDir });
    await store.transaction(async ({ sql }) => {
      await sql.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
      await sql.query(`UPDATE audit_log SET actor = 'someone else' WHERE seq = 1`);
    });
    await store.close();
    const broken = await arrears(['audit', 'verify']);
    expect(broken.code).toBe(8);
    expect(broken.stdout).toContain(
      'Audit chain 0 (no account) BROKEN at record 1: content does not match its hash (altered)',
    );
  });
});
