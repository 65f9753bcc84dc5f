import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit, canonicalJson, GENESIS_HASH, verifyAudit } from '../../src/services/audit/index.js';
import type { Store } from '../../src/store/index.js';
import { backends } from '../support/stores.js';

describe('canonicalJson', () => {
  it('sorts keys at every level and drops undefined, so equal values hash equally', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 'é' }], c: null }, u: undefined })).toBe(
      '{"a":{"c":null,"d":[1,{"y":"é","z":1}]},"b":1}',
    );
  });
});

describe.each(backends())('audit chain on $name', (backend) => {
  let store: Store;
  beforeAll(async () => {
    store = await backend.open();
    for (let i = 1; i <= 5; i++)
      await store.transaction((tx) =>
        appendAudit(tx, null, { action: 'test.event', entity: `thing:${i}`, data: { i, note: `n${i}` } }),
      );
  });
  afterAll(() => backend.cleanup());

  /** Changes rows the way an intruder with database access would: past the append-only trigger. */
  const tamper = (sql: string) =>
    store.transaction(async (tx) => {
      await tx.sql.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
      await tx.sql.query(sql);
      await tx.sql.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
    });

  it('links every record to the one before and verifies intact', async () => {
    const rows = await store.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(rows[0]!.prev_hash).toBe(GENESIS_HASH);
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
    expect(await verifyAudit(store)).toEqual({ ok: true, records: 5, headSeq: 5, firstBroken: null });
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
        await appendAudit(tx, null, { action: 'test.rolled_back', entity: 'thing:x' });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await verifyAudit(store)).toMatchObject({ ok: true, records: 5 });
  });

  it('reports the first altered record', async () => {
    await tamper(`UPDATE audit_log SET data = '{"i": 3, "note": "forged"}' WHERE seq = 3`);
    expect(await verifyAudit(store)).toEqual({
      ok: false,
      records: 2,
      headSeq: 5,
      firstBroken: { seq: 3, reason: 'content does not match its hash (altered)' },
    });
  });

  it('reports a rehashed record through the broken link after it, and a deleted one as missing', async () => {
    const { hashRecord } = await import('../../src/services/audit/index.js');
    const { toRecordForTest } = await rowsOf(store);
    const r3 = toRecordForTest.find((r) => r.seq === 3)!;
    // A forger who recomputes the altered record's own hash still breaks the next record's link.
    await tamper(`UPDATE audit_log SET hash = '${hashRecord(r3)}' WHERE seq = 3`);
    expect((await verifyAudit(store)).firstBroken).toEqual({
      seq: 4,
      reason: 'prev_hash does not match the hash of the record before',
    });
    await tamper(`DELETE FROM audit_log WHERE seq = 2`);
    expect((await verifyAudit(store)).firstBroken).toEqual({
      seq: 2,
      reason: 'record 2 is missing (next is 3)',
    });
  });
});

async function rowsOf(store: Store) {
  const rows = await store.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
  return {
    toRecordForTest: rows.map((r) => ({
      seq: r.seq,
      at: new Date(r.at).toISOString(),
      actor: r.actor,
      action: r.action,
      entity: r.entity,
      accountId: r.account_id,
      data: r.data,
      prevHash: r.prev_hash,
    })),
  };
}
