import type { Principal } from '../../domain/access/index.js';
import {
  JURISDICTIONS,
  PACKS,
  tightenPack,
  type Jurisdiction,
  type LoosenApproval,
  type PackOverrides,
  type ParamChange,
  type RulePack,
} from '../../domain/compliance/index.js';
import { ArrearsError } from '../../domain/errors.js';
import type { SqlClient, Store } from '../../store/index.js';
import { appendAudit } from '../audit/index.js';

export interface CreditorPolicy {
  creditor: string;
  jurisdiction: Jurisdiction;
  overrides: PackOverrides;
  packVersion: string;
  /** Set when a parameter was loosened: who approved it and why. */
  approval: LoosenApproval | null;
  setBy: string;
  setAt: string;
}

const isJurisdiction = (j: string): j is Jurisdiction => (JURISDICTIONS as readonly string[]).includes(j);

/**
 * Sets a creditor's overrides of one jurisdiction's rule pack. Stricter parameters are accepted; a looser
 * one only with an explicit approval (reason and approver), which the audit record keeps. Every problem is
 * reported with its `<rule>.<param>` path; nothing is stored unless all are valid. Empty overrides remove
 * the policy.
 */
export async function setCreditorPolicy(
  store: Store,
  actor: Principal | null,
  input: {
    creditor: string;
    jurisdiction: string;
    overrides: PackOverrides;
    approval?: LoosenApproval;
    by: string;
  },
): Promise<{ packVersion: string; changes: ParamChange[]; loosened: number }> {
  const { jurisdiction } = input;
  if (!isJurisdiction(jurisdiction))
    throw new ArrearsError(
      'invalid',
      `jurisdiction must be one of ${JURISDICTIONS.join(', ')} (got "${jurisdiction}")`,
    );
  const result = tightenPack(PACKS[jurisdiction], input.overrides, input.approval);
  if (!result.ok)
    throw new ArrearsError('invalid', `${result.errors.length} problem(s) in the policy`, {
      issues: result.errors.map((e) => ({ field: e.path, code: e.code, message: e.message })),
    });
  return store.transaction(async (tx) => {
    const creditor = await tx.db
      .selectFrom('creditors')
      .select('id')
      .where('ref', '=', input.creditor)
      .executeTakeFirst();
    if (!creditor) throw new ArrearsError('not_found', `creditor "${input.creditor}" does not exist`);
    const empty = Object.keys(input.overrides).length === 0;
    await tx.sql.query(`DELETE FROM compliance_policies WHERE creditor_id = $1 AND jurisdiction = $2`, [
      creditor.id,
      jurisdiction,
    ]);
    if (!empty)
      await tx.sql.query(
        `INSERT INTO compliance_policies (creditor_id, jurisdiction, overrides, approval, pack_version, set_by)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [
          creditor.id,
          jurisdiction,
          JSON.stringify(input.overrides),
          result.override ? JSON.stringify(input.approval) : null,
          result.pack.version,
          input.by,
        ],
      );
    await appendAudit(tx, actor, {
      action: empty ? 'compliance.policy_removed' : 'compliance.policy_set',
      entity: `creditor:${input.creditor}/${jurisdiction}`,
      data: {
        by: input.by,
        packVersion: result.pack.version,
        changes: result.changes,
        ...(result.override ? { override: result.override } : {}),
      },
    });
    return {
      packVersion: result.pack.version,
      changes: result.changes,
      loosened: result.override?.loosened.length ?? 0,
    };
  });
}

export async function listCreditorPolicies(store: Store): Promise<CreditorPolicy[]> {
  return store.transaction(async ({ sql }) => {
    const { rows } = await sql.query<{
      creditor: string;
      jurisdiction: Jurisdiction;
      overrides: PackOverrides;
      approval: LoosenApproval | null;
      pack_version: string;
      set_by: string;
      set_at: Date | string;
    }>(
      `SELECT c.ref AS creditor, p.jurisdiction, p.overrides, p.approval, p.pack_version, p.set_by, p.set_at
         FROM compliance_policies p JOIN creditors c ON c.id = p.creditor_id ORDER BY c.ref, p.jurisdiction`,
    );
    return rows.map((r) => ({
      creditor: r.creditor,
      jurisdiction: r.jurisdiction,
      overrides: r.overrides,
      packVersion: r.pack_version,
      approval: r.approval,
      setBy: r.set_by,
      setAt: new Date(r.set_at).toISOString(),
    }));
  });
}

/** A creditor's stored policy for one jurisdiction, as read with the gate's facts. */
export interface StoredPolicy {
  creditorId: number;
  jurisdiction: Jurisdiction;
  overrides: PackOverrides;
  approval: LoosenApproval | null;
}

// Tightened packs by their inputs: a policy is set rarely and read with every decision.
const packMemo = new Map<string, RulePack>();

/**
 * The pack a stored policy makes: built with the same `tightenPack` that validated it; a policy that no
 * longer applies (a rule was renamed in a new pack) fails closed with an error rather than falling back to
 * the looser default.
 */
export function policyPack(p: StoredPolicy): RulePack {
  const key = JSON.stringify([p.jurisdiction, p.overrides, p.approval]);
  const known = packMemo.get(key);
  if (known) return known;
  const result = tightenPack(PACKS[p.jurisdiction], p.overrides, p.approval ?? undefined);
  if (!result.ok)
    throw new ArrearsError(
      'internal',
      `the compliance policy of creditor ${p.creditorId} for ${p.jurisdiction} no longer applies to pack ${PACKS[p.jurisdiction].version}: ${result.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
    );
  if (packMemo.size >= 1000) packMemo.clear();
  packMemo.set(key, result.pack);
  return result.pack;
}

/** The packs each creditor's accounts are judged by: creditor id → jurisdiction → pack (`policyPack`). */
export async function loadCreditorPacks(
  sql: SqlClient,
): Promise<Map<number, Partial<Record<Jurisdiction, RulePack>>>> {
  const { rows } = await sql.query<{
    creditor_id: number;
    jurisdiction: Jurisdiction;
    overrides: PackOverrides;
    approval: LoosenApproval | null;
  }>(`SELECT creditor_id, jurisdiction, overrides, approval FROM compliance_policies`);
  const out = new Map<number, Partial<Record<Jurisdiction, RulePack>>>();
  for (const r of rows) {
    const creditorId = Number(r.creditor_id);
    const packs = out.get(creditorId) ?? {};
    packs[r.jurisdiction] = policyPack({ creditorId, ...r });
    out.set(creditorId, packs);
  }
  return out;
}
