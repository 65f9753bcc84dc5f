import { describe, expect, it } from 'vitest';
import { toDay } from '../calendar/index.js';
import { parseRate, type Rate } from '../money/index.js';
import {
  bucketFor,
  computeStatement,
  DEFAULT_ALLOCATION_ORDER,
  DEFAULT_BUCKETS,
  type AccountTerms,
  type InstallmentInput,
  type PaymentInput,
  type Statement,
} from './index.js';

function rate(text: string): Rate {
  const r = parseRate(text);
  if (!r.ok) throw new Error(r.message);
  return r.value;
}

function terms(over: Partial<AccountTerms> = {}): AccountTerms {
  return {
    currency: 'CNY',
    principal: 0,
    interestRate: rate('0.18'),
    penaltyRate: rate('0.27'),
    openedOn: toDay('2026-01-01'),
    penaltyOnInterest: false,
    allocationOrder: DEFAULT_ALLOCATION_ORDER,
    buckets: DEFAULT_BUCKETS,
    caps: {},
    ...over,
  };
}

function inst(seq: number, due: string, principal: number, interest = 0, fees = 0): InstallmentInput {
  return { seq, due: toDay(due), principal, interest, fees };
}

function pay(ref: string, on: string, amount: number): PaymentInput {
  return { ref, receivedOn: toDay(on), amount };
}

const at = (s: Statement, seq: number) => s.installments.find((i) => i.seq === seq)!;

