import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writePortfolio } from '../src/demo/generate.js';
import { evaluateContact } from '../src/domain/compliance/index.js';
import { gateContacts, restoreDecision, type LoggedDecisionRow } from '../src/services/compliance/index.js';
import { runCycle } from '../src/services/cycle/index.js';
import { createEndpoint } from '../src/services/webhooks/index.js';
import { importFile } from '../src/services/import/index.js';
import {
  activateStrategy,
  DEFAULT_STRATEGY_JURISDICTIONS,
  defaultStrategyFile,
  saveStrategy,
} from '../src/services/strategy/index.js';
import type { Store } from '../src/store/index.js';
import { readFile } from 'node:fs/promises';
import { backends, pgAvailable } from './support/stores.js';

const run = promisify(execFile);
const AS_OF = '2026-11-23';
const dir = mkdtempSync(path.join(os.tmpdir(), 'arrears-cycle-'));
const file = path.join(dir, 'portfolio.ndjson');

async function seed(store: Store): Promise<void> {
  const r = await importFile(store, file, { today: AS_OF });
  expect(r.committed).toBe(true);
  for (const j of DEFAULT_STRATEGY_JURISDICTIONS) {
    const { name, version } = await saveStrategy(store, await readFile(defaultStrategyFile(j), 'utf8'), 'm');
    await activateStrategy(store, name, version, `jurisdiction:${j}`, 'm');
  }
}

interface OutboxRow {
  account_id: number;
  idempotency_key: string;
  channel: string;
  planned_at: Date | string;
  status: string;
  gate_rules: string[] | null;
  strategy_step: string | null;
}

const outbox = (store: Store) =>
  store.transaction(async ({ sql }) => {
    const { rows } = await sql.query<OutboxRow>(
      `SELECT account_id, idempotency_key, channel, planned_at, status, gate_rules, strategy_step
         FROM outbox ORDER BY account_id, idempotency_key`,
    );
    return rows.map((r) => ({ ...r, account_id: Number(r.account_id), planned_at: new Date(r.planned_at) }));
  });

