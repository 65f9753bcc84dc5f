import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from '../src/services/audit/index.js';
import type { Store } from '../src/store/index.js';
import { backends, pgAvailable } from './support/stores.js';
import { seed, type Seeded } from './support/server.js';

const postgres = backends().find((b) => b.name === 'postgres');

describe.skipIf(!pgAvailable || !postgres)('a server killed mid-payment (PostgreSQL)', () => {
  let store: Store;
  let s: Seeded;
  beforeAll(async () => {
    store = await postgres!.open();
    s = await seed(store);
  });
  afterAll(() => postgres!.cleanup());

  it('leaves each payment whole or absent: row, event, stored answer and audit record together', async () => {
    const server = spawn(process.execPath, ['bin/arrears.mjs', 'serve', '--port', '0'], {
      env: { ...process.env, DATABASE_URL: store.location, LOG_LEVEL: 'warn' },
    });
    const url = await new Promise<string>((resolve, reject) => {
      let err = '';
      server.stderr.on('data', (d: Buffer) => {
        err += d.toString();
        const m = /listening on (http:\/\/[^\s]+)/.exec(err);
        if (m) resolve(m[1]!);
      });
      server.on('exit', (code) => reject(new Error(`server exited with ${code}: ${err}`)));
    });
    const exited = new Promise<void>((resolve) => server.on('exit', () => resolve()));
    const refs = [...s.refs.unplaced, ...s.refs.ag1];
    const sent = Array.from({ length: 300 }, (_, i) =>
      fetch(`${url}/api/v1/accounts/${refs[i % refs.length]}/payments`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${s.tokens.collector}`,
          'idempotency-key': `crash-${i}`,
        },
        body: JSON.stringify({
          amount: '3',
          receivedOn: '2026-11-20',
          channel: 'bank_transfer',
          ref: `CR-${i}`,
        }),
      }).then(
        (r) => r.status,
        () => 0,
      ),
    );
    // Kill without warning once some payments have committed and others are in flight.
    for (let i = 0; i < 200; i++) {
      const { rows } = await store.transaction(({ sql }) =>
        sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM payments WHERE ref LIKE 'CR-%'`),
      );
      if (rows[0]!.n >= 20) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    server.kill('SIGKILL');
    await exited;
    const statuses = await Promise.all(sent);
    const answered = statuses.filter((c) => c === 201).length;

    const { rows } = await store.transaction(({ sql }) =>
      sql.query<{ ref: string; key: boolean; event: boolean; audit: boolean }>(
        `SELECT p.ref,
                EXISTS (SELECT 1 FROM idempotency_keys k WHERE k.account_id = p.account_id AND k.key = 'crash-' || substr(p.ref, 4)) AS key,
                EXISTS (SELECT 1 FROM account_events e WHERE e.account_id = p.account_id AND e.kind = 'payment_received' AND e.data->>'ref' = p.ref) AS event,
                EXISTS (SELECT 1 FROM audit_log l WHERE l.chain = p.account_id AND l.action = 'payment.posted'
                          AND l.entity = 'payment:' || (SELECT ref FROM accounts WHERE id = p.account_id) || '/' || p.ref) AS audit
         FROM payments p WHERE p.ref LIKE 'CR-%'`,
      ),
    );
    const { rows: orphans } = await store.transaction(({ sql }) =>
      sql.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM idempotency_keys k WHERE k.key LIKE 'crash-%'
           AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.account_id = k.account_id AND p.ref = 'CR-' || substr(k.key, 7))`,
      ),
    );
    expect(rows.length).toBeGreaterThanOrEqual(answered);
    expect(rows.length).toBeLessThan(300);
    expect(rows.filter((r) => !(r.key && r.event && r.audit))).toEqual([]);
    expect(orphans[0]!.n).toBe(0);
    expect(await verifyAudit(store)).toMatchObject({ ok: true, firstBroken: null });
  });
});
