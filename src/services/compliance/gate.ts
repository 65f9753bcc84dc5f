import { loadCreditorPacks } from './policies.js';
import { isTimeZone } from '../../domain/calendar/index.js';
import {
  evaluateContact,
  JURISDICTIONS,
  type ContactRequest,
  type Decision,
  type HistoryEvent,
  type Jurisdiction,
} from '../../domain/compliance/index.js';
import {
  encodeCopyRows,
  textArray,
  type ChannelName,
  type PhoneJson,
  type SqlClient,
} from '../../store/index.js';

/** How far back contact history is read: the longest window any frequency rule counts (7 days) plus a day. */
export const HISTORY_DAYS = 8;

/** What the gate needs to know about one account's debtor, gathered in bulk. */
export interface GateFacts {
  accountId: number;
  ref: string;
  creditorId: number;
  jurisdiction: string;
  timezone: string;
  phones: PhoneJson[];
  /** Contacts of the last HISTORY_DAYS days, oldest first. */
  history: HistoryEvent[];
}

/** A proposed contact with the debtor of an account. */
export interface ProposedContact {
  accountId: number;
  channel: ChannelName;
  at: Date;
}

export interface GateOutcome {
  accountId: number;
  allowed: boolean;
  /** Rule ids that refused it (or the reason's code when the gate could not even be asked). */
  rules: string[];
  reason: string | null;
  nextAllowedAt: Date | null;
}

export interface GateOptions {
  /**
   * Which decisions go into the decision log: 'all' (the default: send time, a collector's question), or
   * 'refusals' — the daily cycle's planning check, whose allowed actions are judged again, and logged, when
   * they are sent.
   */
  record?: 'all' | 'refusals';
  /**
   * Also count actions already planned in the outbox but not yet sent (the daily cycle plans ahead; the
   * dispatcher, re-checking one of those very actions, must not count it against itself).
   */
  countPlanned?: boolean;
}

interface FactRow {
  account_id: number;
  ref: string;
  creditor_id: number;
  timezone: string;
  jurisdiction: string;
  phones: PhoneJson[];
}

interface ContactRow {
  account_id: number;
  channel: ChannelName;
  at: Date | string;
}

/**
 * Loads the gate's facts for many accounts in two queries: the debtor (zone, jurisdiction, numbers) and the
 * contacts of the window — outbox actions sent, and with `countPlanned` those planned and not yet sent.
 */
export async function loadGateFacts(
  sql: SqlClient,
  accountIds: readonly number[],
  since: Date,
  options: GateOptions = {},
): Promise<Map<number, GateFacts>> {
  const ids = [...new Set(accountIds)];
  const out = new Map<number, GateFacts>();
  if (ids.length === 0) return out;
  const { rows: facts } = await sql.query<FactRow>(
    `SELECT a.id AS account_id, a.ref, a.creditor_id, d.timezone, d.jurisdiction, d.phones
       FROM accounts a JOIN debtors d ON d.id = a.debtor_id WHERE a.id = ANY($1::bigint[])`,
    [ids],
  );
  const statuses = options.countPlanned ? ['sent', 'pending', 'retry', 'sending'] : ['sent'];
  const { rows: contacts } = await sql.query<ContactRow>(
    `SELECT account_id, channel, COALESCE(sent_at, planned_at) AS at FROM outbox
      WHERE account_id = ANY($1::bigint[]) AND status = ANY($2::text[]) AND COALESCE(sent_at, planned_at) >= $3
      ORDER BY 1, 3`,
    [ids, statuses, since.toISOString()],
  );
  for (const f of facts) {
    const id = Number(f.account_id);
    out.set(id, {
      accountId: id,
      ref: f.ref,
      creditorId: Number(f.creditor_id),
      jurisdiction: f.jurisdiction,
      timezone: f.timezone,
      phones: typeof f.phones === 'string' ? (JSON.parse(f.phones) as PhoneJson[]) : f.phones,
      history: [],
    });
  }
  for (const c of contacts) {
    const f = out.get(Number(c.account_id));
    f?.history.push(outboundEvent(f, c.channel, new Date(c.at)));
  }
  return out;
}

function outboundEvent(f: GateFacts, channel: ChannelName, at: Date): HistoryEvent {
  return {
    channel,
    at: at.toISOString(),
    direction: 'outbound',
    outcome: 'sent',
    debtRef: f.ref,
    recipient: 'debtor',
  };
}

