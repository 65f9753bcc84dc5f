import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../src/domain/access/index.js';
import { formatDay, todayIn } from '../src/domain/calendar/index.js';
import { formatAmount } from '../src/domain/money/index.js';
import { addAgency, placeAccounts, recallAccount } from '../src/services/agencies/index.js';
import { accountTimeline, claimCase, getCase, setCaseStatus } from '../src/services/cases/index.js';
import { approvePlan, cancelPlan, createPlan } from '../src/services/negotiation/index.js';
import { postPayment } from '../src/services/payments/index.js';
import { addPromise, emitBrokenPromises } from '../src/services/promises/index.js';
import { getStatement } from '../src/services/statements/index.js';
import { addUser } from '../src/services/users/index.js';
import { scoped, type Store } from '../src/store/index.js';
import { accountRef, seedPeople } from './support/notices.js';
import { backends } from './support/stores.js';

describe.each(backends())('automatic case status on $name', (backend) => {
  let store: Store;
  let collector: Principal;
  let manager: Principal;
  let ids: Map<string, number>;

  beforeAll(async () => {
    store = await backend.open();
    ids = await seedPeople(store);
    const user = async (username: string, role: 'collector' | 'manager'): Promise<Principal> => {
      const u = await addUser(store, null, { username, role, password: 'correct horse battery' });
      return { userId: u.id, username, role, agencyId: null, via: 'token' };
    };
    collector = await user('carla', 'collector');
    manager = await user('mario', 'manager');
    await addAgency(store, null, { ref: 'AG-1', name: 'First Recovery' });
  });
  afterAll(() => backend.cleanup());

  const status = async (locale: string) => (await getCase(store, accountRef(locale))).status;
  const caseLog = async (locale: string) =>
    (await accountTimeline(store, accountRef(locale), { limit: 100 })).items
      .filter((i) => i.kind === 'case')
      .map((i) => i.summary)
      .reverse();
  const audits = async (locale: string) =>
    (
      await store.db
        .selectFrom('audit_log')
        .select('data')
        .where('action', '=', 'case.status_changed')
        .where('chain', '=', ids.get(locale)!)
        .orderBy('seq')
        .execute()
    ).map((r) => r.data as { from: string; to: string; cause: string; automatic?: boolean });
  /** Moves a promise's dates into the past so the sweep judges it now. */
  const backdate = (locale: string, days: number) =>
    store.transaction(({ sql }) =>
      sql.query(
        `UPDATE promises SET made_on = made_on - $2::int, due_on = due_on - $2::int WHERE account_id = $1`,
        [ids.get(locale)!, days],
      ),
    );

  it('follows a promise: recorded → promise, broken → open; kept on a worked case → in_progress', async () => {
    const today = todayIn('America/New_York');
    await addPromise(store, collector, accountRef('en'), { amount: '50', dueOn: formatDay(today + 1) });
    expect(await status('en')).toBe('promise');
    await backdate('en', 10);
    expect(await emitBrokenPromises(store)).toBe(1);
    expect(await status('en')).toBe('open');
    expect(await caseLog('en')).toEqual([
      'case open → promise — automatic: a promise to pay was recorded',
      'case promise → open — automatic: the promise to pay was broken',
    ]);
    expect(await audits('en')).toEqual([
      expect.objectContaining({ from: 'open', to: 'promise', cause: 'promise_recorded', automatic: true }),
      expect.objectContaining({ from: 'promise', to: 'open', cause: 'promise_broken', automatic: true }),
    ]);

    // zh-CN: claimed by a collector, the promise paid: back to in_progress.
    const cn = todayIn('Asia/Shanghai');
    await claimCase(store, collector, accountRef('zh-CN'));
    await addPromise(store, collector, accountRef('zh-CN'), { amount: '30', dueOn: formatDay(cn + 1) });
    expect(await status('zh-CN')).toBe('promise');
    await postPayment(store, collector, accountRef('zh-CN'), 'kept-1', {
      amount: '30',
      receivedOn: formatDay(cn),
      channel: 'online',
    });
    await store.transaction(({ sql }) =>
      sql.query(`UPDATE payments SET received_on = received_on - 10 WHERE account_id = $1`, [
        ids.get('zh-CN')!,
      ]),
    );
    await backdate('zh-CN', 10);
    await emitBrokenPromises(store);
    expect(await status('zh-CN')).toBe('in_progress');
    expect((await caseLog('zh-CN')).at(-1)).toBe(
      'case promise → in_progress — automatic: the promise to pay was kept',
    );
  });

  it('follows a plan: approved → plan, cancelled → back to work; paid off → closed', async () => {
    const ref = accountRef('es');
    const today = todayIn('Europe/Madrid');
    const payoff = (await getStatement(store, ref)).statement.payoff;
    // 20 % off: beyond a collector's authority, so it waits for the manager.
    const plan = await createPlan(store, collector, ref, {
      kind: 'settlement',
      amount: formatAmount(Math.ceil((payoff * 8) / 10), 'EUR'),
      dueOn: formatDay(today + 10),
    });
    expect(plan.status).toBe('pending_approval');
    expect(await status('es')).toBe('open');
    await approvePlan(store, manager, ref, plan.id);
    expect(await status('es')).toBe('plan');
    await cancelPlan(store, manager, ref, plan.id, 'the debtor asked for another arrangement');
    expect(await status('es')).toBe('open');
    // Paid in full: closed.
    await postPayment(store, collector, ref, 'all-1', {
      amount: formatAmount(payoff, 'EUR'),
      receivedOn: formatDay(today),
      channel: 'bank_transfer',
    });
    expect(await status('es')).toBe('closed');
    expect(await caseLog('es')).toEqual([
      'case open → plan — automatic: a plan or settlement was agreed',
      'case plan → open — automatic: the plan or settlement was cancelled',
      'case open → closed — automatic: the account was paid off',
    ]);
    expect((await audits('es')).map((a) => a.cause)).toEqual(['plan_active', 'plan_cancelled', 'paid_off']);
  });

  it('follows placements, and leaves a dispute alone', async () => {
    await placeAccounts(store, null, 'AG-1', [accountRef('ko')]);
    expect(await status('ko')).toBe('placed');
    await setCaseStatus(store, manager, accountRef('ko'), { status: 'dispute' });
    // A dispute is a person's decision: a promise recorded meanwhile does not move it.
    await addPromise(store, collector, accountRef('ko'), {
      amount: '10000',
      dueOn: formatDay(todayIn('Asia/Seoul') + 2),
    });
    expect(await status('ko')).toBe('dispute');

    await placeAccounts(store, null, 'AG-1', [accountRef('zh-TW')]);
    expect(await status('zh-TW')).toBe('placed');
    await recallAccount(store, null, accountRef('zh-TW'));
    expect(await status('zh-TW')).toBe('open');
    expect(await caseLog('zh-TW')).toEqual([
      'case open → placed — automatic: the account was placed with an agency',
      'case placed → open — automatic: the account was recalled from the agency',
    ]);
  });

  it("closes a placed case paid off by the agency's own user, under row-level security", async () => {
    const ref = accountRef('en');
    await placeAccounts(store, null, 'AG-1', [ref]);
    expect(await status('en')).toBe('placed');
    const agency = await store.db
      .selectFrom('agencies')
      .select('id')
      .where('ref', '=', 'AG-1')
      .executeTakeFirstOrThrow();
    const u = await addUser(store, null, {
      username: 'agnes',
      role: 'agency_user',
      password: 'correct horse battery',
      agency: 'AG-1',
    });
    const agent: Principal = {
      userId: u.id,
      username: 'agnes',
      role: 'agency_user',
      agencyId: agency.id,
      via: 'token',
    };
    const payoff = (await getStatement(store, ref)).statement.payoff;
    await scoped(store, agency.id, (s) =>
      postPayment(s, agent, ref, 'agency-all', {
        amount: formatAmount(payoff, 'USD'),
        receivedOn: formatDay(todayIn('America/New_York')),
        channel: 'agency',
      }),
    );
    expect(await status('en')).toBe('closed');
    expect((await audits('en')).at(-1)).toMatchObject({ from: 'placed', to: 'closed', cause: 'paid_off' });
  });
});
