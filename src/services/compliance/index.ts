import {
  evaluateContact,
  type ContactRequest,
  type Decision,
  type EvaluateOptions,
} from '../../domain/compliance/index.js';
import type { Store } from '../../store/index.js';
import { insertDecision, restoreDecision, type LoggedDecisionRow } from './gate.js';

export interface RecordedDecision {
  id: number;
  accountId: number;
  decidedAt: string;
  request: ContactRequest;
  decision: Decision;
}

/** Evaluates a proposed contact and records the decision (allowed or not) in the same transaction. */
export async function checkAndRecord(
  store: Store,
  accountId: number,
  request: ContactRequest,
  options?: EvaluateOptions,
): Promise<{ id: number; decision: Decision }> {
  const decision = evaluateContact(request, options);
  return store.transaction(async (tx) => ({
    id: await insertDecision(tx.sql, { accountId, request, decision }),
    decision,
  }));
}

/** The decisions recorded for one account, newest first. */
export async function decisionsForAccount(store: Store, accountId: number): Promise<RecordedDecision[]> {
  return store.transaction(async (tx) => {
    const { rows } = await tx.sql.query<
      LoggedDecisionRow & { id: number; account_id: number; decided_at: Date | string }
    >(
      `SELECT id, account_id, decided_at, contact_at, jurisdiction, channel, allowed, pack_version,
              next_allowed_at, request, decision
         FROM compliance_decisions WHERE account_id = $1 ORDER BY id DESC`,
      [accountId],
    );
    return rows.map((r) => ({
      id: Number(r.id),
      accountId: Number(r.account_id),
      decidedAt: new Date(r.decided_at).toISOString(),
      ...restoreDecision(r),
    }));
  });
}
export { sendGate, lintContent } from './send.js';
export { checkRequest, decisionLog, type CheckedRequest, type LoggedDecision } from './check.js';
export {
  gateContacts,
  judgeContacts,
  loadGateFacts,
  loadGateFactsByRef,
  loadGateFactsRange,
  historySince,
  contactRequestFor,
  recordDecisions,
  encodeDecisions,
  copyDecisions,
  restoreDecision,
  HISTORY_DAYS,
  citationOf,
  designatedContact,
  recipientProblem,
  type GateHold,
  type GateFacts,
  type GateOptions,
  type GateOutcome,
  type GateJudgement,
  type DecisionRow,
  type LoggedDecisionRow,
  type ProposedContact,
} from './gate.js';
export { simulationGate } from './simulation-gate.js';
export {
  setCreditorPolicy,
  listCreditorPolicies,
  loadCreditorPacks,
  type CreditorPolicy,
} from './policies.js';
