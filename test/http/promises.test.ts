import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDay, todayIn } from '../../src/domain/calendar/index.js';
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
