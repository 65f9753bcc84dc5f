import { describe, expect, it } from 'vitest';
import { checkTransition, type TransitionFacts } from './transitions.js';

const facts = (over: Partial<TransitionFacts> = {}): TransitionFacts => ({
  paidInFull: false,
  recalledByLender: false,
  placed: false,
  pendingPromise: false,
  ...over,
});

describe('case status transitions', () => {
  it('closes only when paid in full or recalled, and the reason must be true', () => {
    const close = { from: 'in_progress', to: 'closed', role: 'collector' } as const;
    expect(checkTransition(close, facts()).map((i) => i.field)).toEqual(['reason']);
    expect(checkTransition({ ...close, reason: 'paid' }, facts())[0]!.message).toMatch(/not paid in full/);
    expect(checkTransition({ ...close, reason: 'paid' }, facts({ paidInFull: true }))).toEqual([]);
    expect(checkTransition({ ...close, reason: 'recalled' }, facts())[0]!.message).toMatch(/not closed/);
    expect(checkTransition({ ...close, reason: 'recalled' }, facts({ recalledByLender: true }))).toEqual([]);
  });

  it('reopens a closed case only by a manager or admin, and only to open', () => {
    expect(checkTransition({ from: 'closed', to: 'open', role: 'manager' }, facts())).toEqual([]);
    expect(checkTransition({ from: 'closed', to: 'open', role: 'collector' }, facts())).toHaveLength(1);
    expect(checkTransition({ from: 'closed', to: 'in_progress', role: 'admin' }, facts())).toHaveLength(1);
  });

  it('checks the facts behind promise and placed, and who may move to legal', () => {
    expect(checkTransition({ from: 'open', to: 'promise', role: 'collector' }, facts())).toHaveLength(1);
    expect(
      checkTransition({ from: 'open', to: 'promise', role: 'collector' }, facts({ pendingPromise: true })),
    ).toEqual([]);
    expect(checkTransition({ from: 'open', to: 'placed', role: 'manager' }, facts())).toHaveLength(1);
    expect(checkTransition({ from: 'open', to: 'legal', role: 'collector' }, facts())).toHaveLength(1);
    expect(checkTransition({ from: 'open', to: 'legal', role: 'legal' }, facts())).toEqual([]);
    expect(checkTransition({ from: 'open', to: 'open', role: 'admin' }, facts())[0]!.message).toMatch(
      /already open/,
    );
    expect(
      checkTransition({ from: 'placed', to: 'in_progress', role: 'manager' }, facts({ placed: true })),
    ).toHaveLength(1);
    // A dispute is recorded while the agency holds the account.
    expect(
      checkTransition({ from: 'placed', to: 'dispute', role: 'collector' }, facts({ placed: true })),
    ).toEqual([]);
  });
});