describe('example 1: CNY loan, 27% penalty on overdue principal only', () => {
  // Opened 2026-09-10; 2000.00 principal at 18%; installments 2026-10-10 (1000.00 + 30.00 interest) and
  // 2026-11-10 (1000.00 + 15.00); 600.00 received 2026-11-01; statement as of 2026-11-22.
  //
  // Installment 1, 2026-10-11 … 2026-11-01 = 21 + 1 = 22 days on 1000.00:
  //   100000 × 0.27 × 22 / 365 = 594000 / 365 = 1627.397 fen → 16.27 owed at the payment.
  // Payment 600.00 (fees → penalty → interest → principal): 16.27 penalty, 30.00 interest,
  //   600.00 − 16.27 − 30.00 = 553.73 principal → 1000.00 − 553.73 = 446.27 left.
  // Installment 1, 2026-11-02 … 2026-11-22 = 21 days on 446.27:
  //   44627 × 0.27 × 21 / 365 = 253035.09 / 365 = 693.247 fen.
  //   Exact total (2200000 + 937167) × 27 / 36500 = 84703509 / 36500 = 2320.644 fen → 23.21 charged,
  //   23.21 − 16.27 paid = 6.94 owed (rounding the second piece alone would have given 6.93).
  // Installment 2, 2026-11-11 … 2026-11-22 = 12 days on 1000.00: 100000 × 0.27 × 12 / 365 = 887.671 → 8.88.
  //   Nothing accrued on its 1000.00 between 2026-10-11 and 2026-11-10, when it was not yet due.
  // DPD = 2026-11-22 − 2026-10-10 = 21 + 22 = 43 → M2 (31–60).
  // Overdue: principal 446.27 + 1000.00 = 1446.27; interest 0 + 15.00; fees 0; penalty 6.94 + 8.88 = 15.82;
  //   total 1446.27 + 15.00 + 15.82 = 1477.09 = payoff (nothing is not yet due).
  const t = terms({ principal: 200000, openedOn: toDay('2026-09-10') });
  const schedule = [inst(1, '2026-10-10', 100000, 3000), inst(2, '2026-11-10', 100000, 1500)];
  const payments = [pay('P-1', '2026-11-01', 60000)];
  const s = computeStatement(t, schedule, payments, toDay('2026-11-22'));

  it('has DPD 43 in bucket M2', () => {
    expect(s.dpd).toBe(43);
    expect(s.bucket).toBe('M2');
  });

  it('allocates the payment penalty, interest, principal', () => {
    expect(s.payments).toEqual([
      {
        ref: 'P-1',
        receivedOn: toDay('2026-11-01'),
        amount: 60000,
        allocations: [
          { seq: 1, component: 'penalty', amount: 1627 },
          { seq: 1, component: 'interest', amount: 3000 },
          { seq: 1, component: 'principal', amount: 55373 },
        ],
        unapplied: 0,
      },
    ]);
  });

  it('charges each penalty to the cent', () => {
    expect(at(s, 1)).toMatchObject({
      charged: { principal: 100000, interest: 3000, fees: 0, penalty: 2321 },
      paid: { principal: 55373, interest: 3000, fees: 0, penalty: 1627 },
      outstanding: { principal: 44627, interest: 0, fees: 0, penalty: 694 },
      status: 'overdue',
      daysPastDue: 43,
    });
    expect(at(s, 2)).toMatchObject({
      charged: { principal: 100000, interest: 1500, fees: 0, penalty: 888 },
      outstanding: { principal: 100000, interest: 1500, fees: 0, penalty: 888 },
      status: 'overdue',
      daysPastDue: 12,
    });
  });

  it('totals the overdue amounts', () => {
    expect(s.overdue).toEqual({ principal: 144627, interest: 1500, fees: 0, penalty: 1582, total: 147709 });
    expect(s.outstandingPrincipal).toBe(144627);
    expect(s.payoff).toBe(147709);
    expect(s.credit).toBe(0);
    expect(s.capReduction).toBeNull();
  });

  it('never charges penalty on the 1000.00 not yet due', () => {
    // Had the whole remaining 2000.00 borne penalty (the document-003 claim), the payment day alone would owe
    // 200000 × 0.27 × 22 / 365 = 3254.79 fen. The engine owes 16.27, the first installment's share only.
    expect(s.payments[0]!.allocations[0]!.amount).toBe(1627);
    const onDue = computeStatement(t, schedule, payments, toDay('2026-11-10'));
    expect(at(onDue, 2).charged.penalty).toBe(0);
    expect(at(onDue, 2).status).toBe('due_today');
    expect(onDue.formula).toContain('Installment 2 (due 2026-11-10): due today, no penalty yet');
    const before = computeStatement(t, schedule, payments, toDay('2026-11-05'));
    expect(before.formula).toContain(
      'Installment 2 (due 2026-11-10): not yet due, so no penalty on its 1000.00 unpaid principal',
    );
  });

  it('explains every figure', () => {
    expect(s.formula).toEqual([
      'Statement as of 2026-11-22, amounts in CNY',
      'Penalty interest: 27% a year on overdue principal only, for each day after the due date (principal not yet due bears none); a payment reduces the balance from the day after it is received',
      'Penalty owed on 2026-11-01, installment 1: 1000.00 unpaid principal × 27% ÷ 365 × 22 days (2026-10-11 to 2026-11-01) = 16.27',
      'Payment P-1 of 600.00 on 2026-11-01: 16.27 penalty, 30.00 interest, 553.73 principal to installment 1',
      'Installment 1 (due 2026-10-10): penalty = 1000.00 unpaid principal × 27% ÷ 365 × 22 days (2026-10-11 to 2026-11-01) + 446.27 unpaid principal × 27% ÷ 365 × 21 days (2026-11-02 to 2026-11-22) = 23.21; 16.27 paid, 6.94 owed',
      'Installment 2 (due 2026-11-10): penalty = 1000.00 unpaid principal × 27% ÷ 365 × 12 days (2026-11-11 to 2026-11-22) = 8.88; 0.00 paid, 8.88 owed',
      'Overdue (installments due on or before 2026-11-22): principal 1446.27 + interest 15.00 + fees 0.00 + penalty 15.82 = 1477.09',
      'Principal not yet repaid = 2000.00 scheduled − 553.73 repaid = 1446.27',
      'Payoff today = overdue 1477.09 + principal not yet due 0.00 = 1477.09 (interest of installments not yet due is not owed early)',
      'Days past due = 2026-11-22 − 2026-10-10 (due date of installment 1, the oldest unpaid) = 43',
      'Bucket = M2 (31–60 days past due)',
    ]);
  });

  it('gives the same figures without the explanation', () => {
    const quiet = computeStatement(t, schedule, payments, toDay('2026-11-22'), { explain: false });
    expect(quiet.formula).toEqual([]);
    expect({ ...quiet, formula: s.formula }).toEqual(s);
  });
});

