import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emlFileEmail, smtpEmail, taskQueue, webhookSms } from '../src/channels/index.js';
import { verifyCode } from '../src/notices/index.js';
import {
  backoffMs,
  dispatch,
  enqueueActions,
  resolveAction,
  type GateDecision,
} from '../src/services/dispatch/index.js';
import type { Store } from '../src/store/index.js';
import { startHttp } from './support/http.js';
import { action, keysOf, seedPeople, testDeps } from './support/notices.js';
import { backends } from './support/stores.js';

const outboxRow = (store: Store, key: string) =>
  store.db.selectFrom('outbox').selectAll().where('idempotency_key', '=', key).executeTakeFirstOrThrow();

describe('backoff', () => {
  it('doubles from the base, stays within ±20 % and under the cap', () => {
    expect(backoffMs(1, 1000, 60_000, () => 0.5)).toBe(1000);
    expect(backoffMs(4, 1000, 60_000, () => 0.5)).toBe(8000);
    expect(backoffMs(20, 1000, 60_000, () => 0.5)).toBe(60_000);
    expect(backoffMs(3, 1000, 60_000, () => 0)).toBe(3200);
    expect(backoffMs(3, 1000, 60_000, () => 1)).toBe(4800);
  });
});

describe.each(backends())('outbox and dispatch on $name', (backend) => {
  let store: Store;
  let ids: Map<string, number>;
  beforeAll(async () => {
    store = await backend.open();
    ids = await seedPeople(store);
  });
  afterAll(() => backend.cleanup());

  it('plans each (account, idempotency key) once and reports every bad action with its path', async () => {
    const a = action(ids.get('en')!, { idempotencyKey: 'plan-once', plannedAt: new Date('2099-01-01') });
    expect(await store.transaction((tx) => enqueueActions(tx, [a, a]))).toEqual({
      inserted: 1,
      duplicates: 1,
    });
    expect(await store.transaction((tx) => enqueueActions(tx, [a]))).toEqual({ inserted: 0, duplicates: 1 });
    const bad = [
      action(ids.get('en')!, { channel: 'fax' as never }),
      action(0, { template: 'Bad Name', idempotencyKey: '' }),
    ];
    await expect(store.transaction((tx) => enqueueActions(tx, bad))).rejects.toMatchObject({
      kind: 'invalid',
      details: {
        issues: [
          { field: 'actions.0.channel' },
          { field: 'actions.1.accountId' },
          { field: 'actions.1.template' },
          { field: 'actions.1.idempotencyKey' },
        ],
      },
    });
  });

  it('retries a failing provider with backoff, resending the same notice, then dead-letters it', async () => {
    const http = await startHttp(() => ({ status: 503, body: { error: 'busy' } }));
    try {
      const deps = await testDeps(store, { sms: webhookSms(http.url) });
      await store.transaction((tx) =>
        enqueueActions(tx, [action(ids.get('zh-CN')!, { channel: 'sms', idempotencyKey: 'flaky' })]),
      );
      // A long backoff: one attempt, then the action waits.
      let s = await dispatch(deps, { backoffBaseMs: 60_000 });
      expect(s).toMatchObject({ claimed: 1, retried: 1, sent: 0 });
      let row = await outboxRow(store, 'flaky');
      expect(row).toMatchObject({ status: 'retry', attempts: 1 });
      const wait = new Date(row.next_attempt_at).getTime() - Date.now();
      expect(wait).toBeGreaterThan(40_000);
      expect(wait).toBeLessThan(80_000);
      expect(await dispatch(deps)).toMatchObject({ claimed: 0 });
      // A short backoff: attempts 2 and 3 follow within milliseconds, and the third gives up.
      await store.db
        .updateTable('outbox')
        .set({ next_attempt_at: new Date() })
        .where('idempotency_key', '=', 'flaky')
        .execute();
      for (let i = 0; i < 20 && (await outboxRow(store, 'flaky')).status !== 'dead'; i++) {
        s = await dispatch(deps, { backoffBaseMs: 1, maxAttempts: 3 });
        await new Promise((r) => setTimeout(r, 10));
      }
      row = await outboxRow(store, 'flaky');
      expect(row).toMatchObject({ status: 'dead', attempts: 3 });
      expect(row.last_error).toMatch(/HTTP 503.*gave up after 3 attempts/);
      expect(http.seen).toHaveLength(3);
      const codes = new Set(http.seen.map((r) => (JSON.parse(r.body) as { code: string }).code));
      expect(codes.size).toBe(1);
      expect(new Set(http.seen.map((r) => r.headers['idempotency-key']))).toEqual(new Set(['flaky']));
      const notices = await store.db
        .selectFrom('notices')
        .select('code')
        .where('outbox_id', '=', row.id)
        .execute();
      expect(notices).toHaveLength(1);
    } finally {
      await http.close();
    }
  });

  it('re-checks the gate at send time: rescheduled to the next allowed time, or blocked with the reason', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'arrears-gate-'));
    const later = new Date(Date.now() + 3_600_000);
    const decisions: Record<number, GateDecision> = {
      [ids.get('en')!]: {
        allowed: false,
        reason: 'outside 08:00–21:00 local',
        rules: ['US.FDCPA.HOURS'],
        nextAllowedAt: later,
      },
      [ids.get('ko')!]: {
        allowed: false,
        reason: 'debtor appointed a lawyer',
        rules: ['KR.FDCA.ATTORNEY_AGENT'],
      },
      [ids.get('es')!]: { allowed: true },
    };
    const deps = await testDeps(
      store,
      { email: emlFileEmail(dir) },
      { gate: async (reqs) => reqs.map((r) => decisions[r.accountId]!) },
    );
    await store.transaction((tx) =>
      enqueueActions(
        tx,
        ['en', 'ko', 'es'].map((l) => action(ids.get(l)!, { idempotencyKey: `gate-${l}` })),
      ),
    );
    expect(await dispatch(deps)).toMatchObject({ claimed: 3, sent: 1, rescheduled: 1, blocked: 1 });
    expect(await outboxRow(store, 'gate-en')).toMatchObject({
      status: 'retry',
      attempts: 0,
      notice_code: null,
      last_error: 'gate: outside 08:00–21:00 local [US.FDCPA.HOURS]',
    });
    expect(new Date((await outboxRow(store, 'gate-en')).next_attempt_at).getTime()).toBe(later.getTime());
    expect(await outboxRow(store, 'gate-ko')).toMatchObject({ status: 'blocked', notice_code: null });
    expect(readdirSync(dir)).toHaveLength(1);
  });

  it('blocks a message the content check refuses, and dead-letters one with no template or no address', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'arrears-content-'));
    const deps = await testDeps(
      store,
      { email: emlFileEmail(dir) },
      {
        contentCheck: (text) =>
          text.includes('Lucía') ? { ok: false, findings: [{ rule: 'TEST', message: 'no' }] } : { ok: true },
      },
    );
    await store.db.updateTable('debtors').set({ emails: '[]' }).where('ref', '=', 'D-zh-TW').execute();
    await store.transaction((tx) =>
      enqueueActions(tx, [
        action(ids.get('es')!, { idempotencyKey: 'lint-es' }),
        action(ids.get('en')!, { idempotencyKey: 'no-template', template: 'nonexistent' }),
        action(ids.get('zh-TW')!, { idempotencyKey: 'no-email' }),
      ]),
    );
    expect(await dispatch(deps)).toMatchObject({ sent: 0, blocked: 1, dead: 2 });
    expect(await outboxRow(store, 'lint-es')).toMatchObject({ status: 'blocked' });
    expect((await outboxRow(store, 'no-template')).last_error).toBe('no template nonexistent/email/en');
    expect(await outboxRow(store, 'no-email')).toMatchObject({
      last_error: 'account A-zh-TW has no e-mail address on file',
      notice_code: null,
    });
    expect(readdirSync(dir)).toHaveLength(0);

    // A person fixes the address and sends the dead action again; the resolution is audited.
    await expect(
      resolveAction(store, { accountRef: 'A-zh-TW', idempotencyKey: 'no-email', as: 'retry', note: '' }),
    ).rejects.toMatchObject({ kind: 'invalid' });
    await expect(
      resolveAction(store, { accountRef: 'A-es', idempotencyKey: 'lint-es', as: 'retry', note: 'override' }),
    ).rejects.toMatchObject({ kind: 'conflict', message: expect.stringMatching(/is blocked/) });
    await store.db
      .updateTable('debtors')
      .set({ emails: '["tw@debtor.example"]' })
      .where('ref', '=', 'D-zh-TW')
      .execute();
    expect(
      await resolveAction(store, {
        accountRef: 'A-zh-TW',
        idempotencyKey: 'no-email',
        as: 'retry',
        note: 'address corrected',
      }),
    ).toMatchObject({ from: 'dead', to: 'retry' });
    const again = await dispatch(deps);
    expect(again, JSON.stringify(again.errors)).toMatchObject({ sent: 1 });
    expect(await outboxRow(store, 'no-email')).toMatchObject({ status: 'sent', attempts: 1 });
    const events = await store.db
      .selectFrom('account_events')
      .select('data')
      .where('kind', '=', 'outbox_resolved')
      .execute();
    expect(events.map((e) => e.data)).toEqual([
      { outboxId: expect.any(Number), from: 'dead', to: 'retry', note: 'address corrected' },
    ]);
  });

  it('turns calls and visits into tasks with the script and a verifiable code, one task per action', async () => {
    const call = taskQueue(store, 'call');
    const deps = await testDeps(store, { call, visit: taskQueue(store, 'visit') });
    await store.transaction((tx) =>
      enqueueActions(tx, [
        action(ids.get('zh-CN')!, { channel: 'call', idempotencyKey: 'task-call' }),
        action(ids.get('zh-CN')!, { channel: 'visit', idempotencyKey: 'task-visit' }),
      ]),
    );
    expect(await dispatch(deps)).toMatchObject({ sent: 2, byChannel: { call: 1, visit: 1 } });
    const tasks = await store.db.selectFrom('tasks').selectAll().orderBy('id').execute();
    expect(tasks.map((t) => t.kind)).toEqual(['call', 'visit']);
    expect(tasks[0]!.details).toMatchObject({
      phone: '+12025550143',
      locale: 'zh-CN',
      script: expect.stringMatching(/^致电 王芳/),
    });
    expect(tasks[1]!.details).toMatchObject({
      address: { city: '上海' },
      script: expect.stringMatching(/至少两人同行/),
    });
    expect(await verifyCode(store, tasks[1]!.notice_code)).toMatchObject({
      genuine: true,
      notice: { channel: 'visit', recipient: '••• 上海, CN' },
    });
    const row = await outboxRow(store, 'task-call');
    const again = await call.send({
      idempotencyKey: 'task-call',
      accountId: row.account_id,
      outboxId: row.id,
      channel: 'call',
      locale: 'zh-CN',
      to: { name: 'x' },
      subject: '',
      text: 'again',
      notice: { code: row.notice_code!, verifyUrl: '', token: '', date: '2026-11-22' },
      from: { name: '', email: '', address: '' },
      dueAt: new Date(),
    });
    expect(again.providerRef).toBe(`task:${tasks[0]!.id}`);
    expect(await store.db.selectFrom('tasks').select('id').execute()).toHaveLength(2);
  });

  it.runIf(backend.name === 'postgres')(
    'lets two workers run at once without sending anything twice',
    async () => {
      const http = await startHttp(() => ({ status: 200, body: {} }));
      try {
        const deps = await testDeps(store, { sms: webhookSms(http.url) });
        const keys = Array.from({ length: 60 }, (_, i) => `parallel-${i}`);
        await store.transaction((tx) =>
          enqueueActions(
            tx,
            keys.map((k, i) =>
              action(ids.get(['en', 'es', 'ko'][i % 3]!)!, { channel: 'sms', idempotencyKey: k }),
            ),
          ),
        );
        const [a, b] = await Promise.all([
          dispatch(deps, { batchSize: 7 }),
          dispatch(deps, { batchSize: 7 }),
        ]);
        expect(a.sent + b.sent).toBe(60);
        const got = http.seen.map((r) => r.headers['idempotency-key']);
        expect(got).toHaveLength(60);
        expect(new Set(got).size).toBe(60);
      } finally {
        await http.close();
      }
    },
  );

  it.runIf(backend.name === 'postgres')(
    'never sends twice after a crash between send and record (SMTP: outcome unknown; idempotent files: completed)',
    async () => {
      await testDeps(store, {});
      const received: string[] = [];
      const server = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS'],
        logger: false,
        onData(stream, session, cb) {
          stream.resume();
          stream.on('end', () => {
            received.push(session.envelope.rcptTo[0]!.address);
            cb();
          });
        },
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const smtpUrl = `smtp://127.0.0.1:${(server.server.address() as { port: number }).port}`;
      const dir = mkdtempSync(path.join(os.tmpdir(), 'arrears-crash-'));
      try {
        const url = backend.databaseUrl!;
        const crash = async (key: string, target: string) => {
          await store.transaction((tx) =>
            enqueueActions(tx, [action(ids.get('ko')!, { idempotencyKey: key })]),
          );
          // Asynchronous: the SMTP server in this process must keep answering while the child runs.
          const child = spawn(process.execPath, [
            '--import',
            'tsx',
            'test/support/crash-dispatch.ts',
            url,
            keysOf(store)!.keyDir,
            target,
          ]);
          let stderr = '';
          child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
          const signal = await new Promise<NodeJS.Signals | null>((resolve) =>
            child.on('exit', (_code, sig) => resolve(sig)),
          );
          expect(signal, stderr).toBe('SIGKILL');
          const row = await outboxRow(store, key);
          expect(row.status).toBe('sending');
          expect(row.notice_code).not.toBeNull();
        };
        const afterLease = () => new Date(Date.now() + 600_000);

        await crash('crash-smtp', smtpUrl);
        expect(received).toEqual(['ko@debtor.example']);
        const smtp = smtpEmail(smtpUrl);
        const deps = await testDeps(store, { email: smtp }, { now: afterLease });
        const s = await dispatch(deps);
        await smtp.close();
        expect(s.recovered).toEqual({ requeued: 0, unknown: 1 });
        expect(await outboxRow(store, 'crash-smtp')).toMatchObject({ status: 'unknown' });
        expect(received).toHaveLength(1);
        expect(await dispatch(deps)).toMatchObject({ claimed: 0 });
        await resolveAction(store, {
          accountRef: 'A-ko',
          idempotencyKey: 'crash-smtp',
          as: 'sent',
          note: 'in the SMTP log',
        });
        expect(await outboxRow(store, 'crash-smtp')).toMatchObject({ status: 'sent' });

        await crash('crash-files', `eml:${dir}`);
        expect(readdirSync(dir)).toHaveLength(1);
        const deps2 = await testDeps(store, { email: emlFileEmail(dir) }, { now: afterLease });
        const s2 = await dispatch(deps2);
        expect(s2).toMatchObject({ recovered: { requeued: 1, unknown: 0 }, sent: 1 });
        expect(await outboxRow(store, 'crash-files')).toMatchObject({ status: 'sent' });
        expect(readdirSync(dir)).toHaveLength(1);
        const notices = await store.db
          .selectFrom('notices')
          .select('code')
          .where('outbox_id', '=', (await outboxRow(store, 'crash-files')).id)
          .execute();
        expect(notices).toHaveLength(1);
      } finally {
        await new Promise<void>((r) => server.close(() => r()));
      }
    },
  );
});
