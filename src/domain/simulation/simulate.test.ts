import { describe, expect, it } from 'vitest';
import { toDay } from '../calendar/index.js';
import { DEFAULT_ALLOCATION_ORDER, DEFAULT_BUCKETS } from '../delinquency/index.js';
import { parseRate } from '../money/index.js';
import { parseStrategy, type Strategy } from '../strategy/index.js';
import { DEFAULT_BEHAVIOUR, simulate, type SimAccount } from './index.js';

const start = toDay('2026-11-01');
const rate = (t: string) => {
  const r = parseRate(t);
  if (!r.ok) throw new Error(r.message);
  return r.value;
};

/** An account with 6 monthly installments of 100.00 USD, the first `overdueCount` already past due. */
function anAccount(i: number, overdueCount = 2): SimAccount {
  const firstDue = start - 30 * overdueCount + 5;
  return {
    ref: `A-${i}`,
    jurisdiction: 'US',
    creditor: 'CR-US',
    product: 'card',
    terms: {
      currency: 'USD',
      principal: 60_000,
      interestRate: rate('0.18'),
      penaltyRate: rate('0.24'),
      openedOn: firstDue - 30,
      penaltyOnInterest: false,
      allocationOrder: DEFAULT_ALLOCATION_ORDER,
      buckets: DEFAULT_BUCKETS,
      caps: {},
    },
    installments: Array.from({ length: 6 }, (_, k) => ({
      seq: k + 1,
      due: firstDue + 30 * k,
      principal: 10_000,
      interest: 900,
      fees: 0,
    })),
    payments: [],
    contactable: true,
    score: 0.5,
    timezone: 'America/New_York',
    phone: null,
  };
}

function strategy(doc: object): Strategy {
  const r = parseStrategy(doc);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.strategy;
}

const busy = strategy({
  name: 'busy',
  version: 1,
  segments: [
    {
      id: 'all',
      when: { dpd: { gte: 1 } },
      arms: [
        {
          id: 'calls',
          weight: 50,
          path: [{ id: 'call', channel: 'call', template: 'c', at: { dpd: 1 }, every: 2 }],
        },
        {
          id: 'sms',
          weight: 50,
          path: [{ id: 'sms', channel: 'sms', template: 's', at: { dpd: 1 }, every: 7 }],
        },
      ],
    },
  ],
});
const quiet = strategy({
  name: 'quiet',
  version: 1,
  segments: [
    {
      id: 'all',
      when: { dpd: { gte: 1 } },
      path: [{ id: 'l', channel: 'letter', template: 'l', at: { dpd: 500 } }],
    },
  ],
});

const accounts = Array.from({ length: 400 }, (_, i) => anAccount(i));

describe('strategy simulation', () => {
  it('is deterministic for a seed', () => {
    const a = simulate(accounts.slice(0, 50), () => busy, { start, days: 20, seed: 7 });
    const b = simulate(accounts.slice(0, 50), () => busy, { start, days: 20, seed: 7 });
    expect(b).toEqual(a);
  });

  it('reports per arm: accounts split by weight, contacts, cost and a rising recovery curve', () => {
    const r = simulate(accounts, () => busy, { start, days: 30, seed: 3 });
    expect(r.arms.map((x) => x.arm)).toEqual(['busy/all/calls', 'busy/all/sms']);
    const [calls, sms] = r.arms;
    expect(calls!.accounts + sms!.accounts).toBe(400);
    expect(Math.abs(calls!.accounts - 200)).toBeLessThan(40);
    expect(calls!.contacts.sms).toBe(0);
    expect(calls!.contacts.call).toBeGreaterThan(calls!.accounts * 5);
    expect(calls!.cost).toBe(calls!.contacts.call * DEFAULT_BEHAVIOUR.cost.call);
    for (const arm of r.arms) {
      expect(arm.curve).toHaveLength(30);
      arm.curve.forEach((v, d) => expect(v).toBeGreaterThanOrEqual(d > 0 ? arm.curve[d - 1]! : 0));
    }
  });

  it('recovers more with contact than without', () => {
    const active = simulate(accounts, () => busy, { start, days: 45, seed: 5 });
    const passive = simulate(accounts, () => quiet, { start, days: 45, seed: 5 });
    const share = (r: typeof active) =>
      r.arms.reduce((t, a) => t + (a.recovered.USD ?? 0), 0) /
      r.arms.reduce((t, a) => t + (a.overdueAtStart.USD ?? 0), 0);
    expect(share(active)).toBeGreaterThan(share(passive) * 1.5);
    expect(passive.arms[0]!.cost).toBe(0);
  });

  it('counts what the gate blocks, by rule, and never contacts past it', () => {
    const r = simulate(accounts.slice(0, 100), () => busy, {
      start,
      days: 14,
      seed: 2,
      gate: (_a, action) =>
        action.channel === 'call'
          ? { allowed: false, rules: ['TEST.NO_CALLS'] }
          : { allowed: true, rules: [] },
    });
    const calls = r.arms.find((a) => a.arm.endsWith('/calls'))!;
    expect(calls.contacts.call).toBe(0);
    expect(calls.blocked['TEST.NO_CALLS']).toBeGreaterThan(0);
    expect(calls.promises.made).toBe(0);
    expect(calls.cost).toBe(0);
  });
});