describe('example 2: partial payments across two installments', () => {
  // USD, penalty 36.5% a year = 0.1% a day. Installment 1 due 2026-02-01: 500.00 + 10.00 interest + 5.00 fees;
  // installment 2 due 2026-03-01: 500.00 + 5.00 interest.
  // P-1 200.00 on 2026-02-11: penalty 500.00 × 0.1% × 10 days (02-02 … 02-11) = 5.00;
  //   allocated 5.00 fees, 5.00 penalty, 10.00 interest, 180.00 principal → 320.00 left on installment 1.
  // P-2 400.00 on 2026-03-11: installment 1 penalty 320.00 × 0.1% × 28 days (02-12 … 03-11: 17 + 11) = 8.96;
  //   installment 2 penalty 500.00 × 0.1% × 10 days (03-02 … 03-11) = 5.00.
  //   Allocated 8.96 penalty + 320.00 principal to installment 1 (328.96), then the remaining 71.04 to
  //   installment 2: 5.00 penalty, 5.00 interest, 61.04 principal → 438.96 left.
  // As of 2026-03-21: installment 2 adds 438.96 × 0.1% × 10 days (03-12 … 03-21) = 4.3896;
  //   exact total 5.00 + 4.3896 = 9.3896 → 9.39, 5.00 paid, 4.39 owed. Installment 1 is paid off (13.96 penalty).
  // DPD = 2026-03-21 − 2026-03-01 = 20 → M1. Overdue 438.96 + 4.39 = 443.35.
  const s = computeStatement(
    terms({ currency: 'USD', penaltyRate: rate('0.365') }),
    [inst(1, '2026-02-01', 50000, 1000, 500), inst(2, '2026-03-01', 50000, 500)],
    [pay('P-1', '2026-02-11', 20000), pay('P-2', '2026-03-11', 40000)],
    toDay('2026-03-21'),
  );

  it('allocates each payment oldest installment first', () => {
    expect(s.payments.map((p) => p.allocations)).toEqual([
      [
        { seq: 1, component: 'fees', amount: 500 },
        { seq: 1, component: 'penalty', amount: 500 },
        { seq: 1, component: 'interest', amount: 1000 },
        { seq: 1, component: 'principal', amount: 18000 },
      ],
      [
        { seq: 1, component: 'penalty', amount: 896 },
        { seq: 1, component: 'principal', amount: 32000 },
        { seq: 2, component: 'penalty', amount: 500 },
        { seq: 2, component: 'interest', amount: 500 },
        { seq: 2, component: 'principal', amount: 6104 },
      ],
    ]);
  });

  it('leaves installment 1 paid and installment 2 overdue', () => {
    expect(at(s, 1)).toMatchObject({
      charged: { principal: 50000, interest: 1000, fees: 500, penalty: 1396 },
      outstanding: { principal: 0, interest: 0, fees: 0, penalty: 0 },
      status: 'paid',
      daysPastDue: 0,
    });
    expect(at(s, 2)).toMatchObject({
      charged: { principal: 50000, interest: 500, fees: 0, penalty: 939 },
      outstanding: { principal: 43896, interest: 0, fees: 0, penalty: 439 },
      status: 'overdue',
      daysPastDue: 20,
    });
    expect(s.dpd).toBe(20);
    expect(s.bucket).toBe('M1');
    expect(s.overdue).toEqual({ principal: 43896, interest: 0, fees: 0, penalty: 439, total: 44335 });
  });

  it('explains the pieces and the payment that straddles two installments', () => {
    expect(s.formula).toContain(
      'Payment P-2 of 400.00 on 2026-03-11: 8.96 penalty, 320.00 principal to installment 1; 5.00 penalty, 5.00 interest, 61.04 principal to installment 2',
    );
    expect(s.formula).toContain(
      'Penalty owed on 2026-03-11, installment 1: 500.00 unpaid principal × 36.5% ÷ 365 × 10 days (2026-02-02 to 2026-02-11) + 320.00 unpaid principal × 36.5% ÷ 365 × 28 days (2026-02-12 to 2026-03-11) = 13.96 − 5.00 already paid = 8.96',
    );
    expect(s.formula).toContain(
      'Installment 1 (due 2026-02-01): penalty = 500.00 unpaid principal × 36.5% ÷ 365 × 10 days (2026-02-02 to 2026-02-11) + 320.00 unpaid principal × 36.5% ÷ 365 × 28 days (2026-02-12 to 2026-03-11) + 0.00 unpaid principal × 36.5% ÷ 365 × 10 days (2026-03-12 to 2026-03-21) = 13.96; 13.96 paid, 0.00 owed',
    );
  });
});

