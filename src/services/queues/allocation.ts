import type { Principal } from '../../domain/access/index.js';
import { actorOf } from '../../domain/access/index.js';
import {
  allocate,
  requiredSkills,
  type CaseToAllocate,
  type CollectorForAllocation,
  type WorkerRole,
} from '../../domain/allocation/index.js';
import { formatDay, parseCivilDate, todayIn } from '../../domain/calendar/index.js';
import { ArrearsError } from '../../domain/errors.js';
import { formatAmount } from '../../domain/money/index.js';
import { DEFAULT_SCORECARD } from '../../domain/scoring/index.js';
import { boundStore, type Store } from '../../store/index.js';
import { appendAudit } from '../audit/index.js';
import { loadCaseFacts } from './facts.js';

/** Which escalation feeds which queue. A field visit outranks the collector queue when both are open. */
const TARGET_ROLE: Record<string, WorkerRole> = { field_visit: 'field_agent', collector_queue: 'collector' };

export interface AllocationItem {
  account: string;
  target: 'collector_queue' | 'field_visit';
  outcome: 'assigned' | 'kept' | 'unassigned';
  user: string | null;
  /** Why nobody got it: a rule of the allocation, or placed_with_agency / case_closed. */
  reason: string | null;
  bucket: string;
  expectedRecovery: string;
  currency: string;
  propensity: number;
}

export interface AllocationRun {
  run: number;
  asOf: string;
  scorecard: string;
  considered: number;
  assigned: number;
  kept: number;
  unassigned: number;
  byReason: Record<string, number>;
  byUser: { user: string; assigned: number; openCases: number; maxOpenCases: number }[];
  items: AllocationItem[];
}

// One allocation at a time: two runs reading the same loads could both fill a cap.
const ALLOCATION_LOCK = 0x61_6c_6c_6f; // "allo"

/**
 * Allocates the cases behind open collector-queue and field-visit escalations to collectors and field
 * agents by their profiles (src/domain/allocation), set-based in one transaction: load everything, compute,
 * then write assignments, accepted escalations, `case_assigned` events, the run row and one audit record.
 */
