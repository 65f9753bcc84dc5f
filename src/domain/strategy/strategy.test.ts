import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toDay } from '../calendar/index.js';
import {
  assignArm,
  parseStrategy,
  planAccount,
  type AccountFacts,
  type PastAction,
  type Strategy,
} from './index.js';

const asOf = toDay('2026-11-22');

function facts(overrides: Partial<AccountFacts> = {}): AccountFacts {
  return {
    ref: 'A-1',
    jurisdiction: 'US',
    creditor: 'CR-US',
    product: 'card',
    currency: 'USD',
    bucket: 'M1',
    dpd: 10,
    overdue: 25_000,
    score: 0.4,
    contactable: true,
    promise: 'none',
    plan: 'none',
    disputed: false,
    ceaseRequested: false,
    lastPaymentOn: null,
    lastKeptPromiseOn: null,
    ...overrides,
  };
}

const doc = {
  name: 'us-default',
  version: 3,
  suppressions: [{ when: { ceaseRequested: true }, reason: 'cease requested' }],
  segments: [
    {
      id: 'early',
      when: { dpd: { gte: 1, lte: 30 } },
      suppressions: [{ when: { disputed: true }, reason: 'disputed: on hold until resolved' }],
      waitAfterKeptPromiseDays: 7,
      arms: [
        {
          id: 'champion',
          weight: 80,
          path: [
            { id: 'email-1', channel: 'email', template: 'reminder_1', at: { dpd: 3 } },
            {
              id: 'sms-1',
              channel: 'sms',
              template: 'reminder_2',
              at: { afterStep: 'email-1', days: 4 },
              unlessPaidSinceLastStep: true,
            },
            { id: 'call', channel: 'call', template: 'call_script', at: { dpd: 10 }, every: 5 },
          ],
        },
        {
          id: 'challenger',
          weight: 20,
          path: [{ id: 'sms-first', channel: 'sms', template: 'reminder_2', at: { dpd: 1 } }],
        },
      ],
    },
    {
      id: 'late',
      when: { dpd: { gte: 31 } },
      path: [{ id: 'letter', channel: 'letter', template: 'final_notice', at: { dpd: 31 } }],
      escalations: [
        {
          to: 'legal_review',
          when: { dpd: { gte: 120 }, overdue: { gte: '1000.00' } },
          reason: 'large and long',
        },
        {
          to: 'field_visit',
          when: { jurisdiction: ['KR'], overdue: { gte: '3000000' } },
          reason: 'KR large',
        },
      ],
    },
  ],
};

function strategy(): Strategy {
  const r = parseStrategy(doc);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.strategy;
}

/** A ref that lands in the given arm of the `early` segment. */
function refIn(arm: string): string {
  const seg = strategy().segments[0]!;
  for (let i = 0; ; i++) if (assignArm('us-default', seg, `A-${i}`)?.id === arm) return `A-${i}`;
}

const champion = () => facts({ ref: refIn('champion') });
const did = (
  step: string,
  daysAgo: number,
  arm: string | null = 'champion',
  segment = 'early',
): PastAction => ({
  segment,
  arm,
  step,
  on: asOf - daysAgo,
});

describe('strategy documents', () => {
  it('accepts the example and fills defaults', () => {
    const s = strategy();
    expect(s.segments[1]!.suppressions).toEqual([]);
    expect(s.segments[0]!.arms![0]!.path[0]!.unlessPaidSinceLastStep).toBe(false);
  });

  it('reports every schema mistake at once, each with its path and a code', () => {
    const bad = structuredClone(doc) as Record<string, unknown> & typeof doc;
    const early = { arms: bad.segments[0]!.arms! };
    early.arms[1]!.weight = 30;
    (early.arms[0]!.path[1]!.at as { afterStep: string }).afterStep = 'email-9';
    (early.arms[0]!.path[0] as { channel: string }).channel = 'fax';
    (bad.segments[1] as Record<string, unknown>).colour = 'red';
    const r = parseStrategy(bad);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => [i.field, i.code])).toEqual([
      ['segments.0.arms.0.path.0.channel', 'invalid_value'],
      ['segments.1', 'unrecognized_keys'],
    ]);
  });

  it('reports cross-reference mistakes with paths once the shape is right', () => {
    const bad = structuredClone(doc);
    const early = { arms: bad.segments[0]!.arms! };
    early.arms[1]!.weight = 30;
    early.arms[0]!.path[1]!.at = { afterStep: 'email-9', days: 4 };
    early.arms[0]!.path[2]!.id = 'email-1';
    bad.segments[1]!.id = 'early';
    const r = parseStrategy(bad);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => [i.field, i.code])).toEqual([
      ['segments.0.arms', 'weights'],
      ['segments.0.arms.0.path.2.id', 'duplicate_id'],
      ['segments.0.arms.0.path.1.at.afterStep', 'unknown_step'],
      ['segments.1.id', 'duplicate_id'],
    ]);
    expect(r.issues[0]!.message).toBe('arm weights must sum to 100 (they sum to 110)');
  });

  it('requires either a path or arms, and names missing fields', () => {
    const r = parseStrategy({ name: 'x', version: 1, segments: [{ id: 's' }] });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues).toEqual([
      {
        field: 'segments.0',
        code: 'path_or_arms',
        message: 'give either a path or arms (champion/challenger), not both or neither',
      },
    ]);
    const missing = parseStrategy({ version: 1, segments: [] });
    expect(!missing.ok && missing.issues.map((i) => [i.field, i.code])).toEqual([
      ['name', 'required'],
      ['segments', 'too_small'],
    ]);
  });
});

