import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addRates, compareRates, divRoundHalfUp, type Rate } from '../money/index.js';
import {
  computeStatement,
  DEFAULT_BUCKETS,
  type AccountTerms,
  type Component,
  type InstallmentInput,
  type PaymentInput,
  type Statement,
} from './index.js';

const COMPONENTS: Component[] = ['fees', 'penalty', 'interest', 'principal'];

const rateArb: fc.Arbitrary<Rate> = fc.oneof(
  fc.record({ num: fc.bigInt({ min: 0n, max: 5000n }), scale: fc.constant(4) }),
  fc.record({ num: fc.bigInt({ min: 0n, max: 10n ** 12n }), scale: fc.constant(12) }),
);

/** Mostly ordinary amounts; sometimes large enough that amount × days leaves the safe-integer range. */
const amountArb = (max: number) =>
  fc.oneof(
    { arbitrary: fc.integer({ min: 0, max }), weight: 4 },
    { arbitrary: fc.integer({ min: 0, max: 1e13 }), weight: 1 },
  );

interface Case {
  terms: AccountTerms;
  installments: InstallmentInput[];
  payments: PaymentInput[];
  asOf: number;
}

const caseArb: fc.Arbitrary<Case> = fc
  .record({
    currency: fc.constantFrom('USD', 'KRW'),
    interestRate: rateArb,
    penaltyRate: rateArb,
    openedOn: fc.integer({ min: 20000, max: 20030 }),
    penaltyOnInterest: fc.boolean(),
    allocationOrder: fc.shuffledSubarray(COMPONENTS, { minLength: 4, maxLength: 4 }),
    caps: fc.oneof(
      { arbitrary: fc.constant({}), weight: 2 },
      {
        arbitrary: fc.record(
          {
            penaltyRateMax: rateArb,
            penaltyMarginMax: rateArb,
            annualCostRateMax: rateArb,
            source: fc.constant('test cap'),
          },
          { requiredKeys: [] },
        ),
        weight: 1,
      },
    ),
    schedule: fc.array(
      fc.record({
        gap: fc.integer({ min: 0, max: 60 }),
        principal: amountArb(500_000),
        interest: amountArb(50_000),
        fees: amountArb(5_000),
      }),
      { maxLength: 6 },
    ),
    payments: fc.array(
      fc.record({ offset: fc.integer({ min: -10, max: 400 }), amount: fc.integer({ min: 1, max: 600_000 }) }),
      { maxLength: 6 },
    ),
    asOfOffset: fc.integer({ min: -5, max: 420 }),
  })
  .map((r) => {
    let due = r.openedOn;
    const installments = r.schedule.map((x, k) => {
      due += x.gap;
      return { seq: k + 1, due, principal: x.principal, interest: x.interest, fees: x.fees };
    });
    return {
      terms: {
        currency: r.currency,
        principal: installments.reduce((s, i) => s + i.principal, 0),
        interestRate: r.interestRate,
        penaltyRate: r.penaltyRate,
        openedOn: r.openedOn,
        penaltyOnInterest: r.penaltyOnInterest,
        allocationOrder: r.allocationOrder,
        buckets: DEFAULT_BUCKETS,
        caps: r.caps,
      },
      installments,
      payments: r.payments.map((p, k) => ({
        ref: `P-${k + 1}`,
        receivedOn: r.openedOn + p.offset,
        amount: p.amount,
      })),
      asOf: r.openedOn + r.asOfOffset,
    };
  });

function effectiveRate(terms: AccountTerms): Rate {
  let r = terms.penaltyRate;
  const { penaltyRateMax, penaltyMarginMax } = terms.caps;
  if (penaltyRateMax && compareRates(penaltyRateMax, r) < 0) r = penaltyRateMax;
  if (penaltyMarginMax) {
    const m = addRates(terms.interestRate, penaltyMarginMax);
    if (compareRates(m, r) < 0) r = m;
  }
  return r;
}

const sum = (c: { principal: number; interest: number; fees: number; penalty: number }) =>
  c.principal + c.interest + c.fees + c.penalty;

interface Reference {
  charged: number[][];
  paid: number[][];
  allocations: { seq: number; component: Component; amount: number }[][];
  unapplied: number[];
  capReduction: number;
}

/**
 * The specification walked one day at a time with bigints: no pieces, no fast paths. Components are
 * indexed [principal, interest, fees, penalty].
 */