export async function allocateCases(
  store: Store,
  actor: Principal | null,
  asOf?: string,
): Promise<AllocationRun> {
  if (asOf !== undefined && parseCivilDate(asOf) === null)
    throw new ArrearsError('invalid', 'asOf must be a real date written YYYY-MM-DD', {
      issues: [{ field: 'asOf', message: 'must be a real date written YYYY-MM-DD' }],
    });
  const day = asOf ?? formatDay(todayIn('UTC'));
  return store.transaction(async (tx) => {
    await tx.sql.query('SELECT pg_advisory_xact_lock($1)', [ALLOCATION_LOCK]);
    const { rows: escalations } = await tx.sql.query<{
      account_id: number;
      id: number;
      target: 'collector_queue' | 'field_visit';
    }>(
      `SELECT DISTINCT ON (account_id) account_id, id, target FROM escalations
       WHERE status = 'open' AND target IN ('collector_queue', 'field_visit')
       ORDER BY account_id, (target = 'field_visit') DESC, id`,
    );
    const facts = await loadCaseFacts(
      boundStore(store, tx),
      escalations.map((e) => e.account_id),
      day,
    );
    const factsBy = new Map(facts.map((f) => [f.accountId, f]));
    const { rows: workers } = await tx.sql.query<{
      id: number;
      username: string;
      role: WorkerRole;
      locales: string[];
      jurisdictions: string[];
      skills: string[];
      buckets: string[];
      max_open_cases: number;
      load: number;
    }>(
      `SELECT u.id, u.username, u.role, p.locales, p.jurisdictions, p.skills, p.buckets, p.max_open_cases,
              (SELECT count(*)::int FROM cases c
                WHERE c.assigned_to = u.id AND c.status NOT IN ('closed', 'placed')) AS load
       FROM users u JOIN collector_profiles p ON p.user_id = u.id
       WHERE u.role IN ('collector', 'field_agent') AND NOT u.disabled`,
    );
    const names = new Map(workers.map((w) => [w.id, w.username]));
    const skipped = new Map<number, string>();
    const cases: CaseToAllocate[] = [];
    for (const e of escalations) {
      const f = factsBy.get(e.account_id);
      if (!f) continue;
      if (f.placedWith !== null) skipped.set(e.account_id, 'placed_with_agency');
      else if (f.caseStatus === 'closed' || f.accountStatus === 'closed')
        skipped.set(e.account_id, 'case_closed');
      else
        cases.push({
          accountId: f.accountId,
          role: TARGET_ROLE[e.target]!,
          bucket: f.bucket,
          locale: f.locale,
          jurisdiction: f.jurisdiction,
          requiredSkills: requiredSkills({
            caseStatus: f.caseStatus,
            overdueMinor: f.overdue,
            currency: f.currency,
          }),
          expectedRecovery: f.expectedRecovery,
          assignedTo: f.assignedTo,
        });
    }
    const collectors: CollectorForAllocation[] = workers.map((w) => ({
      userId: w.id,
      role: w.role,
      locales: w.locales,
      jurisdictions: w.jurisdictions,
      skills: w.skills,
      buckets: w.buckets,
      maxOpenCases: w.max_open_cases,
      load: w.load,
    }));
    const { results, loads } = allocate(cases, collectors);

    const byReason: Record<string, number> = {};
    const count = { assigned: 0, kept: 0, unassigned: 0 };
    const assignedIds: number[] = [];
    const assignedTo: number[] = [];
    const accepted = new Set<number>();
    for (const r of results) {
      count[r.outcome]++;
      if (r.outcome === 'unassigned') byReason[r.reason] = (byReason[r.reason] ?? 0) + 1;
      else accepted.add(r.accountId);
      if (r.outcome === 'assigned') {
        assignedIds.push(r.accountId);
        assignedTo.push(r.userId);
      }
    }
    for (const reason of skipped.values()) {
      count.unassigned++;
      byReason[reason] = (byReason[reason] ?? 0) + 1;
    }
    const run = await tx.db
      .insertInto('allocation_runs')
      .values({
        as_of: day,
        scorecard: DEFAULT_SCORECARD.version,
        considered: results.length + skipped.size,
        ...count,
        by_reason: JSON.stringify(byReason),
        by: actorOf(actor),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (assignedIds.length > 0) {
      await tx.sql.query(
        `INSERT INTO cases (account_id, assigned_to, assigned_at, allocation_run)
         SELECT a, u, now(), $3 FROM unnest($1::bigint[], $2::bigint[]) AS t(a, u)
         ON CONFLICT (account_id) DO UPDATE
           SET assigned_to = EXCLUDED.assigned_to, assigned_at = EXCLUDED.assigned_at,
               allocation_run = EXCLUDED.allocation_run, updated_at = now()`,
        [assignedIds, assignedTo, run.id],
      );
      await tx.sql.query(
        `INSERT INTO account_events (account_id, kind, data)
         SELECT a, 'case_assigned', jsonb_build_object('to', n, 'run', $3::bigint)
         FROM unnest($1::bigint[], $2::text[]) AS t(a, n)`,
        [assignedIds, assignedTo.map((u) => names.get(u)!), run.id],
      );
    }
    const acceptedEscalations = escalations.filter((e) => accepted.has(e.account_id));
    if (acceptedEscalations.length > 0)
      await tx.sql.query(
        `UPDATE escalations e SET status = 'accepted', closed_at = now(), closed_by = $3
         FROM unnest($1::bigint[], $2::bigint[]) AS t(a, i)
         WHERE e.account_id = t.a AND e.id = t.i AND e.status = 'open'`,
        [acceptedEscalations.map((e) => e.account_id), acceptedEscalations.map((e) => e.id), actorOf(actor)],
      );
    await appendAudit(tx, actor, {
      action: 'allocation.run',
      entity: `allocation:${run.id}`,
      data: { asOf: day, scorecard: DEFAULT_SCORECARD.version, ...count, byReason },
    });

    const targetOf = new Map(escalations.map((e) => [e.account_id, e.target]));
    const item = (
      accountId: number,
      outcome: AllocationItem['outcome'],
      user: number | null,
      reason: string | null,
    ) => {
      const f = factsBy.get(accountId)!;
      return {
        account: f.ref,
        target: targetOf.get(accountId)!,
        outcome,
        user: user === null ? null : (names.get(user) ?? null),
        reason,
        bucket: f.bucket,
        expectedRecovery: formatAmount(f.expectedRecovery, f.currency),
        currency: f.currency,
        propensity: f.score.propensity,
      };
    };
    const added = new Map<number, number>();
    for (let i = 0; i < assignedTo.length; i++)
      added.set(assignedTo[i]!, (added.get(assignedTo[i]!) ?? 0) + 1);
    return {
      run: run.id,
      asOf: day,
      scorecard: DEFAULT_SCORECARD.version,
      considered: results.length + skipped.size,
      ...count,
      byReason,
      byUser: workers
        .map((w) => ({
          user: w.username,
          assigned: added.get(w.id) ?? 0,
          openCases: loads.get(w.id) ?? w.load,
          maxOpenCases: w.max_open_cases,
        }))
        .sort((a, b) => a.user.localeCompare(b.user)),
      items: [
        ...results.map((r) =>
          item(
            r.accountId,
            r.outcome,
            r.outcome === 'unassigned' ? null : r.userId,
            r.outcome === 'unassigned' ? r.reason : null,
          ),
        ),
        ...[...skipped].map(([a, reason]) => item(a, 'unassigned', null, reason)),
      ],
    };
  });
}
