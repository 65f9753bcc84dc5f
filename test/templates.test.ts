import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simpleParser } from 'mailparser';
import { emlFileEmail } from '../src/channels/index.js';
import { dispatch, enqueueActions } from '../src/services/dispatch/index.js';
import type { Store } from '../src/store/index.js';
import { ensureDefaultTemplates, listTemplates, saveTemplate } from '../src/templates/index.js';
import { action, seedPeople, testDeps } from './support/notices.js';
import { backends } from './support/stores.js';

const ok = () => ({ ok: true });

describe.each(backends())('template store on $name', (backend) => {
  let store: Store;
  let ids: Map<string, number>;
  beforeAll(async () => {
    store = await backend.open();
    ids = await seedPeople(store);
  });
  afterAll(() => backend.cleanup());

  it('stores the shipped templates once', async () => {
    // 5 locales × (reminder: email, sms, call, visit; notice, promise/plan/settlement confirmations and
    // settlement_completed: letter, email; dispute_resolution, complaint_resolution: letter)
    expect(await ensureDefaultTemplates(store)).toBe(80);
    expect(await ensureDefaultTemplates(store)).toBe(0);
  });

  it('refuses a template with a syntax error, an unknown variable, a missing required text or a bad name, saying where', async () => {
    await expect(
      saveTemplate(store, { name: 'reminder', channel: 'email', locale: 'es', body: '{% if %}' }, ok),
    ).rejects.toMatchObject({
      kind: 'invalid',
      message: expect.stringMatching(/template reminder body/),
    });
    await expect(
      saveTemplate(
        store,
        {
          name: 'reminder',
          channel: 'email',
          locale: 'es',
          body: '{{ debtor.nombre }} {% for t in required_texts %}{{ t }}{% endfor %}',
        },
        ok,
      ),
    ).rejects.toMatchObject({ kind: 'invalid', message: expect.stringMatching(/nombre/) });
    await expect(
      saveTemplate(
        store,
        { name: 'reminder', channel: 'sms', locale: 'en', body: 'Pay {{ statement.overdue.total }} now.' },
        ok,
      ),
    ).rejects.toMatchObject({
      kind: 'invalid',
      message: expect.stringMatching(/leaves out required text verify_line/),
    });
    await expect(
      saveTemplate(store, { name: 'Bad Name', channel: 'pigeon', locale: 'en', body: '' }, ok),
    ).rejects.toMatchObject({
      details: { issues: [{ field: 'name' }, { field: 'channel' }, { field: 'body' }] },
    });
    await expect(
      saveTemplate(store, { name: 'x', channel: 'email', locale: 'fr', body: 'x' }, ok),
    ).rejects.toMatchObject({
      message: expect.stringMatching(/locale "fr" is not supported/),
    });
  });

  it('saves a new version, which dispatch then uses', async () => {
    const t = await saveTemplate(
      store,
      {
        name: 'reminder',
        channel: 'email',
        locale: 'es',
        subject: 'Aviso {{ account.ref }}: {{ statement.overdue.total }}',
        body: 'Hola {{ debtor.name }}. Vencido: {{ statement.overdue.total }}.\n\n{% for t in required_texts %}{{ t }}\n\n{% endfor %}',
        note: 'shorter',
      },
      ok,
    );
    expect(t.version).toBe(2);
    const versions = (await listTemplates(store)).filter(
      (r) => r.name === 'reminder' && r.channel === 'email' && r.locale === 'es',
    );
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'arrears-tpl-'));
    const deps = await testDeps(store, { email: emlFileEmail(dir) });
    await store.transaction((tx) =>
      enqueueActions(tx, [action(ids.get('es')!, { idempotencyKey: 'tpl-v2' })]),
    );
    expect(await dispatch(deps)).toMatchObject({ sent: 1 });
    const m = await simpleParser(readFileSync(path.join(dir, readdirSync(dir)[0]!)));
    expect(m.subject).toMatch(/^Aviso A-es: [\d.,]+\s€$/);
    expect(m.text).toMatch(/^Hola Lucía García Núñez\./);
    const row = await store.db
      .selectFrom('outbox')
      .select('template_version')
      .where('idempotency_key', '=', 'tpl-v2')
      .executeTakeFirstOrThrow();
    expect(row.template_version).toBe(2);
  });
});
