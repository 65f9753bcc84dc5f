import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type ArrearsApp } from '../../src/http/index.js';
import { postPayment } from '../../src/services/payments/index.js';
import { emitBrokenPromises } from '../../src/services/promises/index.js';
import {
  createEndpoint,
  deliverWebhooks,
  emitEvent,
  updateEndpoint,
} from '../../src/services/webhooks/index.js';
import type { Store } from '../../src/store/index.js';
import { backends } from '../support/stores.js';
import { AS_OF, bearer, seed, type Seeded } from '../support/server.js';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A real receiver: answers each request with the next status of `statuses` (the last one repeats). */
async function receiver(statuses: number[]) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = statuses[Math.min(received.length - 1, statuses.length - 1)]!;
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return { url, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** What an integrator writes: HMAC-SHA256 of "timestamp.body", compared in constant time. */
function verify(secret: string, h: IncomingHttpHeaders, body: string): boolean {
  const expected = `sha256=${createHmac('sha256', secret)
    .update(`${String(h['x-arrears-timestamp'])}.${body}`)
    .digest('hex')}`;
  const got = String(h['x-arrears-signature']);
  return got.length === expected.length && timingSafeEqual(Buffer.from(got), Buffer.from(expected));
}

const FAST = { backoffBaseMs: 1, backoffMaxMs: 5, timeoutMs: 2_000 };

/** Runs the deliverer until nothing is pending or waiting for a retry. */
async function drain(store: Store, maxAttempts: number) {
  for (let i = 0; i < 50; i++) {
    await deliverWebhooks(store, { ...FAST, maxAttempts });
    const open = await store.db
      .selectFrom('webhook_deliveries')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', 'in', ['pending', 'retry', 'sending'])
      .executeTakeFirstOrThrow();
    if (Number(open.n) === 0) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('deliveries did not settle');
}

const deliveriesOf = (store: Store, endpointId: number) =>
  store.db.selectFrom('webhook_deliveries').selectAll().where('endpoint_id', '=', endpointId).execute();

describe.each(backends())('webhooks on $name', (backend) => {
  let store: Store;
  let s: Seeded;
  let server: ArrearsApp;
  const receivers: { close: () => Promise<void> }[] = [];
  let n = 0;

  beforeAll(async () => {
    store = await backend.open();
    s = await seed(store);
    server = await buildApp(store, { logLevel: false });
  });
  afterAll(async () => {
    await server?.app.close();
    for (const r of receivers) await r.close();
    await backend.cleanup();
  });

  /** A fresh endpoint for one test; the ones of earlier tests are switched off so they get no new events. */
  async function endpointFor(statuses: number[], eventTypes = ['payment.posted']) {
    for (const e of await store.db.selectFrom('webhook_endpoints').select('id').execute())
      await updateEndpoint(store, null, e.id, { active: false });
    const r = await receiver(statuses);
    receivers.push(r);
    const ep = await createEndpoint(store, null, { url: r.url, eventTypes });
    return { ...r, endpoint: ep };
  }

  const pay = (ref: string) =>
    postPayment(store, null, ref, `wh-${backend.name}-${++n}`, {
      amount: '100',
      receivedOn: AS_OF,
      channel: 'card',
    });

  it('delivers a posted payment to a real HTTP receiver, signed with the endpoint secret', async () => {
    const r = await endpointFor([200]);
    expect(r.endpoint.secret).toMatch(/^whsec_[0-9a-f]{48}$/);
    await pay(s.refs.unplaced[0]!);
    await drain(store, 3);
    expect(r.received).toHaveLength(1);
    const got = r.received[0]!;
    expect(got.headers['x-arrears-event']).toBe('payment.posted');
    expect(verify(r.endpoint.secret, got.headers, got.body)).toBe(true);
    expect(verify('whsec_wrong', got.headers, got.body)).toBe(false);
    const event = JSON.parse(got.body) as {
      type: string;
      data: { account: string; payment: { amount: string } };
    };
    expect(event.type).toBe('payment.posted');
    expect(event.data.account).toBe(s.refs.unplaced[0]);
    expect(event.data.payment.amount).toMatch(/^100(\.0+)?$/);
    const rows = await deliveriesOf(store, r.endpoint.id);
    expect(rows.map((d) => [d.status, d.attempts, d.last_status_code])).toEqual([['delivered', 1, 200]]);
    expect(got.headers['x-arrears-delivery']).toBe(String(rows[0]!.id));
  });

  it('retries a receiver that fails twice and records exactly one delivered delivery', async () => {
    const r = await endpointFor([500, 503, 204]);
    await pay(s.refs.unplaced[1]!);
    await drain(store, 5);
    expect(r.received).toHaveLength(3);
    // The same delivery id each time, so a receiver can deduplicate.
    expect(new Set(r.received.map((x) => x.headers['x-arrears-delivery'])).size).toBe(1);
    const rows = await deliveriesOf(store, r.endpoint.id);
    expect(rows.map((d) => [d.status, d.attempts, d.last_status_code])).toEqual([['delivered', 3, 204]]);
  });

  it('marks a delivery dead after N failed attempts, and redelivers it on request', async () => {
    const r = await endpointFor([500]);
    await pay(s.refs.unplaced[2]!);
    await drain(store, 3);
    expect(r.received).toHaveLength(3);
    const rows = await deliveriesOf(store, r.endpoint.id);
    expect(rows.map((d) => [d.status, d.attempts, d.last_status_code])).toEqual([['dead', 3, 500]]);
    const res = await server.app.inject({
      method: 'POST',
      url: `/api/v1/webhooks/deliveries/${rows[0]!.id}/redeliver`,
      headers: bearer(s.tokens.admin),
    });
    expect(res.statusCode).toBe(200);
    await drain(store, 3);
    expect(r.received).toHaveLength(6);
    expect((await deliveriesOf(store, r.endpoint.id))[0]!.status).toBe('dead');
  });

  it('never delivers an event whose transaction rolled back', async () => {
    const r = await endpointFor([200], ['*']);
    const account = await store.db
      .selectFrom('accounts')
      .select('id')
      .where('ref', '=', s.refs.unplaced[3]!)
      .executeTakeFirstOrThrow();
    await expect(
      store.transaction(async (tx) => {
        await emitEvent(tx, { type: 'case.escalated', accountId: account.id, data: { rolled: 'back' } });
        throw new Error('the state change failed');
      }),
    ).rejects.toThrow('the state change failed');
    // A payment refused by validation emits nothing either.
    await expect(
      postPayment(store, null, s.refs.unplaced[3]!, `wh-bad-${backend.name}`, {
        amount: '0',
        receivedOn: AS_OF,
        channel: 'card',
      }),
    ).rejects.toThrow('not valid');
    await drain(store, 3);
    expect(await deliveriesOf(store, r.endpoint.id)).toEqual([]);
    expect(r.received).toEqual([]);
  });

  it("emits the event of an agency user's payment (row-level security) and of a reversal", async () => {
    const r = await endpointFor([200], ['payment.posted', 'payment.reversed']);
    const ref = s.refs.ag1[0]!;
    const res = await server.app.inject({
      method: 'POST',
      url: `/api/v1/accounts/${ref}/payments`,
      headers: { ...bearer(s.tokens.agency_user), 'idempotency-key': `wh-agency-${backend.name}` },
      payload: { amount: '200', receivedOn: AS_OF, channel: 'card', ref: `WH-${backend.name}` },
    });
    expect(res.statusCode).toBe(201);
    const rev = await server.app.inject({
      method: 'POST',
      url: `/api/v1/accounts/${ref}/payments/WH-${backend.name}/reversal`,
      headers: bearer(s.tokens.manager),
      payload: { reason: 'bounced' },
    });
    expect(rev.statusCode).toBe(200);
    await drain(store, 3);
    expect(r.received.map((x) => x.headers['x-arrears-event'])).toEqual([
      'payment.posted',
      'payment.reversed',
    ]);
  });

  it('emits promise.broken once for a promise whose deadline passed without (enough) payment', async () => {
    const r = await endpointFor([200], ['promise.broken']);
    const accountOf = (ref: string) =>
      store.db.selectFrom('accounts').select('id').where('ref', '=', ref).executeTakeFirstOrThrow();
    const account = await accountOf(s.refs.unplaced[5]!);
    const partial = await accountOf(s.refs.unplaced[6]!);
    const insert = (madeOn: string, dueOn: string, accountId = account.id) =>
      store.db
        .insertInto('promises')
        .values({
          account_id: accountId,
          amount: 999_999,
          made_on: madeOn,
          due_on: dueOn,
          grace_days: 2,
          tolerance: 0,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
    const broken = await insert('2026-10-01', '2026-10-10');
    // Not yet past its deadline: pending, judged later.
    const future = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
    await insert(new Date().toISOString().slice(0, 10), future);
    // Paid in part within the window: not kept either.
    const short = await insert('2026-10-01', '2026-10-10', partial.id);
    await store.db
      .insertInto('payments')
      .values({
        account_id: partial.id,
        ref: 'partial-1',
        amount: 100,
        received_on: '2026-10-05',
        channel: 'bank_transfer',
      })
      .execute();
    expect(await emitBrokenPromises(store)).toBe(2);
    expect(await emitBrokenPromises(store)).toBe(0);
    await drain(store, 3);
    expect(r.received).toHaveLength(2);
    const events = r.received.map(
      (m) =>
        JSON.parse(m.body) as {
          type: string;
          data: { promise: { id: number; outcome: string; shortfall: string } };
        },
    );
    expect(events.every((e) => e.type === 'promise.broken')).toBe(true);
    const byId = new Map(events.map((e) => [e.data.promise.id, e.data.promise]));
    expect(byId.get(broken.id)?.outcome).toBe('broken');
    expect(byId.get(short.id)?.outcome).toBe('partially_kept');
  });

  it('manages endpoints over HTTP without ever returning the secret after creation', async () => {
    const created = await server.app.inject({
      method: 'POST',
      url: '/api/v1/webhooks/endpoints',
      headers: bearer(s.tokens.admin),
      payload: { url: 'https://example.invalid/hook', eventTypes: ['payment.posted'] },
    });
    expect(created.statusCode).toBe(201);
    const secret = created.json<{ secret: string }>().secret;
    expect(secret).toMatch(/^whsec_/);
    const list = await server.app.inject({
      url: '/api/v1/webhooks/endpoints',
      headers: bearer(s.tokens.admin),
    });
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(secret);
    expect(list.body).not.toContain('"secret"');
    const bad = await server.app.inject({
      method: 'POST',
      url: '/api/v1/webhooks/endpoints',
      headers: bearer(s.tokens.admin),
      payload: { url: 'ftp://x', eventTypes: ['payment.exploded'] },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('eventTypes.0');
    expect(bad.body).toContain('url');
  });
});
