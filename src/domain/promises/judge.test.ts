import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toDay } from '../calendar/index.js';
import { judgePromise, type PromiseTerms } from './judge.js';

const made = toDay('2026-11-01');
const due = toDay('2026-11-10');
const terms: PromiseTerms = { amount: 10_000, madeOn: made, dueOn: due, graceDays: 3, tolerance: 100 };
const pay = (day: string, amount: number) => ({ receivedOn: toDay(day), amount });

describe('judgePromise', () => {
  it('is pending before the deadline with nothing paid, and broken the day after grace ends', () => {
    expect(judgePromise(terms, [], toDay('2026-11-05')).status).toBe('pending');
    expect(judgePromise(terms, [], toDay('2026-11-13')).status).toBe('pending'); // last day of grace
    expect(judgePromise(terms, [], toDay('2026-11-14'))).toEqual({
      status: 'broken',
      paid: 0,
      shortfall: 10_000,
      deadline: toDay('2026-11-13'),
    });
  });

  it('is kept at once by an early full payment, before the due date', () => {
    expect(judgePromise(terms, [pay('2026-11-02', 10_000)], toDay('2026-11-02')).status).toBe('kept');
  });

  it('is kept by a late payment within grace, not by one after it', () => {
    expect(judgePromise(terms, [pay('2026-11-13', 10_000)], toDay('2026-11-20')).status).toBe('kept');
    expect(judgePromise(terms, [pay('2026-11-14', 10_000)], toDay('2026-11-20')).status).toBe('broken');
  });

  it('accepts a shortfall up to the tolerance, and not one unit more', () => {
    expect(judgePromise(terms, [pay('2026-11-10', 9_900)], toDay('2026-11-20')).status).toBe('kept');
    expect(judgePromise(terms, [pay('2026-11-10', 9_899)], toDay('2026-11-20'))).toEqual({
      status: 'partially_kept',
      paid: 9_899,
      shortfall: 101,
      deadline: toDay('2026-11-13'),
    });
  });

  it('adds up several payments, ignores those before the promise and those not yet received', () => {
    const ps = [pay('2026-10-31', 10_000), pay('2026-11-03', 4_000), pay('2026-11-12', 6_000)];
    expect(judgePromise(terms, ps, toDay('2026-11-05'))).toMatchObject({ status: 'pending', paid: 4_000 });
    expect(judgePromise(terms, ps, toDay('2026-11-12'))).toMatchObject({ status: 'kept', paid: 10_000 });
    expect(judgePromise(terms, [pay('2026-11-03', 4_000)], toDay('2026-12-01')).status).toBe(
      'partially_kept',
    );
  });

  it('never calls a promise kept while the counted payments fall short beyond tolerance', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ offset: fc.integer({ min: -5, max: 30 }), amount: fc.integer({ min: 1, max: 5_000 }) }),
        ),
        fc.integer({ min: 0, max: 40 }),
        (raw, asOffset) => {
          const ps = raw.map((r) => ({ receivedOn: made + r.offset, amount: r.amount }));
          const j = judgePromise(terms, ps, made + asOffset);
          const counted = ps
            .filter(
              (p) => p.receivedOn >= made && p.receivedOn <= j.deadline && p.receivedOn <= made + asOffset,
            )
            .reduce((n, p) => n + p.amount, 0);
          expect(j.paid).toBe(counted);
          expect(j.status === 'kept').toBe(counted >= terms.amount - terms.tolerance);
        },
      ),
    );
  });
});