describe('planning one account', () => {
  it('picks the first matching segment and the arm, and plans the steps due today', () => {
    const p = planAccount(strategy(), { ...champion(), dpd: 3 }, [], asOf);
    expect(p).toMatchObject({ strategy: 'us-default', version: 3, segment: 'early', arm: 'champion' });
    expect(p.actions).toEqual([
      { step: 'email-1', channel: 'email', template: 'reminder_1', reason: 'DPD reached 3' },
    ]);
    expect(planAccount(strategy(), { ...champion(), dpd: 2 }, [], asOf).actions).toEqual([]);
  });

  it('waits the given days after the previous step, and never repeats a step that does not repeat', () => {
    const s = strategy();
    const f = { ...champion(), dpd: 7 };
    expect(planAccount(s, f, [did('email-1', 3)], asOf).actions).toEqual([]);
    expect(planAccount(s, f, [did('email-1', 4)], asOf).actions.map((a) => a.reason)).toEqual([
      '4 days after email-1',
    ]);
    expect(planAccount(s, f, [did('email-1', 4), did('sms-1', 0)], asOf).actions).toEqual([]);
  });

  it('repeats a step every N days', () => {
    const s = strategy();
    const f = { ...champion(), dpd: 20 };
    const h = [did('email-1', 17), did('sms-1', 13)];
    expect(planAccount(s, f, h, asOf).actions.map((a) => a.step)).toEqual(['call']);
    expect(planAccount(s, f, [...h, did('call', 4)], asOf).actions).toEqual([]);
    expect(planAccount(s, f, [...h, did('call', 5)], asOf).actions[0]).toMatchObject({
      step: 'call',
      reason: 'repeats every 5 days',
    });
  });

  it('skips a step marked unlessPaidSinceLastStep after a payment, but not the others', () => {
    const f = { ...champion(), dpd: 10, lastPaymentOn: asOf - 2 };
    const p = planAccount(strategy(), f, [did('email-1', 6)], asOf);
    expect(p.actions.map((a) => a.step)).toEqual(['call']);
  });

  it('starts the path again in a new delinquency episode', () => {
    // email-1 went out 40 days ago, in an earlier episode; the account is 3 days past due again.
    const p = planAccount(strategy(), { ...champion(), dpd: 3 }, [did('email-1', 40)], asOf);
    expect(p.actions.map((a) => a.step)).toEqual(['email-1']);
  });

  it('plans at most one action per channel per day', () => {
    const p = planAccount(strategy(), { ...facts({ ref: refIn('challenger') }), dpd: 12 }, [], asOf);
    expect(p.arm).toBe('challenger');
    expect(p.actions.map((a) => a.channel)).toEqual(['sms']);
  });

  it('suppresses cease-requested accounts before any segment, disputed ones within theirs', () => {
    expect(planAccount(strategy(), facts({ ceaseRequested: true }), [], asOf)).toMatchObject({
      segment: null,
      actions: [],
      suppressed: 'cease requested',
    });
    expect(planAccount(strategy(), facts({ disputed: true }), [], asOf)).toMatchObject({
      segment: 'early',
      actions: [],
      suppressed: 'disputed: on hold until resolved',
    });
  });

  it('waits after a kept promise', () => {
    const f = { ...champion(), dpd: 12, lastKeptPromiseOn: asOf - 6 };
    expect(planAccount(strategy(), f, [], asOf).suppressed).toBe('a promise was kept within 7 days');
    expect(planAccount(strategy(), { ...f, lastKeptPromiseOn: asOf - 7 }, [], asOf).actions).not.toEqual([]);
  });

  it('escalates on conditions with amounts in the account currency', () => {
    const s = strategy();
    const late = (o: Partial<AccountFacts>) =>
      planAccount(s, facts({ dpd: 130, bucket: 'M5', ...o }), [], asOf);
    expect(late({ overdue: 100_000 }).escalations).toEqual([
      { to: 'legal_review', reason: 'large and long' },
    ]);
    expect(late({ overdue: 99_999 }).escalations).toEqual([]);
    const kr = late({ jurisdiction: 'KR', currency: 'KRW', overdue: 3_000_000 });
    expect(kr.escalations.map((e) => e.to)).toEqual(['legal_review', 'field_visit']);
  });

  it('says when no segment matches or the account is current', () => {
    const s = strategy();
    s.segments = s.segments.slice(0, 1);
    expect(planAccount(s, facts({ dpd: 45 }), [], asOf).suppressed).toBe('no segment matches the account');
    s.segments[0]!.when = {};
    expect(planAccount(s, facts({ dpd: 0 }), [], asOf).suppressed).toBe('not delinquent');
  });
});

describe('champion/challenger arms', () => {
  const seg = () => strategy().segments[0]!;

  it('are stable for an account, across runs and strategy versions', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 30 }), (ref) => {
        const a = assignArm('us-default', seg(), ref);
        expect(a).not.toBeNull();
        expect(assignArm('us-default', seg(), ref)?.id).toBe(a!.id);
      }),
    );
  });

  it('split accounts in the given proportions', () => {
    let champions = 0;
    const n = 20_000;
    for (let i = 0; i < n; i++)
      if (assignArm('us-default', seg(), `ACC-${i}`)?.id === 'champion') champions++;
    expect(Math.abs(champions / n - 0.8)).toBeLessThan(0.015);
  });
});
