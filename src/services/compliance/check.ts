import {
  evaluateContact,
  type ContactRequest,
  type Decision,
  type LoosenApproval,
  type PackOverrides,
} from '../../domain/compliance/index.js';
import { ArrearsError } from '../../domain/errors.js';
import type { Store } from '../../store/index.js';
import { insertDecision, restoreDecision, type LoggedDecisionRow } from './gate.js';
import { policyPack } from './policies.js';

/** A stand-alone request judged (`arrears compliance check`), and whether the decision log holds it. */
export type CheckedRequest = Decision &
  ({ recorded: true; decisionId: number; account: string } | { recorded: false; notRecordedReason: string });

/**
 * Judges one complete contact request (its facts given by the caller, not read from the database) and
 * records the decision, allowed or not, against the account its `debtRef` names — judged, like every
 * gate decision on that account, by the account's creditor's policy for the request's jurisdiction. A
 * `debtRef` that names no stored account is a what-if question about a debt not loaded: judged by the
 * jurisdiction's own pack and not recorded, and the answer says why. `record: false` never opens a
 * transaction: a pure what-if check.
 */
export async function checkRequest(
  store: Store | null,
  request: ContactRequest,
  options: { record: boolean },
): Promise<CheckedRequest> {
  if (!options.record || store === null)
    return {
      ...evaluateContact(request),
      recorded: false,
      notRecordedReason: 'not asked to record (--no-record): a what-if check',
    };
  return store.transaction(async ({ sql }) => {
    const { rows } = await sql.query<{
      id: number;
      creditor_id: number;
      overrides: PackOverrides | null;
      approval: LoosenApproval | null;
    }>(
      `SELECT a.id, a.creditor_id, cp.overrides, cp.approval
         FROM accounts a
         LEFT JOIN compliance_policies cp ON cp.creditor_id = a.creditor_id AND cp.jurisdiction = $2
        WHERE a.ref = $1`,
      [request.debtRef, request.jurisdiction],
    );
    const account = rows[0];
    if (!account)
      return {
        ...evaluateContact(request),
        recorded: false,
        notRecordedReason: `no stored account has ref "${request.debtRef}" (debtRef): a what-if check about a debt not loaded, judged by the ${request.jurisdiction} pack`,
      };
    const policy = account.overrides
      ? policyPack({
          creditorId: Number(account.creditor_id),
          jurisdiction: request.jurisdiction,
          overrides: account.overrides,
          approval: account.approval,
        })
      : null;
    const decision = evaluateContact(
      request,
      policy ? { packs: { [request.jurisdiction]: policy } } : undefined,
    );
    const decisionId = await insertDecision(sql, { accountId: Number(account.id), request, decision });
    return { ...decision, recorded: true, decisionId, account: request.debtRef };
  });
}

export interface LoggedDecision {
  id: number;
  decidedAt: string;
  /** When the contact was (to be) made. */
  contactAt: string;
  channel: string;
  allowed: boolean;
  rules: string[];
  packVersion: string;
  nextAllowedAt: string | null;
  request: ContactRequest;
  decision: Decision;
}

/** The decision log of one account by its ref, newest first (at most `limit`). */
export async function decisionLog(
  store: Store,
  ref: string,
  limit = 50,
): Promise<{ account: string; items: LoggedDecision[] }> {
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
    throw new ArrearsError('invalid', 'limit must be a whole number from 1 to 10000', {
      issues: [{ field: 'limit', message: 'from 1 to 10000' }],
    });
  return store.transaction(async ({ sql }) => {
    const account = (await sql.query<{ id: number }>('SELECT id FROM accounts WHERE ref = $1', [ref]))
      .rows[0];
    if (!account) throw new ArrearsError('not_found', `account "${ref}" does not exist`);
    const { rows } = await sql.query<
      LoggedDecisionRow & { id: number; decided_at: Date | string; rule_ids: string[] }
    >(
      `SELECT id, decided_at, contact_at, jurisdiction, channel, allowed, rule_ids, pack_version, next_allowed_at,
              request, decision
         FROM compliance_decisions WHERE account_id = $1 ORDER BY id DESC LIMIT $2`,
      [account.id, limit],
    );
    return {
      account: ref,
      items: rows.map((r) => ({
        id: Number(r.id),
        decidedAt: new Date(r.decided_at).toISOString(),
        contactAt: new Date(r.contact_at).toISOString(),
        channel: r.channel,
        allowed: r.allowed,
        rules: r.rule_ids,
        packVersion: r.pack_version,
        nextAllowedAt: r.next_allowed_at === null ? null : new Date(r.next_allowed_at).toISOString(),
        ...restoreDecision(r),
      })),
    };
  });
}