function reference({ terms, installments, payments, asOf }: Case): Reference {
  const inst = [...installments].sort((a, b) => a.due - b.due || a.seq - b.seq);
  const pays = payments.filter((p) => p.receivedOn <= asOf).sort((a, b) => a.receivedOn - b.receivedOn);
  const n = inst.length;
  const rate = effectiveRate(terms);
  const den = 10n ** BigInt(rate.scale) * 365n;
  const cap = terms.caps.annualCostRateMax;
  const acc = inst.map(() => 0n);
  const paid = inst.map(() => [0, 0, 0, 0]);
  const waived = inst.map(() => [0, 0, 0, 0]);
  let allowanceSum = 0n;
  let principalLeft = inst.reduce((s, i) => s + i.principal, 0);
  let headroom = Infinity;
  let capReduction = 0;
  const pen = (i: number) => Number(divRoundHalfUp(acc[i]! * rate.num, den));
  const scheduled = (i: number) => [inst[i]!.principal, inst[i]!.interest, inst[i]!.fees, pen(i)];
  const owed = (i: number, c: number) => scheduled(i)[c]! - waived[i]![c]! - paid[i]![c]!;

  const applyCap = (day: number) => {
    if (!cap) return;
    let charges = 0;
    for (let i = 0; i < n; i++) {
      waived[i] = [0, 0, 0, 0];
      charges +=
        inst[i]!.due <= day ? inst[i]!.interest + inst[i]!.fees + pen(i) : paid[i]![1]! + paid[i]![2]!;
    }
    const allowed = Number(divRoundHalfUp(allowanceSum * cap.num, 10n ** BigInt(cap.scale) * 365n));
    let excess = Math.max(0, charges - allowed);
    const total = excess;
    for (const c of [3, 2, 1]) {
      for (let i = n - 1; i >= 0; i--) {
        if (inst[i]!.due > day) continue;
        const take = Math.min(owed(i, c), excess);
        waived[i]![c] = take;
        excess -= take;
      }
    }
    capReduction = total - excess;
    headroom = Math.max(0, allowed - (charges - capReduction));
  };

  const allocations: Reference['allocations'] = [];
  const unapplied: number[] = [];
  const index: Record<Component, number> = { principal: 0, interest: 1, fees: 2, penalty: 3 };
  const first = Math.min(terms.openedOn, asOf, ...inst.map((i) => i.due), ...pays.map((p) => p.receivedOn));
  let k = 0;
  for (let day = first; day <= asOf; day++) {
    for (let i = 0; i < n; i++) {
      if (day <= inst[i]!.due) continue;
      const base =
        inst[i]!.principal - paid[i]![0]! + (terms.penaltyOnInterest ? inst[i]!.interest - paid[i]![1]! : 0);
      acc[i] = acc[i]! + BigInt(base);
    }
    if (day > terms.openedOn) allowanceSum += BigInt(principalLeft);
    for (; k < pays.length && pays[k]!.receivedOn === day; k++) {
      applyCap(day);
      let left = pays[k]!.amount;
      const list: Reference['allocations'][number] = [];
      for (let i = 0; i < n; i++) {
        for (const component of terms.allocationOrder) {
          const c = index[component];
          let amount = Math.min(owed(i, c), left);
          const limited = cap && inst[i]!.due > day && (c === 1 || c === 2);
          if (limited) amount = Math.min(amount, headroom);
          if (amount <= 0) continue;
          paid[i]![c]! += amount;
          if (c === 0) principalLeft -= amount;
          if (limited) headroom -= amount;
          left -= amount;
          list.push({ seq: inst[i]!.seq, component, amount });
        }
      }
      allocations.push(list);
      unapplied.push(left);
    }
  }
  applyCap(asOf);
  return {
    charged: inst.map((_, i) => scheduled(i).map((v, c) => v - waived[i]![c]!)),
    paid,
    allocations,
    unapplied,
    capReduction: cap ? capReduction : 0,
  };
}

const run = (c: Case, explain = true): Statement =>
  computeStatement(c.terms, c.installments, c.payments, c.asOf, { explain });

