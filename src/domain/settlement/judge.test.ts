import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toDay } from '../calendar/index.js';
import { judgePlan, type PlanTerms } from './judge.js';

const d = (s: string) => toDay(s);
const plan: PlanTerms = {
  madeOn: d('2026-11-01'),
  installments: [
    { due: d('2026-11-10'), amount: 3_334 },
    { due: d('2026-12-10'), amount: 3_333 },
    { due: d('2027-01-10'), amount: 3_333 },
  ],
  graceDays: 3,
  tolerance: 50,
};
const pay = (day: string, amount: number) => ({ receivedOn: d(day), amount });

describe('judgePlan', () => {
  it('stays active while installments are paid, completes when the last one is', () => {
    const ps = [pay('2026-11-10', 3_334), pay('2026-12-09', 3_333)];
    expect(judgePlan(plan, ps, d('2026-12-20'))).toMatchObject({ status: 'active', paid: 6_667, kept: 2 });
    expect(judgePlan(plan, [...ps, pay('2027-01-10', 3_333)], d('2027-01-10'))).toMatchObject({
      status: 'completed',
      kept: 3,
    });
  });

  it('is completed at once by an early payment of the whole total', () => {
    expect(judgePlan(plan, [pay('2026-11-02', 10_000)], d('2026-11-02')).status).toBe('completed');
  });

  it('keeps an installment paid late within grace, breaks on one paid after it', () => {
    expect(judgePlan(plan, [pay('2026-11-13', 3_334)], d('2026-11-20')).status).toBe('active');
    expect(judgePlan(plan, [pay('2026-11-14', 3_334)], d('2026-11-20'))).toMatchObject({
      status: 'broken',
      missed: { seq: 1, deadline: d('2026-11-13'), shortfall: 3_334 },
    });
  });

  it('accepts a shortfall within the tolerance and breaks on a partial payment beyond it', () => {
    expect(judgePlan(plan, [pay('2026-11-10', 3_284)], d('2026-11-20')).status).toBe('active');
    expect(judgePlan(plan, [pay('2026-11-10', 3_283)], d('2026-11-20'))).toMatchObject({
      status: 'broken',
      paid: 3_283,
      missed: { seq: 1, shortfall: 51 },
    });
  });

  it('does not count payments before the plan was made or after the judging date', () => {
    const ps = [pay('2026-10-31', 10_000), pay('2026-11-25', 10_000)];
    expect(judgePlan(plan, ps, d('2026-11-20'))).toMatchObject({ status: 'broken', paid: 0 });
  });

  it('never calls a plan completed while the payments fall short of the total beyond tolerance', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ offset: fc.integer({ min: -5, max: 90 }), amount: fc.integer({ min: 1, max: 4_000 }) }),
        ),
        fc.integer({ min: 0, max: 100 }),
        (raw, asOffset) => {
          const ps = raw.map((r) => ({ receivedOn: plan.madeOn + r.offset, amount: r.amount }));
          const j = judgePlan(plan, ps, plan.madeOn + asOffset);
          if (j.status === 'completed') expect(j.paid).toBeGreaterThanOrEqual(10_000 - plan.tolerance);
          if (j.status === 'broken') expect(j.missed).not.toBeNull();
        },
      ),
    );
  });
});