describe('example 3: KRW, no minor unit, half-up rounding', () => {
  // 18.25% a year = 0.05% a day. 1,000,200 won overdue 5 days (2026-03-11 … 2026-03-15):
  //   1000200 × 0.1825 × 5 / 365 = 1000200 × 0.0025 = 2500.5 won exactly → 2501 (half-up; half-even would say 2500).
  const t = terms({ currency: 'KRW', interestRate: rate('0.12'), penaltyRate: rate('0.1825') });
  const s = computeStatement(t, [inst(1, '2026-03-10', 1000200)], [], toDay('2026-03-15'));

  it('rounds x.5 won up', () => {
    expect(at(s, 1).charged.penalty).toBe(2501);
    expect(s.overdue).toEqual({ principal: 1000200, interest: 0, fees: 0, penalty: 2501, total: 1002701 });
    expect(s.formula).toContain(
      'Installment 1 (due 2026-03-10): penalty = 1000200 unpaid principal × 18.25% ÷ 365 × 5 days (2026-03-11 to 2026-03-15) = 2501; 0 paid, 2501 owed',
    );
  });

  it('rounds the exact total, not each piece', () => {
    // On 03-12 the penalty owed is 1000200 × 0.0005 × 2 = 1000.2 → 1000 won; a 200-won payment goes all to it.
    // By 03-15 the exact total is 2500.5 → 2501, of which 200 paid, 2301 owed. Rounding each piece instead
    // (1000.2 → 1000, 1500.3 → 1500) would have given 2500.
    const p = computeStatement(
      t,
      [inst(1, '2026-03-10', 1000200)],
      [pay('W', '2026-03-12', 200)],
      toDay('2026-03-15'),
    );
    expect(p.payments[0]!.allocations).toEqual([{ seq: 1, component: 'penalty', amount: 200 }]);
    expect(at(p, 1).charged.penalty).toBe(2501);
    expect(at(p, 1).outstanding.penalty).toBe(2301);
  });

  it('stays exact past the double-precision range', () => {
    // 4e15 won × 3650 days = 1.46e19 won-days, far past 2^53.
    // At 0.000000000001 (scale 12) a year: 4e15 × 3650 × 1e-12 / 365 = 4e16 × 1e-12 = 40000 won exactly.
    const big = computeStatement(
      terms({ currency: 'KRW', penaltyRate: { num: 1n, scale: 12 } }),
      [inst(1, '2026-01-01', 4_000_000_000_000_000)],
      [],
      toDay('2026-01-01') + 3650,
      { explain: false },
    );
    expect(at(big, 1).charged.penalty).toBe(40000);
    // One day at 27%: 4e15 × 27 = 1.08e17 is past 2^53 too, so the rounding itself runs on bigints.
    const big2 = computeStatement(
      terms({ currency: 'KRW', penaltyRate: rate('0.27') }),
      [inst(1, '2026-01-01', 4_000_000_000_000_000)],
      [],
      toDay('2026-01-01') + 1,
      { explain: false },
    );
    // 4e15 × 0.27 / 365 = 2958904109589.041… → 2958904109589
    expect(at(big2, 1).charged.penalty).toBe(2958904109589);
  });
});

describe('example 4: DPD and bucket edges', () => {
  const due = '2026-01-10';
  const cases: [number, string][] = [
    [0, 'M0'],
    [1, 'M1'],
    [30, 'M1'],
    [31, 'M2'],
    [180, 'M6'],
    [181, 'M7+'],
  ];
  it.each(cases)('%i days after the due date is bucket %s', (days, bucket) => {
    const s = computeStatement(terms(), [inst(1, due, 10000)], [], toDay(due) + days, { explain: false });
    expect(s.dpd).toBe(days);
    expect(s.bucket).toBe(bucket);
    expect(at(s, 1).status).toBe(days === 0 ? 'due_today' : 'overdue');
  });

  it('counts nothing before the due date', () => {
    const s = computeStatement(terms(), [inst(1, due, 10000)], [], toDay(due) - 1);
    expect(s).toMatchObject({ dpd: 0, bucket: 'M0', payoff: 10000, overdue: { total: 0 } });
    expect(at(s, 1).status).toBe('not_due');
    expect(s.formula).toContain('Days past due = 0 (the oldest unpaid installment, 1, is not past due)');
  });

  it('finds buckets by inclusive bounds and throws on a gap', () => {
    expect(bucketFor(0, DEFAULT_BUCKETS)).toBe('M0');
    expect(bucketFor(60, DEFAULT_BUCKETS)).toBe('M2');
    expect(bucketFor(10_000, DEFAULT_BUCKETS)).toBe('M7+');
    const gappy = [
      { name: 'current', minDpd: 0, maxDpd: 0 },
      { name: 'late', minDpd: 2, maxDpd: null },
    ];
    expect(() => bucketFor(1, gappy)).toThrow(RangeError);
    expect(() =>
      computeStatement(terms({ buckets: gappy }), [inst(1, due, 100)], [], toDay(due) + 1),
    ).toThrow(RangeError);
  });
});

