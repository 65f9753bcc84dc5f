import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type ArrearsApp } from '../../src/http/index.js';
import { gateContacts, sendGate } from '../../src/services/compliance/index.js';
import { scoped, type Store } from '../../src/store/index.js';
import { backends } from '../support/stores.js';
import { bearer, seed, type Seeded } from '../support/server.js';

interface Check {
  allowed: boolean;
  violations: { rule: string; message: string; citation: string }[];
  nextAllowedAt: string | null;
  decisionId: number | null;
}
interface ErrorJson {
  error: {
    code: string;
    message: string;
    details?: { violations?: { rule: string }[]; nextAllowedAt?: string };
  };
}

interface Acc {
  ref: string;
  id: number;
  zone: string;
}
interface Hold {
  id: number;
  kind: string;
  scope: 'account' | 'debtor';
  placedVia: string | null;
  active: boolean;
}

describe.each(backends())('contacts, holds, disputes and complaints over HTTP on $name', (backend) => {
  let store: Store;
  let server: ArrearsApp;
  let s: Seeded;
  /** Unplaced accounts by their debtor's jurisdiction, each handed out once. */
  const pool: Record<string, { ref: string; id: number; zone: string }[]> = {};
  /** Debtors with two accounts, both unplaced, by jurisdiction (kept out of the pool). */
  const pairs: Record<string, [Acc, Acc][]> = {};
  /** A debtor with one account placed with an agency and one unplaced. */
  let straddle: { placed: Acc; agency: 'ag1' | 'ag2'; unplaced: Acc } | undefined;
  const take = (j: string) => {
    const a = pool[j]!.shift();
    if (!a) throw new Error(`no more ${j} accounts in the seed`);
    return a;
  };
  /** hh:mm local time `daysAgo` days before today in `zone`, as an ISO instant. */
  const local = (zone: string, daysAgo: number, hhmm: string) => {
    const [h, m] = hhmm.split(':').map(Number);
    return DateTime.now()
      .setZone(zone)
      .minus({ days: daysAgo })
      .set({ hour: h, minute: m, second: 0, millisecond: 0 })
      .toUTC()
      .toISO()!;
  };
  const post = (token: string, url: string, payload: object) =>
    server.app.inject({ method: 'POST', url, headers: bearer(token), payload });
  const get = (token: string, url: string) => server.app.inject({ url, headers: bearer(token) });
  const check = async (ref: string, body: object, token = s.tokens.collector) => {
    const res = await post(token, `/api/v1/accounts/${ref}/contact-check`, body);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Check>();
  };
  const count = async (table: 'contacts' | 'audit_log' | 'compliance_decisions') =>
    store.transaction(
      async ({ sql }) =>
        (await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n,
    );

  beforeAll(async () => {
    store = await backend.open();
    s = await seed(store, 60);
    server = await buildApp(store, { logLevel: false });
    const rows = await store.db
      .selectFrom('accounts as a')
      .innerJoin('debtors as d', 'd.id', 'a.debtor_id')
      .select(['a.ref', 'a.id', 'd.jurisdiction', 'd.timezone'])
      .where('a.ref', 'in', s.refs.unplaced)
      .where('a.status', '=', 'open')
      .orderBy('a.ref')
      .execute();
    for (const r of rows) (pool[r.jurisdiction] ??= []).push({ ref: r.ref, id: r.id, zone: r.timezone });
    // Accounts of debtors who have more than one: kept for the tests of the debtor's holds.
    const shared = await store.db
      .selectFrom('accounts as a')
      .innerJoin('debtors as d', 'd.id', 'a.debtor_id')
      .select(['a.ref', 'a.id', 'a.debtor_id', 'd.jurisdiction', 'd.timezone'])
      .where('a.debtor_id', 'in', (q) =>
        q
          .selectFrom('accounts')
          .select('debtor_id')
          .groupBy('debtor_id')
          .having((e) => e.fn.countAll(), '=', 2),
      )
      .orderBy('a.debtor_id')
      .orderBy('a.ref')
      .execute();
    const where = (ref: string): 'ag1' | 'ag2' | 'unplaced' =>
      s.refs.ag1.includes(ref) ? 'ag1' : s.refs.ag2.includes(ref) ? 'ag2' : 'unplaced';
    const kept = new Set(shared.map((r) => r.ref));
    for (const j of Object.keys(pool)) pool[j] = pool[j]!.filter((p) => !kept.has(p.ref));
    for (let i = 0; i + 1 < shared.length; i += 2) {
      const [x, y] = [shared[i]!, shared[i + 1]!];
      expect(x.debtor_id).toBe(y.debtor_id);
      const [a, b] = [x, y].map((r) => ({ ref: r.ref, id: r.id, zone: r.timezone }));
      const [wa, wb] = [where(x.ref), where(y.ref)];
      if (wa === 'unplaced' && wb === 'unplaced') (pairs[x.jurisdiction] ??= []).push([a!, b!]);
      else if (!straddle && wa !== 'unplaced' && wb === 'unplaced')
        straddle = { placed: a!, agency: wa, unplaced: b! };
    }
  });
  afterAll(async () => {
    await server?.app.close();
    await backend.cleanup();
  });

  it('answers "may I call now?": allowed at 10:00 debtor-local, refused at 22:00 with the next allowed time', async () => {
    const a = take('US');
    const before = await count('compliance_decisions');
    const ok = await check(a.ref, { channel: 'call', at: local(a.zone, 2, '10:00') });
    expect(ok).toMatchObject({
      allowed: true,
      violations: [],
      nextAllowedAt: new Date(local(a.zone, 2, '10:00')).toISOString(),
    });
    expect(ok.decisionId).toBeGreaterThan(0);
    const late = await check(a.ref, { channel: 'call', at: local(a.zone, 2, '22:00') });
    expect(late.allowed).toBe(false);
    expect(late.violations[0]).toMatchObject({
      rule: 'US.FDCPA.HOURS',
      citation: expect.stringMatching(/1692c/),
    });
    expect(late.nextAllowedAt).toBe(new Date(local(a.zone, 1, '08:00')).toISOString());
    expect(await count('compliance_decisions')).toBe(before + 2);
    const logged = await store.transaction(
      async ({ sql }) =>
        (
          await sql.query<{ allowed: boolean; rule_ids: string[] }>(
            'SELECT allowed, rule_ids FROM compliance_decisions WHERE id = $1',
            [late.decisionId],
          )
        ).rows[0],
    );
    expect(logged).toMatchObject({ allowed: false, rule_ids: ['US.FDCPA.HOURS'] });
  });

  it('refuses to log a contact the gate denies, and writes nothing', async () => {
    const a = take('US');
    const before = await Promise.all([count('contacts'), count('audit_log'), count('compliance_decisions')]);
    const res = await post(s.tokens.collector, `/api/v1/accounts/${a.ref}/contacts`, {
      channel: 'call',
      at: local(a.zone, 2, '22:30'),
      outcome: 'right_party',
    });
    expect(res.statusCode).toBe(422);
    const body = res.json<ErrorJson>();
    expect(body.error.code).toBe('contact_not_allowed');
    expect(body.error.details?.violations?.map((v) => v.rule)).toEqual(['US.FDCPA.HOURS']);
    expect(body.error.details?.nextAllowedAt).toBe(new Date(local(a.zone, 1, '08:00')).toISOString());
    expect(await Promise.all([count('contacts'), count('audit_log'), count('compliance_decisions')])).toEqual(
      before,
    );
    // At 10:00 the same contact is logged.
    const ok = await post(s.tokens.collector, `/api/v1/accounts/${a.ref}/contacts`, {
      channel: 'call',
      at: local(a.zone, 2, '10:00'),
      outcome: 'right_party',
      note: 'spoke with the debtor',
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json<{ contact: { gateOutcome: string; decisionId: number } }>().contact).toMatchObject({
      gateOutcome: 'conversation',
      decisionId: expect.any(Number),
    });
    // The conversation starts the US 7-day wait for calls; an e-mail is not affected.
    const next = await check(a.ref, { channel: 'call', at: local(a.zone, 1, '10:00') });
    expect(next.violations.map((v) => v.rule)).toEqual(['US.REGF.CALL_WAIT_7D']);
    expect(next.nextAllowedAt).toBe(new Date(local(a.zone, -5, '08:00')).toISOString());
  });

  it('counts logged calls toward the caps: the 8th US call in 7 days and the 4th CN connected call in a day are refused', async () => {
    const us = take('US');
    // Calls that did not connect are not counted (12 CFR 1006.14(b)(3)).
    const busy = await post(s.tokens.collector, `/api/v1/accounts/${us.ref}/contacts`, {
      channel: 'call',
      at: local(us.zone, 2, '09:50'),
      outcome: 'busy',
    });
    expect(busy.statusCode).toBe(201);
    for (let i = 0; i < 7; i++) {
      const r = await post(s.tokens.collector, `/api/v1/accounts/${us.ref}/contacts`, {
        channel: 'call',
        at: local(us.zone, 2, `10:0${i}`),
        outcome: i % 2 ? 'voicemail' : 'no_answer',
      });
      expect(r.statusCode, r.body).toBe(201);
    }
    const eighth = await post(s.tokens.collector, `/api/v1/accounts/${us.ref}/contacts`, {
      channel: 'call',
      at: local(us.zone, 2, '11:00'),
      outcome: 'no_answer',
    });
    expect(eighth.statusCode).toBe(422);
    expect(eighth.json<ErrorJson>().error.details?.violations?.map((v) => v.rule)).toEqual([
      'US.REGF.CALL_FREQ_7IN7',
    ]);
    // The dispatcher's gate (and the daily cycle) see the same logged calls.
    const [viaGate] = await store.transaction(({ sql }) =>
      gateContacts(sql, [{ accountId: us.id, channel: 'call', at: new Date(local(us.zone, 2, '12:00')) }]),
    );
    expect(viaGate).toMatchObject({ allowed: false, rules: ['US.REGF.CALL_FREQ_7IN7'] });

    const cn = take('CN');
    for (const hhmm of ['09:00', '10:00', '11:00']) {
      const r = await post(s.tokens.collector, `/api/v1/accounts/${cn.ref}/contacts`, {
        channel: 'call',
        at: local(cn.zone, 2, hhmm),
        outcome: 'right_party',
      });
      expect(r.statusCode, r.body).toBe(201);
    }
    const fourth = await post(s.tokens.collector, `/api/v1/accounts/${cn.ref}/contacts`, {
      channel: 'call',
      at: local(cn.zone, 2, '15:00'),
      outcome: 'right_party',
    });
    expect(fourth.statusCode).toBe(422);
    expect(fourth.json<ErrorJson>().error.details?.violations?.map((v) => v.rule)).toEqual([
      'CN.EFFECTIVE_CALLS',
    ]);
    expect(fourth.json<ErrorJson>().error.details?.nextAllowedAt).toBe(
      new Date(local(cn.zone, 1, '08:00')).toISOString(),
    );
  });

  it('makes gateContacts and sendGate refuse under a cease hold, and allow again once it is released', async () => {
    const a = take('US');
    const at = new Date(local(a.zone, 0, '10:00'));
    const placed = await post(s.tokens.collector, `/api/v1/accounts/${a.ref}/holds`, {
      kind: 'cease',
      reason: 'written request to stop contact',
      source: 'debtor letter',
    });
    expect(placed.statusCode, placed.body).toBe(201);
    const hold = placed.json<{ id: number; active: boolean }>();
    expect(hold.active).toBe(true);
    const again = await post(s.tokens.collector, `/api/v1/accounts/${a.ref}/holds`, {
      kind: 'cease',
      reason: 'again',
      source: 'call',
    });
    expect(again.statusCode).toBe(409);
    const [o] = await store.transaction(({ sql }) =>
      gateContacts(sql, [{ accountId: a.id, channel: 'email', at }]),
    );
    expect(o).toMatchObject({ allowed: false, rules: ['US.FDCPA.CEASE'] });
    const [sent] = await sendGate(store)([{ accountId: a.id, channel: 'letter', at, strategyVersion: null }]);
    expect(sent).toMatchObject({ allowed: false, rules: ['US.FDCPA.CEASE'] });
    // The attorney may still be contacted.
    expect(
      (await check(a.ref, { channel: 'email', recipient: 'attorney', at: at.toISOString() })).allowed,
    ).toBe(true);
    // A collector may not lift it; a compliance officer may.
    const denied = await post(s.tokens.collector, `/api/v1/accounts/${a.ref}/holds/${hold.id}/release`, {
      reason: 'x',
    });
    expect(denied.statusCode).toBe(403);
    const released = await post(
      s.tokens.compliance_officer,
      `/api/v1/accounts/${a.ref}/holds/${hold.id}/release`,
      {
        reason: 'debtor withdrew the request in writing',
      },
    );
    expect(released.statusCode, released.body).toBe(200);
    expect(released.json<{ active: boolean }>().active).toBe(false);
    const [after] = await sendGate(store)([
      { accountId: a.id, channel: 'letter', at, strategyVersion: null },
    ]);
    expect(after).toEqual({ allowed: true });
    // A deferral holds until its end, and says when.
    const until = new Date(Date.now() + 10 * 86_400_000).toISOString();
    const deferral = await post(s.tokens.manager, `/api/v1/accounts/${a.ref}/holds`, {
      kind: 'deferral',
      reason: 'hospitalisation',
      source: 'hospital certificate',
      until,
    });
    expect(deferral.statusCode, deferral.body).toBe(201);
    const deferred = await check(a.ref, { channel: 'letter' });
    expect(deferred.violations.map((v) => v.rule)).toEqual(['ARREARS.POLICY']);
    expect(deferred.nextAllowedAt).toBe(until);
  });

  it('answers two simultaneous placements of the same hold with one 201 and one 409', async () => {
    const [a, b] = pairs['US']![1] ?? pairs['US']![0]!;
    const place = (ref: string) =>
      post(s.tokens.collector, `/api/v1/accounts/${ref}/holds`, {
        kind: 'bankruptcy',
        reason: 'chapter 7 petition',
        source: 'court notice',
      });
    const answers = await Promise.all([place(a.ref), place(b.ref)]);
    expect(answers.map((r) => r.statusCode).sort()).toEqual([201, 409]);
  });

  it('holds every account of the debtor under a cease placed through one of them, and releases it for all', async () => {
    const [a, b] = pairs['US']![0]!;
    const at = new Date(local(b.zone, 0, '10:00'));
    expect((await check(b.ref, { channel: 'call', at: at.toISOString() })).allowed).toBe(true);
    const placed = await post(s.tokens.collector, `/api/v1/accounts/${a.ref}/holds`, {
      kind: 'cease',
      reason: 'written request to stop all contact',
      source: 'debtor letter',
    });
    expect(placed.statusCode, placed.body).toBe(201);
    const hold = placed.json<Hold>();
    expect(hold).toMatchObject({ kind: 'cease', scope: 'debtor', placedVia: a.ref, active: true });
    // A call about the debtor's other debt is refused: by the route and by the gate itself.
    const onB = await check(b.ref, { channel: 'call', at: at.toISOString() });
    expect(onB.allowed).toBe(false);
    expect(onB.violations.map((v) => v.rule)).toEqual(['US.FDCPA.CEASE']);
    const [viaGate] = await store.transaction(({ sql }) =>
      gateContacts(sql, [{ accountId: b.id, channel: 'call', at }], { record: 'refusals' }),
    );
    expect(viaGate).toMatchObject({ allowed: false, rules: ['US.FDCPA.CEASE'] });
    // B lists the debtor's hold with its scope; a second cease through B is the same hold (409).
    const listed = (await get(s.tokens.collector, `/api/v1/accounts/${b.ref}/holds`)).json<{
      items: Hold[];
    }>();
    expect(listed.items).toEqual([
      expect.objectContaining({ id: hold.id, scope: 'debtor', placedVia: a.ref }),
    ]);
    const again = await post(s.tokens.collector, `/api/v1/accounts/${b.ref}/holds`, {
      kind: 'cease',
      reason: 'again',
      source: 'call',
    });
    expect(again.statusCode).toBe(409);
    expect(again.json<ErrorJson>().error.message).toMatch(/debtor/);
    // Released through B, it is released for A too.
    const released = await post(
      s.tokens.compliance_officer,
      `/api/v1/accounts/${b.ref}/holds/${hold.id}/release`,
      {
        reason: 'debtor withdrew the request in writing',
      },
    );
    expect(released.statusCode, released.body).toBe(200);
    expect(released.json<Hold>()).toMatchObject({ scope: 'debtor', active: false });
    for (const x of [a, b])
      expect((await check(x.ref, { channel: 'call', at: local(x.zone, 0, '10:00') })).allowed, x.ref).toBe(
        true,
      );
    const audit = await store.db
      .selectFrom('audit_log')
      .select(['chain', 'action'])
      .where('entity', 'in', [`hold:${a.ref}/${hold.id}`, `hold:${b.ref}/${hold.id}`])
      .orderBy('at')
      .execute();
    expect(audit).toEqual([
      { chain: a.id, action: 'hold.placed' },
      { chain: b.id, action: 'hold.released' },
    ]);
    // A dispute concerns one debt and a deferral one account: neither holds the debtor's other account.
    const disputed = await post(s.tokens.collector, `/api/v1/accounts/${a.ref}/disputes`, {
      reason: 'not my loan',
      channel: 'letter',
    });
    expect(disputed.statusCode, disputed.body).toBe(201);
    const deferral = await post(s.tokens.manager, `/api/v1/accounts/${a.ref}/holds`, {
      kind: 'deferral',
      reason: 'hospitalisation',
      source: 'hospital certificate',
      until: new Date(Date.now() + 10 * 86_400_000).toISOString(),
    });
    expect(deferral.json<Hold>()).toMatchObject({ scope: 'account', placedVia: a.ref });
    expect((await check(a.ref, { channel: 'letter' })).allowed).toBe(false);
    expect((await check(b.ref, { channel: 'letter' })).allowed).toBe(true);
    expect(
      (await get(s.tokens.collector, `/api/v1/accounts/${b.ref}/holds`))
        .json<{ items: Hold[] }>()
        .items.filter((h) => h.active),
    ).toEqual([]);
  });

  it('respects the debtor’s blocked time bands and channel opt-outs; only a manager lifts them', async () => {
    const a = take('US');
    const at = local(a.zone, 2, '10:30');
    const weekday = DateTime.fromISO(at, { zone: a.zone }).weekday;
    const set = await server.app.inject({
      method: 'PUT',
      url: `/api/v1/accounts/${a.ref}/preferences`,
      headers: bearer(s.tokens.collector),
      payload: {
        blockedChannels: ['sms'],
        blockedWindows: [{ weekday, from: '10:00', to: '12:00' }],
        workplaceContactProhibited: false,
      },
    });
    expect(set.statusCode, set.body).toBe(200);
    const band = await check(a.ref, { channel: 'call', at });
    expect(band.allowed).toBe(false);
    expect(band.violations[0]!.message).toMatch(/blocked/);
    expect(band.nextAllowedAt).toBe(new Date(local(a.zone, 2, '12:00')).toISOString());
    const sms = await check(a.ref, { channel: 'sms', at: local(a.zone, 2, '14:00') });
    expect(sms.violations.map((v) => v.rule)).toEqual(['US.REGF.MEDIUM_BLOCK']);
    expect((await check(a.ref, { channel: 'call', at: local(a.zone, 2, '14:00') })).allowed).toBe(true);
    const lift = { blockedChannels: [], blockedWindows: [], workplaceContactProhibited: false };
    const byCollector = await server.app.inject({
      method: 'PUT',
      url: `/api/v1/accounts/${a.ref}/preferences`,
      headers: bearer(s.tokens.collector),
      payload: lift,
    });
    expect(byCollector.statusCode).toBe(403);
    const byManager = await server.app.inject({
      method: 'PUT',
      url: `/api/v1/accounts/${a.ref}/preferences`,
      headers: bearer(s.tokens.manager),
      payload: lift,
    });
    expect(byManager.statusCode).toBe(200);
    expect((await check(a.ref, { channel: 'call', at })).allowed).toBe(true);
  });

  it('records consent to calls, which lifts the US 7-day wait after a conversation', async () => {
    const a = take('US');
    const talk = await post(s.tokens.collector, `/api/v1/accounts/${a.ref}/contacts`, {
      channel: 'call',
      at: local(a.zone, 3, '10:00'),
      outcome: 'promise',
    });
    expect(talk.statusCode, talk.body).toBe(201);
    expect((await check(a.ref, { channel: 'call', at: local(a.zone, 2, '10:00') })).allowed).toBe(false);
    // The debtor calls back and asks to be called tomorrow: an inbound contact, not gated, with consent.
    const inbound = await post(s.tokens.collector, `/api/v1/accounts/${a.ref}/contacts`, {
      channel: 'call',
      direction: 'inbound',
      at: local(a.zone, 3, '16:00'),
      outcome: 'callback_request',
    });
    expect(inbound.statusCode, inbound.body).toBe(201);
    expect(inbound.json<{ contact: { consentToCalls: boolean } }>().contact.consentToCalls).toBe(true);
    expect((await check(a.ref, { channel: 'call', at: local(a.zone, 2, '10:00') })).allowed).toBe(true);
  });

  it('lets a designated contact be reached once for location, never an undesignated one; honours a workplace ban', async () => {
    const a = take('US');
    await store.transaction(({ sql }) =>
      sql.query(
        `UPDATE debtors SET contacts = $2, phones = $3 WHERE id = (SELECT debtor_id FROM accounts WHERE id = $1)`,
        [
          a.id,
          JSON.stringify([
            {
              name: 'Ana',
              relationship: 'sibling',
              phone: '+12025550181',
              consent: true,
              source: 'debtor_provided',
            },
            {
              name: 'Bob',
              relationship: 'friend',
              phone: '+12025550182',
              consent: false,
              source: 'debtor_provided',
            },
          ]),
          JSON.stringify([
            { number: '+12025550191', kind: 'mobile' },
            { number: '+12025550192', kind: 'work' },
          ]),
        ],
      ),
    );
    const at = local(a.zone, 1, '11:00');
    expect((await check(a.ref, { channel: 'call', recipient: 'contact:1', at })).allowed).toBe(true);
    const undesignated = await check(a.ref, { channel: 'call', recipient: 'contact:2', at });
    expect(undesignated.violations.map((v) => v.rule)).toContain('US.FDCPA.THIRD_PARTY');
    const unknown = await post(s.tokens.collector, `/api/v1/accounts/${a.ref}/contact-check`, {
      channel: 'call',
      recipient: 'contact:9',
    });
    expect(unknown.statusCode).toBe(400);
    const reached = await post(s.tokens.collector, `/api/v1/accounts/${a.ref}/contacts`, {
      channel: 'call',
      recipient: 'contact:1',
      at,
      outcome: 'right_party',
    });
    expect(reached.statusCode, reached.body).toBe(201);
    const again = await check(a.ref, {
      channel: 'call',
      recipient: 'contact:1',
      at: local(a.zone, 0, '11:00'),
    });
    expect(again.violations.map((v) => v.rule)).toEqual(['US.FDCPA.LOCATION_CONTACT']);

    const ban = await server.app.inject({
      method: 'PUT',
      url: `/api/v1/accounts/${a.ref}/preferences`,
      headers: bearer(s.tokens.collector),
      payload: { blockedChannels: [], blockedWindows: [], workplaceContactProhibited: true },
    });
    expect(ban.statusCode).toBe(200);
    const noon = local(a.zone, 0, '12:00');
    expect((await check(a.ref, { channel: 'call', at: noon })).allowed).toBe(true);
    const work = await check(a.ref, { channel: 'call', phone: '+12025550192', at: noon });
    expect(work.violations.map((v) => v.rule)).toEqual(['US.FDCPA.WORKPLACE']);
    // Whether an e-mail address is the employer's is unknown: refused (fail closed) unless the caller says.
    expect((await check(a.ref, { channel: 'email', at: noon })).violations.map((v) => v.rule)).toEqual([
      'US.FDCPA.WORKPLACE',
    ]);
    expect((await check(a.ref, { channel: 'email', at: noon, workplace: false })).allowed).toBe(true);
    // A relative's own number is not the debtor's workplace: only the once-per-third-party rule speaks.
    const relative = await check(a.ref, { channel: 'call', recipient: 'contact:1', at: noon });
    expect(relative.violations.map((v) => v.rule)).toEqual(['US.FDCPA.LOCATION_CONTACT']);
  });

  it('opens a dispute that holds collection, and resolving it releases the hold and plans the letter', async () => {
    const a = take('US');
    const opened = await post(s.tokens.collector, `/api/v1/accounts/${a.ref}/disputes`, {
      reason: 'I never took this loan',
      channel: 'letter',
    });
    expect(opened.statusCode, opened.body).toBe(201);
    const d = opened.json<{ id: number; holdId: number; written: boolean; status: string }>();
    expect(d).toMatchObject({ written: true, status: 'open' });
    expect(
      (await get(s.tokens.auditor, `/api/v1/accounts/${a.ref}/case`)).json<{ status: string }>().status,
    ).toBe('dispute');
    const halted = await check(a.ref, { channel: 'call', at: local(a.zone, 0, '10:00') });
    expect(halted.violations.map((v) => v.rule)).toEqual(['US.REGF.DISPUTE_HALT']);
    const [viaGate] = await store.transaction(({ sql }) =>
      gateContacts(sql, [{ accountId: a.id, channel: 'letter', at: new Date() }]),
    );
    expect(viaGate!.rules).toEqual(['US.REGF.DISPUTE_HALT']);
    // The dispute's hold is released only by resolving the dispute.
    const direct = await post(s.tokens.manager, `/api/v1/accounts/${a.ref}/holds/${d.holdId}/release`, {
      reason: 'x',
    });
    expect(direct.statusCode).toBe(409);
    const byCollector = await post(
      s.tokens.collector,
      `/api/v1/accounts/${a.ref}/disputes/${d.id}/resolution`,
      {
        outcome: 'verification_sent',
        resolution: 'contract and statement sent',
      },
    );
    expect(byCollector.statusCode).toBe(403);
    const resolved = await post(s.tokens.manager, `/api/v1/accounts/${a.ref}/disputes/${d.id}/resolution`, {
      outcome: 'verification_sent',
      resolution: 'signed contract and payment history sent',
    });
    expect(resolved.statusCode, resolved.body).toBe(200);
    expect(resolved.json()).toMatchObject({
      status: 'verification_sent',
      letterKey: `dispute:${d.id}:resolution`,
    });
    const holds = (await get(s.tokens.collector, `/api/v1/accounts/${a.ref}/holds`)).json<{
      items: { id: number; active: boolean }[];
    }>();
    expect(holds.items.find((h) => h.id === d.holdId)!.active).toBe(false);
    expect(
      (await get(s.tokens.auditor, `/api/v1/accounts/${a.ref}/case`)).json<{ status: string }>().status,
    ).toBe('open');
    const letter = await store.db
      .selectFrom('outbox')
      .select(['channel', 'template', 'status', 'vars'])
      .where('account_id', '=', a.id)
      .where('idempotency_key', '=', `dispute:${d.id}:resolution`)
      .executeTakeFirstOrThrow();
    expect(letter).toMatchObject({ channel: 'letter', template: 'dispute_resolution', status: 'pending' });
    expect(letter.vars).toMatchObject({ outcome: 'verification_sent', disputeId: d.id });
    expect((await check(a.ref, { channel: 'call', at: local(a.zone, 0, '10:00') })).allowed).toBe(true);
    const twice = await post(s.tokens.manager, `/api/v1/accounts/${a.ref}/disputes/${d.id}/resolution`, {
      outcome: 'rejected',
      resolution: 'x',
    });
    expect(twice.statusCode).toBe(409);

    // A call whose outcome is "dispute" opens one too.
    const b = take('US');
    const call = await post(s.tokens.collector, `/api/v1/accounts/${b.ref}/contacts`, {
      channel: 'call',
      at: local(b.zone, 1, '11:00'),
      outcome: 'dispute',
      note: 'says the amount is wrong',
    });
    expect(call.statusCode, call.body).toBe(201);
    expect(
      call.json<{ dispute: { status: string; written: boolean; reason: string } }>().dispute,
    ).toMatchObject({
      status: 'open',
      written: false,
      reason: 'says the amount is wrong',
    });
    expect(
      (await check(b.ref, { channel: 'email', at: local(b.zone, 0, '10:00') })).violations.map((v) => v.rule),
    ).toEqual(['US.REGF.DISPUTE_HALT']);
  });

  it('sets complaint deadlines per jurisdiction, lists the overdue ones and resolves with a letter', async () => {
    const receivedAt = '2026-11-20T10:00:00Z'; // a Friday
    const expected: Record<string, { respondBy: string | null; resolveBy: string; slaRule: string }> = {
      US: { respondBy: '2026-12-05', resolveBy: '2027-01-19', slaRule: 'US.CFPB.COMPLAINT_SLA' },
      CN: { respondBy: null, resolveBy: '2026-12-05', slaRule: 'CN.COMPLAINT' },
      ES: { respondBy: null, resolveBy: '2026-12-11', slaRule: 'ES.COMPLAINT' },
      KR: { respondBy: null, resolveBy: '2026-12-04', slaRule: 'KR.COMPLAINT' },
    };
    const ids: Record<string, { ref: string; id: number }> = {};
    for (const [j, want] of Object.entries(expected)) {
      const a = take(j);
      const res = await post(s.tokens.collector, `/api/v1/accounts/${a.ref}/complaints`, {
        summary: 'called me at work repeatedly',
        category: 'harassment',
        channel: 'call',
        receivedAt,
      });
      expect(res.statusCode, res.body).toBe(201);
      const c = res.json<{ id: number; respondBy: string | null; resolveBy: string; slaRule: string }>();
      expect({ respondBy: c.respondBy, resolveBy: c.resolveBy, slaRule: c.slaRule }, j).toEqual(want);
      ids[j] = { ref: a.ref, id: c.id };
    }
    const overdue = async (asOf: string) =>
      (await get(s.tokens.compliance_officer, `/api/v1/complaints/overdue?asOf=${asOf}`)).json<{
        items: { account: string; missed: string; daysOverdue: number }[];
      }>().items;
    expect((await overdue('2026-12-04')).map((o) => o.account)).toEqual([]);
    const dec6 = await overdue('2026-12-06');
    expect(dec6.map((o) => o.account).sort()).toEqual([ids.US!.ref, ids.CN!.ref, ids.KR!.ref].sort());
    expect(dec6.find((o) => o.account === ids.US!.ref)).toMatchObject({ missed: 'respond', daysOverdue: 1 });
    expect(dec6[0]).toMatchObject({ account: ids.KR!.ref, daysOverdue: 2 });
    expect((await get(s.tokens.collector, '/api/v1/complaints/overdue')).statusCode).toBe(403);

    const { ref, id } = ids.US!;
    const assign = await post(s.tokens.manager, `/api/v1/accounts/${ref}/complaints/${id}/assignment`, {
      username: 'compliance-officer',
    });
    expect(assign.statusCode, assign.body).toBe(200);
    expect(assign.json<{ assignedTo: string }>().assignedTo).toBe('compliance-officer');
    const badAssign = await post(s.tokens.manager, `/api/v1/accounts/${ref}/complaints/${id}/assignment`, {
      username: 'agency-user',
    });
    expect(badAssign.statusCode).toBe(400);
    const note = await post(s.tokens.compliance_officer, `/api/v1/accounts/${ref}/complaints/${id}/notes`, {
      kind: 'response',
      text: 'acknowledged by phone; call logs under review',
    });
    expect(note.statusCode, note.body).toBe(201);
    expect(note.json<{ status: string; respondedAt: string | null }>()).toMatchObject({
      status: 'investigating',
      respondedAt: expect.any(String),
    });
    // Responded: no longer overdue on Dec 6 (its close deadline is in January).
    expect((await overdue('2026-12-06')).map((o) => o.account)).not.toContain(ref);
    const resolved = await post(
      s.tokens.compliance_officer,
      `/api/v1/accounts/${ref}/complaints/${id}/resolution`,
      {
        outcome: 'partially_upheld',
        resolution: 'Two calls were placed to your workplace; the number has been removed from our records.',
      },
    );
    expect(resolved.statusCode, resolved.body).toBe(200);
    expect(resolved.json<{ status: string; notes: unknown[] }>()).toMatchObject({ status: 'resolved' });
    const letter = await store.db
      .selectFrom('outbox')
      .select(['template', 'vars'])
      .where('idempotency_key', '=', `complaint:${id}:resolution`)
      .executeTakeFirstOrThrow();
    expect(letter.template).toBe('complaint_resolution');
    expect(letter.vars).toMatchObject({ outcome: 'partially_upheld', receivedOn: '2026-11-20' });
    expect((await overdue('2027-02-01')).map((o) => o.account)).not.toContain(ref);
  });

  it("lets an agency see and place the debtor's holds only through its placed accounts (RLS)", async () => {
    const { placed, agency, unplaced } = straddle!;
    const token = agency === 'ag1' ? s.tokens.agency_user : s.otherAgencyToken;
    const otherToken = agency === 'ag1' ? s.otherAgencyToken : s.tokens.agency_user;
    const ids = Object.fromEntries(
      (await store.db.selectFrom('agencies').select(['id', 'ref']).execute()).map((g) => [g.ref, g.id]),
    );
    const [mine, theirs] = agency === 'ag1' ? [ids['AG-1']!, ids['AG-2']!] : [ids['AG-2']!, ids['AG-1']!];
    // The agency places an attorney hold through its own account: the debtor's unplaced account is held too.
    const placedHold = await post(token, `/api/v1/accounts/${placed.ref}/holds`, {
      kind: 'attorney',
      reason: 'represented by counsel',
      source: 'call',
    });
    expect(placedHold.statusCode, placedHold.body).toBe(201);
    const attorney = placedHold.json<Hold>();
    expect(attorney).toMatchObject({ scope: 'debtor', placedVia: placed.ref });
    const held = await check(unplaced.ref, { channel: 'letter' }, s.tokens.manager);
    expect(held.allowed).toBe(false);
    // Staff place a bankruptcy through the account the agency cannot see: the agency's gate sees it, and its
    // list shows it without naming that account.
    const bankruptcy = await post(s.tokens.manager, `/api/v1/accounts/${unplaced.ref}/holds`, {
      kind: 'bankruptcy',
      reason: 'chapter 7 petition',
      source: 'court notice',
    });
    expect(bankruptcy.statusCode, bankruptcy.body).toBe(201);
    const seen = (await get(token, `/api/v1/accounts/${placed.ref}/holds`)).json<{ items: Hold[] }>().items;
    expect(seen.map((h) => [h.kind, h.scope, h.placedVia])).toEqual([
      ['bankruptcy', 'debtor', null],
      ['attorney', 'debtor', placed.ref],
    ]);
    const agencyCheck = await check(placed.ref, { channel: 'letter' }, token);
    expect(agencyCheck.allowed).toBe(false);
    // Not through, nor about, the account that is not placed with the agency; another agency sees nothing.
    expect((await get(token, `/api/v1/accounts/${unplaced.ref}/holds`)).statusCode).toBe(404);
    const through = await post(token, `/api/v1/accounts/${unplaced.ref}/holds`, {
      kind: 'deceased',
      reason: 'x',
      source: 'x',
    });
    expect(through.statusCode).toBe(404);
    expect((await get(otherToken, `/api/v1/accounts/${placed.ref}/holds`)).statusCode).toBe(404);
    // The database itself: the agency reads only the holds of its placed accounts' debtors, and cannot write
    // a debtor hold through an account that is not placed with it.
    const debtorOf = await store.db
      .selectFrom('accounts')
      .select('debtor_id')
      .where('id', '=', placed.id)
      .executeTakeFirstOrThrow();
    const visible = (agencyId: number) =>
      scoped(store, agencyId, (st) =>
        st.transaction(async ({ sql }) =>
          (
            await sql.query<{ debtor_id: number; placed: boolean }>(
              `SELECT h.debtor_id,
                      h.debtor_id IN (SELECT a.debtor_id FROM accounts a) AS placed
                 FROM debtor_holds h`,
            )
          ).rows.map((r) => ({ debtor: Number(r.debtor_id), placed: r.placed })),
        ),
      );
    const forMine = await visible(mine);
    expect(forMine.filter((r) => r.debtor === debtorOf.debtor_id)).toHaveLength(2);
    expect(forMine.every((r) => r.placed)).toBe(true);
    expect((await visible(theirs)).some((r) => r.debtor === debtorOf.debtor_id)).toBe(false);
    await expect(
      scoped(store, mine, (st) =>
        st.transaction(({ sql }) =>
          sql.query(
            `INSERT INTO debtor_holds (debtor_id, kind, reason, source, account_id, placed_by)
             VALUES ($1, 'deceased', 'x', 'x', $2, 'agency')`,
            [debtorOf.debtor_id, unplaced.id],
          ),
        ),
      ),
    ).rejects.toThrow(/row-level security/);
    // Releasing is not the agency's: the route refuses it and so does the database.
    expect(
      (await post(token, `/api/v1/accounts/${placed.ref}/holds/${attorney.id}/release`, { reason: 'x' }))
        .statusCode,
    ).toBe(403);
    await expect(
      scoped(store, mine, (st) =>
        st.transaction(({ sql }) =>
          sql.query(`UPDATE debtor_holds SET released_at = now(), released_by = 'agency' WHERE id = $1`, [
            attorney.id,
          ]),
        ),
      ),
    ).rejects.toThrow(/permission denied/);
  });

  it('keeps an agency to its own placed accounts for holds, preferences, contacts, disputes and complaints', async () => {
    const agency = s.tokens.agency_user;
    const own = s.refs.ag1[0]!;
    const ownCheck = await post(agency, `/api/v1/accounts/${own}/contact-check`, { channel: 'letter' });
    expect(ownCheck.statusCode, ownCheck.body).toBe(200);
    const ownDispute = await post(agency, `/api/v1/accounts/${own}/disputes`, {
      reason: 'disputes the fees',
      channel: 'call',
    });
    expect(ownDispute.statusCode, ownDispute.body).toBe(201);
    const ownComplaint = await post(agency, `/api/v1/accounts/${own}/complaints`, {
      summary: 'rude agent',
      category: 'agent_conduct',
      channel: 'call',
    });
    expect(ownComplaint.statusCode, ownComplaint.body).toBe(201);
    const ownHold = await post(agency, `/api/v1/accounts/${own}/holds`, {
      kind: 'attorney',
      reason: 'represented by counsel',
      source: 'call',
    });
    expect(ownHold.statusCode, ownHold.body).toBe(201);
    expect(
      (await get(agency, `/api/v1/accounts/${own}/holds`)).json<{ items: unknown[] }>().items,
    ).toHaveLength(2);

    const theirs = s.refs.ag2[0]!;
    // What the other agency recorded on its own account stays invisible to the first.
    const other = await post(s.otherAgencyToken, `/api/v1/accounts/${theirs}/complaints`, {
      summary: 'x',
      category: 'other',
      channel: 'call',
    });
    expect(other.statusCode).toBe(201);
    for (const path of ['holds', 'preferences', 'contacts', 'disputes', 'complaints']) {
      expect((await get(agency, `/api/v1/accounts/${theirs}/${path}`)).statusCode, path).toBe(404);
    }
    const writes: [string, object][] = [
      ['holds', { kind: 'cease', reason: 'x', source: 'x' }],
      ['contact-check', { channel: 'call' }],
      ['contacts', { channel: 'call', outcome: 'no_answer', direction: 'inbound' }],
      ['disputes', { reason: 'x', channel: 'call' }],
      ['complaints', { summary: 'x', category: 'other', channel: 'call' }],
    ];
    for (const [path, payload] of writes) {
      expect((await post(agency, `/api/v1/accounts/${theirs}/${path}`, payload)).statusCode, path).toBe(404);
    }
    const put = await server.app.inject({
      method: 'PUT',
      url: `/api/v1/accounts/${theirs}/preferences`,
      headers: bearer(agency),
      payload: { blockedChannels: ['sms'], blockedWindows: [], workplaceContactProhibited: false },
    });
    expect(put.statusCode).toBe(404);
  });
});
