import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDay, toDay } from '../calendar/index.js';
import { approvalFor, DEFAULT_APPROVAL_POLICY as policy, mayApprove, planInstallments } from './index.js';

describe('settlement approval limits', () => {
  it('gives a collector exactly 10 %, a manager up to 30 %, compliance beyond', () => {
    const at = (amount: number) => approvalFor(policy, 100_000, 'USD', { kind: 'settlement', amount });
    expect(at(90_000)).toMatchObject({ discount: 10_000, discountPercent: '10%', requiredRole: 'collector' });
    expect(at(89_999)).toMatchObject({ discountPercent: '10%', requiredRole: 'manager' }); // 10.001 % rounds to 10 % but is over
    expect(at(70_000).requiredRole).toBe('manager');
    expect(at(69_999).requiredRole).toBe('compliance_officer');
    expect(at(120_000)).toMatchObject({ discount: 0, requiredRole: 'collector' });
  });

  it('limits installments by role too, and says why', () => {
    const d = approvalFor(policy, 5_000_000, 'KRW', { kind: 'plan', amount: 5_000_000, installments: 12 });
    expect(d.requiredRole).toBe('manager');
    expect(d.reason).toBe(
      "5000000 KRW in 12 installments against 5000000 owed (discount 0%): within the manager's limits",
    );
    const far = approvalFor(policy, 5_000_000, 'KRW', { kind: 'plan', amount: 5_000_000, installments: 72 });
    expect(far.requiredRole).toBeNull();
    expect(mayApprove(policy, 'admin', far)).toBe(false);
  });

  it('lets a higher role approve what a lower one could, never the reverse', () => {
    const d = approvalFor(policy, 100_000, 'EUR', { kind: 'settlement', amount: 80_000 });
    expect(mayApprove(policy, 'collector', d)).toBe(false);
    expect(mayApprove(policy, 'manager', d)).toBe(true);
    expect(mayApprove(policy, 'compliance_officer', d)).toBe(true);
    expect(mayApprove(policy, 'field_agent', d)).toBe(false);
    expect(mayApprove(policy, 'agency_user', d)).toBe(false);
    expect(
      mayApprove(policy, 'admin', approvalFor(policy, 100_000, 'EUR', { kind: 'settlement', amount: 1 })),
    ).toBe(true);
  });

  it('refuses proposals that are not proposals', () => {
    expect(() => approvalFor(policy, 100, 'USD', { kind: 'settlement', amount: 0 })).toThrow(
      /greater than zero/,
    );
    expect(() => approvalFor(policy, 100, 'USD', { kind: 'plan', amount: 100, installments: 0 })).toThrow(
      /installment/,
    );
  });
});

describe('plan installments', () => {
  it('sum exactly to the amount, monthly from the first due date', () => {
    const p = planInstallments(100_000, 3, toDay('2027-01-31'));
    expect(p.map((i) => [formatDay(i.due), i.amount])).toEqual([
      ['2027-01-31', 33_334],
      ['2027-02-28', 33_333],
      ['2027-03-31', 33_333],
    ]);
  });

  it('always sum to the amount and never differ by more than one minor unit', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 120 }),
        fc.integer({ min: 0, max: 10_000_000 }),
        (count, extra) => {
          const amount = count + extra;
          const p = planInstallments(amount, count, 20_000, { days: 14 });
          expect(p.reduce((t, i) => t + i.amount, 0)).toBe(amount);
          const amounts = p.map((i) => i.amount);
          expect(Math.max(...amounts) - Math.min(...amounts)).toBeLessThanOrEqual(1);
          expect(p.at(-1)!.due).toBe(20_000 + (count - 1) * 14);
        },
      ),
    );
  });
});
