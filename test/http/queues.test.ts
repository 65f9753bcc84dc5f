import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDay, todayIn, toDay } from '../../src/domain/calendar/index.js';
import { buildApp, type ArrearsApp } from '../../src/http/index.js';
import { snapshotPortfolio } from '../../src/services/statements/index.js';
import { addUser, createApiToken } from '../../src/services/users/index.js';
import type { Store } from '../../src/store/index.js';
import { backends } from '../support/stores.js';
import { AS_OF, bearer, PASSWORD, seed, type Seeded } from '../support/server.js';

interface Item {
  account: string;
  outcome: 'assigned' | 'kept' | 'unassigned';
  user: string | null;
  reason: string | null;
  expectedRecovery: string;
  target: string;
}
interface Run {
  assigned: number;
  kept: number;
  unassigned: number;
  byReason: Record<string, number>;
  items: Item[];
}
interface QueueItem {
  account: string;
  urgent: boolean;
  expectedRecovery: string;
  overdue: string;
  propensity: number;
  claimedBy: string | null;
}

const ACCOUNTS = 60;

describe.each(backends())('cases and queues over HTTP on $name', (backend) => {
  let store: Store;
  let server: ArrearsApp;
  let s: Seeded;
  const tokens: Record<string, string> = {};
  let debtors: Map<string, { id: number; locale: string; jurisdiction: string; timezone: string }>;

  const call = async (token: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
    server.app.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) });

  beforeAll(async () => {
    store = await backend.open();
    s = await seed(store, ACCOUNTS);
    await snapshotPortfolio(store, toDay(AS_OF));
    for (const [username, role, agency] of [
      ['col-kr', 'collector', undefined],
      ['col-cn', 'collector', undefined],
      ['col-es', 'collector', undefined],
      ['agency-one-b', 'agency_user', 'AG-1'],
    ] as const) {
      await addUser(store, null, { username, role, password: PASSWORD, agency });
      tokens[username] = (await createApiToken(store, null, username, 'test')).token;
    }
    server = await buildApp(store, { logLevel: false });
    const rows = await store.db
      .selectFrom('accounts as a')
      .innerJoin('debtors as d', 'd.id', 'a.debtor_id')
      .select(['a.ref', 'a.id', 'd.locale', 'd.jurisdiction', 'd.timezone'])
      .execute();
    debtors = new Map(rows.map((r) => [r.ref, r]));
  });
  afterAll(async () => {
    await server?.app.close();
    await backend.cleanup();
  });

  const escalate = async (refs: string[], target = 'collector_queue') => {
    for (const ref of refs)
      await store.db
        .insertInto('escalations')
        .values({
          account_id: debtors.get(ref)!.id,
          target: target as 'collector_queue',
          reason: 'test',
          strategy: 'default-us',
          strategy_version: 1,
          segment: 'early',
          raised_on: AS_OF,
        })
        .execute();
  };
  const minor = (text: string) => Math.round(Number(text) * 100);

  it('edits profiles (manager), lets a collector read only their own, and reports every bad field', async () => {
    const bad = await call(s.tokens.manager, 'PUT', '/api/v1/collectors/collector', {
      locales: [],
      jurisdictions: ['usa'],
      skills: ['Legal!'],
      maxOpenCases: 5,
    });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json<{ error: { details: { issues: { field: string }[] } } }>()
        .error.details.issues.map((i) => i.field),
    ).toEqual(['locales', 'jurisdictions.0', 'skills.0']);
    const set = async (user: string, body: object) => {
      const res = await call(s.tokens.manager, 'PUT', `/api/v1/collectors/${user}`, body);
      expect(res.statusCode, res.body).toBe(200);
    };
    await set('collector', {
      locales: ['en', 'es', 'zh-TW'],
      jurisdictions: ['US'],
      skills: ['high_balance'],
      maxOpenCases: 2,
    });
    await set('col-kr', {
      locales: ['ko'],
      jurisdictions: ['KR'],
      skills: ['high_balance'],
      maxOpenCases: 50,
    });
    await set('col-cn', {
      locales: ['zh-CN'],
      jurisdictions: ['CN'],
      skills: ['high_balance', 'legal'],
      maxOpenCases: 50,
    });
    // Spain covered, but not in Spanish: every ES case fails on language.
    await set('col-es', {
      locales: ['en'],
      jurisdictions: ['ES'],
      skills: ['high_balance'],
      maxOpenCases: 50,
    });
    await set('field-agent', { locales: ['ko', 'zh-CN'], jurisdictions: ['KR', 'CN'], maxOpenCases: 5 });
    const own = await call(s.tokens.collector, 'GET', '/api/v1/collectors/collector');
    expect(own.json()).toMatchObject({
      username: 'collector',
      locales: ['en', 'es', 'zh-TW'],
      maxOpenCases: 2,
    });
    expect((await call(s.tokens.collector, 'GET', '/api/v1/collectors/col-kr')).statusCode).toBe(403);
    const notWorker = await call(s.tokens.manager, 'PUT', '/api/v1/collectors/legal', {
      locales: ['en'],
      jurisdictions: ['US'],
      maxOpenCases: 1,
    });
    expect(notWorker.statusCode).toBe(400);
  });

  it('allocates by language, jurisdiction, skill and caps, highest expected recovery first', async () => {
    const unplaced = s.refs.unplaced.slice(1); // [0] is placed with AG-2 by the access test pattern; keep it out
    const us = unplaced.filter((r) => debtors.get(r)!.jurisdiction === 'US');
    const kr = unplaced.filter((r) => debtors.get(r)!.jurisdiction === 'KR');
    const es = unplaced.filter((r) => debtors.get(r)!.jurisdiction === 'ES');
    const cn = unplaced.filter((r) => debtors.get(r)!.jurisdiction === 'CN');
    expect(us.length).toBeGreaterThan(2);
    expect(kr.length).toBeGreaterThan(1);
    expect(es.length).toBeGreaterThan(0);
    // A KR case in legal needs the legal skill, which no KR collector has.
    const legalKr = kr[0]!;
    await store.db
      .insertInto('cases')
      .values({ account_id: debtors.get(legalKr)!.id, status: 'legal' })
      .execute();
    await escalate([...us, ...kr, ...es, ...cn.slice(1), s.refs.ag1[0]!]);
    await escalate([cn[0]!], 'field_visit');

    const res = await call(s.tokens.manager, 'POST', '/api/v1/allocations', { asOf: AS_OF });
    expect(res.statusCode, res.body).toBe(200);
    const run = res.json<Run>();
    const by = new Map(run.items.map((i) => [i.account, i]));
    const profiles = new Map(
      (await call(s.tokens.manager, 'GET', '/api/v1/collectors'))
        .json<{
          items: { username: string; locales: string[]; jurisdictions: string[]; skills: string[] }[];
        }>()
        .items.map((p) => [p.username, p]),
    );
    // Never an ineligible collector, never above a cap.
    for (const i of run.items.filter((x) => x.outcome === 'assigned')) {
      const d = debtors.get(i.account)!;
      const p = profiles.get(i.user!)!;
      expect(p.locales, i.account).toContain(d.locale);
      expect(p.jurisdictions, i.account).toContain(d.jurisdiction);
    }
    const perUser = (u: string) => run.items.filter((i) => i.user === u && i.outcome === 'assigned').length;
    expect(perUser('collector')).toBe(2);
    expect(perUser('field-agent')).toBeLessThanOrEqual(5);
    // US: the two highest expected recoveries go to the only US collector; the rest wait for capacity.
    const usItems = us
      .map((r) => by.get(r)!)
      .sort((a, b) => minor(b.expectedRecovery) - minor(a.expectedRecovery));
    const assignedUs = usItems.filter((i) => i.outcome === 'assigned');
    expect(assignedUs.map((i) => i.user)).toEqual(['collector', 'collector']);
    expect(minor(assignedUs[1]!.expectedRecovery)).toBeGreaterThanOrEqual(
      Math.max(...usItems.filter((i) => i.outcome !== 'assigned').map((i) => minor(i.expectedRecovery))),
    );
    for (const i of usItems.filter((x) => x.outcome !== 'assigned'))
      expect(i.reason).toBe('all_eligible_at_capacity');
    for (const r of es)
      expect(by.get(r)).toMatchObject({ outcome: 'unassigned', reason: 'no_collector_for_language' });
    expect(by.get(legalKr)).toMatchObject({ outcome: 'unassigned', reason: 'no_collector_with_skill' });
    for (const r of kr.slice(1)) expect(by.get(r)).toMatchObject({ outcome: 'assigned', user: 'col-kr' });
    expect(by.get(cn[0]!)).toMatchObject({ outcome: 'assigned', user: 'field-agent', target: 'field_visit' });
    expect(by.get(s.refs.ag1[0]!)).toMatchObject({ outcome: 'unassigned', reason: 'placed_with_agency' });

    // Escalations of allocated cases are accepted; the others stay open for the next run.
    const open = await store.db
      .selectFrom('escalations as e')
      .innerJoin('accounts as a', 'a.id', 'e.account_id')
      .select('a.ref')
      .where('e.status', '=', 'open')
      .execute();
    expect(open.map((o) => o.ref).sort()).toEqual(
      run.items
        .filter((i) => i.outcome === 'unassigned')
        .map((i) => i.account)
        .sort(),
    );

    // Raising a cap and running again allocates the waiting US cases; the allocated ones are not moved.
    await call(s.tokens.manager, 'PUT', '/api/v1/collectors/collector', {
      locales: ['en', 'es', 'zh-TW'],
      jurisdictions: ['US'],
      skills: ['high_balance'],
      maxOpenCases: 100,
    });
    const again = (await call(s.tokens.admin, 'POST', '/api/v1/allocations', {})).json<Run>();
    expect(again.assigned).toBe(us.length - 2);
    const queue = (await call(s.tokens.collector, 'GET', '/api/v1/queue?limit=200')).json<{
      items: QueueItem[];
    }>();
    expect(queue.items.map((i) => i.account).sort()).toEqual([...us].sort());
  });

  it('orders the queue: promises due today first, then expected recovery (overdue × propensity)', async () => {
    const first = (await call(s.tokens.collector, 'GET', `/api/v1/queue?limit=200`)).json<{
      items: QueueItem[];
    }>();
    expect(first.items.length).toBeGreaterThan(2);
    for (const i of first.items) {
      expect(i.urgent).toBe(false);
      // expected recovery = overdue × propensity, to the cent
      expect(Math.abs(minor(i.expectedRecovery) - minor(i.overdue) * i.propensity)).toBeLessThanOrEqual(1);
    }
    const values = first.items.map((i) => minor(i.expectedRecovery));
    expect(values).toEqual([...values].sort((a, b) => b - a));
    // A promise due today on the lowest-ranked case moves it to the front.
    const last = first.items[first.items.length - 1]!;
    const today = formatDay(todayIn(debtors.get(last.account)!.timezone));
    const promised = await call(s.tokens.collector, 'POST', `/api/v1/accounts/${last.account}/promises`, {
      amount: '1',
      dueOn: today,
    });
    expect(promised.statusCode, promised.body).toBe(201);
    const after = (await call(s.tokens.collector, 'GET', `/api/v1/queue?limit=200`)).json<{
      items: QueueItem[];
    }>();
    expect(after.items[0]).toMatchObject({ account: last.account, urgent: true });
    expect(after.items.slice(1).map((i) => i.account)).toEqual(
      first.items.slice(0, -1).map((i) => i.account),
    );
    // Keyset pages of 2 read the same order.
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: QueueItem[]; nextCursor: string | null } = (
        await call(s.tokens.collector, 'GET', `/api/v1/queue?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
      ).json();
      paged.push(...page.items.map((i) => i.account));
      cursor = page.nextCursor;
    } while (cursor);
    expect(paged).toEqual(after.items.map((i) => i.account));
    const next = (await call(s.tokens.collector, 'GET', '/api/v1/queue/next')).json<{ item: QueueItem }>();
    expect(next.item.account).toBe(last.account);
    // A manager may look at someone's next account; a collector may not.
    const forUser = await call(s.tokens.manager, 'GET', '/api/v1/queue/next?user=collector');
    expect(forUser.json<{ item: QueueItem }>().item.account).toBe(last.account);
    expect((await call(s.tokens.collector, 'GET', '/api/v1/queue/next?user=col-kr')).statusCode).toBe(403);
    expect((await call(s.tokens.collector, 'GET', '/api/v1/queue/next?claim=true')).statusCode).toBe(400);
  });

  it('never gives the same case to two concurrent next-and-claim calls', async () => {
    const users = [s.tokens.agency_user, tokens['agency-one-b']!];
    const calls = Array.from({ length: 8 }, (_, i) => call(users[i % 2]!, 'POST', '/api/v1/queue/next'));
    const results = await Promise.all(calls);
    const got = results.map((r) => {
      expect(r.statusCode, r.body).toBe(200);
      return r.json<{ item: QueueItem | null }>().item;
    });
    const byUser = [0, 1].map((u) => new Set(got.filter((_, i) => i % 2 === u).map((x) => x?.account)));
    // One user may get their own claim back; two users never share one.
    for (const a of byUser[0]!) expect(byUser[1]!.has(a)).toBe(false);
    for (const x of got) expect(s.refs.ag1).toContain(x!.account);
    const claimed = await store.db
      .selectFrom('cases as c')
      .innerJoin('accounts as a', 'a.id', 'c.account_id')
      .select(['a.ref', 'c.claimed_by_name'])
      .where('c.claimed_until', '>', new Date())
      .where('c.claimed_by_name', 'in', ['agency-user', 'agency-one-b'])
      .execute();
    for (const x of got) {
      const holder = claimed.find((c) => c.ref === x!.account)!;
      expect(holder).toBeDefined();
    }
    // Another agency sees none of AG-1's queue.
    const other = (await call(s.otherAgencyToken, 'GET', '/api/v1/queue?limit=200')).json<{
      items: QueueItem[];
    }>();
    expect(other.items.length).toBeGreaterThan(0);
    for (const i of other.items) expect(s.refs.ag2).toContain(i.account);
    // A manager looking at an agency user's queue sees that agency's accounts only.
    const viaManager = (await call(s.tokens.manager, 'GET', '/api/v1/queue?limit=200&user=agency-two')).json<{
      items: QueueItem[];
    }>();
    expect(viaManager.items.map((i) => i.account).sort()).toEqual(other.items.map((i) => i.account).sort());
  });

  it('shows payments, promises, notices, decisions, notes and case changes on the timeline, newest first', async () => {
    const ref = s.refs.ag1[3]!;
    const { id, timezone } = debtors.get(ref)!;
    const today = formatDay(todayIn(timezone));
    const step = () => new Promise((r) => setTimeout(r, 5));
    const pay = await server.app.inject({
      method: 'POST',
      url: `/api/v1/accounts/${ref}/payments`,
      headers: { ...bearer(s.tokens.collector), 'idempotency-key': 'tl-1' },
      payload: { amount: '10', receivedOn: today, channel: 'card' },
    });
    expect(pay.statusCode, pay.body).toBe(201);
    await step();
    const due = formatDay(todayIn(timezone) + 3);
    expect(
      (
        await call(s.tokens.collector, 'POST', `/api/v1/accounts/${ref}/promises`, {
          amount: '20',
          dueOn: due,
        })
      ).statusCode,
    ).toBe(201);
    await step();
    await store.transaction(({ sql }) =>
      sql.query(
        `INSERT INTO notices (account_id, code, outbox_id, channel, account_ref, creditor_ref, creditor_name, amount,
           currency, notice_date, locale, recipient, subject, content, content_hash, key_id, signed_payload, signature)
         VALUES ($1, 'TLCODE1', 99001, 'email', $2, 'C', 'C', 2000, 'USD', $3, 'en', 'x@example.com', 's', 'c', 'h', 'k', 'p', 'sig')`,
        [id, ref, today],
      ),
    );
    await step();
    await store.transaction(({ sql }) =>
      sql.query(
        `INSERT INTO compliance_decisions (account_id, contact_at, jurisdiction, channel, allowed, rule_ids, pack_version, request, decision)
         VALUES ($1, now(), 'US', 'sms', false, ARRAY['US.FDCPA.TIME'], 'test', '{}', '{}')`,
        [id],
      ),
    );
    await step();
    const note = await call(s.tokens.agency_user, 'POST', `/api/v1/accounts/${ref}/notes`, {
      text: 'Debtor asked to call after 6pm',
    });
    expect(note.statusCode, note.body).toBe(201);
    await step();
    const dispute = await call(s.tokens.collector, 'POST', `/api/v1/accounts/${ref}/case/status`, {
      status: 'dispute',
    });
    expect(dispute.statusCode, dispute.body).toBe(200);

    // The agency the account is placed with reads the whole timeline (notices and decisions included).
    const tl = await call(s.tokens.agency_user, 'GET', `/api/v1/accounts/${ref}/timeline?limit=200`);
    expect(tl.statusCode, tl.body).toBe(200);
    const items = tl.json<{ items: { at: string; kind: string; summary: string; ref: string }[] }>().items;
    const recent = items
      .filter((i) => ['payment', 'promise', 'notice', 'decision', 'note', 'case'].includes(i.kind))
      .slice(0, 6);
    expect(recent.map((i) => i.kind)).toEqual(['case', 'note', 'decision', 'notice', 'promise', 'payment']);
    expect(recent[0]!.summary).toMatch(/→ dispute/);
    expect(recent[2]!.summary).toContain('US.FDCPA.TIME');
    expect(recent[3]!.ref).toBe('notice:TLCODE1');
    const ats = items.map((i) => i.at);
    expect(ats).toEqual([...ats].sort().reverse());
    // Pages of 3 give the same list.
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { ref: string }[]; nextCursor: string | null } = (
        await call(
          s.tokens.admin,
          'GET',
          `/api/v1/accounts/${ref}/timeline?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
        )
      ).json();
      paged.push(...page.items.map((i) => i.ref));
      cursor = page.nextCursor;
    } while (cursor);
    expect(paged).toEqual(items.map((i) => i.ref));

    // Another agency sees neither the timeline nor the notes; notes are append-only in the database.
    for (const path of ['timeline', 'notes'])
      expect((await call(s.otherAgencyToken, 'GET', `/api/v1/accounts/${ref}/${path}`)).statusCode).toBe(404);
    const notes = (await call(s.tokens.auditor, 'GET', `/api/v1/accounts/${ref}/notes`)).json<{
      items: { text: string; author: string }[];
    }>();
    expect(notes.items[0]).toMatchObject({ text: 'Debtor asked to call after 6pm', author: 'agency-user' });
    await expect(
      store.transaction(({ sql }) => sql.query('UPDATE case_notes SET text = $1', ['x'])),
    ).rejects.toThrow();
    const audit = await store.db
      .selectFrom('audit_log')
      .select('data')
      .where('action', '=', 'case.note_added')
      .execute();
    expect(JSON.stringify(audit)).not.toContain('6pm');
  });

  it('validates case status changes: close only when paid or recalled, reopen only by a manager', async () => {
    const ref = s.refs.unplaced[5]!;
    const close = await call(s.tokens.collector, 'POST', `/api/v1/accounts/${ref}/case/status`, {
      status: 'closed',
    });
    expect(close.statusCode).toBe(400);
    const paid = await call(s.tokens.collector, 'POST', `/api/v1/accounts/${ref}/case/status`, {
      status: 'closed',
      reason: 'paid',
    });
    expect(paid.statusCode).toBe(400);
    expect(
      paid.json<{ error: { details: { issues: { message: string }[] } } }>().error.details.issues[0]!.message,
    ).toMatch(/not paid in full/);
    await store.db.updateTable('accounts').set({ status: 'closed' }).where('ref', '=', ref).execute();
    const recalled = await call(s.tokens.collector, 'POST', `/api/v1/accounts/${ref}/case/status`, {
      status: 'closed',
      reason: 'recalled',
    });
    expect(recalled.statusCode, recalled.body).toBe(200);
    expect(recalled.json()).toMatchObject({ status: 'closed' });
    const reopenByCollector = await call(s.tokens.collector, 'POST', `/api/v1/accounts/${ref}/case/status`, {
      status: 'open',
    });
    expect(reopenByCollector.statusCode).toBe(400);
    const reopen = await call(s.tokens.manager, 'POST', `/api/v1/accounts/${ref}/case/status`, {
      status: 'open',
    });
    expect(reopen.statusCode, reopen.body).toBe(200);
    const actions = await store.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity', '=', `case:${ref}`)
      .execute();
    expect(actions.map((a) => a.action)).toEqual(['case.status_changed', 'case.status_changed']);
  });
});
