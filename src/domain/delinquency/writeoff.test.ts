import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toDay } from '../calendar/index.js';
import { outstandingOf, writeOffParts } from '../settlement/index.js';
import {
  computeStatement,
  DEFAULT_BUCKETS,
  type AccountTerms,
  type Component,
  type InstallmentInput,
  type PaymentInput,
  type WriteOffInput,
} from './index.js';

const terms = (over: Partial<AccountTerms> = {}): AccountTerms => ({
  currency: 'EUR',
  principal: 100_000,
  interestRate: { num: 1000n, scale: 4 },
  penaltyRate: { num: 1200n, scale: 4 },
  openedOn: toDay('2026-01-01'),
  penaltyOnInterest: false,
  allocationOrder: ['fees', 'penalty', 'interest', 'principal'],
  buckets: DEFAULT_BUCKETS,
  caps: {},
  ...over,
});

const schedule: InstallmentInput[] = [
  { seq: 1, due: toDay('2026-02-01'), principal: 50_000, interest: 800, fees: 500 },
  { seq: 2, due: toDay('2026-03-01'), principal: 50_000, interest: 400, fees: 0 },
  { seq: 3, due: toDay('2026-04-01'), principal: 0, interest: 200, fees: 0 },
];

/** The write-off a completed settlement records: everything still outstanding that day. */
function settle(t: AccountTerms, inst: InstallmentInput[], pays: PaymentInput[], on: number): WriteOffInput {
  const st = computeStatement(t, inst, pays, on, { explain: false });
  return { ref: 'W-1', on, ...writeOffParts(outstandingOf(st), st.payoff) };
}

describe('statements with a settlement write-off', () => {
  it('show nothing owed from the write-off on, with the forgiven amounts itemised', () => {
    const t = terms();
    const pays = [{ ref: 'P-1', receivedOn: toDay('2026-02-20'), amount: 70_000 }];
    const on = toDay('2026-02-20');
    const w = settle(t, schedule, pays, on);
    const before = computeStatement(t, schedule, pays, on);
    expect(w.principal + w.interest + w.fees + w.penalty).toBe(before.payoff);

    for (const asOf of ['2026-02-20', '2026-03-15', '2027-01-01']) {
      const st = computeStatement(t, schedule, pays, toDay(asOf), { writeOffs: [w] });
      expect([st.payoff, st.overdue.total, st.dpd, st.outstandingPrincipal], asOf).toEqual([0, 0, 0, 0]);
      expect(st.adjustments).toEqual([
        {
          kind: 'settlement_write_off',
          ref: 'W-1',
          on,
          amounts: { principal: w.principal, interest: w.interest, fees: w.fees, penalty: w.penalty },
          total: before.payoff,
          unapplied: 0,
        },
      ]);
      // Itemised: per installment, charged = paid + written off; nothing is dropped.
      let forgiven = 0;
      for (const line of st.installments) {
        for (const c of ['principal', 'interest', 'fees', 'penalty'] as const) {
          expect(line.charged[c], `${asOf} #${line.seq} ${c}`).toBe(line.paid[c] + line.writtenOff![c]);
          forgiven += line.writtenOff![c];
        }
      }
      expect(forgiven).toBe(before.payoff);
      expect(st.formula.join('\n')).toContain('Settlement write-off W-1 on 2026-02-20');
    }
    // The third installment's interest was not due at the settlement: it is never charged.
    const late = computeStatement(t, schedule, pays, toDay('2026-06-01'), { writeOffs: [w] });
    expect(late.installments[2]!.charged.interest).toBe(0);
    // Before the write-off day the statement is as it was.
    const earlier = computeStatement(t, schedule, pays, on - 1, { writeOffs: [w] });
    const plain = computeStatement(t, schedule, pays, on - 1);
    expect(earlier).toEqual(plain);
    expect(plain.adjustments).toEqual([]);
  });

  it('always leaves nothing owed when what was outstanding is written off', () => {
    const component = fc.constantFrom<Component[]>(
      ['fees', 'penalty', 'interest', 'principal'],
      ['principal', 'interest', 'fees', 'penalty'],
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            gap: fc.integer({ min: 1, max: 60 }),
            principal: fc.integer({ min: 0, max: 500_000 }),
            interest: fc.integer({ min: 0, max: 50_000 }),
            fees: fc.integer({ min: 0, max: 5_000 }),
          }),
          { minLength: 1, maxLength: 6 },
        ),
        fc.array(
          fc.record({
            offset: fc.integer({ min: 0, max: 300 }),
            amount: fc.integer({ min: 1, max: 400_000 }),
          }),
          { maxLength: 5 },
        ),
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 0, max: 400 }),
        fc.boolean(),
        component,
        fc.boolean(),
        (rows, payRows, settleOffset, after, penaltyOnInterest, allocationOrder, capped) => {
          const opened = toDay('2026-01-01');
          let due = opened;
          const inst = rows.map((r, k) => ({ seq: k + 1, due: (due += r.gap), ...r }));
          const t = terms({
            principal: inst.reduce((s, i) => s + i.principal, 0),
            penaltyOnInterest,
            allocationOrder,
            caps: capped ? { annualCostRateMax: { num: 2000n, scale: 4 } } : {},
          });
          const pays = payRows.map((p, k) => ({
            ref: `P-${k}`,
            receivedOn: opened + p.offset,
            amount: p.amount,
          }));
          const on = opened + settleOffset;
          const w = settle(
            t,
            inst,
            pays.filter((p) => p.receivedOn <= on),
            on,
          );
          const paysBy = pays.filter((p) => p.receivedOn <= on);
          const st = computeStatement(t, inst, paysBy, on + after, { writeOffs: [w] });
          const summary = computeStatement(t, inst, paysBy, on + after, { writeOffs: [w], summary: true });
          expect({
            ...summary,
            installments: st.installments,
            formula: st.formula,
            payments: summary.payments.map((p, k) => ({ ...p, allocations: st.payments[k]!.allocations })),
          }).toEqual(st);
          expect(st.payoff).toBe(0);
          expect(st.dpd).toBe(0);
          expect(st.adjustments[0]!.unapplied).toBe(0);
          for (const line of st.installments)
            for (const c of ['principal', 'interest', 'fees', 'penalty'] as const) {
              expect(line.outstanding[c]).toBe(0);
              expect(line.writtenOff![c]).toBeGreaterThanOrEqual(0);
            }
        },
      ),
      { numRuns: 300 },
    );
  });
});
