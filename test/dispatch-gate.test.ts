import { mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emlFileEmail } from '../src/channels/index.js';
import { decisionsForAccount, lintContent, sendGate } from '../src/services/compliance/index.js';
import { dispatch, enqueueActions } from '../src/services/dispatch/index.js';
import type { Store } from '../src/store/index.js';
import { action, seedPeople, testDeps } from './support/notices.js';
import { backends } from './support/stores.js';

describe.each(backends())('dispatch through the real compliance gate on $name', (backend) => {
  let store: Store;
  let ids: Map<string, number>;
  beforeAll(async () => {
    store = await backend.open();
    ids = await seedPeople(store);
  });
  afterAll(() => backend.cleanup());

  it('holds an e-mail sent at night in the debtor zone until the hours allow it, and records every decision', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'arrears-gate-real-'));
    let now = new Date('2026-11-24T03:00:00Z'); // 22:00 in New York, 12:00 in Seoul
    const deps = await testDeps(
      store,
      { email: emlFileEmail(dir) },
      { gate: sendGate(store), contentCheck: lintContent, now: () => now },
    );
    const en = ids.get('en')!;
    const ko = ids.get('ko')!;
    await store.transaction((tx) =>
      enqueueActions(tx, [
        action(en, { idempotencyKey: 'night-en', plannedAt: new Date('2026-11-24T02:00:00Z') }),
        action(ko, { idempotencyKey: 'day-ko', plannedAt: new Date('2026-11-24T02:00:00Z') }),
      ]),
    );
    expect(await dispatch(deps)).toMatchObject({ claimed: 2, sent: 1, rescheduled: 1 });
    const held = await store.db
      .selectFrom('outbox')
      .selectAll()
      .where('idempotency_key', '=', 'night-en')
      .executeTakeFirstOrThrow();
    expect(held.status).toBe('retry');
    expect(held.last_error).toMatch(/outside the allowed local hours 08:00–21:00.*\[US\.FDCPA\.HOURS\]/);
    expect(new Date(held.next_attempt_at).toISOString()).toBe('2026-11-24T13:00:00.000Z'); // 08:00 in New York
    const logged = await decisionsForAccount(store, en);
    expect(logged[0]).toMatchObject({
      decision: { allowed: false, packVersion: expect.stringMatching(/^US-/) },
    });

    now = new Date('2026-11-24T13:00:00Z');
    expect(await dispatch(deps)).toMatchObject({ claimed: 1, sent: 1 });
    expect(readdirSync(dir)).toHaveLength(2);
    expect((await decisionsForAccount(store, en))[0]!.decision.allowed).toBe(true);
  });

  it('the content check refuses abusive text in every language, disguised or not', () => {
    expect(lintContent('Pay today or you will be a r r e s t e d', 'en')).toMatchObject({ ok: false });
    expect(lintContent('不还钱就通知你的家人和单位', 'zh-CN')).toMatchObject({ ok: false });
    expect(lintContent('Le recordamos que su cuota de noviembre está pendiente.', 'es')).toEqual({
      ok: true,
    });
  });
});
