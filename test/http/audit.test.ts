import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appendAudit,
  canonicalJson,
  GENESIS_HASH,
  hashRecord,
  verifyAudit,
} from '../../src/services/audit/index.js';
import type { Store } from '../../src/store/index.js';
import { backends } from '../support/stores.js';

describe('canonicalJson', () => {
  it('sorts keys at every level and drops undefined, so equal values hash equally', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 'é' }], c: null }, u: undefined })).toBe(
      '{"a":{"c":null,"d":[1,{"y":"é","z":1}]},"b":1}',
    );
  });
});

describe.each(backends())('audit chains on $name', (backend) => {
  let store: Store;
  beforeAll(async () => {
    store = await backend.open();
    for (let i = 1; i <= 5; i++)
      await store.transaction(async (tx) => {
        await appendAudit(tx, null, {
          action: 'test.event',
          entity: `thing:${i}`,
          data: { i, note: `n${i}` },
        });
        await appendAudit(tx, null, {
          action: 'test.account',
          entity: `account:${i}`,
          accountId: 42,
          data: { i },
        });
        if (i <= 2)
          await appendAudit(tx, null, { action: 'test.account', entity: `account:${i}`, accountId: 43 });
      });
  });
  afterAll(() => backend.cleanup());

  /** Changes rows the way an intruder with database access would: past the append-only trigger. */
  const tamper = (...sqls: string[]) =>
    store.transaction(async (tx) => {
      await tx.sql.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
      for (const sql of sqls) await tx.sql.query(sql);
      await tx.sql.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
    });

  it('links every record to the one before in its chain and verifies intact', async () => {
    const rows = await store.db.selectFrom('audit_log').selectAll().orderBy('chain').orderBy('seq').execute();
    expect(rows.map((r) => `${r.chain}/${r.seq}`)).toEqual([
      '0/1',
      '0/2',
      '0/3',
      '0/4',
      '0/5',
      '42/1',
      '42/2',
      '42/3',
      '42/4',
      '42/5',
      '43/1',
      '43/2',
    ]);
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      expect(r.prev_hash).toBe(r.seq === 1 ? GENESIS_HASH : rows[i - 1]!.hash);
    }
    expect(await verifyAudit(store)).toEqual({ ok: true, chains: 3, records: 12, firstBroken: null });
  });

  it('refuses updates and deletes through the trigger', async () => {
    await expect(
      store.transaction(({ sql }) => sql.query(`UPDATE audit_log SET actor = 'x' WHERE seq = 1`)),
    ).rejects.toThrow(/append-only/);
    await expect(
      store.transaction(({ sql }) => sql.query(`DELETE FROM audit_log WHERE seq = 5`)),
    ).rejects.toThrow(/append-only/);
  });

  it('writes nothing when the transaction that audits rolls back', async () => {
    await expect(
      store.transaction(async (tx) => {
        await appendAudit(tx, null, { action: 'test.rolled_back', entity: 'thing:x', accountId: 42 });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await verifyAudit(store)).toMatchObject({ ok: true, records: 12 });
  });

  it('reports a deleted tail through the head, and an altered record', async () => {
    await tamper(`DELETE FROM audit_log WHERE chain = 43 AND seq = 2`);
    expect((await verifyAudit(store)).firstBroken).toEqual({
      chain: 43,
      seq: 2,
      reason: 'record 2 is missing (the head says 2 records)',
    });
    await tamper(`UPDATE audit_log SET data = '{"i": 3, "note": "forged"}' WHERE chain = 0 AND seq = 3`);
    expect(await verifyAudit(store)).toEqual({
      ok: false,
      chains: 1,
      records: 2,
      firstBroken: { chain: 0, seq: 3, reason: 'content does not match its hash (altered)' },
    });
  });

  it('reports a rehashed record through the broken link after it, and a deleted one as missing', async () => {
    const row = await store.db
      .selectFrom('audit_log')
      .selectAll()
      .where('chain', '=', 0)
      .where('seq', '=', 3)
      .executeTakeFirstOrThrow();
    const forged = hashRecord({
      chain: 0,
      seq: 3,
      at: new Date(row.at).toISOString(),
      actor: row.actor,
      action: row.action,
      entity: row.entity,
      data: row.data,
      prevHash: row.prev_hash,
    });
    // A forger who recomputes the altered record's own hash still breaks the next record's link.
    await tamper(`UPDATE audit_log SET hash = '${forged}' WHERE chain = 0 AND seq = 3`);
    expect((await verifyAudit(store)).firstBroken).toEqual({
      chain: 0,
      seq: 4,
      reason: 'prev_hash does not match the hash of the record before',
    });
    await tamper(`DELETE FROM audit_log WHERE chain = 0 AND seq = 2`);
    expect((await verifyAudit(store)).firstBroken).toEqual({
      chain: 0,
      seq: 2,
      reason: 'record 2 is missing (next is 3)',
    });
  });
});
