import {
  evaluateContact,
  JURISDICTIONS,
  lintMessage,
  parseContactRequest,
  type ContactRequest,
  type Jurisdiction,
} from '../../domain/compliance/index.js';
import type { ChannelName, PhoneJson, Store } from '../../store/index.js';
import type { GateDecision, GateRequest, SendGate } from '../dispatch/index.js';
import type { ContentCheck } from '../../templates/index.js';

/** The content linter as the templates and the dispatcher use it: any finding refuses the text. */
export const lintContent: ContentCheck = (text, locale) => {
  const { findings } = lintMessage(text, locale);
  if (findings.length === 0) return { ok: true };
  return {
    ok: false,
    findings: findings.map((f) => ({ rule: f.rule ?? f.category, message: `${f.category}: "${f.match}"` })),
  };
};

const HISTORY_DAYS = 8;

interface AccountFacts {
  account_id: number;
  ref: string;
  timezone: string;
  jurisdiction: string;
  phones: PhoneJson[];
}

interface SentRow {
  account_id: number;
  channel: ChannelName;
  sent_at: Date | string;
}

/**
 * The compliance gate at send time, for the dispatcher: for each planned contact it gathers the debtor's
 * zone, jurisdiction and number and the account's contacts of the last 8 days (what the outbox sent), asks
 * the gate, and records every decision in the decision log — in one transaction per batch. A debtor in a
 * jurisdiction without a rule pack is refused (fail closed).
 */
export function sendGate(store: Store): SendGate {
  return async (requests: readonly GateRequest[]): Promise<GateDecision[]> => {
    if (requests.length === 0) return [];
    const ids = [...new Set(requests.map((r) => r.accountId))];
    const earliest = new Date(Math.min(...requests.map((r) => r.at.getTime())) - HISTORY_DAYS * 86_400_000);
    return store.transaction(async ({ sql }) => {
      const { rows: facts } = await sql.query<AccountFacts>(
        `SELECT a.id AS account_id, a.ref, d.timezone, d.jurisdiction, d.phones
           FROM accounts a JOIN debtors d ON d.id = a.debtor_id WHERE a.id = ANY($1::bigint[])`,
        [ids],
      );
      const { rows: sent } = await sql.query<SentRow>(
        `SELECT account_id, channel, sent_at FROM outbox
          WHERE account_id = ANY($1::bigint[]) AND status = 'sent' AND sent_at >= $2`,
        [ids, earliest],
      );
      const byAccount = new Map(facts.map((f) => [Number(f.account_id), f]));
      const decisions: GateDecision[] = [];
      for (const r of requests) {
        const f = byAccount.get(r.accountId);
        if (!f) {
          decisions.push({
            allowed: false,
            reason: `account ${r.accountId} does not exist`,
            nextAllowedAt: null,
          });
          continue;
        }
        if (!(JURISDICTIONS as readonly string[]).includes(f.jurisdiction)) {
          decisions.push({
            allowed: false,
            reason: `no rule pack for jurisdiction ${f.jurisdiction}: contact is refused until one exists`,
            nextAllowedAt: null,
          });
          continue;
        }
        const request = contactRequest(r, f, f.jurisdiction as Jurisdiction, sent);
        const parsed = parseContactRequest(request);
        if (!parsed.ok) {
          decisions.push({
            allowed: false,
            reason: `the account's data does not make a valid contact request: ${parsed.issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`,
            nextAllowedAt: null,
          });
          continue;
        }
        const d = evaluateContact(parsed.value);
        await sql.query(
          `INSERT INTO compliance_decisions
             (account_id, contact_at, jurisdiction, channel, allowed, rule_ids, pack_version, next_allowed_at, request, decision)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
          [
            r.accountId,
            request.at,
            request.jurisdiction,
            request.channel,
            d.allowed,
            [...new Set(d.violations.map((v) => v.rule))],
            d.packVersion,
            d.nextAllowedAt,
            JSON.stringify(request),
            JSON.stringify(d),
          ],
        );
        decisions.push(
          d.allowed
            ? { allowed: true }
            : {
                allowed: false,
                reason: d.violations.map((v) => v.message).join('; '),
                rules: [...new Set(d.violations.map((v) => v.rule))],
                nextAllowedAt: d.nextAllowedAt ? new Date(d.nextAllowedAt) : null,
              },
        );
      }
      return decisions;
    });
  };
}

function contactRequest(
  r: GateRequest,
  f: AccountFacts,
  jurisdiction: Jurisdiction,
  sent: SentRow[],
): ContactRequest {
  const mobile = f.phones.find((p) => p.kind === 'mobile') ?? f.phones[0];
  return {
    jurisdiction,
    channel: r.channel,
    at: r.at.toISOString(),
    debtRef: f.ref,
    recipient: { role: 'debtor' },
    debtor: { timezone: f.timezone, ...(mobile ? { phone: mobile.number } : {}) },
    history: sent
      .filter((s) => Number(s.account_id) === r.accountId)
      .map((s) => ({
        channel: s.channel,
        at: new Date(s.sent_at).toISOString(),
        direction: 'outbound' as const,
        outcome: 'sent' as const,
        debtRef: f.ref,
        recipient: 'debtor' as const,
      })),
  };
}
