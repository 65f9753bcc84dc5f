/**
 * Allocation of cases to collectors by rules: eligibility (role, language, jurisdiction, bucket, skills),
 * never above a collector's workload cap, the highest expected recovery first, and among the eligible the
 * least loaded (relative to their cap). Pure: the service loads the inputs and applies the result.
 */
export type WorkerRole = 'collector' | 'field_agent';

export interface CaseToAllocate {
  accountId: number;
  /** Who may work it: collector_queue escalations go to collectors, field_visit ones to field agents. */
  role: WorkerRole;
  bucket: string;
  /** The debtor's locale, e.g. "ko-KR"; a collector must list it. */
  locale: string;
  jurisdiction: string;
  /** Every one of these must be among the collector's skills. */
  requiredSkills: readonly string[];
  /** Minor units; the order of allocation (highest first). */
  expectedRecovery: number;
  /** The current assignee, if any: kept when still eligible and of the right role. */
  assignedTo?: number | null;
}

export interface CollectorForAllocation {
  userId: number;
  role: WorkerRole;
  locales: readonly string[];
  jurisdictions: readonly string[];
  skills: readonly string[];
  /** Empty: every bucket. */
  buckets: readonly string[];
  maxOpenCases: number;
  /** Open cases already assigned (not counting those of this run). */
  load: number;
}

export type UnassignedReason =
  | 'no_collector_for_role'
  | 'no_collector_for_jurisdiction'
  | 'no_collector_for_language'
  | 'no_collector_for_bucket'
  | 'no_collector_with_skill'
  | 'all_eligible_at_capacity';

export type AllocationResult =
  | { accountId: number; outcome: 'assigned'; userId: number }
  | { accountId: number; outcome: 'kept'; userId: number }
  | { accountId: number; outcome: 'unassigned'; reason: UnassignedReason };

export interface Allocation {
  /** One result per case, in allocation order (expected recovery desc, then account id). */
  results: AllocationResult[];
  /** Load per collector after the run. */
  loads: Map<number, number>;
}

type Check = [UnassignedReason, (c: CaseToAllocate, w: CollectorForAllocation) => boolean];
// In this order, so an unassigned case names the first rule that left nobody (jurisdiction before
// language: "Spain is covered, but nobody there speaks Spanish" reads as a language gap).
const CHECKS: Check[] = [
  ['no_collector_for_role', (c, w) => w.role === c.role],
  ['no_collector_for_jurisdiction', (c, w) => w.jurisdictions.includes(c.jurisdiction)],
  ['no_collector_for_language', (c, w) => w.locales.includes(c.locale)],
  ['no_collector_for_bucket', (c, w) => w.buckets.length === 0 || w.buckets.includes(c.bucket)],
  ['no_collector_with_skill', (c, w) => c.requiredSkills.every((s) => w.skills.includes(s))],
];

/** Whether `w` may work `c` (every rule but capacity), or the first rule that fails. */
export function eligibility(c: CaseToAllocate, w: CollectorForAllocation): UnassignedReason | null {
  for (const [reason, ok] of CHECKS) if (!ok(c, w)) return reason;
  return null;
}

/**
 * Allocates `cases` to `collectors`. Deterministic for the same input.
 *
 * @example allocate([{ accountId: 1, role: 'collector', bucket: '1-30', locale: 'en-US', jurisdiction: 'US', requiredSkills: [], expectedRecovery: 500 }],
 *   [{ userId: 7, role: 'collector', locales: ['en-US'], jurisdictions: ['US'], skills: [], buckets: [], maxOpenCases: 10, load: 0 }]).results
 *   // [{ accountId: 1, outcome: 'assigned', userId: 7 }]
 */
export function allocate(
  cases: readonly CaseToAllocate[],
  collectors: readonly CollectorForAllocation[],
): Allocation {
  const loads = new Map(collectors.map((w) => [w.userId, w.load]));
  const byId = new Map(collectors.map((w) => [w.userId, w]));
  // Cases with the same eligibility key share one list of eligible collectors (100k cases, few keys).
  const eligibleByKey = new Map<string, CollectorForAllocation[] | UnassignedReason>();
  const eligibleFor = (c: CaseToAllocate) => {
    const key = `${c.role}\u0000${c.locale}\u0000${c.jurisdiction}\u0000${c.bucket}\u0000${[...c.requiredSkills].sort().join(',')}`;
    let hit = eligibleByKey.get(key);
    if (hit === undefined) {
      let pool: CollectorForAllocation[] = [...collectors];
      let reason: UnassignedReason | null = null;
      for (const [r, ok] of CHECKS) {
        pool = pool.filter((w) => ok(c, w));
        if (pool.length === 0) {
          reason = r;
          break;
        }
      }
      hit = reason ?? pool;
      eligibleByKey.set(key, hit);
    }
    return hit;
  };
  const order = [...cases].sort(
    (a, b) => b.expectedRecovery - a.expectedRecovery || a.accountId - b.accountId,
  );
  const results: AllocationResult[] = [];
  for (const c of order) {
    const current = c.assignedTo === null || c.assignedTo === undefined ? undefined : byId.get(c.assignedTo);
    // Already in an eligible collector's queue: it stays there (its load is counted already).
    if (current && eligibility(c, current) === null) {
      results.push({ accountId: c.accountId, outcome: 'kept', userId: current.userId });
      continue;
    }
    const pool = eligibleFor(c);
    if (typeof pool === 'string') {
      results.push({ accountId: c.accountId, outcome: 'unassigned', reason: pool });
      continue;
    }
    let best: CollectorForAllocation | null = null;
    let bestRatio = Infinity;
    for (const w of pool) {
      const load = loads.get(w.userId)!;
      if (load >= w.maxOpenCases) continue;
      const ratio = load / w.maxOpenCases;
      if (ratio < bestRatio || (ratio === bestRatio && best !== null && w.userId < best.userId)) {
        best = w;
        bestRatio = ratio;
      }
    }
    if (best === null) {
      results.push({ accountId: c.accountId, outcome: 'unassigned', reason: 'all_eligible_at_capacity' });
      continue;
    }
    loads.set(best.userId, loads.get(best.userId)! + 1);
    results.push({ accountId: c.accountId, outcome: 'assigned', userId: best.userId });
  }
  return { results, loads };
}
