import { mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emlFileEmail, pdfLetters } from '../src/channels/index.js';
import type { Principal } from '../src/domain/access/index.js';
import { formatDay, todayIn } from '../src/domain/calendar/index.js';
import { listKeys, verifyCode, verifyFile } from '../src/notices/index.js';
import { lintContent, sendGate } from '../src/services/compliance/index.js';
import { dispatch } from '../src/services/dispatch/index.js';
import { createPlan, enqueueConfirmation } from '../src/services/negotiation/index.js';
import { addPromise } from '../src/services/promises/index.js';
import { getStatement } from '../src/services/statements/index.js';
import { formatAmount } from '../src/domain/money/index.js';
import type { Store } from '../src/store/index.js';
import { defaultTemplates, renderMessage, sampleContext } from '../src/templates/index.js';
import { accountRef, seedPeople, testDeps } from './support/notices.js';
import { backends } from './support/stores.js';

const collector: Principal = {
  userId: 901,
  username: 'carla',
  role: 'collector',
  agencyId: null,
  via: 'token',
};
const manager: Principal = { userId: 902, username: 'mario', role: 'manager', agencyId: null, via: 'token' };

/** The next Tuesday–Thursday at 17:00 UTC: 09:00 in Los Angeles, 12:00 in New York, 18:00 in Madrid — inside every allowed window. */
function daytime(): Date {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + 1);
  while (![2, 3, 4].includes(d.getUTCDay())) d.setUTCDate(d.getUTCDate() + 1);
  d.setUTCHours(17, 0, 0, 0);
  return d;
}

describe('confirmation templates', () => {
  it('pass the content linter in every locale and jurisdiction, and state the agreed figures', async () => {
    const confirmations = defaultTemplates().filter((t) => t.name.endsWith('_confirmation'));
    expect(confirmations).toHaveLength(3 * 2 * 5);
    for (const t of confirmations)
      for (const j of ['US', 'KR', 'CN', 'ES']) {
        const tpl = { ...t, version: 1 };
        const r = await renderMessage(tpl, sampleContext(tpl, j), lintContent);
        // The sample agreement: 94,734 minor units (€947.34, ₩94,734 …) in installments of 47,367.
        expect(r.subject + r.text, `${t.name}/${t.channel}/${t.locale}/${j}`).toMatch(/947[.,]34|94[.,]734/);
        if (t.name === 'plan_confirmation') expect(r.text).toMatch(/473[.,]67|47[.,]367/);
      }
  });
});