describe('example 5: caps', () => {
  it('penaltyRateMax lowers the contract penalty rate and says so', () => {
    // KRW, contract penalty 30%, cap 20%. 1,000,000 won overdue 73 days (02-01 … 04-14):
    //   1000000 × 0.20 × 73 / 365 = 1000000 × 0.04 = 40000 won (the contract rate would give 60000).
    const s = computeStatement(
      terms({
        currency: 'KRW',
        penaltyRate: rate('0.3'),
        caps: { penaltyRateMax: rate('0.2'), source: 'KR Interest Limitation Act (20%)' },
      }),
      [inst(1, '2026-01-31', 1000000)],
      [],
      toDay('2026-04-14'),
    );
    expect(at(s, 1).charged.penalty).toBe(40000);
    expect(s.formula).toContain(
      "Penalty rate = 20% a year: the contract's 30% is lowered to the cap of 20% (KR Interest Limitation Act (20%))",
    );
    expect(s.formula).toContain(
      'Installment 1 (due 2026-01-31): penalty = 1000000 unpaid principal × 20% ÷ 365 × 73 days (2026-02-01 to 2026-04-14) = 40000; 0 paid, 40000 owed',
    );
    expect(s.capReduction).toBeNull();
  });

  it('penaltyMarginMax holds the penalty to the interest rate + 2 points (ES)', () => {
    // EUR, interest 10%, contract penalty 20%, margin 2 pp → 12%. 1000.00 overdue 30 days (03-02 … 03-31):
    //   100000 × 0.12 × 30 / 365 = 360000 / 365 = 986.30 cents → 9.86 (the contract 20% would give 16.44).
    const s = computeStatement(
      terms({
        currency: 'EUR',
        interestRate: rate('0.1'),
        penaltyRate: rate('0.2'),
        caps: { penaltyMarginMax: rate('0.02'), source: 'ES Supreme Court STS 265/2015' },
      }),
      [inst(1, '2026-03-01', 100000)],
      [],
      toDay('2026-03-31'),
    );
    expect(at(s, 1).charged.penalty).toBe(986);
    expect(s.formula).toContain(
      "Penalty rate = 12% a year: the contract's 20% is lowered to the contract interest rate 10% + 2 percentage points = 12% (ES Supreme Court STS 265/2015)",
    );
  });

  it('a cap above the contract rate changes nothing', () => {
    const s = computeStatement(
      terms({ caps: { penaltyRateMax: rate('0.3'), penaltyMarginMax: rate('0.2') } }),
      [inst(1, '2026-03-01', 100000)],
      [],
      toDay('2026-03-31'),
    );
    // 100000 × 0.27 × 30 / 365 = 2219.18 → 22.19
    expect(at(s, 1).charged.penalty).toBe(2219);
    expect(s.formula.some((l) => l.includes('lowered'))).toBe(false);
  });

  describe('annualCostRateMax waives charges above the allowance', () => {
    // USD, opened 2026-01-01, penalty 36.5% and cap 36.5% (both 0.1% a day).
    // Installment 1 due 2026-01-31: 500.00 + 5.00 interest + 40.00 fees; installment 2 due 2026-03-02: same.
    // Payment P-1 100.00 on 2026-02-10:
    //   allowance = 1000.00 × 0.1% × 40 days (01-02 … 02-10) = 40.00;
    //   charges = 5.00 interest + 40.00 fees + 500.00 × 0.1% × 10 days (02-01 … 02-10) = 5.00 penalty = 50.00;
    //   excess 10.00 waived: 5.00 penalty, then 5.00 of installment 1's fees. The payment pays 35.00 fees,
    //   5.00 interest, 60.00 principal → 440.00 left; nothing above the cap was paid.
    // As of 2026-03-12:
    //   allowance = 40.00 + 940.00 × 0.1% × 30 days (02-11 … 03-12) = 40.00 + 28.20 = 68.20;
    //   penalty 1 = 5.00 + 440.00 × 0.1% × 30 = 5.00 + 13.20 = 18.20; penalty 2 = 500.00 × 0.1% × 10 (03-03 … 03-12) = 5.00;
    //   charges = 10.00 interest + 80.00 fees + 23.20 penalty = 113.20; excess 113.20 − 68.20 = 45.00, waived
    //   as penalty 5.00 (installment 2) + 18.20 (installment 1), then fees 21.80 (installment 2, newest first).
    //   Installment 1 owes 440.00 + 5.00 fees; installment 2 owes 500.00 + 5.00 interest + 18.20 fees.
    //   Overdue 440.00 + 500.00 + 5.00 + 23.20 = 968.20; charges paid 40.00 + unpaid 28.20 = 68.20 = allowance.
    const t = terms({
      currency: 'USD',
      penaltyRate: rate('0.365'),
      caps: { annualCostRateMax: rate('0.365'), source: 'Consumer credit cost cap (36.5%)' },
    });
    const schedule = [inst(1, '2026-01-31', 50000, 500, 4000), inst(2, '2026-03-02', 50000, 500, 4000)];
    const s = computeStatement(t, schedule, [pay('P-1', '2026-02-10', 10000)], toDay('2026-03-12'));

    it('never lets a payment pay above the cap', () => {
      expect(s.payments[0]!.allocations).toEqual([
        { seq: 1, component: 'fees', amount: 3500 },
        { seq: 1, component: 'interest', amount: 500 },
        { seq: 1, component: 'principal', amount: 6000 },
      ]);
      expect(s.formula).toContain(
        'Annual cost cap on 2026-02-10 (Consumer credit cost cap (36.5%)): allowance = 1000.00 principal outstanding × 36.5% ÷ 365 × 40 days (2026-01-02 to 2026-02-10) = 40.00; charges fallen due (interest, fees, penalty) = 50.00; excess 50.00 − 40.00 = 10.00 waived before allocating payment P-1 (5.00 penalty, 5.00 fees)',
      );
    });

    it('reduces unpaid penalty, then fees, newest installment first', () => {
      expect(s.capReduction).toEqual({ amount: 4500, rule: 'Consumer credit cost cap (36.5%)' });
      expect(at(s, 1)).toMatchObject({
        charged: { principal: 50000, interest: 500, fees: 4000, penalty: 0 },
        paid: { principal: 6000, interest: 500, fees: 3500, penalty: 0 },
        outstanding: { principal: 44000, interest: 0, fees: 500, penalty: 0 },
      });
      expect(at(s, 2)).toMatchObject({
        charged: { principal: 50000, interest: 500, fees: 1820, penalty: 0 },
        outstanding: { principal: 50000, interest: 500, fees: 1820, penalty: 0 },
      });
      expect(s.overdue).toEqual({ principal: 94000, interest: 500, fees: 2320, penalty: 0, total: 96820 });
      expect(s.formula).toContain(
        'Annual cost cap on 2026-03-12 (Consumer credit cost cap (36.5%)): allowance = 1000.00 principal outstanding × 36.5% ÷ 365 × 40 days (2026-01-02 to 2026-02-10) + 940.00 principal outstanding × 36.5% ÷ 365 × 30 days (2026-02-11 to 2026-03-12) = 68.20; charges fallen due (interest, fees, penalty) = 113.20; excess 113.20 − 68.20 = 45.00 waived (23.20 penalty, 21.80 fees)',
      );
      expect(s.formula).toContain(
        'Installment 1 (due 2026-01-31): penalty = 500.00 unpaid principal × 36.5% ÷ 365 × 10 days (2026-02-01 to 2026-02-10) + 440.00 unpaid principal × 36.5% ÷ 365 × 30 days (2026-02-11 to 2026-03-12) = 18.20 − 18.20 waived by the cap = 0.00; 0.00 paid, 0.00 owed',
      );
    });

    it('applies on a due date and reports when charges stay within the allowance', () => {
      const early = computeStatement(t, schedule, [], toDay('2026-01-31'));
      // allowance 1000.00 × 0.1% × 30 days = 30.00; charges 5.00 + 40.00 = 45.00 → 15.00 waived from fees
      expect(early.capReduction).toEqual({ amount: 1500, rule: 'Consumer credit cost cap (36.5%)' });
      const later = computeStatement(
        terms({ ...t, caps: { annualCostRateMax: rate('1') } }),
        schedule,
        [],
        toDay('2026-01-31'),
      );
      // allowance 1000.00 × 100% × 30 / 365 = 82.19 ≥ 45.00
      expect(later.capReduction).toBeNull();
      expect(later.formula).toContain(
        'Annual cost cap on 2026-01-31 (annual cost cap): allowance = 1000.00 principal outstanding × 100% ÷ 365 × 30 days (2026-01-02 to 2026-01-31) = 82.19; charges fallen due (interest, fees, penalty) = 45.00, within the allowance',
      );
    });
  });
});

