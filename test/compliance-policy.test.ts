import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localInstant, toDay } from '../src/domain/calendar/index.js';
import { gateContacts, listCreditorPolicies, setCreditorPolicy } from '../src/services/compliance/index.js';
import type { Store } from '../src/store/index.js';
import { seedPeople } from './support/notices.js';
import { backends } from './support/stores.js';

/** hour may be fractional: 8.5 is 08:30 local on 2026-11-24. */
const at = (hour: number, zone: string) =>
  new Date(localInstant(toDay('2026-11-24'), Math.floor(hour), zone)!.getTime() + (hour % 1) * 3_600_000);

describe.each(backends())("a creditor's compliance policy on $name", (backend) => {
  let store: Store;
  let ids: Map<string, number>;
  beforeAll(async () => {
    store = await backend.open();
    ids = await seedPeople(store);
  });
  afterAll(() => backend.cleanup());

  const gate = (locale: string, when: Date) =>
    store.transaction(({ sql }) =>
      gateContacts(sql, [{ accountId: ids.get(locale)!, channel: 'call', at: when }]),
    );

  it("tightens the hours for that creditor's accounts only, and the decision names the tightened pack", async () => {
    // 08:30 is within US.FDCPA.HOURS (08:00–21:00) for everyone until CR-en narrows it to 09:00–20:00.
    expect((await gate('en', at(8.5, 'America/New_York')))[0]!.allowed).toBe(true);
    const r = await setCreditorPolicy(store, null, {
      creditor: 'CR-en',
      jurisdiction: 'US',
      overrides: { 'US.FDCPA.HOURS': { window: { from: '09:00', to: '20:00' } } },
      by: 'compliance-officer',
    });
    expect(r.packVersion).toMatch(/^US-.*\+t\./);
    const [refused] = await gate('en', at(8.5, 'America/New_York'));
    expect(refused).toMatchObject({ allowed: false, rules: ['US.FDCPA.HOURS'] });
    expect(refused!.nextAllowedAt?.toISOString()).toBe(at(9, 'America/New_York').toISOString());
    // Another creditor's debtor under the same law keeps the pack's hours.
    expect((await gate('zh-TW', at(8.5, 'America/Los_Angeles')))[0]!.allowed).toBe(true);
    const logged = await store.transaction(async ({ sql }) => {
      const { rows } = await sql.query<{ pack_version: string }>(
        `SELECT pack_version FROM compliance_decisions WHERE account_id = $1 ORDER BY id DESC LIMIT 1`,
        [ids.get('en')],
      );
      return rows[0]!.pack_version;
    });
    expect(logged).toBe(r.packVersion);
  });

  it('refuses a looser parameter without an approval, naming it; with one it is stored and audited', async () => {
    const looser = { 'US.FDCPA.HOURS': { window: { from: '07:00', to: '21:00' } } };
    await expect(
      setCreditorPolicy(store, null, {
        creditor: 'CR-zh-TW',
        jurisdiction: 'US',
        overrides: looser,
        by: 'm',
      }),
    ).rejects.toMatchObject({
      kind: 'invalid',
      details: { issues: [{ field: 'US.FDCPA.HOURS.window', code: 'loosening' }] },
    });
    await expect(
      setCreditorPolicy(store, null, {
        creditor: 'CR-zh-TW',
        jurisdiction: 'US',
        overrides: { 'US.NO.SUCH_RULE': { x: 1 } },
        by: 'm',
      }),
    ).rejects.toMatchObject({ details: { issues: [{ field: 'US.NO.SUCH_RULE', code: 'unknown_rule' }] } });
    const r = await setCreditorPolicy(store, null, {
      creditor: 'CR-zh-TW',
      jurisdiction: 'US',
      overrides: looser,
      approval: { loosen: true, reason: 'State law allows 07:00 for this product', approvedBy: 'counsel' },
      by: 'compliance-officer',
    });
    expect(r).toMatchObject({ loosened: 1, packVersion: expect.stringMatching(/\+o\./) });
    expect((await gate('zh-TW', at(7.5, 'America/Los_Angeles')))[0]!.allowed).toBe(true);
    const audit = await store.transaction(async ({ sql }) => {
      const { rows } = await sql.query<{ data: { override?: { approvedBy: string } } }>(
        `SELECT data FROM audit_log WHERE action = 'compliance.policy_set' AND entity = 'creditor:CR-zh-TW/US'`,
      );
      return rows;
    });
    expect(audit).toHaveLength(1);
    expect(audit[0]!.data.override?.approvedBy).toBe('counsel');
    expect((await listCreditorPolicies(store)).map((p) => `${p.creditor}/${p.jurisdiction}`)).toEqual([
      'CR-en/US',
      'CR-zh-TW/US',
    ]);
    // Empty overrides remove the policy: the pack's own hours apply again.
    await setCreditorPolicy(store, null, {
      creditor: 'CR-zh-TW',
      jurisdiction: 'US',
      overrides: {},
      by: 'm',
    });
    expect((await gate('zh-TW', at(7.5, 'America/Los_Angeles')))[0]!.allowed).toBe(false);
  });
});