describe.each(backends())('written, signed confirmations on $name', (backend) => {
  let store: Store;
  beforeAll(async () => {
    store = await backend.open();
    await seedPeople(store);
  });
  afterAll(() => backend.cleanup());

  it('confirms a promise, a plan and a settlement to the debtor: sent through the real gate, stating and signing the agreed amounts, verifiable', async () => {
    const emailDir = mkdtempSync(path.join(os.tmpdir(), 'arrears-confirm-mail-'));
    const letterDir = mkdtempSync(path.join(os.tmpdir(), 'arrears-confirm-letters-'));
    const today = todayIn('America/New_York');
    const promise = await addPromise(store, collector, accountRef('en'), {
      amount: '123.45',
      dueOn: formatDay(today + 5),
    });
    expect(promise.confirmation).toMatchObject({
      channel: 'email',
      key: `promise:${promise.id}:confirmation`,
      status: 'pending',
    });
    // Installment plan: the payoff in 3 parts; settlement (letter: this debtor has no e-mail) with 25 % off.
    const plan = await createPlan(store, collector, accountRef('zh-TW'), {
      kind: 'installment',
      installments: 3,
      dueOn: formatDay(todayIn('America/Los_Angeles') + 10),
    });
    expect(plan).toMatchObject({ status: 'active', confirmation: { channel: 'email', status: 'pending' } });
    await store.db.updateTable('debtors').set({ emails: '[]' }).where('ref', '=', 'D-es').execute();
    const payoff = (await getStatement(store, accountRef('es'))).statement.payoff;
    const agreed = formatAmount(Math.ceil((payoff * 8) / 10), 'EUR'); // 20 % off: a manager's authority
    const settlement = await createPlan(store, manager, accountRef('es'), {
      kind: 'settlement',
      amount: agreed,
      dueOn: formatDay(todayIn('Europe/Madrid') + 20),
    });
    expect(settlement).toMatchObject({
      status: 'active',
      amount: agreed,
      confirmation: { channel: 'letter' },
    });
    expect(Number(settlement.discount)).toBeGreaterThan(0);

    // Planning a confirmation again is a no-op: one key per agreement.
    const again = await store.transaction(async (tx) => {
      const a = await tx.db
        .selectFrom('accounts')
        .select('id')
        .where('ref', '=', accountRef('en'))
        .executeTakeFirstOrThrow();
      return enqueueConfirmation(
        tx,
        { id: a.id, ref: accountRef('en'), emails: ['x@y.z'], addresses: [] },
        {
          kind: 'promise',
          reference: 'again',
          madeOn: promise.madeOn,
          amount: 12_345,
          owed: 12_345,
          discount: 0,
          discountPercent: '0%',
          graceDays: 2,
          tolerance: 0,
          installments: [{ seq: 1, dueOn: promise.dueOn, amount: 12_345 }],
        },
        promise.id,
      );
    });
    expect(again.inserted).toBe(false);

    const now = daytime();
    const deps = await testDeps(
      store,
      { email: emlFileEmail(emailDir), letter: pdfLetters(letterDir) },
      { gate: sendGate(store), contentCheck: lintContent, now: () => now },
    );
    const summary = await dispatch(deps);
    expect(summary, JSON.stringify(summary.errors)).toMatchObject({ claimed: 3, sent: 3 });
    expect(readdirSync(emailDir)).toHaveLength(2);
    expect(readdirSync(letterDir)).toHaveLength(1);

    const notices = await store.db
      .selectFrom('outbox as o')
      .innerJoin('notices as n', (j) =>
        j.onRef('n.account_id', '=', 'o.account_id').onRef('n.code', '=', 'o.notice_code'),
      )
      .select(['o.idempotency_key', 'o.provider_ref', 'n.code', 'n.content', 'n.subject'])
      .execute();
    const byKey = new Map(notices.map((n) => [n.idempotency_key.split(':')[0]!, n]));
    const p = byKey.get('promise')!;
    expect(p.subject).toBe(`Confirmation of your promise to pay $123.45, account ${accountRef('en')}`);
    expect(p.content).toContain('Amount: $123.45');
    const pl = byKey.get('plan')!;
    for (const i of plan.installments)
      expect(pl.content).toContain(
        `$${Number(i.amount).toLocaleString('en-US', { minimumFractionDigits: 2 })}`,
      );
    const st = byKey.get('settlement')!;
    const euros = new Intl.NumberFormat('es', { style: 'currency', currency: 'EUR' }).format(
      agreed as unknown as number,
    );
    expect(st.content).toContain(`Importe de liquidación: ${euros}`);

    // Each notice verifies by code and signs the agreed amount, not the overdue total.
    for (const [kind, amount, currency] of [
      ['promise', '123.45', 'USD'],
      ['plan', plan.amount, 'USD'],
      ['settlement', agreed, 'EUR'],
    ] as const) {
      const r = await verifyCode(store, byKey.get(kind)!.code);
      expect(r, kind).toMatchObject({
        genuine: true,
        notice: { amount, currency },
        checks: { signature: true, record: true },
      });
    }
    // And offline, from the files the debtor received.
    const [key] = await listKeys(store);
    const eml = path.resolve(process.cwd(), byKey.get('promise')!.provider_ref!);
    expect(await verifyFile(eml, key!.publicKey)).toMatchObject({
      genuine: true,
      notice: { amount: '123.45' },
    });
    const pdf = path.resolve(process.cwd(), st.provider_ref!);
    expect(await verifyFile(pdf, key!.publicKey)).toMatchObject({
      genuine: true,
      notice: { amount: agreed },
    });
  });
});