/** The gate's request for a contact with the account's debtor (the mobile number first). */
export function contactRequestFor(
  f: GateFacts & { jurisdiction: Jurisdiction },
  p: ProposedContact,
): ContactRequest {
  const mobile = f.phones.find((ph) => ph.kind === 'mobile') ?? f.phones[0];
  return {
    jurisdiction: f.jurisdiction,
    channel: p.channel,
    at: p.at.toISOString(),
    debtRef: f.ref,
    recipient: { role: 'debtor' },
    debtor: { timezone: f.timezone, ...(mobile ? { phone: mobile.number } : {}) },
    history: f.history,
  };
}

const E164 = /^\+[1-9]\d{6,14}$/;

/** What in the stored facts would make an invalid request (the same checks as the request schema). */
function factProblem(f: GateFacts): string | null {
  if (!isTimeZone(f.timezone)) return `debtor.timezone: "${f.timezone}" is not an IANA time zone`;
  const bad = f.phones.find((p) => !E164.test(p.number));
  if (bad) return `debtor.phone: "${bad.number}" is not an E.164 number`;
  return null;
}

const isJurisdiction = (j: string): j is Jurisdiction => (JURISDICTIONS as readonly string[]).includes(j);

interface DecisionRow {
  accountId: number;
  request: ContactRequest;
  decision: Decision;
}

/**
 * The compliance gate for a batch of proposed contacts, inside the caller's transaction: facts in bulk, each
 * contact evaluated in order (an allowed contact joins its account's history, so two contacts planned for the
 * same day are counted against each other), the decisions recorded in the decision log with one COPY (all, or
 * only the refusals: `options.record`). Fails
 * closed: an unknown account, a jurisdiction without a rule pack or data the gate cannot read is refused.
 */
export async function gateContacts(
  sql: SqlClient,
  proposed: readonly ProposedContact[],
  options: GateOptions = {},
): Promise<GateOutcome[]> {
  if (proposed.length === 0) return [];
  const earliest = Math.min(...proposed.map((p) => p.at.getTime()));
  const facts = await loadGateFacts(
    sql,
    proposed.map((p) => p.accountId),
    new Date(earliest - HISTORY_DAYS * 86_400_000),
    options,
  );
  // Each creditor's own (tightened) packs, where it has set a policy.
  const creditorPacks = await loadCreditorPacks(sql);
  const outcomes: GateOutcome[] = [];
  const recorded: DecisionRow[] = [];
  for (const p of proposed) {
    const f = facts.get(p.accountId);
    const refuse = (rule: string, reason: string) =>
      outcomes.push({ accountId: p.accountId, allowed: false, rules: [rule], reason, nextAllowedAt: null });
    if (!f) {
      refuse('not_found', `account ${p.accountId} does not exist`);
      continue;
    }
    if (!isJurisdiction(f.jurisdiction)) {
      refuse(
        'unknown_jurisdiction',
        `no rule pack for jurisdiction ${f.jurisdiction}: contact is refused until one exists`,
      );
      continue;
    }
    const problem = factProblem(f);
    if (problem) {
      refuse('insufficient_data', `the account's data does not make a valid contact request: ${problem}`);
      continue;
    }
    // Built here from checked facts, so the request needs no second parse (that is for outside input).
    const request = contactRequestFor({ ...f, jurisdiction: f.jurisdiction }, p);
    const packs = creditorPacks.get(f.creditorId);
    const decision = evaluateContact(request, packs ? { packs } : undefined);
    if (!decision.allowed || options.record !== 'refusals')
      recorded.push({ accountId: p.accountId, request, decision });
    const rules = [...new Set(decision.violations.map((v) => v.rule))];
    outcomes.push({
      accountId: p.accountId,
      allowed: decision.allowed,
      rules,
      reason: decision.allowed ? null : decision.violations.map((v) => v.message).join('; '),
      nextAllowedAt: decision.nextAllowedAt ? new Date(decision.nextAllowedAt) : null,
    });
    if (decision.allowed) f.history.push(outboundEvent(f, p.channel, p.at));
  }
  await recordDecisions(sql, recorded);
  return outcomes;
}

const DECISION_COLUMNS = [
  'account_id',
  'contact_at',
  'jurisdiction',
  'channel',
  'allowed',
  'rule_ids',
  'pack_version',
  'next_allowed_at',
  'request',
  'decision',
];

/** Appends decisions to the decision log with one COPY. */
export async function recordDecisions(sql: SqlClient, rows: readonly DecisionRow[]): Promise<void> {
  if (rows.length === 0) return;
  await sql.copyIn(
    'compliance_decisions',
    DECISION_COLUMNS,
    encodeCopyRows(
      rows.map(({ accountId, request, decision }) => [
        accountId,
        request.at,
        request.jurisdiction,
        request.channel,
        decision.allowed,
        textArray([...new Set(decision.violations.map((v) => v.rule))]),
        decision.packVersion,
        decision.nextAllowedAt,
        request,
        decision,
      ]),
    ),
  );
}
