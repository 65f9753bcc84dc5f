import { afterAll, describe, expect, it } from 'vitest';
import type { ContactRequest } from '../src/domain/compliance/index.js';
import {
  checkAndRecord,
  checkRequest,
  decisionLog,
  decisionsForAccount,
  setCreditorPolicy,
} from '../src/services/compliance/index.js';
import { accountRef, seedPeople } from './support/notices.js';
import { backends } from './support/stores.js';

const request: ContactRequest = {
  jurisdiction: 'US',
  channel: 'call',
  at: '2026-03-10T02:00:00Z',
  debtRef: 'D-1',
  recipient: { role: 'debtor' },
  debtor: { timezone: 'America/New_York' },
  history: [],
};

describe.each(backends())('compliance decision log on $name', (backend) => {
  afterAll(() => backend.cleanup());

  it('records every decision with its rule ids and pack version, queryable by account', async () => {
    const store = await backend.open();
    const denied = await checkAndRecord(store, 42, request);
    expect(denied.decision.allowed).toBe(false);
    const allowed = await checkAndRecord(store, 42, { ...request, at: '2026-03-10T16:00:00Z' });
    expect(allowed.decision.allowed).toBe(true);
    await checkAndRecord(store, 7, request);
    const log = await decisionsForAccount(store, 42);
    expect(log.map((d) => d.decision.allowed)).toEqual([true, false]);
    expect(log[1]!.request).toEqual(request);
    expect(log[1]!.decision.violations.map((v) => v.rule)).toEqual(['US.FDCPA.HOURS']);
    const { rows } = await store.transaction((tx) =>
      tx.sql.query<{ rule_ids: string[]; pack_version: string }>(
        'SELECT rule_ids, pack_version FROM compliance_decisions WHERE account_id = 42 ORDER BY id',
      ),
    );
    expect(rows).toEqual([
      { rule_ids: ['US.FDCPA.HOURS'], pack_version: 'US-2026.11.1' },
      { rule_ids: [], pack_version: 'US-2026.11.1' },
    ]);
    await expect(
      store.transaction((tx) => tx.sql.query('DELETE FROM compliance_decisions')),
    ).rejects.toThrow();
  });

  it("records a stand-alone request against the account its debtRef names, judged by the creditor's policy", async () => {
    const store = await backend.open();
    await seedPeople(store);
    const ref = accountRef('en');
    // 08:30 in New York: lawful under the pack (08:00–21:00), not under the creditor's 09:00–20:00.
    const early: ContactRequest = { ...request, debtRef: ref, at: '2026-03-10T12:30:00Z' };
    expect((await checkRequest(null, early, { record: false })).allowed).toBe(true);
    await setCreditorPolicy(store, null, {
      creditor: 'CR-en',
      jurisdiction: 'US',
      overrides: { 'US.FDCPA.HOURS': { window: { from: '09:00', to: '20:00' } } },
      by: 'test',
    });
    const count = () =>
      store.transaction(
        async ({ sql }) =>
          (await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM compliance_decisions')).rows[0]!.n,
      );
    const before = await count();
    const checked = await checkRequest(store, early, { record: true });
    expect(checked).toMatchObject({ allowed: false, recorded: true, account: ref });
    expect(checked.packVersion).toMatch(/^US-2026\.11\.1\+t\./);
    // A debtRef that names no stored account is judged by the pack and not recorded.
    const unknown = await checkRequest(store, { ...early, debtRef: 'NO-SUCH' }, { record: true });
    expect(unknown).toMatchObject({ allowed: true, recorded: false, packVersion: 'US-2026.11.1' });
    const log = await decisionLog(store, ref);
    expect(log.items).toHaveLength(1);
    expect(log.items[0]).toMatchObject({
      id: checked.recorded ? checked.decisionId : -1,
      allowed: false,
      rules: ['US.FDCPA.HOURS'],
      packVersion: checked.packVersion,
      request: early,
    });
    expect(await count()).toBe(before + 1);
    await expect(decisionLog(store, 'NO-SUCH')).rejects.toMatchObject({ kind: 'not_found' });
  });
});
