import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type ArrearsApp } from '../../src/http/index.js';
import { reconcileStatement } from '../../src/services/reconciliation/index.js';
import type { Store } from '../../src/store/index.js';
import { backends } from '../support/stores.js';
import { bearer, seed, type Seeded } from '../support/server.js';

interface Report {
  run: number | null;
  lines: number;
  posted: number;
  alreadyPosted: number;
  unmatched: number;
  outcomes: {
    line: number;
    status: string;
    reason: string | null;
    account: string | null;
    matchedBy: string | null;
  }[];
}

describe.each(backends())('bank statement reconciliation on $name', (backend) => {
  let store: Store;
  let server: ArrearsApp;
  let s: Seeded;
  const cur: Record<string, string> = {};

  beforeAll(async () => {
    store = await backend.open();
    s = await seed(store);
    server = await buildApp(store, { logLevel: false });
    for (const a of await store.db.selectFrom('accounts').select(['ref', 'currency']).execute())
      cur[a.ref] = a.currency;
  });
  afterAll(async () => {
    await server?.app.close();
    await backend.cleanup();
  });

  const upload = (csv: string, query = '', token = s.tokens.manager) =>
    server.app.inject({
      method: 'POST',
      url: `/api/v1/reconciliations${query}`,
      headers: { ...bearer(token), 'content-type': 'text/csv' },
      payload: csv,
    });

  const bankPayments = () =>
    store.db
      .selectFrom('payments as p')
      .innerJoin('accounts as a', 'a.id', 'p.account_id')
      .select(['a.ref as account', 'p.ref', 'p.amount', 'p.channel'])
      .where('p.ref', 'like', 'bank-%')
      .orderBy('p.ref')
      .execute();

  const [a, b, c, d, e, f] = ['A-21', 'A-22', 'A-23', 'A-24', 'A-25', 'A-26'];
  const other = (ref: string) => (cur[ref] === 'USD' ? 'EUR' : 'USD');
  const statement = () =>
    [
      'date,amount,currency,reference,transaction_id',
      `2026-11-20,50,${cur[a]},Invoice ${a} thank you,TX-1`,
      `2026-11-20,30,${cur[b]},"payment for ${b.toLowerCase()}, November",TX-2`,
      `2026-11-21,40,${cur[f]},rent,TX-3`,
      `2026-11-21,10,${cur[c]},${c} and ${d},TX-4`,
      `2026-11-21,10,${other(e)},${e},TX-5`,
      `2026-11-21,-10,${cur[f]},${f} fee,TX-6`,
    ].join('\n');

  it('posts matched lines once, even when the same statement is imported twice, and reports the others by line', async () => {
    const dry = await upload(statement(), '?dryRun=true');
    expect(dry.statusCode).toBe(200);
    expect(dry.json<Report>().outcomes.filter((o) => o.status === 'would_post')).toHaveLength(2);
    expect(await bankPayments()).toEqual([]);

    const first = await upload(statement(), '?file=nov.csv');
    expect(first.statusCode).toBe(200);
    const r1 = first.json<Report>();
    expect([r1.lines, r1.posted, r1.alreadyPosted, r1.unmatched]).toEqual([6, 2, 0, 4]);
    expect(r1.outcomes.map((o) => [o.line, o.status, o.account, o.matchedBy])).toEqual([
      [2, 'posted', a, 'account_ref'],
      [3, 'posted', b, 'account_ref'],
      [4, 'unmatched', null, null],
      [5, 'ambiguous', null, null],
      [6, 'invalid', e, 'account_ref'],
      [7, 'invalid', null, null],
    ]);
    expect(r1.outcomes[4]!.reason).toContain(`differs from the account's currency ${cur[e]}`);
    expect(r1.outcomes[5]!.reason).toContain('not a credit');

    const second = await upload(statement());
    const r2 = second.json<Report>();
    expect([r2.posted, r2.alreadyPosted, r2.unmatched]).toEqual([0, 2, 4]);
    expect(await bankPayments()).toEqual([
      { account: a, ref: 'bank-TX-1', amount: expect.any(Number) as number, channel: 'bank_transfer' },
      { account: b, ref: 'bank-TX-2', amount: expect.any(Number) as number, channel: 'bank_transfer' },
    ]);

    // The unmatched lines wait for a person; matching one posts it once, and a re-import then knows it.
    const open = await server.app.inject({
      url: `/api/v1/reconciliations/${r1.run}/lines?open=true`,
      headers: bearer(s.tokens.admin),
    });
    expect(
      open.json<{ items: { line: number; status: string }[] }>().items.map((l) => [l.line, l.status]),
    ).toEqual([
      [4, 'unmatched'],
      [5, 'ambiguous'],
    ]);
    const match = (line: number, account: string) =>
      server.app.inject({
        method: 'POST',
        url: `/api/v1/reconciliations/${r1.run}/lines/${line}/match`,
        headers: bearer(s.tokens.manager),
        payload: { account },
      });
    const matched = await match(4, f);
    expect(matched.statusCode).toBe(200);
    expect(matched.json()).toMatchObject({ status: 'matched_manually', matchedBy: 'manual', account: f });
    expect((await match(4, f)).statusCode).toBe(409);
    // The same bank transaction stored by the second run cannot be posted again to another account.
    const again = await server.app.inject({
      method: 'POST',
      url: `/api/v1/reconciliations/${r2.run}/lines/4/match`,
      headers: bearer(s.tokens.manager),
      payload: { account: a },
    });
    expect(again.statusCode).toBe(409);
    const r3 = (await upload(statement())).json<Report>();
    expect(r3.outcomes[2]).toMatchObject({
      line: 4,
      status: 'already_posted',
      account: f,
      matchedBy: 'manual',
    });
    expect((await bankPayments()).map((p) => p.ref)).toEqual(['bank-TX-1', 'bank-TX-2', 'bank-TX-3']);

    const runs = await server.app.inject({ url: '/api/v1/reconciliations', headers: bearer(s.tokens.admin) });
    expect(runs.json<{ items: unknown[] }>().items).toHaveLength(3);
    const audit = await store.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'in', ['reconciliation.imported', 'reconciliation.matched'])
      .execute();
    expect(audit).toHaveLength(4);
  });

  it('refuses a malformed file as a whole, naming line and field, and posts nothing', async () => {
    const before = await bankPayments();
    const runsBefore = await store.db.selectFrom('reconciliation_runs').select('id').execute();
    const bad = [
      'date,amount,currency,reference,transaction_id',
      `2026-11-20,50,${cur[a]},${a},TX-100`,
      `2026-13-40,50,${cur[b]},${b},TX-101`,
      `2026-11-20,5O.00,${cur[b]},${b},TX-102`,
      `2026-11-20,50,${cur[b]},${b},TX-100`,
    ].join('\n');
    const res = await upload(bad);
    expect(res.statusCode).toBe(400);
    const issues = res.json<{ error: { message: string; details: { issues: unknown[] } } }>().error.details
      .issues;
    expect(issues).toEqual([
      expect.objectContaining({ line: 3, field: 'date' }),
      expect.objectContaining({ line: 4, field: 'amount' }),
      expect.objectContaining({
        line: 5,
        field: 'transaction_id',
        message: expect.stringContaining('line 2') as string,
      }),
    ]);
    const header = await upload(`date,amount,reference\n2026-11-20,50,${a}`);
    expect(header.statusCode).toBe(400);
    expect(header.body).toContain('currency');
    const ragged = await upload(
      `date,amount,currency,reference,transaction_id\n2026-11-20,50,${cur[a]},${a}`,
    );
    expect(ragged.statusCode).toBe(400);
    await expect(
      reconcileStatement(store, null, {
        name: 'latin1.csv',
        bytes: Buffer.from([0x64, 0x61, 0x74, 0x65, 0xe9, 0x0a]),
      }),
    ).rejects.toThrow('not valid UTF-8');
    expect(await bankPayments()).toEqual(before);
    expect(await store.db.selectFrom('reconciliation_runs').select('id').execute()).toEqual(runsBefore);
  });

  it('is for managers and admins only', async () => {
    expect((await upload(statement(), '?dryRun=true', s.tokens.collector)).statusCode).toBe(403);
    expect((await upload(statement(), '?dryRun=true', s.tokens.agency_user)).statusCode).toBe(403);
  });
});