describe('computeStatement properties', () => {
  it('agrees with a day-by-day bigint walk of the specification', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const s = run(c, false);
        const ref = reference(c);
        expect(
          s.installments.map((i) => [
            i.charged.principal,
            i.charged.interest,
            i.charged.fees,
            i.charged.penalty,
          ]),
        ).toEqual(ref.charged);
        expect(
          s.installments.map((i) => [i.paid.principal, i.paid.interest, i.paid.fees, i.paid.penalty]),
        ).toEqual(ref.paid);
        expect(s.payments.map((p) => p.allocations)).toEqual(ref.allocations);
        expect(s.payments.map((p) => p.unapplied)).toEqual(ref.unapplied);
        expect(s.capReduction?.amount ?? 0).toBe(ref.capReduction);
      }),
      { numRuns: 400 },
    );
  });

  it('keeps the books balanced and nothing negative', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const s = run(c);
        for (const p of s.payments) {
          expect(p.unapplied).toBeGreaterThanOrEqual(0);
          for (const a of p.allocations) expect(a.amount).toBeGreaterThan(0);
          expect(p.allocations.reduce((t, a) => t + a.amount, 0)).toBe(p.amount - p.unapplied);
        }
        for (const line of s.installments) {
          for (const key of ['principal', 'interest', 'fees', 'penalty'] as const) {
            expect(line.charged[key]).toBeGreaterThanOrEqual(0);
            expect(line.paid[key]).toBeGreaterThanOrEqual(0);
            expect(line.outstanding[key]).toBeGreaterThanOrEqual(0);
            expect(line.outstanding[key]).toBe(line.charged[key] - line.paid[key]);
          }
          expect(line.daysPastDue).toBeGreaterThanOrEqual(0);
        }
        const received = c.payments.filter((p) => p.receivedOn <= c.asOf).reduce((t, p) => t + p.amount, 0);
        expect(s.installments.reduce((t, l) => t + sum(l.paid), 0) + s.credit).toBe(received);
        expect(s.credit).toBe(s.payments.reduce((t, p) => t + p.unapplied, 0));
        expect(s.overdue.total).toBe(sum(s.overdue));
        for (const v of [
          s.overdue.principal,
          s.overdue.interest,
          s.overdue.fees,
          s.overdue.penalty,
          s.payoff,
          s.credit,
        ]) {
          expect(v).toBeGreaterThanOrEqual(0);
        }
        expect(s.outstandingPrincipal).toBe(s.installments.reduce((t, l) => t + l.outstanding.principal, 0));
        expect(s.dpd).toBeGreaterThanOrEqual(0);
        expect(s.dpd).toBe(Math.max(0, ...s.installments.map((l) => l.daysPastDue)));
        expect(s.payoff).toBeGreaterThanOrEqual(s.overdue.total);
      }),
      { numRuns: 400 },
    );
  });

  it('is deterministic, and neither the explanation nor a summary changes a figure', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const a = run(c);
        expect(run(c)).toEqual(a);
        expect({ ...run(c, false), formula: a.formula }).toEqual(a);
        const summary = computeStatement(c.terms, c.installments, c.payments, c.asOf, { summary: true });
        expect(summary.installments).toEqual([]);
        expect(summary.formula).toEqual([]);
        for (const p of summary.payments) expect(p.allocations).toEqual([]);
        expect({
          ...summary,
          installments: a.installments,
          formula: a.formula,
          payments: summary.payments.map((p, k) => ({ ...p, allocations: a.payments[k]!.allocations })),
        }).toEqual(a);
        expect(a.formula.at(-1)).toMatch(/^Bucket = /);
      }),
      { numRuns: 200 },
    );
  });

  it('charges penalty only on overdue principal, at most one minor unit above the exact amount', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const s = run(c, false);
        const rate = effectiveRate(c.terms);
        const den = 10n ** BigInt(rate.scale) * 365n;
        // Rebuild each installment's unpaid principal (and interest, if it bears penalty) from the reported
        // allocations, and count its base-days after the due date.
        for (const line of s.installments) {
          const input = c.installments.find((i) => i.seq === line.seq)!;
          if (line.due >= c.asOf) {
            expect(line.charged.penalty).toBe(0);
            continue;
          }
          const reductions = s.payments.flatMap((p) =>
            p.allocations
              .filter(
                (a) =>
                  a.seq === line.seq &&
                  (a.component === 'principal' || (c.terms.penaltyOnInterest && a.component === 'interest')),
              )
              .map((a) => ({ day: p.receivedOn, amount: a.amount })),
          );
          // A reduction on day p counts from day p + 1; those on or before the due date from the start.
          let unpaid = input.principal + (c.terms.penaltyOnInterest ? input.interest : 0);
          for (const r of reductions) if (r.day <= line.due) unpaid -= r.amount;
          let baseDays = 0n;
          for (let day = line.due + 1; day <= c.asOf; day++) {
            baseDays += BigInt(unpaid);
            for (const r of reductions) if (r.day === day) unpaid -= r.amount;
          }
          expect(BigInt(line.charged.penalty) * den).toBeLessThanOrEqual(baseDays * rate.num + den);
        }
      }),
      { numRuns: 300 },
    );
  });
  it('keeps what is charged within the annual cost allowance', () => {
    const capped = fc
      .tuple(caseArb, rateArb)
      .map(([c, r]) => ({ ...c, terms: { ...c.terms, caps: { ...c.terms.caps, annualCostRateMax: r } } }));
    fc.assert(
      fc.property(capped, (c) => {
        const s = run(c, false);
        const cap = c.terms.caps.annualCostRateMax;
        // Principal outstanding at the end of each day, from the reported principal allocations.
        let left = c.installments.reduce((t, i) => t + i.principal, 0);
        const repaid = s.payments.map((p) => ({
          day: p.receivedOn,
          amount: p.allocations.filter((a) => a.component === 'principal').reduce((t, a) => t + a.amount, 0),
        }));
        for (const r of repaid) if (r.day <= c.terms.openedOn) left -= r.amount;
        let principalDays = 0n;
        for (let day = c.terms.openedOn + 1; day <= c.asOf; day++) {
          principalDays += BigInt(left);
          for (const r of repaid) if (r.day === day) left -= r.amount;
        }
        const allowed = divRoundHalfUp(principalDays * cap.num, 10n ** BigInt(cap.scale) * 365n);
        let charges = 0;
        for (const l of s.installments) {
          charges +=
            l.due <= c.asOf
              ? l.charged.interest + l.charged.fees + l.charged.penalty
              : l.paid.interest + l.paid.fees;
        }
        expect(BigInt(charges)).toBeLessThanOrEqual(allowed);
      }),
      { numRuns: 300 },
    );
  });
});