const decisionCount = (store: Store) =>
  store.transaction(async ({ sql }) =>
    Number(
      (await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM compliance_decisions`)).rows[0]!.n,
    ),
  );

beforeAll(async () => {
  await writePortfolio(file, { accounts: 400, seed: 7, asOf: AS_OF });
});

describe.each(backends())('the daily cycle on $name', (backend) => {
  let store: Store;
  beforeAll(async () => {
    store = await backend.open();
    await seed(store);
  });
  afterAll(() => backend.cleanup());

  it('plans the strategy steps due today through the gate, and a rerun plans nothing new', async () => {
    const first = await runCycle(store, { asOf: AS_OF, batchSize: 64 });
    expect(first.evaluated).toBe(400);
    expect(first.planned).toBeGreaterThan(20);
    expect(first.resumedFrom).toBe(0);
    const rows = await outbox(store);
    const planned = rows.filter((r) => r.status === 'pending');
    const blocked = rows.filter((r) => r.status === 'blocked');
    expect(planned).toHaveLength(first.planned);
    expect(blocked).toHaveLength(first.blocked);
    expect(Object.values(first.byChannel).reduce((a, b) => a + b, 0)).toBe(first.planned);
    // Every action carries its strategy step and a per-day key; every blocked one the rules that refused it.
    for (const r of rows) {
      expect(r.strategy_step).toBeTruthy();
      expect(r.idempotency_key).toMatch(new RegExp(`^cycle:${AS_OF}:`));
    }
    for (const b of blocked) expect(b.gate_rules?.length).toBeGreaterThan(0);
    // Every gate decision is logged: one per action the cycle put to the gate, allowed or not.
    expect(await decisionCount(store)).toBe(first.planned + first.blocked);

    const again = await runCycle(store, { asOf: AS_OF, batchSize: 50 });
    expect(again).toMatchObject({ evaluated: 400, planned: 0, blocked: 0, attempts: 2 });
    expect(await outbox(store)).toEqual(rows);
  });

  it('never plans an action the gate refuses at its planned time', async () => {
    const pending = (await outbox(store)).filter((r) => r.status === 'pending');
    expect(pending.length).toBeGreaterThan(0);
    // Each planned action, asked again on its own at its planned time, is allowed (nothing is recorded then:
    // only refusals would be, and the count shows there are none).
    const before = await decisionCount(store);
    const outcomes = await store.transaction(({ sql }) =>
      gateContacts(
        sql,
        pending.map((r) => ({ accountId: r.account_id, channel: r.channel as 'email', at: r.planned_at })),
        { record: 'refusals' },
      ),
    );
    expect(outcomes.filter((o) => !o.allowed)).toEqual([]);
    expect(await decisionCount(store)).toBe(before);
  });

  it('raises an escalation once while it is open', async () => {
    const open = () =>
      store.transaction(async ({ sql }) =>
        (
          await sql.query<{ k: string }>(
            `SELECT account_id || '/' || target AS k FROM escalations WHERE status = 'open'`,
          )
        ).rows.map((r) => r.k),
      );
    const before = await open();
    expect(before.length).toBeGreaterThan(0);
    // An integrator listens for escalations from now on.
    await createEndpoint(store, null, {
      url: 'https://hooks.example.test/arrears',
      eventTypes: ['case.escalated'],
    });
    // The next day the same accounts still qualify: only accounts newly over a threshold are escalated.
    const next = await runCycle(store, { asOf: '2026-11-24' });
    const after = await open();
    expect(new Set(after).size).toBe(after.length);
    expect(after.length).toBe(before.length + next.escalated);
    expect(after).toEqual(expect.arrayContaining(before));
    // One case.escalated event per escalation newly raised, naming the account and the target.
    const events = await store.transaction(
      async ({ sql }) =>
        (
          await sql.query<{
            event_id: string;
            payload: { type: string; data: { account: string; target: string; raisedOn: string } };
          }>(`SELECT event_id, payload FROM webhook_deliveries WHERE event_type = 'case.escalated'`)
        ).rows,
    );
    expect(next.escalated).toBeGreaterThan(0);
    expect(events).toHaveLength(next.escalated);
    expect(new Set(events.map((e) => e.event_id)).size).toBe(events.length);
    const refs = await store.transaction(
      async ({ sql }) =>
        new Map(
          (await sql.query<{ id: number; ref: string }>(`SELECT id, ref FROM accounts`)).rows.map((r) => [
            r.ref,
            Number(r.id),
          ]),
        ),
    );
    const raised = events.map((e) => `${refs.get(e.payload.data.account)}/${e.payload.data.target}`);
    expect(after.filter((k) => !before.includes(k)).sort()).toEqual(raised.sort());
    expect(
      events.every((e) => e.payload.type === 'case.escalated' && e.payload.data.raisedOn === '2026-11-24'),
    ).toBe(true);
  });

  it('on a Sunday moves Spanish calls and visits to Monday morning, and logs each refusal reproducibly', async () => {
    const sunday = await runCycle(store, { asOf: '2026-11-29' });
    expect(sunday.byRule['ES.HOURS']).toBeGreaterThan(0);
    expect(sunday.rescheduled).toBeGreaterThan(0);
    const moved = await store.transaction(async ({ sql }) => {
      const { rows } = await sql.query<{ planned_at: Date | string; timezone: string }>(
        `SELECT o.planned_at, d.timezone FROM outbox o JOIN accounts a ON a.id = o.account_id
           JOIN debtors d ON d.id = a.debtor_id
          WHERE o.planned_on = '2026-11-29' AND d.jurisdiction = 'ES' AND o.status = 'pending'
            AND o.channel IN ('call', 'visit')`,
      );
      return rows;
    });
    expect(moved.length).toBeGreaterThan(0);
    for (const m of moved) {
      const local = new Intl.DateTimeFormat('en-GB', {
        timeZone: m.timezone,
        weekday: 'short',
        hour: '2-digit',
        hourCycle: 'h23',
      }).format(new Date(m.planned_at));
      expect(local).toMatch(/^Mon,? (09|1\d|20)$/);
    }
    // What the decision log holds reproduces each refusal (read back whole: its JSON leaves out what its
    // columns hold).
    const refusals = await store.transaction(async ({ sql }) => {
      const { rows } = await sql.query<LoggedDecisionRow>(
        `SELECT contact_at, jurisdiction, channel, allowed, pack_version, next_allowed_at, request, decision
           FROM compliance_decisions WHERE contact_at >= '2026-11-29' AND NOT allowed LIMIT 200`,
      );
      return rows.map(restoreDecision);
    });
    expect(refusals.length).toBeGreaterThan(0);
    for (const d of refusals) {
      expect(d.decision.allowed).toBe(false);
      expect(evaluateContact(d.request)).toEqual(d.decision);
    }
  });

  it('leaves an account with an open dispute hold alone (the strategy suppresses it)', async () => {
    const pick = await store.transaction(async ({ sql }) => {
      const { rows } = await sql.query<{ account_id: number; segment: string }>(
        `SELECT account_id, min(strategy_segment) AS segment FROM outbox
          WHERE planned_on = '2026-11-24' AND strategy_segment IN ('mid', 'late') GROUP BY account_id LIMIT 1`,
      );
      return rows.map((r) => Number(r.account_id));
    });
    expect(pick).toHaveLength(1);
    const disputed = pick[0]!;
    await store.transaction(async ({ sql }) => {
      await sql.query(
        `INSERT INTO account_holds (account_id, kind, reason, source, placed_by)
         VALUES ($1, 'dispute', 'the debtor disputes the amount', 'test', 'test')`,
        [disputed],
      );
    });
    const r = await runCycle(store, { asOf: '2026-12-15' });
    const planned15 = await store.transaction(async ({ sql }) => {
      const { rows } = await sql.query<{ account_id: number }>(
        `SELECT DISTINCT account_id FROM outbox WHERE planned_on = '2026-12-15' AND status = 'pending'`,
      );
      return new Set(rows.map((x) => Number(x.account_id)));
    });
    expect(planned15.has(disputed)).toBe(false);
    expect(Object.keys(r.suppressed).some((reason) => /[Dd]ispute/.test(reason))).toBe(true);
    expect(planned15.size).toBeGreaterThan(0);
  });

  it('suppresses every account of a debtor whose cease was placed through one of them', async () => {
    const pair = await store.transaction(async ({ sql }) => {
      const { rows } = await sql.query<{ ids: number[] }>(
        `SELECT array_agg(a.id ORDER BY a.id) AS ids FROM accounts a JOIN debtors d ON d.id = a.debtor_id
          WHERE a.status = 'open' AND d.jurisdiction = 'US'
          GROUP BY a.debtor_id HAVING count(*) = 2 ORDER BY a.debtor_id LIMIT 1`,
      );
      return rows[0]!.ids.map(Number);
    });
    const [a, b] = pair as [number, number];
    await store.transaction(async ({ sql }) => {
      await sql.query(
        `INSERT INTO debtor_holds (debtor_id, account_id, kind, reason, source, placed_by)
         SELECT debtor_id, id, 'cease', 'written request', 'test', 'test' FROM accounts WHERE id = $1`,
        [a],
      );
    });
    const r = await runCycle(store, { asOf: '2026-12-16' });
    const cease = Object.entries(r.suppressed).filter(([reason]) => reason.includes('US.FDCPA.CEASE'));
    // Both of the debtor's accounts, and only those: no other cease hold exists.
    expect(cease.reduce((n, [, k]) => n + k, 0)).toBe(2);
    const planned = await store.transaction(async ({ sql }) => {
      const { rows } = await sql.query<{ account_id: number }>(
        `SELECT DISTINCT account_id FROM outbox WHERE planned_on = '2026-12-16' AND account_id = ANY($1::bigint[])`,
        [[a, b]],
      );
      return rows.length;
    });
    expect(planned).toBe(0);
  });

  it('refuses a bad as-of date and batch size with what is wrong', async () => {
    await expect(runCycle(store, { asOf: '2026-13-01' })).rejects.toMatchObject({ kind: 'invalid' });
    await expect(runCycle(store, { asOf: AS_OF, batchSize: 0 })).rejects.toThrow(/batch size/);
  });
});

describe.skipIf(!pgAvailable)('the daily cycle after a crash', () => {
  const [control, crashed] = [backends().at(-1)!, backends().at(-1)!];
  afterAll(async () => {
    await control.cleanup();
    await crashed.cleanup();
  });

  it('killed mid-run, resumes after the last committed batch and ends with the same outbox as a clean run', async () => {
    const clean = await control.open();
    await seed(clean);
    const expected = await runCycle(clean, { asOf: AS_OF, batchSize: 40 });

    const store = await crashed.open();
    await seed(store);
    // The child commits two batches and then SIGKILLs itself in the middle of the third.
    const child = run(
      process.execPath,
      ['--import', 'tsx', 'test/support/crash-cycle.ts', crashed.databaseUrl!, AS_OF, '40', '2'],
      { env: { ...process.env } },
    );
    await expect(child).rejects.toMatchObject({ signal: 'SIGKILL' });
    const partial = await store.transaction(
      async ({ sql }) =>
        (await sql.query<{ status: string; cursor: number }>(`SELECT status, cursor FROM cycle_runs`))
          .rows[0]!,
    );
    expect(partial.status).toBe('running');
    expect(Number(partial.cursor)).toBe(80);

    const resumed = await runCycle(store, { asOf: AS_OF, batchSize: 40 });
    expect(resumed.resumedFrom).toBe(80);
    expect(resumed).toMatchObject({
      evaluated: expected.evaluated,
      planned: expected.planned,
      blocked: expected.blocked,
      byChannel: expected.byChannel,
    });
    const strip = (rows: OutboxRow[]) =>
      rows.map((r) => [
        r.account_id,
        r.idempotency_key,
        r.channel,
        r.status,
        new Date(r.planned_at).toISOString(),
      ]);
    expect(strip(await outbox(store))).toEqual(strip(await outbox(clean)));
    expect(await decisionCount(store)).toBe(await decisionCount(clean));
  });
});

describe.skipIf(!pgAvailable)('the daily cycle in worker threads', () => {
  const [inThread, threaded] = [backends().at(-1)!, backends().at(-1)!];
  afterAll(async () => {
    await inThread.cleanup();
    await threaded.cleanup();
  });

  it('plans, judges, logs and escalates exactly what one thread does', async () => {
    const control = await inThread.open();
    await seed(control);
    const expected = await runCycle(control, { asOf: AS_OF, batchSize: 30, workers: 0 });
    expect(expected.workers).toBe(0);

    const store = await threaded.open();
    await seed(store);
    const seen: number[] = [];
    const r = await runCycle(store, {
      asOf: AS_OF,
      batchSize: 30,
      workers: 2,
      onBatch: ({ cursor }) => seen.push(cursor),
    });
    expect(r.workers).toBe(2);
    const { durationMs: _a, timings: _b, workers: _c, ...counts } = r;
    const { durationMs: _d, timings: _e, workers: _f, ...expectedCounts } = expected;
    expect(counts).toEqual(expectedCounts);
    expect(r.planned).toBeGreaterThan(0);
    // Committed strictly in id order, batch after batch.
    expect(seen).toEqual([...seen].sort((x, y) => x - y));
    expect(seen.length).toBeGreaterThan(5);

    const strip = (rows: OutboxRow[]) =>
      rows.map((o) => [
        o.account_id,
        o.idempotency_key,
        o.channel,
        o.status,
        new Date(o.planned_at).toISOString(),
      ]);
    expect(strip(await outbox(store))).toEqual(strip(await outbox(control)));
    expect(await decisionCount(store)).toBe(await decisionCount(control));
    const escalations = (s: Store) =>
      s.transaction(async ({ sql }) =>
        (
          await sql.query<{ account_id: number; target: string }>(
            `SELECT account_id, target FROM escalations ORDER BY account_id, target`,
          )
        ).rows.map((e) => `${e.account_id} ${e.target}`),
      );
    expect(await escalations(store)).toEqual(await escalations(control));

    // A rerun in worker threads plans nothing new.
    const again = await runCycle(store, { asOf: AS_OF, batchSize: 30, workers: 2 });
    expect(again).toMatchObject({ planned: 0, blocked: 0, attempts: 2 });
  });
});
