import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocate, eligibility, type CaseToAllocate, type CollectorForAllocation } from './allocate.js';

const aCase = (over: Partial<CaseToAllocate> = {}): CaseToAllocate => ({
  accountId: 1,
  role: 'collector',
  bucket: '1-30',
  locale: 'en-US',
  jurisdiction: 'US',
  requiredSkills: [],
  expectedRecovery: 1000,
  ...over,
});
const aCollector = (over: Partial<CollectorForAllocation> = {}): CollectorForAllocation => ({
  userId: 1,
  role: 'collector',
  locales: ['en-US'],
  jurisdictions: ['US'],
  skills: [],
  buckets: [],
  maxOpenCases: 10,
  load: 0,
  ...over,
});

describe('allocate', () => {
  it('assigns by language, jurisdiction, bucket and skill, naming the rule that left nobody', () => {
    const ko = aCollector({ userId: 2, locales: ['ko-KR'], jurisdictions: ['KR'] });
    const legal = aCollector({ userId: 3, skills: ['legal'], buckets: ['91-180'] });
    const { results } = allocate(
      [
        aCase({ accountId: 1, locale: 'ko-KR', jurisdiction: 'KR' }),
        aCase({ accountId: 2, locale: 'es-ES', jurisdiction: 'ES' }),
        aCase({ accountId: 3, locale: 'ko-KR', jurisdiction: 'US' }),
        aCase({ accountId: 4, bucket: '91-180', requiredSkills: ['legal'] }),
        aCase({ accountId: 5, bucket: '1-30', requiredSkills: ['legal'] }),
        aCase({ accountId: 6, role: 'field_agent' }),
      ],
      [ko, legal],
    );
    const by = new Map(results.map((r) => [r.accountId, r]));
    expect(by.get(1)).toEqual({ accountId: 1, outcome: 'assigned', userId: 2 });
    expect(by.get(2)).toMatchObject({ outcome: 'unassigned', reason: 'no_collector_for_jurisdiction' });
    expect(by.get(3)).toMatchObject({ outcome: 'unassigned', reason: 'no_collector_for_language' });
    expect(by.get(4)).toEqual({ accountId: 4, outcome: 'assigned', userId: 3 });
    expect(by.get(5)).toMatchObject({ outcome: 'unassigned', reason: 'no_collector_for_bucket' });
    expect(by.get(6)).toMatchObject({ outcome: 'unassigned', reason: 'no_collector_for_role' });
  });

  it('fills caps with the highest expected recovery first and balances the load', () => {
    const cases = Array.from({ length: 7 }, (_, i) =>
      aCase({ accountId: i + 1, expectedRecovery: (i + 1) * 100 }),
    );
    const { results, loads } = allocate(cases, [
      aCollector({ userId: 1, maxOpenCases: 2 }),
      aCollector({ userId: 2, maxOpenCases: 4, load: 1 }),
    ]);
    // 700 → u1 (0/2 < 1/4), 600 → u2 (1/4 < 1/2), 500 → u1? 1/2 vs 2/4 → tie → lower id u1, …
    expect(results.map((r) => [r.accountId, r.outcome === 'unassigned' ? r.reason : r.userId])).toEqual([
      [7, 1],
      [6, 2],
      [5, 1],
      [4, 2],
      [3, 2],
      [2, 'all_eligible_at_capacity'],
      [1, 'all_eligible_at_capacity'],
    ]);
    expect(Object.fromEntries(loads)).toEqual({ 1: 2, 2: 4 });
  });

  it('keeps a case with its current assignee while they are eligible, and moves it when not', () => {
    const { results } = allocate(
      [aCase({ accountId: 1, assignedTo: 1 }), aCase({ accountId: 2, assignedTo: 1, locale: 'es-US' })],
      [aCollector({ userId: 1, load: 2 }), aCollector({ userId: 2, locales: ['es-US', 'en-US'] })],
    );
    expect(results).toEqual([
      { accountId: 1, outcome: 'kept', userId: 1 },
      { accountId: 2, outcome: 'assigned', userId: 2 },
    ]);
  });

  it('property: never above a cap, never an ineligible collector, capacity refusals are true', () => {
    const locales = ['en-US', 'es-US', 'ko-KR', 'zh-CN'];
    const jurisdictions = ['US', 'KR', 'CN'];
    const buckets = ['1-30', '31-60', '61-90'];
    const skills = ['legal', 'hardship', 'high_balance'];
    const sub = <T>(xs: T[]) => fc.subarray(xs);
    const collector = fc.record({
      role: fc.constantFrom('collector' as const, 'field_agent' as const),
      locales: sub(locales),
      jurisdictions: sub(jurisdictions),
      skills: sub(skills),
      buckets: sub(buckets),
      maxOpenCases: fc.integer({ min: 0, max: 8 }),
      load: fc.integer({ min: 0, max: 6 }),
    });
    const kase = fc.record({
      role: fc.constantFrom('collector' as const, 'field_agent' as const),
      locale: fc.constantFrom(...locales),
      jurisdiction: fc.constantFrom(...jurisdictions),
      bucket: fc.constantFrom(...buckets),
      requiredSkills: fc.subarray(skills, { maxLength: 2 }),
      expectedRecovery: fc.integer({ min: 0, max: 1_000_000 }),
    });
    fc.assert(
      fc.property(fc.array(collector, { maxLength: 12 }), fc.array(kase, { maxLength: 80 }), (ws, cs) => {
        const workers = ws.map((w, i) => ({ ...w, userId: i + 1 }));
        const cases = cs.map((c, i) => ({ ...c, accountId: i + 1 }));
        const { results, loads } = allocate(cases, workers);
        expect(results).toHaveLength(cases.length);
        const added = new Map<number, number>();
        for (const r of results) {
          const c = cases[r.accountId - 1]!;
          if (r.outcome === 'assigned') {
            const w = workers[r.userId - 1]!;
            expect(eligibility(c, w)).toBeNull();
            added.set(w.userId, (added.get(w.userId) ?? 0) + 1);
          } else if (r.outcome === 'unassigned') {
            const eligible = workers.filter((w) => eligibility(c, w) === null);
            if (r.reason === 'all_eligible_at_capacity') {
              expect(eligible.length).toBeGreaterThan(0);
              for (const w of eligible) expect(loads.get(w.userId)!).toBeGreaterThanOrEqual(w.maxOpenCases);
            } else expect(eligible).toEqual([]);
          }
        }
        for (const w of workers) {
          const n = added.get(w.userId) ?? 0;
          expect(n).toBeLessThanOrEqual(Math.max(0, w.maxOpenCases - w.load));
          expect(loads.get(w.userId)).toBe(w.load + n);
        }
      }),
      { numRuns: 300 },
    );
  });
});
