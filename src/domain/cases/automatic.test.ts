import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CASE_CAUSES, CASE_STATUSES, nextCaseStatus, type CaseCause, type CaseStatus } from './index.js';

const at = (status: CaseStatus, worked = false, pendingPromise = false) => ({
  status,
  worked,
  pendingPromise,
});

describe('automatic case status', () => {
  it('follows promises, plans, payment in full and placements', () => {
    const table: [CaseStatus, CaseCause, CaseStatus | null][] = [
      ['open', 'promise_recorded', 'promise'],
      ['in_progress', 'promise_recorded', 'promise'],
      ['promise', 'promise_recorded', null],
      ['plan', 'promise_recorded', null],
      ['dispute', 'promise_recorded', null],
      ['legal', 'promise_recorded', null],
      ['placed', 'promise_recorded', null],
      ['promise', 'promise_kept', 'open'],
      ['promise', 'promise_broken', 'open'],
      ['open', 'promise_broken', null],
      ['open', 'plan_active', 'plan'],
      ['promise', 'plan_active', 'plan'],
      ['dispute', 'plan_active', null],
      ['plan', 'plan_completed', 'closed'],
      ['plan', 'plan_broken', 'open'],
      ['plan', 'plan_cancelled', 'open'],
      ['open', 'plan_broken', null],
      ['in_progress', 'paid_off', 'closed'],
      ['placed', 'paid_off', 'closed'],
      ['dispute', 'paid_off', null],
      ['open', 'placed', 'placed'],
      ['promise', 'placed', 'placed'],
      ['legal', 'placed', null],
      ['placed', 'recalled', 'open'],
      ['open', 'recalled', null],
      ['closed', 'promise_recorded', null],
      ['closed', 'recalled', null],
      ['closed', 'payment_reversed', 'open'],
      ['open', 'payment_reversed', null],
      ['dispute', 'payment_reversed', null],
    ];
    for (const [from, cause, to] of table)
      expect(nextCaseStatus(at(from), cause), `${from} + ${cause}`).toBe(to);
  });

  it('goes back to in_progress when a collector works the case, and keeps promise while another is pending', () => {
    expect(nextCaseStatus(at('promise', true), 'promise_kept')).toBe('in_progress');
    expect(nextCaseStatus(at('promise', true), 'promise_broken')).toBe('in_progress');
    expect(nextCaseStatus(at('promise', false, true), 'promise_broken')).toBeNull();
    expect(nextCaseStatus(at('plan', true), 'plan_broken')).toBe('in_progress');
    expect(nextCaseStatus(at('plan', false, true), 'plan_cancelled')).toBe('promise');
  });

  it('never overrides a dispute, legal or closed case (a closed one reopens only when a payment bounces), and never "changes" to the same status', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CASE_STATUSES),
        fc.constantFrom(...CASE_CAUSES),
        fc.boolean(),
        fc.boolean(),
        (status, cause, worked, pending) => {
          const to = nextCaseStatus({ status, worked, pendingPromise: pending }, cause);
          if (['dispute', 'legal'].includes(status)) expect(to).toBeNull();
          if (status === 'closed')
            expect(to).toBe(cause === 'payment_reversed' ? (worked ? 'in_progress' : 'open') : null);
          expect(to).not.toBe(status);
          if (status === 'placed') expect([null, 'open', 'closed']).toContain(to);
        },
      ),
    );
  });
});
