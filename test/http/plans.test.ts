import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDay, todayIn, toDay } from '../../src/domain/calendar/index.js';
import { formatAmount, parseAmount } from '../../src/domain/money/index.js';
import { buildApp, type ArrearsApp } from '../../src/http/index.js';
import { judgePlans } from '../../src/services/negotiation/index.js';
import { createEndpoint } from '../../src/services/webhooks/index.js';
import { addUser, createApiToken } from '../../src/services/users/index.js';
import { scoped, type Store } from '../../src/store/index.js';
import { backends } from '../support/stores.js';
import { bearer, PASSWORD, seed, type Seeded } from '../support/server.js';

interface PlanView {
  id: number;
  kind: string;
  status: string;
  owed: string;
  amount: string;
  discount: string;
  discountPercent: string;
  requiredRole: string;
  installments: { seq: number; dueOn: string; amount: string }[];
  madeOn: string;
  decidedBy: string | null;
  closeReason: string | null;
  progress: { judged: string; paid: string; missed: { seq: number } | null } | null;
  confirmation: { channel: string; key: string; status: string } | null;
}

interface Owed {
  ref: string;
  currency: string;
  /** Payoff today in minor units. */
  payoff: number;
  timezone: string;
  today: number;
}

describe.each(backends())('plans and settlements over HTTP on $name', (backend) => {
  let store: Store;
  let server: ArrearsApp;
  let s: Seeded;
  let manager2: string;
  const pool: Owed[] = [];
  const agencyOwed: Owed[] = [];

  const inject = (method: 'GET' | 'POST', url: string, token: string, payload?: object) =>
    server.app.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) });
  const propose = (token: string, ref: string, body: object) =>
    inject('POST', `/api/v1/accounts/${ref}/plans`, token, body);
  const money = (o: Owed, minor: number) => formatAmount(minor, o.currency);
  const minor = (o: Owed, text: string) => {
    const r = parseAmount(text, o.currency);
    if (!r.ok) throw new Error(r.message);
    return r.value;
  };

  async function owedOn(ref: string): Promise<Owed> {
    const d = await inject('GET', `/api/v1/accounts/${ref}`, s.tokens.admin);
    const { debtor, currency, status } = d.json<{
      debtor: { timezone: string };
      currency: string;
      status: string;
    }>();
    const st = await inject('GET', `/api/v1/accounts/${ref}/statement`, s.tokens.admin);
    const payoff = status === 'open' ? minor({ currency } as Owed, st.json<{ payoff: string }>().payoff) : 0;
    return { ref, currency, payoff, timezone: debtor.timezone, today: todayIn(debtor.timezone) };
  }
  const next = () => {
    const o = pool.shift();
    if (!o) throw new Error('no more accounts with something owed');
    return o;
  };

  beforeAll(async () => {
    store = await backend.open();
    s = await seed(store, 40);
    server = await buildApp(store, { logLevel: false });
    await addUser(store, null, { username: 'manager-two', role: 'manager', password: PASSWORD });
    manager2 = (await createApiToken(store, null, 'manager-two', 'test')).token;
    for (const ref of s.refs.unplaced) {
      const o = await owedOn(ref);
      if (o.payoff >= 1_000) pool.push(o);
    }
    for (const ref of s.refs.ag1) {
      const o = await owedOn(ref);
      if (o.payoff >= 1_000) agencyOwed.push(o);
    }
    expect(pool.length).toBeGreaterThanOrEqual(12);
  });
  afterAll(async () => {
    await server?.app.close();
    await backend.cleanup();
  });

  it("gives a collector exactly 10 % and not one minor unit more; beyond it waits for a manager's approval", async () => {
    const a = next();
    const tenth = Math.floor(a.payoff / 10);
    const ok = await propose(s.tokens.collector, a.ref, {
      kind: 'settlement',
      amount: money(a, a.payoff - tenth),
      dueOn: formatDay(a.today + 14),
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json<PlanView>()).toMatchObject({
      kind: 'settlement',
      status: 'active',
      requiredRole: 'collector',
      discount: money(a, tenth),
      owed: money(a, a.payoff),
      confirmation: { key: `settlement:${ok.json<PlanView>().id}:confirmation`, status: 'pending' },
    });

    const b = next();
    const over = await propose(s.tokens.collector, b.ref, {
      kind: 'settlement',
      amount: money(b, b.payoff - Math.floor(b.payoff / 10) - 1),
      dueOn: formatDay(b.today + 14),
    });
    expect(over.statusCode, over.body).toBe(201);
    const pending = over.json<PlanView>();
    expect(pending).toMatchObject({
      status: 'pending_approval',
      requiredRole: 'manager',
      confirmation: null,
    });
    const url = `/api/v1/accounts/${b.ref}/plans/${pending.id}`;
    expect((await inject('POST', `${url}/approval`, s.tokens.collector, {})).statusCode).toBe(403);
    const approved = await inject('POST', `${url}/approval`, s.tokens.manager, { note: 'hardship shown' });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json<PlanView>()).toMatchObject({
      status: 'active',
      decidedBy: 'manager',
      confirmation: { key: `settlement:${pending.id}:confirmation`, status: 'pending' },
    });
    // Approved once, confirmed once.
    expect((await inject('POST', `${url}/approval`, s.tokens.admin, {})).statusCode).toBe(409);
    const keys = await store.db
      .selectFrom('outbox')
      .select('idempotency_key')
      .where('idempotency_key', '=', `settlement:${pending.id}:confirmation`)
      .execute();
    expect(keys).toHaveLength(1);
  });

  it('gives a manager 30 %; beyond it only compliance approves, never the proposer', async () => {
    const a = next();
    const d30 = Math.floor((a.payoff * 3) / 10);
    const ok = await propose(s.tokens.manager, a.ref, {
      kind: 'settlement',
      amount: money(a, a.payoff - d30),
      dueOn: formatDay(a.today + 30),
    });
    expect(ok.json<PlanView>()).toMatchObject({ status: 'active', requiredRole: 'manager' });

    const b = next();
    const over = await propose(s.tokens.manager, b.ref, {
      kind: 'settlement',
      amount: money(b, b.payoff - Math.floor((b.payoff * 3) / 10) - 1),
      dueOn: formatDay(b.today + 30),
    });
    const pending = over.json<PlanView>();
    expect(pending).toMatchObject({ status: 'pending_approval', requiredRole: 'compliance_officer' });
    const url = `/api/v1/accounts/${b.ref}/plans/${pending.id}/approval`;
    const self = await inject('POST', url, s.tokens.manager, {});
    expect(self.statusCode).toBe(403);
    expect(self.json()).toMatchObject({ error: { code: 'forbidden', details: { reason: 'self_approval' } } });
    const other = await inject('POST', url, manager2, {});
    expect(other.statusCode).toBe(403);
    expect(other.json()).toMatchObject({
      error: { code: 'approval_required', details: { requiredRole: 'compliance_officer' } },
    });
    const compliance = await inject('POST', url, s.tokens.compliance_officer, {});
    expect(compliance.json<PlanView>()).toMatchObject({ status: 'active', decidedBy: 'compliance-officer' });

    // A rejected offer stays rejected, with its reason.
    const c = next();
    const far = (
      await propose(s.tokens.collector, c.ref, {
        kind: 'settlement',
        amount: money(c, Math.ceil(c.payoff / 2)),
        dueOn: formatDay(c.today + 7),
      })
    ).json<PlanView>();
    expect(far.requiredRole).toBe('compliance_officer');
    const rejected = await inject(
      'POST',
      `/api/v1/accounts/${c.ref}/plans/${far.id}/rejection`,
      s.tokens.manager,
      {
        reason: 'no hardship shown',
      },
    );
    expect(rejected.statusCode).toBe(403); // a manager cannot decide what is beyond a manager
    const byCompliance = await inject(
      'POST',
      `/api/v1/accounts/${c.ref}/plans/${far.id}/rejection`,
      s.tokens.compliance_officer,
      { reason: 'no hardship shown' },
    );
    expect(byCompliance.json<PlanView>()).toMatchObject({
      status: 'rejected',
      closeReason: 'no hardship shown',
    });
  });

  it('splits a plan exactly, limits installments by role, and refuses schedules that do not add up', async () => {
    const a = next();
    const res = await propose(s.tokens.collector, a.ref, {
      kind: 'installment',
      installments: 3,
      dueOn: formatDay(a.today + 7),
    });
    const plan = res.json<PlanView>();
    expect(plan).toMatchObject({ kind: 'installment', status: 'active', amount: money(a, a.payoff) });
    expect(plan.installments.reduce((t, i) => t + minor(a, i.amount), 0)).toBe(a.payoff);
    expect(plan.installments.map((i) => i.dueOn)[0]).toBe(formatDay(a.today + 7));
    // One open plan per account.
    const second = await propose(s.tokens.collector, a.ref, {
      kind: 'installment',
      installments: 2,
      dueOn: formatDay(a.today + 7),
    });
    expect(second.statusCode).toBe(409);

    const b = next();
    const seven = await propose(s.tokens.collector, b.ref, {
      kind: 'installment',
      installments: 7,
      dueOn: formatDay(b.today + 7),
    });
    expect(seven.json<PlanView>()).toMatchObject({
      status: 'pending_approval',
      requiredRole: 'manager',
      discount: money(b, 0),
    });

    const c = next();
    const half = Math.floor(c.payoff / 2);
    const bad = await propose(s.tokens.collector, c.ref, {
      kind: 'installment',
      amount: money(c, c.payoff),
      schedule: [
        { dueOn: formatDay(c.today + 5), amount: money(c, half) },
        { dueOn: formatDay(c.today + 35), amount: money(c, c.payoff - half - 1) },
      ],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { details: { issues: [{ field: 'schedule' }] } } });
    const tooMuch = await propose(s.tokens.collector, c.ref, {
      kind: 'settlement',
      amount: money(c, c.payoff + 1),
      dueOn: formatDay(c.today + 5),
    });
    expect(tooMuch.json()).toMatchObject({ error: { details: { issues: [{ field: 'amount' }] } } });
    const exact = await propose(s.tokens.collector, c.ref, {
      kind: 'installment',
      amount: money(c, c.payoff),
      schedule: [
        { dueOn: formatDay(c.today + 5), amount: money(c, half) },
        { dueOn: formatDay(c.today + 35), amount: money(c, c.payoff - half) },
      ],
    });
    expect(exact.json<PlanView>()).toMatchObject({
      status: 'active',
      installments: [{ seq: 1 }, { seq: 2 }],
    });
  });

  /** Creates a two-installment plan and moves it into the past: installment 1 was due yesterday. */
  async function pastPlan(o: Owed, tolerance = '0') {
    const half = Math.floor(o.payoff / 2);
    const res = await propose(s.tokens.collector, o.ref, {
      kind: 'installment',
      amount: money(o, o.payoff),
      schedule: [
        { dueOn: formatDay(o.today + 1), amount: money(o, half) },
        { dueOn: formatDay(o.today + 30), amount: money(o, o.payoff - half) },
      ],
      graceDays: 2,
      tolerance,
    });
    expect(res.statusCode, res.body).toBe(201);
    const plan = res.json<PlanView>();
    await store.db
      .updateTable('plans')
      .set({ made_on: formatDay(o.today - 20), due_dates: [formatDay(o.today - 1), formatDay(o.today + 28)] })
      .where('id', '=', plan.id)
      .execute();
    return { plan, first: half, second: o.payoff - half };
  }
  const pay = (o: Owed, amount: number, key: string) =>
    server.app.inject({
      method: 'POST',
      url: `/api/v1/accounts/${o.ref}/payments`,
      headers: { ...bearer(s.tokens.collector), 'idempotency-key': key },
      payload: { amount: money(o, amount), receivedOn: formatDay(o.today), channel: 'online', ref: key },
    });
  const statusOf = async (o: Owed, id: number) =>
    (await inject('GET', `/api/v1/accounts/${o.ref}/plans/${id}`, s.tokens.auditor)).json<PlanView>();
  const judge = (day: number) => store.transaction((tx) => judgePlans(tx, formatDay(day)));

  it('judges plans from posted payments: late within grace keeps an installment, paying the rest completes it', async () => {
    const o = next();
    const { plan, first, second } = await pastPlan(o);
    expect((await pay(o, first, `late-${plan.id}`)).statusCode).toBe(201); // a day late, within the 2 days' grace
    await judge(o.today + 3);
    expect(await statusOf(o, plan.id)).toMatchObject({ status: 'active', progress: { judged: 'active' } });
    expect((await pay(o, second, `rest-${plan.id}`)).statusCode).toBe(201); // early
    await judge(o.today + 3);
    const done = await statusOf(o, plan.id);
    expect(done).toMatchObject({ status: 'completed', progress: { judged: 'completed' } });
    const c = await inject('GET', `/api/v1/accounts/${o.ref}/case`, s.tokens.admin);
    expect(c.json()).toMatchObject({ status: 'closed' });
  });

  it('breaks a plan on a partial payment beyond the tolerance: the case reopens and the account returns to its strategy', async () => {
    const o = next();
    const { plan, first } = await pastPlan(o, money(o, 1));
    const caseBefore = await inject('GET', `/api/v1/accounts/${o.ref}/case`, s.tokens.admin);
    expect(caseBefore.json()).toMatchObject({ status: 'plan' });
    await createEndpoint(store, null, { url: 'https://hooks.example/plans', eventTypes: ['plan.broken'] });
    expect((await pay(o, first - 2, `part-${plan.id}`)).statusCode).toBe(201); // 2 short, tolerance 1
    // Within grace it is still running.
    await judge(o.today);
    expect((await statusOf(o, plan.id)).status).toBe('active');
    const r = await judge(o.today + 2);
    expect(r.broken).toBeGreaterThanOrEqual(1);
    const broken = await statusOf(o, plan.id);
    expect(broken).toMatchObject({ status: 'broken', progress: { judged: 'broken', missed: { seq: 1 } } });
    expect(broken.closeReason).toMatch(/^installment 1 due /);
    expect((await inject('GET', `/api/v1/accounts/${o.ref}/case`, s.tokens.admin)).json()).toMatchObject({
      status: 'open',
    });
    // What the daily cycle reads for the strategy's `plan` fact.
    const row = await store.db
      .selectFrom('plans')
      .select('status')
      .where('id', '=', plan.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('broken');
    const events = await store.db
      .selectFrom('account_events')
      .select('kind')
      .where('kind', 'in', ['plan_broken', 'plan_completed'])
      .execute();
    expect(events.filter((e) => e.kind === 'plan_broken').length).toBeGreaterThanOrEqual(1);
    const audit = await inject('GET', `/api/v1/audit?account=${o.ref}`, s.tokens.auditor);
    const actions = audit.json<{ items: { action: string; entity: string }[] }>().items;
    expect(actions.filter((a) => a.entity === `plan:${o.ref}/${plan.id}`).map((a) => a.action)).toEqual([
      'plan.created',
      'plan.broken',
    ]);
    // The records written in bulk by the judging link into each account's chain like any other.
    const verified = await inject('GET', '/api/v1/audit/verify', s.tokens.auditor);
    expect(verified.json()).toMatchObject({ ok: true, firstBroken: null });
    // Integrators hear of it: one plan.broken delivery for this plan, queued in the judging transaction.
    const hooks = await store.db
      .selectFrom('webhook_deliveries')
      .select(['event_type', 'payload'])
      .where('event_type', '=', 'plan.broken')
      .execute();
    expect(hooks.filter((h) => JSON.stringify(h.payload).includes(`"planId":${plan.id}`))).toHaveLength(1);
    // Judging the same day again changes nothing.
    expect(await judge(o.today + 2)).toMatchObject({ completed: 0, broken: 0 });
    // A new plan may be agreed after a broken one.
    expect(
      (
        await propose(s.tokens.collector, o.ref, {
          kind: 'installment',
          installments: 2,
          dueOn: formatDay(o.today + 3),
        })
      ).statusCode,
    ).toBe(201);
    expect(toDay(broken.madeOn)).toBe(o.today - 20);
  });

  it("lets an agency user propose only on its own placed accounts, and see no other agency's plans", async () => {
    const own = agencyOwed[0]!;
    const res = await propose(s.tokens.agency_user, own.ref, {
      kind: 'installment',
      installments: 2,
      dueOn: formatDay(own.today + 10),
    });
    expect(res.statusCode, res.body).toBe(201);
    const plan = res.json<PlanView>();
    // An agency has no approval authority of its own: even a plan without discount waits for approval.
    expect(plan).toMatchObject({ status: 'pending_approval', requiredRole: 'collector' });
    const mine = await inject('GET', `/api/v1/accounts/${own.ref}/plans`, s.tokens.agency_user);
    expect(mine.json<{ items: PlanView[] }>().items.map((p) => p.id)).toContain(plan.id);
    expect((await inject('GET', `/api/v1/accounts/${own.ref}/plans`, s.otherAgencyToken)).statusCode).toBe(
      404,
    );
    expect(
      (await inject('GET', `/api/v1/accounts/${own.ref}/plans/${plan.id}`, s.otherAgencyToken)).statusCode,
    ).toBe(404);
    const theirs = s.refs.ag2[0]!;
    expect((await inject('GET', `/api/v1/accounts/${theirs}/plans`, s.tokens.agency_user)).statusCode).toBe(
      404,
    );
    expect(
      (
        await propose(s.tokens.agency_user, theirs, {
          kind: 'installment',
          installments: 2,
          dueOn: '2099-01-01',
        })
      ).statusCode,
    ).toBe(404);
    // The approval queue: the manager sees the agency's offer, the other agency does not.
    const queue = (token: string) =>
      inject('GET', '/api/v1/plans?status=pending_approval', token).then((r) =>
        r.json<{ items: { id: number; account: string }[] }>().items.map((i) => i.id),
      );
    expect(await queue(s.tokens.manager)).toContain(plan.id);
    expect(await queue(s.tokens.agency_user)).toContain(plan.id);
    expect(await queue(s.otherAgencyToken)).not.toContain(plan.id);
    const approved = await inject(
      'POST',
      `/api/v1/accounts/${own.ref}/plans/${plan.id}/approval`,
      s.tokens.manager,
      {},
    );
    expect(approved.json<PlanView>()).toMatchObject({
      status: 'active',
      confirmation: { status: 'pending' },
    });
    // The agency sees its own confirmation; it cannot end a plan beyond its authority.
    const cancel = await inject(
      'POST',
      `/api/v1/accounts/${own.ref}/plans/${plan.id}/cancellation`,
      s.tokens.agency_user,
      {
        reason: 'debtor asked',
      },
    );
    expect(cancel.statusCode).toBe(403);
    // Even hand-written SQL in the other agency's scope sees none of these plans.
    const ag2 = await store.db
      .selectFrom('agencies')
      .select('id')
      .where('ref', '=', 'AG-2')
      .executeTakeFirstOrThrow();
    const visible = await scoped(store, ag2.id, (st) =>
      st.transaction(
        async ({ sql }) =>
          (await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM plans')).rows[0]!.n,
      ),
    );
    expect(visible).toBe(0);
    const all = await store.db.selectFrom('plans').select('id').execute();
    expect(all.length).toBeGreaterThan(5);
  });
});