describe('example 6: penalty on interest', () => {
  // USD 36.5% (0.1% a day); 1000.00 principal + 100.00 interest overdue 10 days:
  //   off: 1000.00 × 0.1% × 10 = 10.00; on: (1000.00 + 100.00) × 0.1% × 10 = 11.00.
  const schedule = [inst(1, '2026-05-01', 100000, 10000)];
  const asOf = toDay('2026-05-11');
  it.each([
    [false, 1000],
    [true, 1100],
  ])('penaltyOnInterest %s charges %i', (on, penalty) => {
    const s = computeStatement(
      terms({ currency: 'USD', penaltyRate: rate('0.365'), penaltyOnInterest: on }),
      schedule,
      [],
      asOf,
    );
    expect(at(s, 1).charged.penalty).toBe(penalty);
    if (on)
      expect(s.formula.join('\n')).toContain('1100.00 unpaid principal and interest × 36.5% ÷ 365 × 10 days');
  });

  it('stops compounding once the interest is paid', () => {
    // A 105.00 payment on 05-06 pays 5.50 penalty (1100.00 × 0.1% × 5), then 99.50 of the 100.00 interest.
    // 05-07 … 05-11: base 1000.00 + 0.50 = 1000.50 × 0.1% × 5 = 5.0025 → total 10.5025 → 10.50.
    const s = computeStatement(
      terms({ currency: 'USD', penaltyRate: rate('0.365'), penaltyOnInterest: true }),
      schedule,
      [pay('P', '2026-05-06', 10500)],
      asOf,
    );
    expect(s.payments[0]!.allocations).toEqual([
      { seq: 1, component: 'penalty', amount: 550 },
      { seq: 1, component: 'interest', amount: 9950 },
    ]);
    expect(at(s, 1).charged.penalty).toBe(1050);
  });
});

