import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'arrears-cli-notices-'));

async function arrears(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/arrears.mjs', ...args], {
      env: {
        ...process.env,
        ARREARS_DATA_DIR: dataDir,
        DATABASE_URL: '',
        SMTP_URL: '',
        SMS_WEBHOOK_URL: '',
        TWILIO_ACCOUNT_SID: '',
      },
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('arrears keys, outbox, dispatch and verify', () => {
  it('signs, sends to files, and verifies online and offline; forgeries are not genuine', async () => {
    expect((await arrears('import', 'docs/examples/portfolio.ndjson', '--json')).code).toBe(0);
    // dispatch goes through the real compliance gate at the real time: move the debtor to a zone where it is
    // daytime now (no phone, so no other zone is implied), so the e-mail may go out whenever the test runs.
    const debtor = readFileSync('docs/examples/portfolio.ndjson', 'utf8')
      .split('\n')
      .map((l) => JSON.parse(l || '{}') as { type?: string; timezone?: string; phones?: unknown[] })
      .find((r) => r.type === 'debtor')!;
    const hourIn = (timeZone: string) =>
      Number(
        new Intl.DateTimeFormat('en-GB', { hour: '2-digit', hourCycle: 'h23', timeZone }).format(new Date()),
      );
    const zone = ['Asia/Shanghai', 'Europe/Madrid', 'America/New_York', 'Pacific/Honolulu'].find(
      (z) => hourIn(z) >= 9 && hourIn(z) <= 19,
    )!;
    const moved = path.join(dataDir, 'debtor-moved.ndjson');
    writeFileSync(moved, JSON.stringify({ ...debtor, timezone: zone, phones: [] }) + '\n');
    expect((await arrears('import', moved, '--json')).code).toBe(0);

    const gen = await arrears('keys', 'generate', '--json');
    expect(gen.code).toBe(0);
    const key = (JSON.parse(gen.stdout) as { keys: { keyId: string; publicKey: string; status: string }[] })
      .keys[0]!;
    expect(key).toMatchObject({ status: 'active', publicKey: expect.stringMatching(/^ed25519:/) });
    expect(gen.stdout + gen.stderr).not.toMatch(/PRIVATE/);
    const pem = path.join(dataDir, 'keys', `${key.keyId}.pem`);
    expect(statSync(pem).mode & 0o777).toBe(0o600);
    expect((await arrears('keys', 'generate', '--json')).code).toBe(4);

    expect(
      JSON.parse(
        (await arrears('outbox', 'add', 'A-1', '--channel', 'email', '--template', 'reminder', '--json'))
          .stdout,
      ),
    ).toMatchObject({ inserted: 1 });
    expect((await arrears('outbox', 'add', 'A-1', '--channel', 'fax', '--template', 'reminder')).code).toBe(
      1,
    );
    const d = await arrears('dispatch', '--json');
    expect(d.code).toBe(0);
    expect(JSON.parse(d.stdout)).toMatchObject({ claimed: 1, sent: 1, byChannel: { email: 1 } });

    const emailDir = path.join(dataDir, 'outbox', 'email');
    const [eml] = readdirSync(emailDir);
    const file = path.join(emailDir, eml!);
    const code = /^X-Arrears-Code: (\S+)$/m.exec(readFileSync(file, 'utf8'))![1]!;

    const online = await arrears('verify', code, '--json');
    expect(online.code).toBe(0);
    expect(JSON.parse(online.stdout)).toMatchObject({
      genuine: true,
      code,
      notice: { channel: 'email', account: '•••' },
    });

    const offline = await arrears('verify', '--file', file, '--public-key', key.publicKey, '--json');
    expect(offline.code).toBe(0);
    expect(JSON.parse(offline.stdout)).toMatchObject({ genuine: true, code });

    const human = await arrears('verify', code);
    expect(human.stdout).toMatch(/^GENUINE — notice /);

    const forged = await arrears('verify', '2345-6789-ABQ', '--json');
    expect(forged.code).toBe(8);
    expect(JSON.parse(forged.stdout)).toMatchObject({ genuine: false });

    const noKey = await arrears('verify', '--file', file, '--json');
    expect(noKey.code).toBe(1);
    expect(JSON.parse(noKey.stdout)).toMatchObject({
      error: { code: 'invalid', message: expect.stringMatching(/--public-key/) },
    });

    const rotated = await arrears('keys', 'rotate', '--json');
    expect(rotated.code).toBe(0);
    const shown = JSON.parse((await arrears('keys', 'show', '--json')).stdout) as {
      keys: { status: string }[];
    };
    expect(shown.keys.map((k) => k.status).sort()).toEqual(['active', 'retired']);
    expect((await arrears('verify', code, '--json')).code).toBe(0);
  }, 240_000); // a dozen CLI processes, each opening the embedded database
});
