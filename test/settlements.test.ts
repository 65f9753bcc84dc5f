import { mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emlFileEmail, pdfLetters } from '../src/channels/index.js';
import type { Principal } from '../src/domain/access/index.js';
import { formatDay, todayIn } from '../src/domain/calendar/index.js';
import { formatAmount } from '../src/domain/money/index.js';
import { verifyCode } from '../src/notices/index.js';
import { getCase } from '../src/services/cases/index.js';
import { lintContent } from '../src/services/compliance/index.js';
import { dispatch } from '../src/services/dispatch/index.js';
import { createPlan, judgePlans } from '../src/services/negotiation/index.js';
import { postPayment, reversePayment } from '../src/services/payments/index.js';
import { getStatement, statementJson } from '../src/services/statements/index.js';
import { createEndpoint } from '../src/services/webhooks/index.js';
import type { Store } from '../src/store/index.js';
import { defaultTemplates, renderMessage, sampleContext } from '../src/templates/index.js';
import { accountRef, seedPeople, testDeps } from './support/notices.js';
import { backends } from './support/stores.js';

const manager: Principal = { userId: 902, username: 'mario', role: 'manager', agencyId: null, via: 'token' };
const collector: Principal = {
  userId: 901,
  username: 'carla',
  role: 'collector',
  agencyId: null,
  via: 'token',
};

describe('the settlement_completed letter', () => {
  it('passes the content linter in every locale and jurisdiction and says nothing more is owed', async () => {
    const letters = defaultTemplates().filter((t) => t.name === 'settlement_completed');
    expect(letters.map((t) => `${t.channel}/${t.locale}`).sort()).toEqual(
      ['email', 'letter'].flatMap((c) => ['en', 'es', 'ko', 'zh-CN', 'zh-TW'].map((l) => `${c}/${l}`)).sort(),
    );
    const nothingOwed: Record<string, string> = {
      en: 'Nothing more is owed on this account',
      es: 'No se debe nada más en esta cuenta',
      ko: '더 이상 납부하실 금액은 없습니다',
      'zh-CN': '该账户已无任何欠款',
      'zh-TW': '該帳戶已無任何欠款',
    };
    for (const t of letters)
      for (const j of ['US', 'KR', 'CN', 'ES']) {
        const tpl = { ...t, version: 1 };
        const r = await renderMessage(tpl, sampleContext(tpl, j), lintContent);
        expect(r.text, `${t.channel}/${t.locale}/${j}`).toContain(nothingOwed[t.locale]);
        // The sample: 947.34 agreed and paid, 108.12 forgiven.
        expect(r.text).toMatch(/108[.,]12|10[.,]812/);
      }
  });
});