describe('example 7: overpayment becomes credit', () => {
  // 100.00 + 1.00 interest due 2026-06-30, 150.00 paid early on 2026-06-01: 1.00 interest, 100.00 principal,
  // 49.00 unapplied. Nothing owed, DPD 0, credit 49.00.
  const s = computeStatement(
    terms({ currency: 'USD' }),
    [inst(1, '2026-06-30', 10000, 100)],
    [pay('P-9', '2026-06-01', 15000)],
    toDay('2026-07-15'),
  );
  it('holds the rest as credit', () => {
    expect(s.payments[0]).toMatchObject({
      allocations: [
        { seq: 1, component: 'interest', amount: 100 },
        { seq: 1, component: 'principal', amount: 10000 },
      ],
      unapplied: 4900,
    });
    expect(s).toMatchObject({ credit: 4900, dpd: 0, bucket: 'M0', payoff: 0, outstandingPrincipal: 0 });
    expect(at(s, 1).status).toBe('paid');
    expect(s.formula).toContain(
      'Payment P-9 of 150.00 on 2026-06-01: 1.00 interest, 100.00 principal to installment 1; 49.00 unapplied (credit)',
    );
    expect(s.formula).toContain('Credit from overpayment = 49.00, held for the debtor and not applied');
    expect(s.formula).toContain(
      'Installment 1 (due 2026-06-30): no unpaid principal left after the due date, so no penalty',
    );
  });
});

