import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type ArrearsApp } from '../../src/http/index.js';
import { verifyAudit } from '../../src/services/audit/index.js';
import type { Store } from '../../src/store/index.js';
import { backends, pgAvailable } from '../support/stores.js';
import { bearer, seed, type Seeded } from '../support/server.js';

interface PaymentBody {
  payment: { ref: string; amount: string; currency: string };
  allocations: { installment: number; component: string; amount: string }[];
  unapplied: string;
  statement: { dpd: number; overdue: string; payoff: string };
}

describe.each(backends())('payments over HTTP on $name', (backend) => {
  let store: Store;
  let server: ArrearsApp;
  let s: Seeded;

  beforeAll(async () => {
    store = await backend.open();
    s = await seed(store);
    server = await buildApp(store, { logLevel: false });
  });
  afterAll(async () => {
    await server?.app.close();
    await backend.cleanup();
  });

  const post = (ref: string, key: string | undefined, payload: object, token = s.tokens.collector) =>
    server.app.inject({
      method: 'POST',
      url: `/api/v1/accounts/${ref}/payments`,
      headers: { ...bearer(token), ...(key ? { 'idempotency-key': key } : {}) },
      payload,
    });

  async function accountState(ref: string) {
    const a = await store.db
      .selectFrom('accounts')
      .select(['id', 'currency'])
      .where('ref', '=', ref)
      .executeTakeFirstOrThrow();
    const payments = await store.db
      .selectFrom('payments')
      .select(['ref', 'amount', 'reversed_at'])
      .where('account_id', '=', a.id)
      .execute();
    return { ...a, payments };
  }

  /** A delinquent account (something overdue), so a payment has something to pay. */
  async function delinquentRef(skip = 0): Promise<string> {
    const found: string[] = [];
    for (const ref of s.refs.unplaced) {
      const res = await server.app.inject({
        url: `/api/v1/accounts/${ref}`,
        headers: bearer(s.tokens.admin),
      });
      const d = res.json<{ status: string; summary: { dpd: number } }>();
      if (d.status === 'open' && d.summary.dpd > 0) found.push(ref);
    }
    if (!found[skip]) throw new Error('the seed has too few delinquent accounts');
    return found[skip];
  }

  it('posts a payment, shows its allocation from the statement engine, and records it once', async () => {
    const ref = await delinquentRef(0);
    const before = await accountState(ref);
    const res = await post(ref, 'k-1', {
      amount: '100',
      receivedOn: '2026-11-20',
      channel: 'bank_transfer',
      ref: 'BANK-1',
    });
    expect(res.statusCode).toBe(201);
    const body = res.json<PaymentBody>();
    expect(body.payment).toMatchObject({ ref: 'BANK-1', currency: before.currency });
    const allocated = body.allocations.reduce((n, a) => n + Number(a.amount), 0) + Number(body.unapplied);
    expect(allocated).toBeCloseTo(Number(body.payment.amount), 6);
    expect(body.allocations.length).toBeGreaterThan(0);
    // The statement route shows the same allocation for this payment.
    const st = await server.app.inject({
      url: `/api/v1/accounts/${ref}/statement`,
      headers: bearer(s.tokens.auditor),
    });
    const line = st
      .json<{ payments: { ref: string; allocations: unknown[] }[] }>()
      .payments.find((p) => p.ref === 'BANK-1');
    expect(line?.allocations).toEqual(body.allocations);
    const after = await accountState(ref);
    expect(after.payments.length).toBe(before.payments.length + 1);
    const audit = await store.db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity', '=', `payment:${ref}/BANK-1`)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['payment.posted']);
  });

  it('replays the same key with the same body, refuses it with another body, and requires a key', async () => {
    const ref = s.refs.unplaced[2]!;
    const payload = { amount: '250', receivedOn: '2026-11-21', channel: 'card' };
    const first = await post(ref, 'same-key', payload);
    const again = await post(ref, 'same-key', payload);
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    const other = await post(ref, 'same-key', { ...payload, amount: '251' });
    expect(other.statusCode).toBe(409);
    expect(other.json<{ error: { code: string } }>().error.code).toBe('conflict');
    const noKey = await post(ref, undefined, payload);
    expect(noKey.statusCode).toBe(400);
    expect(noKey.json()).toMatchObject({
      error: { code: 'invalid', details: { issues: [{ field: 'headers.idempotency-key' }] } },
    });
    expect(
      (await accountState(ref)).payments.filter((p) => p.amount === 250 || p.amount === 25000).length,
    ).toBe(1);
  });

  it('refuses cash, future dates and amounts the currency cannot hold', async () => {
    const ref = s.refs.unplaced[3]!;
    const cash = await post(ref, 'cash-1', { amount: '10', receivedOn: '2026-11-20', channel: 'cash' });
    expect(cash.statusCode).toBe(400);
    expect(cash.json()).toMatchObject({
      error: {
        details: { issues: [{ field: 'channel', message: expect.stringContaining('cash is not accepted') }] },
      },
    });
    const future = await post(ref, 'future-1', { amount: '10', receivedOn: '2999-01-01', channel: 'card' });
    expect(future.json()).toMatchObject({ error: { details: { issues: [{ field: 'receivedOn' }] } } });
    // A refused request does not burn its key.
    const ok = await post(ref, 'cash-1', { amount: '10', receivedOn: '2026-11-20', channel: 'online' });
    expect(ok.statusCode).toBe(201);
  });

  it('reverses a payment: the statement stops counting it, and a second reversal is a conflict', async () => {
    const ref = await delinquentRef(1);
    const before = await server.app.inject({
      url: `/api/v1/accounts/${ref}`,
      headers: bearer(s.tokens.admin),
    });
    const posted = await post(ref, 'rev-1', {
      amount: '300',
      receivedOn: '2026-11-20',
      channel: 'direct_debit',
      ref: 'DD-9',
    });
    expect(posted.statusCode).toBe(201);
    const reverse = () =>
      server.app.inject({
        method: 'POST',
        url: `/api/v1/accounts/${ref}/payments/DD-9/reversal`,
        headers: bearer(s.tokens.manager),
        payload: { reason: 'direct debit returned unpaid' },
      });
    const r = await reverse();
    expect(r.statusCode).toBe(200);
    expect(r.json<{ statement: { payoff: string } }>().statement.payoff).toBe(
      before.json<{ summary: { payoff: string } }>().summary.payoff,
    );
    expect((await reverse()).statusCode).toBe(409);
    const list = await server.app.inject({
      url: `/api/v1/accounts/${ref}/payments`,
      headers: bearer(s.tokens.collector),
    });
    const item = list
      .json<{ items: { ref: string; reversed: boolean; allocations: unknown[] }[] }>()
      .items.find((p) => p.ref === 'DD-9');
    expect(item).toMatchObject({ reversed: true, allocations: [] });
  });

  it.skipIf(backend.name !== 'postgres' || !pgAvailable)(
    'posts exactly once under 50 concurrent requests with one key, and exactly 50 times with 50 keys',
    async () => {
      const ref = s.refs.unplaced[4]!;
      const before = await accountState(ref);
      const payload = { amount: '7', receivedOn: '2026-11-21', channel: 'bank_transfer' };
      const same = await Promise.all(Array.from({ length: 50 }, () => post(ref, 'burst', payload)));
      expect(same.map((r) => r.statusCode)).toEqual(Array(50).fill(201));
      expect(new Set(same.map((r) => r.body)).size).toBe(1);
      expect(same.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(49);
      const mid = await accountState(ref);
      expect(mid.payments.length).toBe(before.payments.length + 1);

      const distinct = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          post(ref, `burst-${i}`, payload, i % 2 ? s.tokens.manager : s.tokens.collector),
        ),
      );
      expect(distinct.map((r) => r.statusCode)).toEqual(Array(50).fill(201));
      const after = await accountState(ref);
      expect(after.payments.length).toBe(before.payments.length + 51);
      const sum = (ps: { amount: number }[]) => ps.reduce((n, p) => n + p.amount, 0);
      const unit = after.payments.find((p) => !before.payments.some((b) => b.ref === p.ref))!.amount;
      expect(sum(after.payments) - sum(before.payments)).toBe(51 * unit);
      expect(new Set(distinct.map((r) => r.json<PaymentBody>().payment.ref)).size).toBe(50);
      // Serialised per account: the last answer's statement has seen all 51 payments.
      const st = await server.app.inject({
        url: `/api/v1/accounts/${ref}/payments`,
        headers: bearer(s.tokens.admin),
      });
      const lines = st.json<{
        items: { reversed: boolean; allocations: { amount: string }[]; unapplied: string }[];
      }>().items;
      expect(lines.length).toBe(after.payments.length);
      const audit = await store.db
        .selectFrom('audit_log')
        .select('entity')
        .where('action', '=', 'payment.posted')
        .where('entity', 'like', `payment:${ref}/%`)
        .execute();
      expect(audit.length).toBe(51);
      const v = await verifyAudit(store);
      expect(v).toMatchObject({ ok: true, firstBroken: null });
    },
  );
});