describe.each(backends())('settlement write-off on $name', (backend) => {
  let store: Store;
  beforeAll(async () => {
    store = await backend.open();
    await seedPeople(store);
  });
  afterAll(() => backend.cleanup());

  it('writes off what a 30 % settlement forgave once it is paid: nothing owed, itemised, case and account closed, letter sent', async () => {
    const ref = accountRef('en');
    const today = todayIn('America/New_York');
    await createEndpoint(store, null, {
      url: 'https://hooks.example/s',
      eventTypes: ['settlement.completed'],
    });
    const before = (await getStatement(store, ref)).statement;
    const agreed = Math.ceil((before.payoff * 7) / 10); // 30 % off: a manager's authority
    const plan = await createPlan(store, manager, ref, {
      kind: 'settlement',
      amount: formatAmount(agreed, 'USD'),
      dueOn: formatDay(today + 10),
    });
    expect(plan.status).toBe('active');
    expect(plan.discountPercent).toBe('30%');
    // The settlement's own confirmation goes out first.
    const emailDir = mkdtempSync(path.join(os.tmpdir(), 'arrears-settled-mail-'));
    const deps = await testDeps(store, {
      email: emlFileEmail(emailDir),
      letter: pdfLetters(mkdtempSync(path.join(os.tmpdir(), 'arrears-settled-letters-'))),
    });
    expect(await dispatch(deps)).toMatchObject({ sent: 1, errors: [] });
    await postPayment(store, collector, ref, 'settle-1', {
      amount: formatAmount(agreed, 'USD'),
      receivedOn: formatDay(today),
      channel: 'online',
    });

    const r = await store.transaction((tx) => judgePlans(tx, formatDay(today)));
    expect(r).toMatchObject({ completed: 1, settled: 1 });

    // The statement shows nothing owed, and the forgiven amount as an itemised line that adds up.
    const after = await getStatement(store, ref);
    const st = after.statement;
    expect([st.payoff, st.overdue.total, st.dpd]).toEqual([0, 0, 0]);
    expect(st.adjustments).toHaveLength(1);
    const w = st.adjustments[0]!;
    expect(w).toMatchObject({ kind: 'settlement_write_off', ref: `settlement ${plan.id}`, unapplied: 0 });
    const forgiven = w.total;
    expect(w.amounts.principal + w.amounts.interest + w.amounts.fees + w.amounts.penalty).toBe(forgiven);
    expect(forgiven).toBe(before.payoff - agreed);
    // Reproducible from the itemised statement: per installment, charged = paid + written off.
    for (const line of st.installments)
      for (const c of ['principal', 'interest', 'fees', 'penalty'] as const)
        expect(line.charged[c]).toBe(line.paid[c] + line.writtenOff![c]);
    expect(statementJson(after).adjustments).toEqual([
      {
        kind: 'settlement_write_off',
        ref: `settlement ${plan.id}`,
        on: formatDay(today),
        amounts: {
          principal: formatAmount(w.amounts.principal, 'USD'),
          interest: formatAmount(w.amounts.interest, 'USD'),
          fees: formatAmount(w.amounts.fees, 'USD'),
          penalty: formatAmount(w.amounts.penalty, 'USD'),
          total: formatAmount(forgiven, 'USD'),
        },
        unapplied: '0.00',
      },
    ]);
    expect(st.formula.join('\n')).toContain(`Settlement write-off settlement ${plan.id}`);
    // Still nothing owed a year on: nothing accrues after the settlement.
    expect((await getStatement(store, ref, formatDay(today + 365))).statement.payoff).toBe(0);

    const account = await store.db
      .selectFrom('accounts')
      .select(['id', 'status'])
      .where('ref', '=', ref)
      .executeTakeFirstOrThrow();
    expect(account.status).toBe('closed');
    expect((await getCase(store, ref)).status).toBe('closed');
    const event = await store.db
      .selectFrom('account_events')
      .select('data')
      .where('account_id', '=', account.id)
      .where('kind', '=', 'settlement_written_off')
      .executeTakeFirstOrThrow();
    expect(event.data).toMatchObject({ planId: plan.id, total: forgiven, ...w.amounts, paid: agreed });
    const audit = await store.db
      .selectFrom('audit_log')
      .select('data')
      .where('action', '=', 'settlement.written_off')
      .where('chain', '=', account.id)
      .execute();
    expect(audit).toHaveLength(1);
    const hooks = await store.db
      .selectFrom('webhook_deliveries')
      .select('payload')
      .where('event_type', '=', 'settlement.completed')
      .execute();
    expect(hooks).toHaveLength(1);
    expect(hooks[0]!.payload).toMatchObject({
      data: { account: ref, planId: plan.id, writtenOff: { total: formatAmount(forgiven, 'USD') } },
    });

    // The signed letter: paid in full under the agreement, nothing more is owed — sent to the closed account.
    expect(await dispatch(deps)).toMatchObject({ sent: 1, errors: [] });
    const notice = await store.db
      .selectFrom('outbox as o')
      .innerJoin('notices as n', (j) =>
        j.onRef('n.account_id', '=', 'o.account_id').onRef('n.code', '=', 'o.notice_code'),
      )
      .select(['o.status', 'n.code', 'n.subject', 'n.content', 'n.amount'])
      .where('o.idempotency_key', '=', `settlement:${plan.id}:completed`)
      .executeTakeFirstOrThrow();
    expect(notice.status).toBe('sent');
    expect(notice.subject).toBe(`Account ${ref} is settled: nothing more is owed`);
    expect(notice.content).toContain('Nothing more is owed on this account');
    expect(notice.content).toContain(`Forgiven by Creditor en: $${(forgiven / 100).toFixed(2)}`);
    expect(notice.amount).toBe(0);
    expect(readdirSync(emailDir)).toHaveLength(2);
    expect(await verifyCode(store, notice.code)).toMatchObject({
      genuine: true,
      notice: { amount: '0.00', currency: 'USD' },
    });

    // Judging again changes nothing.
    expect(await store.transaction((tx) => judgePlans(tx, formatDay(today)))).toMatchObject({
      judged: 0,
      settled: 0,
    });

    // The settlement payment bounces: the agreed amount is owed again (the write-off stays as agreed), and
    // the account and its case are back in collection.
    const paid = await store.db
      .selectFrom('payments')
      .select('ref')
      .where('account_id', '=', account.id)
      .where('reversed_at', 'is', null)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    await reversePayment(store, collector, ref, paid.ref, 'returned unpaid');
    expect((await getStatement(store, ref)).statement.payoff).toBe(agreed);
    const reopened = await store.db
      .selectFrom('accounts')
      .select('status')
      .where('id', '=', account.id)
      .executeTakeFirstOrThrow();
    expect(reopened.status).toBe('open');
    expect(['open', 'in_progress']).toContain((await getCase(store, ref)).status);
  });

  it('writes nothing off while a discounted plan is not complete', async () => {
    const ref = accountRef('ko');
    const today = todayIn('Asia/Seoul');
    const before = (await getStatement(store, ref)).statement;
    const agreed = Math.ceil((before.payoff * 9) / 10);
    const plan = await createPlan(store, manager, ref, {
      kind: 'installment',
      amount: formatAmount(agreed, 'KRW'),
      installments: 2,
      dueOn: formatDay(today),
    });
    expect(plan.status).toBe('active');
    await postPayment(store, collector, ref, 'first-half', {
      amount: plan.installments[0]!.amount,
      receivedOn: formatDay(today),
      channel: 'online',
    });
    const r = await store.transaction((tx) => judgePlans(tx, formatDay(today)));
    expect(r).toMatchObject({ completed: 0, settled: 0 });
    const st = (await getStatement(store, ref)).statement;
    expect(st.payoff).toBeGreaterThan(0);
    expect(st.adjustments).toEqual([]);
    const events = await store.db
      .selectFrom('account_events as e')
      .innerJoin('accounts as a', 'a.id', 'e.account_id')
      .select(['a.status'])
      .where('a.ref', '=', ref)
      .where('e.kind', '=', 'settlement_written_off')
      .execute();
    expect(events).toEqual([]);
    expect((await getCase(store, ref)).status).toBe('plan');
  });
});
