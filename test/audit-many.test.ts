import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit, appendAuditMany, verifyAudit } from '../src/services/audit/index.js';
import type { Store } from '../src/store/index.js';
import { backends } from './support/stores.js';

describe.each(backends())('appending audit records to many chains at once on $name', (backend) => {
  let store: Store;
  beforeAll(async () => {
    store = await backend.open();
  });
  afterAll(() => backend.cleanup());

  it('links each record to its own chain, before and after single appends, and refuses two on one chain', async () => {
    await store.transaction((tx) =>
      appendAudit(tx, null, { action: 'x.first', entity: 'x:1', accountId: 7 }),
    );
    const batch = await store.transaction((tx) =>
      appendAuditMany(tx, null, [
        { action: 'x.batch', entity: 'x:9', accountId: 9, data: { n: 1 } },
        { action: 'x.batch', entity: 'x:7', accountId: 7 },
        { action: 'x.batch', entity: 'x:0' },
      ]),
    );
    expect(batch.map((r) => [r.chain, r.seq])).toEqual([
      [0, 1],
      [7, 2],
      [9, 1],
    ]);
    await store.transaction((tx) =>
      appendAudit(tx, null, { action: 'x.after', entity: 'x:9', accountId: 9 }),
    );
    expect(await verifyAudit(store)).toMatchObject({ ok: true, chains: 3, records: 5 });
    await expect(
      store.transaction((tx) =>
        appendAuditMany(tx, null, [
          { action: 'x', entity: 'x', accountId: 3 },
          { action: 'x', entity: 'x', accountId: 3 },
        ]),
      ),
    ).rejects.toThrow(/one entry per chain/);
    // Tampering with a record written in bulk is caught like any other.
    await store.transaction(({ sql }) =>
      sql.query(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`),
    );
    await store.transaction(({ sql }) =>
      sql.query(`UPDATE audit_log SET data = '{"n":2}' WHERE chain = 9 AND seq = 1`),
    );
    expect(await verifyAudit(store)).toMatchObject({ ok: false, firstBroken: { chain: 9, seq: 1 } });
  });
});