describe('example 8: payments after the as-of date', () => {
  it('are ignored entirely', () => {
    const t = terms({ currency: 'USD' });
    const schedule = [inst(1, '2026-06-30', 10000, 100)];
    const asOf = toDay('2026-07-15');
    const without = computeStatement(t, schedule, [], asOf);
    const withLater = computeStatement(t, schedule, [pay('LATE', '2026-07-16', 5000)], asOf);
    expect(withLater).toEqual(without);
    expect(withLater.payments).toEqual([]);
    expect(withLater.dpd).toBe(15);
  });

  it('counts a payment received on the as-of date, after that day accrues', () => {
    // 100.00 at 27%: 15 days (07-01 … 07-15) = 10000 × 0.27 × 15 / 365 = 110.96 cents → 1.11 paid from the payment.
    const s = computeStatement(
      terms({ currency: 'USD' }),
      [inst(1, '2026-06-30', 10000)],
      [pay('P', '2026-07-15', 1000)],
      toDay('2026-07-15'),
    );
    expect(s.payments[0]!.allocations[0]).toEqual({ seq: 1, component: 'penalty', amount: 111 });
  });
});

describe('example 9: custom allocation order, principal first', () => {
  // Example 1 with principal → interest → fees → penalty: the 600.00 goes all to installment 1's principal,
  // leaving 400.00 from 2026-11-02. Installment 1 penalty exact:
  //   (100000 × 22 + 40000 × 21) × 27 / 36500 = 3040000 × 27 / 36500 = 2248.767 fen → 22.49, all unpaid.
  const s = computeStatement(
    terms({ openedOn: toDay('2026-09-10'), allocationOrder: ['principal', 'interest', 'fees', 'penalty'] }),
    [inst(1, '2026-10-10', 100000, 3000), inst(2, '2026-11-10', 100000, 1500)],
    [pay('P-1', '2026-11-01', 60000)],
    toDay('2026-11-22'),
  );
  it('pays principal before anything else', () => {
    expect(s.payments[0]!.allocations).toEqual([{ seq: 1, component: 'principal', amount: 60000 }]);
    expect(at(s, 1).outstanding).toEqual({ principal: 40000, interest: 3000, fees: 0, penalty: 2249 });
    expect(s.formula).toContain(
      'Installment 1 (due 2026-10-10): penalty = 1000.00 unpaid principal × 27% ÷ 365 × 22 days (2026-10-11 to 2026-11-01) + 400.00 unpaid principal × 27% ÷ 365 × 21 days (2026-11-02 to 2026-11-22) = 22.49; 0.00 paid, 22.49 owed',
    );
  });

  it('keeps an installment past due while only penalty is left', () => {
    // 1000.00 + 30.00 paid on 2026-11-01 leaves only installment 1's 16.27 penalty (22 days on 1000.00).
    const t = terms({
      openedOn: toDay('2026-09-10'),
      allocationOrder: ['principal', 'interest', 'fees', 'penalty'],
    });
    const r = computeStatement(
      t,
      [inst(1, '2026-10-10', 100000, 3000)],
      [pay('P', '2026-11-01', 103000)],
      toDay('2026-11-22'),
    );
    expect(at(r, 1).outstanding).toEqual({ principal: 0, interest: 0, fees: 0, penalty: 1627 });
    expect(r.dpd).toBe(43);
    expect(r.overdue.total).toBe(1627);
  });

  it('rejects an order that does not list each component once', () => {
    expect(() =>
      computeStatement(terms({ allocationOrder: ['principal', 'principal', 'fees', 'penalty'] }), [], [], 0),
    ).toThrow(RangeError);
  });
});

describe('input handling', () => {
  it('sorts installments by due date and payments by receipt date (stable)', () => {
    const t = terms({ currency: 'USD' });
    const a = computeStatement(
      t,
      [inst(2, '2026-03-01', 500), inst(1, '2026-02-01', 500)],
      [pay('B', '2026-02-15', 300), pay('A', '2026-02-10', 100), pay('C', '2026-02-15', 50)],
      toDay('2026-03-10'),
    );
    expect(a.installments.map((i) => i.seq)).toEqual([1, 2]);
    expect(a.payments.map((p) => p.ref)).toEqual(['A', 'B', 'C']);
  });

  it('rejects negative or fractional amounts', () => {
    expect(() => computeStatement(terms(), [inst(1, '2026-01-01', -1)], [], 0)).toThrow(RangeError);
    expect(() =>
      computeStatement(terms(), [inst(1, '2026-01-01', 1)], [pay('x', '2026-01-01', 1.5)], 0),
    ).toThrow(RangeError);
  });
});
