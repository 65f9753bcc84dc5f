import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emlFileEmail } from '../src/channels/index.js';
import { checkCharacter, listKeys, loadSigner, rotateKey, verifyCode } from '../src/notices/index.js';
import { dispatch, enqueueActions } from '../src/services/dispatch/index.js';
import { buildApp } from '../src/http/index.js';
import type { Store } from '../src/store/index.js';
import { action, keysOf, seedPeople, testDeps } from './support/notices.js';
import { backends } from './support/stores.js';

describe.each(backends())('verification by code on $name', (backend) => {
  let store: Store;
  let ids: Map<string, number>;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'arrears-verify-'));
  const sentCode = async (key: string) => {
    const deps = await testDeps(store, { email: emlFileEmail(dir) });
    await store.transaction((tx) => enqueueActions(tx, [action(ids.get('zh-CN')!, { idempotencyKey: key })]));
    await dispatch(deps);
    const r = await store.db
      .selectFrom('outbox')
      .select('notice_code')
      .where('idempotency_key', '=', key)
      .executeTakeFirstOrThrow();
    return r.notice_code!;
  };
  beforeAll(async () => {
    store = await backend.open();
    ids = await seedPeople(store);
  });
  afterAll(() => backend.cleanup());

  it('shows what was sent, masked', async () => {
    const code = await sentCode('v-1');
    const r = await verifyCode(store, code.toLowerCase());
    expect(r).toMatchObject({
      genuine: true,
      code,
      notice: {
        channel: 'email',
        creditor: 'Creditor zh-CN',
        account: '•••h-CN',
        currency: 'CNY',
        recipient: 'z•••@debtor.example',
      },
      checks: { signature: true, record: true },
    });
    expect(r.notice!.subject).toMatch(/^还款提醒/);
    expect(JSON.stringify(r)).not.toContain('王芳');
  });

  it('answers anyone over HTTP without an account: the notice (masked), the signing keys, and a rate limit', async () => {
    const code = await sentCode('v-http');
    const { app } = await buildApp(store, {
      logLevel: false,
      verifyRateLimit: { max: 2, timeWindow: 60_000 },
    });
    try {
      const ok = await app.inject({ method: 'GET', url: `/api/v1/verify/${code}` });
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toMatchObject({ genuine: true, code, notice: { channel: 'email', currency: 'CNY' } });
      expect(ok.body).not.toContain('王芳');
      const forged = await app.inject({ method: 'GET', url: '/api/v1/verify/2345-6789-ABCD' });
      expect(forged.json()).toMatchObject({ genuine: false });
      const page = await app.inject({
        method: 'GET',
        url: `/verify/${code}`,
        headers: { 'accept-language': 'ko-KR,ko;q=0.9,en;q=0.5' },
      });
      expect(page.headers['content-type']).toMatch(/text\/html/);
      expect(page.body).toContain('이 통지서는 진본입니다');
      expect(page.body).toContain(code);
      expect(page.body).not.toContain('王芳');
      const limited = await app.inject({ method: 'GET', url: `/api/v1/verify/${code}` });
      expect(limited.statusCode).toBe(429);
      expect(limited.json()).toMatchObject({ error: { code: 'rate_limited' } });
      const keys = await app.inject({ method: 'GET', url: '/api/v1/notices/keys' });
      expect(keys.statusCode).toBe(200);
      const published = keys.json<{ keys: { keyId: string; publicKey: string }[] }>().keys;
      expect(published.map((k) => k.keyId)).toEqual((await listKeys(store)).map((k) => k.keyId));
      expect(published[0]!.publicKey).toMatch(/^ed25519:/);
    } finally {
      await app.close();
    }
  });

  it('reports codes that were never issued, mistyped codes and altered records as not genuine', async () => {
    const body = '23456789AB';
    expect(await verifyCode(store, body + checkCharacter(body))).toMatchObject({
      genuine: false,
      reason: expect.stringMatching(/no notice was issued/),
    });
    expect(await verifyCode(store, '2345-6789-ABI')).toMatchObject({
      genuine: false,
      reason: expect.stringMatching(/never use 1, I or L/),
    });
    const code = await sentCode('v-2');
    // Someone with database access changes the amount: the signature no longer matches the record.
    await store.transaction(async ({ sql }) => {
      await sql.query(`ALTER TABLE notices DISABLE TRIGGER notices_append_only`);
      await sql.query(`UPDATE notices SET amount = amount - 100 WHERE code = $1`, [code]);
      await sql.query(`ALTER TABLE notices ENABLE TRIGGER notices_append_only`);
    });
    expect(await verifyCode(store, code)).toMatchObject({
      genuine: false,
      checks: { signature: true, record: false },
    });
    const code3 = await sentCode('v-3');
    await store.transaction(async ({ sql }) => {
      await sql.query(`ALTER TABLE notices DISABLE TRIGGER notices_append_only`);
      await sql.query(`UPDATE notices SET signature = $2 WHERE code = $1`, [code3, 'A'.repeat(86)]);
      await sql.query(`ALTER TABLE notices ENABLE TRIGGER notices_append_only`);
    });
    expect(await verifyCode(store, code3)).toMatchObject({ genuine: false, checks: { signature: false } });
  });

  it('keeps notices signed by a retired key genuine after rotation, and refuses in-place edits of notices', async () => {
    const before = await sentCode('v-4');
    const rotated = await rotateKey(store, keysOf(store)!);
    const keys = await listKeys(store);
    expect(keys.filter((k) => k.status === 'active')).toEqual([rotated]);
    expect(keys.some((k) => k.status === 'retired')).toBe(true);
    expect((await loadSigner(store, keysOf(store)!)).keyId).toBe(rotated.keyId);
    expect(await verifyCode(store, before)).toMatchObject({ genuine: true });
    await expect(
      store.db.updateTable('notices').set({ amount: 1 }).where('code', '=', before).execute(),
    ).rejects.toThrow(/not allowed/);
  });
});
