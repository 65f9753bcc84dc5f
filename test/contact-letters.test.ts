import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfLetters } from '../src/channels/index.js';
import { openComplaint, resolveComplaint } from '../src/services/complaints/index.js';
import { lintContent, sendGate } from '../src/services/compliance/index.js';
import { openDispute, resolveDispute } from '../src/services/contacts/index.js';
import { dispatch } from '../src/services/dispatch/index.js';
import type { Store } from '../src/store/index.js';
import { accountRef, PEOPLE, seedPeople, testDeps } from './support/notices.js';
import { backends } from './support/stores.js';

const pdftotext = (file: string) => {
  const r = spawnSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  if (r.error)
    throw new Error('pdftotext (Debian poppler-utils) is required for this test: ' + r.error.message);
  return r.stdout.replace(/\s+/g, ' ');
};

describe.each(backends())('dispute and complaint letters through the dispatcher on $name', (backend) => {
  let store: Store;
  beforeAll(async () => {
    store = await backend.open();
    await seedPeople(store);
  });
  afterAll(() => backend.cleanup());

  it('sends the resolution letters in every locale, gate-checked, linted and signed', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'arrears-resolution-letters-'));
    for (const p of PEOPLE) {
      const ref = accountRef(p.locale);
      const d = await openDispute(store, null, ref, { reason: 'the fee is wrong', channel: 'letter' });
      await resolveDispute(store, null, ref, d.id, { outcome: 'upheld', resolution: 'fee removed' });
      const c = await openComplaint(store, null, ref, { summary: 'x', category: 'other', channel: 'letter' });
      await resolveComplaint(store, null, ref, c.id, {
        outcome: 'upheld',
        resolution: 'We removed the late fee of 2 November.',
      });
    }
    const deps = await testDeps(
      store,
      { letter: pdfLetters(dir) },
      { gate: sendGate(store), contentCheck: lintContent },
    );
    const summary = await dispatch(deps);
    expect(summary).toMatchObject({ claimed: 10, sent: 10, blocked: 0 });
    const files = readdirSync(dir).filter((f) => f.endsWith('.pdf'));
    expect(files).toHaveLength(10);
    const notices = await store.db
      .selectFrom('notices as n')
      .innerJoin('outbox as o', (j) =>
        j.onRef('o.account_id', '=', 'n.account_id').onRef('o.id', '=', 'n.outbox_id'),
      )
      .select(['n.account_ref', 'n.locale', 'n.content', 'o.template'])
      .execute();
    const text = (ref: string, template: string) =>
      notices.find((n) => n.account_ref === ref && n.template === template)!.content;
    expect(text('A-en', 'dispute_resolution')).toMatch(/agree with you: the account has been corrected/);
    expect(text('A-en', 'dispute_resolution')).toMatch(/This communication is from a debt collector/);
    expect(text('A-en', 'complaint_resolution')).toMatch(/We removed the late fee of 2 November\./);
    expect(text('A-es', 'dispute_resolution')).toMatch(/le damos la razón/);
    expect(text('A-ko', 'complaint_resolution')).toMatch(/민원을 수용하였습니다/);
    expect(text('A-zh-CN', 'dispute_resolution')).toMatch(/异议成立/);
    expect(text('A-zh-TW', 'complaint_resolution')).toMatch(/申訴成立/);
    const en = files.find((f) => pdftotext(path.join(dir, f)).includes('has been corrected'));
    expect(en).toBeDefined();
  });
});
