import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDay, todayIn } from '../../src/domain/calendar/index.js';
import { formatAmount } from '../../src/domain/money/index.js';
import { buildApp, type ArrearsApp } from '../../src/http/index.js';
import type { Store } from '../../src/store/index.js';
import { backends } from '../support/stores.js';
import { bearer, seed, type Seeded } from '../support/server.js';

interface PromiseView {
  id: number;
  status: string;
  paid: string;
  shortfall: string;
  deadline: string;
  madeOn: string;
  confirmation: { key: string; status: string } | null;
}

describe.each(backends())('promises to pay over HTTP on $name', (backend) => {
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

  it('records a promise, keeps it with a payment, and judges it again when the payment is reversed', async () => {
    const ref = s.refs.unplaced[5]!;
    const detail = await server.app.inject({
      url: `/api/v1/accounts/${ref}`,
      headers: bearer(s.tokens.admin),
    });
    const { debtor, currency } = detail.json<{ debtor: { timezone: string }; currency: string }>();
    const today = todayIn(debtor.timezone);
    const promised = await server.app.inject({
      method: 'POST',
      url: `/api/v1/accounts/${ref}/promises`,
      headers: bearer(s.tokens.collector),
      payload: { amount: '300', dueOn: formatDay(today + 5), graceDays: 1, tolerance: '0' },
    });
    expect(promised.statusCode).toBe(201);
    const p = promised.json<PromiseView>();
    expect(p).toMatchObject({ status: 'pending', madeOn: formatDay(today), deadline: formatDay(today + 6) });
    // Confirmed to the debtor in writing, once.
    expect(p.confirmation).toMatchObject({ key: `promise:${p.id}:confirmation`, status: 'pending' });
    expect(p.shortfall).toMatch(/^300(\.0+)?$/);

    // Judged as of the day after the deadline with nothing paid: broken.
    const later = await server.app.inject({
      url: `/api/v1/accounts/${ref}/promises?asOf=${formatDay(today + 7)}`,
      headers: bearer(s.tokens.auditor),
    });
    expect(later.json<{ items: PromiseView[] }>().items.find((x) => x.id === p.id)!.status).toBe('broken');

    // Two partial payments today add up to the promise: kept (early, before the due date).
    for (const [key, amount] of [
      ['pp-1', '100'],
      ['pp-2', '200'],
    ] as const) {
      const res = await server.app.inject({
        method: 'POST',
        url: `/api/v1/accounts/${ref}/payments`,
        headers: { ...bearer(s.tokens.collector), 'idempotency-key': key },
        payload: { amount, receivedOn: formatDay(today), channel: 'online', ref: key },
      });
      expect(res.statusCode).toBe(201);
    }
    const judged = (asOf: number) =>
      server.app
        .inject({
          url: `/api/v1/accounts/${ref}/promises?asOf=${formatDay(asOf)}`,
          headers: bearer(s.tokens.collector),
        })
        .then((r) => r.json<{ items: PromiseView[] }>().items.find((x) => x.id === p.id)!);
    expect((await judged(today)).status).toBe('kept');
    expect((await judged(today + 30)).status).toBe('kept');

    // A bounced payment no longer counts: what remains is partial once the deadline passes.
    const reversed = await server.app.inject({
      method: 'POST',
      url: `/api/v1/accounts/${ref}/payments/pp-2/reversal`,
      headers: bearer(s.tokens.manager),
      payload: { reason: 'card charge-back' },
    });
    expect(reversed.statusCode).toBe(200);
    expect((await judged(today)).status).toBe('pending');
    const partial = await judged(today + 30);
    expect(partial.status).toBe('partially_kept');
    expect(partial.shortfall).toMatch(/^200(\.0+)?$/);
    expect(currency).toMatch(/^[A-Z]{3}$/);
  });

  it('keeps a promise paid late but within grace, breaks one whose grace had passed, judges a shortfall partially kept', async () => {
    const ref = s.refs.unplaced[7]!;
    const detail = await server.app.inject({
      url: `/api/v1/accounts/${ref}`,
      headers: bearer(s.tokens.admin),
    });
    const { currency, debtor } = detail.json<{ currency: string; debtor: { timezone: string } }>();
    const { id } = await store.db
      .selectFrom('accounts')
      .select('id')
      .where('ref', '=', ref)
      .executeTakeFirstOrThrow();
    const today = todayIn(debtor.timezone);
    // Promises made ten days ago (payments cannot be dated in the debtor's future, so the dates move back).
    const promise = (amount: number, due: number, grace: number) =>
      store.db
        .insertInto('promises')
        .values({
          account_id: id,
          amount,
          made_on: formatDay(today - 10),
          due_on: formatDay(due),
          grace_days: grace,
          tolerance: 0,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
        .then((r) => r.id);
    const inGrace = await promise(5_000, today - 2, 3); // deadline tomorrow
    const afterGrace = await promise(5_000, today - 3, 1); // deadline yesterday
    const short = await promise(8_000, today - 1, 2); // deadline tomorrow
    const paid = await server.app.inject({
      method: 'POST',
      url: `/api/v1/accounts/${ref}/payments`,
      headers: { ...bearer(s.tokens.collector), 'idempotency-key': 'late-1' },
      payload: {
        amount: formatAmount(5_000, currency),
        receivedOn: formatDay(today),
        channel: 'online',
        ref: 'late-1',
      },
    });
    expect(paid.statusCode, paid.body).toBe(201);
    const judged = async (asOf: number) =>
      (
        await server.app.inject({
          url: `/api/v1/accounts/${ref}/promises?asOf=${formatDay(asOf)}`,
          headers: bearer(s.tokens.collector),
        })
      ).json<{ items: PromiseView[] }>().items;
    const now = await judged(today);
    expect(now.find((x) => x.id === inGrace)!.status).toBe('kept');
    expect(now.find((x) => x.id === afterGrace)!).toMatchObject({
      status: 'broken',
      paid: formatAmount(0, currency),
    });
    expect(now.find((x) => x.id === short)!.status).toBe('pending');
    const later = await judged(today + 5);
    expect(later.find((x) => x.id === short)!).toMatchObject({
      status: 'partially_kept',
      shortfall: formatAmount(3_000, currency),
    });
  });

  it('refuses promises in the past or too far ahead', async () => {
    const ref = s.refs.unplaced[6]!;
    const post = (dueOn: string) =>
      server.app.inject({
        method: 'POST',
        url: `/api/v1/accounts/${ref}/promises`,
        headers: bearer(s.tokens.collector),
        payload: { amount: '10', dueOn },
      });
    const past = await post('2020-01-01');
    expect(past.statusCode).toBe(400);
    expect(past.json()).toMatchObject({ error: { details: { issues: [{ field: 'dueOn' }] } } });
    const far = await post(formatDay(todayIn('UTC') + 200));
    expect(far.json()).toMatchObject({
      error: { details: { issues: [{ field: 'dueOn', message: expect.stringContaining('plans') }] } },
    });
  });
});
