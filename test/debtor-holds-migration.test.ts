import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writePortfolio } from '../src/demo/generate.js';
import { loadGateFacts } from '../src/services/compliance/index.js';
import { listHolds } from '../src/services/contacts/index.js';
import { importFile } from '../src/services/import/index.js';
import { statements } from '../src/store/migrations/20261123_0012_debtor_holds.js';
import type { Store } from '../src/store/index.js';
import { backends } from './support/stores.js';

describe.each(backends())('migration 0012: holds on the person on $name', (backend) => {
  afterAll(() => backend.cleanup());

  it("moves the person's holds from the accounts to the debtor, merging duplicates, and keeps ids", async () => {
    const store: Store = await backend.open();
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'arrears-0012-')), 'p.ndjson');
    await writePortfolio(file, { accounts: 30, seed: 7, asOf: '2026-11-22' });
    expect((await importFile(store, file, { today: '2026-11-22' })).committed).toBe(true);
    const accounts = await store.db
      .selectFrom('accounts')
      .select(['id', 'ref', 'debtor_id'])
      .orderBy('id')
      .execute();
    const twice = accounts.filter((x) => accounts.filter((y) => y.debtor_id === x.debtor_id).length === 2);
    const [a, b] = [twice[0]!, twice[1]!];
    expect(a.debtor_id).toBe(b.debtor_id);
    const c = accounts.find((x) => x.debtor_id !== a.debtor_id)!;

    // The database as it was before 0012: person's holds on accounts.
    const legacy: [number, string, string, string | null][] = [
      [a.id, 'cease', '2026-11-01T10:00:00Z', null],
      [b.id, 'cease', '2026-11-05T10:00:00Z', null],
      [a.id, 'bankruptcy', '2026-10-01T10:00:00Z', '2026-10-20T10:00:00Z'],
      [b.id, 'dispute', '2026-11-02T10:00:00Z', null],
      [c.id, 'attorney', '2026-11-03T10:00:00Z', null],
      [c.id, 'deferral', '2026-11-04T10:00:00Z', null],
    ];
    const ids = await store.transaction(async ({ sql }) => {
      await sql.query('DROP TABLE debtor_holds');
      await sql.query('ALTER TABLE account_holds DROP CONSTRAINT account_holds_account_kinds');
      const out: number[] = [];
      for (const [account, kind, at, released] of legacy) {
        const { rows } = await sql.query<{ id: number }>(
          `INSERT INTO account_holds (account_id, kind, reason, source, until, placed_at, placed_by, released_at,
                                      released_by, release_reason)
           VALUES ($1, $2, 'r', 's', CASE WHEN $2 = 'deferral' THEN now() + interval '30 days' END, $3, 'legacy',
                   $4, CASE WHEN $4::timestamptz IS NOT NULL THEN 'legacy' END,
                   CASE WHEN $4::timestamptz IS NOT NULL THEN 'dismissed' END)
           RETURNING id`,
          [account, kind, at, released],
        );
        out.push(Number(rows[0]!.id));
      }
      for (const text of statements) await sql.query(text);
      return out;
    });
    const [ceaseA, ceaseB, bankruptcyA, disputeB, attorneyC, deferralC] = ids as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];

    const kept = await store.db.selectFrom('account_holds').select(['id', 'kind']).orderBy('id').execute();
    expect(kept).toEqual([
      { id: disputeB, kind: 'dispute' },
      { id: deferralC, kind: 'deferral' },
    ]);
    const moved = await store.db
      .selectFrom('debtor_holds')
      .select(['id', 'debtor_id', 'kind', 'account_id', 'released_by', 'release_reason', 'released_via'])
      .orderBy('id')
      .execute();
    expect(moved).toEqual([
      {
        id: ceaseA,
        debtor_id: a.debtor_id,
        kind: 'cease',
        account_id: a.id,
        released_by: null,
        release_reason: null,
        released_via: null,
      },
      {
        id: ceaseB,
        debtor_id: a.debtor_id,
        kind: 'cease',
        account_id: b.id,
        released_by: 'migration 0012',
        release_reason: "merged into the debtor's older active cease hold",
        released_via: b.id,
      },
      {
        id: bankruptcyA,
        debtor_id: a.debtor_id,
        kind: 'bankruptcy',
        account_id: a.id,
        released_by: 'legacy',
        release_reason: 'dismissed',
        released_via: a.id,
      },
      {
        id: attorneyC,
        debtor_id: c.debtor_id,
        kind: 'attorney',
        account_id: c.id,
        released_by: null,
        release_reason: null,
        released_via: null,
      },
    ]);
    // Person's kinds are refused on accounts from now on; new holds take the next id of the shared sequence.
    await expect(
      store.transaction(({ sql }) =>
        sql.query(
          `INSERT INTO account_holds (account_id, kind, reason, source, placed_by) VALUES ($1, 'cease', 'r', 's', 'x')`,
          [a.id],
        ),
      ),
    ).rejects.toThrow(/account_holds_account_kinds/);
    const next = await store.transaction(async ({ sql }) =>
      Number(
        (
          await sql.query<{ id: number }>(
            `INSERT INTO debtor_holds (debtor_id, kind, reason, source, account_id, placed_by)
             VALUES ($1, 'deceased', 'r', 's', $2, 'x') RETURNING id`,
            [c.debtor_id, c.id],
          )
        ).rows[0]!.id,
      ),
    );
    expect(next).toBeGreaterThan(Math.max(...ids));

    // B now shows the debtor's cease placed through A, and the gate sees it for B.
    const listed = await listHolds(store, b.ref);
    expect(listed.items.filter((h) => h.active).map((h) => [h.id, h.kind, h.scope, h.placedVia])).toEqual([
      [disputeB, 'dispute', 'account', b.ref],
      [ceaseA, 'cease', 'debtor', a.ref],
    ]);
    const facts = await store.transaction(({ sql }) => loadGateFacts(sql, [b.id], new Date()));
    expect(
      facts
        .get(b.id)!
        .holds!.map((h) => [h.id, h.kind, h.scope])
        .sort(),
    ).toEqual(
      [
        [ceaseA, 'cease', 'debtor'],
        [disputeB, 'dispute', 'account'],
      ].sort(),
    );
  });
});
