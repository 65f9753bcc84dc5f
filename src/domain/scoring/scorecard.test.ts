import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectedRecovery, propensityOf, scoreAccount, type ScoringFacts } from './scorecard.js';

const facts = (over: Partial<ScoringFacts> = {}): ScoringFacts => ({
  dpd: 15,
  paymentsLast90Days: 1,
  promisesKept: 0,
  promisesBroken: 0,
  hasPhone: true,
  hasEmail: true,
  ...over,
});

describe('rule-based propensity scorecard rules-1', () => {
  it('worked example 1: early arrears, one recent payment, reachable', () => {
    // −1.0 (intercept) + 1.0 (1-30 DPD) + 0.3 (1 payment) + 0.2 (phone) + 0.1 (e-mail) = 0.6
    const s = scoreAccount(facts());
    expect(s.logit).toBe(0.6);
    expect(s.propensity).toBe(0.6457); // 1 / (1 + e^−0.6)
    expect(s.version).toBe('rules-1');
    expect(s.factors.map((f) => [f.factor, f.value, f.points])).toEqual([
      ['intercept', 'rules-1', -1],
      ['dpd', '1-30', 1],
      ['recent_payments', '1', 0.3],
      ['promises_kept', '0', 0],
      ['promises_broken', '0', 0],
      ['contactability', 'phone+email', 0.3],
    ]);
    expect(expectedRecovery(100_000, s.propensityBp)).toBe(64_570);
  });

  it('worked example 2: deep arrears, no payments, two broken promises, unreachable', () => {
    // −1.0 − 1.8 (181+) − 0.6 (no payment) − 1.0 (2 broken) − 0.8 (no contact) = −5.2
    const s = scoreAccount(
      facts({ dpd: 200, paymentsLast90Days: 0, promisesBroken: 2, hasPhone: false, hasEmail: false }),
    );
    expect(s.logit).toBe(-5.2);
    expect(s.propensity).toBe(0.0055);
    expect(expectedRecovery(1_000_000, s.propensityBp)).toBe(5_500);
  });

  it('worked example 3: kept promises count up to three', () => {
    // −1.0 + 0.3 (31-60) + 0.8 (3+ payments) + 1.2 (3 kept, capped) + 0.2 (phone) = 1.5
    const s = scoreAccount(facts({ dpd: 45, paymentsLast90Days: 5, promisesKept: 7, hasEmail: false }));
    expect(s.logit).toBe(1.5);
    expect(s.propensity).toBe(0.8176);
  });

  it('is monotone in the facts that should push it', () => {
    const base = scoreAccount(facts()).propensity;
    expect(scoreAccount(facts({ dpd: 100 })).propensity).toBeLessThan(base);
    expect(scoreAccount(facts({ paymentsLast90Days: 3 })).propensity).toBeGreaterThan(base);
    expect(scoreAccount(facts({ promisesBroken: 1 })).propensity).toBeLessThan(base);
    expect(scoreAccount(facts({ promisesKept: 1 })).propensity).toBeGreaterThan(base);
  });

  it('band edges: 30 DPD is 1-30, 31 is 31-60, 0 is current', () => {
    expect(scoreAccount(facts({ dpd: 30 })).factors[1]!.value).toBe('1-30');
    expect(scoreAccount(facts({ dpd: 31 })).factors[1]!.value).toBe('31-60');
    expect(scoreAccount(facts({ dpd: 0 })).factors[1]!.value).toBe('current');
  });

  it('expected recovery is an integer, half-up, and zero without arrears', () => {
    expect(expectedRecovery(3, 5_000)).toBe(2); // 1.5 → 2
    expect(expectedRecovery(0, 9_000)).toBe(0);
    expect(expectedRecovery(-10, 9_000)).toBe(0);
  });
});

describe('propensityOf', () => {
  it('is the propensity scoreAccount reports, for any facts', () => {
    fc.assert(
      fc.property(
        fc.record({
          dpd: fc.integer({ min: 0, max: 2_000 }),
          paymentsLast90Days: fc.integer({ min: -1, max: 20 }),
          promisesKept: fc.integer({ min: -1, max: 10 }),
          promisesBroken: fc.integer({ min: -1, max: 10 }),
          hasPhone: fc.boolean(),
          hasEmail: fc.boolean(),
        }),
        (facts) => {
          expect(propensityOf(facts)).toBe(scoreAccount(facts).propensity);
        },
      ),
      { numRuns: 500 },
    );
  });
});
