import {
  CHANNELS,
  evaluateContact,
  JURISDICTIONS,
  PACKS,
  parseContactRequest,
  type Channel,
  type ContactRequest,
  type Decision,
  type DecisionViolation,
  type HistoryEvent,
  type Jurisdiction,
  type LoosenApproval,
  type PackOverrides,
  type RulePack,
} from '../../domain/compliance/index.js';
import { loadCreditorPacks, policyPack, type StoredPolicy } from './policies.js';
import {
  CopyBuffer,
  copyJson,
  escapeCopy,
  textArray,
  type AddressJson,
  type BlockedWindowJson,
  type ChannelName,
  type ContactJson,
  type HoldKind,
  type PhoneJson,
  type SqlClient,
} from '../../store/index.js';

/** How far back contact history is read: the longest window any frequency rule counts (7 days) plus a day. */
export const HISTORY_DAYS = 8;

/** An active hold that applies to the account: its own (account_holds) or its debtor's (debtor_holds). */
export interface GateHold {
  id: number;
  kind: HoldKind;
  /** `debtor`: placed on the person (every account of theirs); absent means the account's own. */
  scope?: 'account' | 'debtor';
  /** Deferral only: collection resumes at this instant (ISO). */
  until: string | null;
}

/** What the gate needs to know about one account's debtor, gathered in bulk. */
export interface GateFacts {
  accountId: number;
  ref: string;
  /** Its creditor, whose compliance policy (tightened packs) applies; absent → the jurisdiction's packs. */
  creditorId?: number;
  jurisdiction: string;
  timezone: string;
  phones: PhoneJson[];
  /** Contacts of the last HISTORY_DAYS days, oldest first: outbox actions and the contact log. */
  history: HistoryEvent[];
  // Optional so that facts built elsewhere (tests, the simulator) stay valid; loadGateFacts always fills them.
  /** The contacts the debtor gave (third parties), addressed as `contact:1`, `contact:2`, … */
  contacts?: ContactJson[];
  addresses?: AddressJson[];
  /** The active holds that apply to the account: its own and its debtor's (account_holds, debtor_holds). */
  holds?: GateHold[];
  /** The debtor's channel opt-outs, blocked weekly bands and workplace ban (debtor_contact_preferences). */
  blockedChannels?: Channel[];
  blockedWindows?: BlockedWindowJson[];
  workplaceContactProhibited?: boolean;
  /** The debtor has an e-mail address on file (loadGateFacts fills it; the daily cycle's contactability). */
  hasEmail?: boolean;
  /**
   * The creditor's policy for the debtor's jurisdiction: null when it has none, absent when not loaded with
   * the facts (then the gate reads every creditor's policies itself).
   */
  policy?: StoredPolicy | null;
}

/** A proposed contact with the debtor of an account (or, with `recipient`, their attorney or a designated contact). */
export interface ProposedContact {
  accountId: number;
  channel: ChannelName | Channel;
  at: Date;
  /** `debtor` (default), `attorney`, or a designated contact `contact:N` (1-based, the debtor's contacts). */
  recipient?: string;
  /** Why a third party is contacted (default `location`). */
  purpose?: 'collection' | 'location' | 'message';
  /** The number dialled or texted, when not the debtor's mobile (or the contact's number). */
  phone?: string;
  /** Whether the contact reaches the debtor's place of employment, when the caller knows. */
  workplace?: boolean;
}

export interface GateOutcome {
  accountId: number;
  allowed: boolean;
  /** Rule ids that refused it (or the reason's code when the gate could not even be asked). */
  rules: string[];
  reason: string | null;
  nextAllowedAt: Date | null;
  /** Each refusal with its rule's citation (always set by gateContacts). */
  violations?: (DecisionViolation & { citation: string })[];
  /** The decision log row, when `decisionIds` was asked for. */
  decisionId?: number;
  /** The request the gate evaluated (absent when the gate could not be asked). */
  request?: ContactRequest;
}

export interface GateOptions {
  /**
   * Also count actions already planned in the outbox but not yet sent (the daily cycle plans ahead; the
   * dispatcher, re-checking one of those very actions, must not count it against itself).
   */
  countPlanned?: boolean;
  /** Record each decision with its own INSERT and return its id (for single checks; batches use COPY). */
  decisionIds?: boolean;
  /**
   * Which decisions go into the decision log: 'all' (the default: send time, a collector's question), or
   * 'refusals' — the daily cycle's planning check, whose allowed actions are judged again, and logged, when
   * they are sent.
   */
  record?: 'all' | 'refusals';
  /** Facts the caller already loaded (e.g. with `loadGateFactsByRef`), keyed by account id. */
  facts?: Map<number, GateFacts>;
}

interface FactRow {
  account_id: number;
  ref: string;
  creditor_id: number;
  timezone: string;
  jurisdiction: string;
  phones: PhoneJson[] | string;
  contacts: ContactJson[] | string;
  addresses: AddressJson[] | string;
  blocked_channels: string[] | null;
  blocked_windows: BlockedWindowJson[] | string | null;
  workplace_contact_prohibited: boolean | null;
  has_email: boolean;
  holds: { id: number; kind: HoldKind; until: string | null; scope: 'account' | 'debtor' }[] | string | null;
  policy_overrides: PackOverrides | null;
  policy_approval: LoosenApproval | null;
  /** [channel, at, direction, gate outcome, recipient, consent, phone, contact ref], oldest first. */
  events: EventTuple[] | string | null;
}

type EventTuple = [
  Channel,
  string,
  'outbound' | 'inbound',
  HistoryEvent['outcome'],
  'debtor' | 'third_party' | 'attorney',
  boolean,
  string | null,
  string | null,
];

const json = <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);

// The gate's facts query, in two forms of one text. Per account (LATERAL): the account's holds and history are
// found by index lookups — for a few accounts (one contact-check, a dispatch batch). Per id range (grouped):
// holds and history are read by one range scan each and joined by hash — for the daily cycle's batches.
const HOLD_JSON = `json_agg(json_build_object('id', x.id, 'kind', x.kind, 'until', x.until, 'scope', x.scope))`;
const EVENT_JSON = `json_agg(json_build_array(y.channel, y.at, y.direction, y.outcome, y.recipient, y.consent, y.phone,
                                       y.contact_ref) ORDER BY y.at)`;
const historyRows = (outboxWhere: string, contactsWhere: string) => `
  SELECT o.account_id, o.channel, COALESCE(o.sent_at, o.planned_at) AS at, 'outbound' AS direction, 'sent' AS outcome,
         'debtor' AS recipient, false AS consent, NULL::text AS phone, NULL::text AS contact_ref
    FROM outbox o
   WHERE ${outboxWhere} AND o.status = ANY($2::text[]) AND COALESCE(o.sent_at, o.planned_at) >= $3
     AND NOT EXISTS (SELECT 1 FROM contacts c WHERE c.account_id = o.account_id AND c.outbox_id = o.id)
  UNION ALL
  SELECT c.account_id, c.channel, c.at, c.direction, c.gate_outcome, c.recipient, c.consent_to_calls, c.phone,
         c.contact_ref
    FROM contacts c WHERE ${contactsWhere} AND c.at >= $3`;

/**
 * One query for any number of accounts: the debtor (zone, jurisdiction, numbers, designated contacts), their
 * contact preferences, the creditor's policy, the active holds — the account's own (dispute, deferral) and its
 * debtor's (cease, attorney, bankruptcy, deceased hold every account of the person; found by
 * `debtor_holds_active_idx`) —, and the contacts of the window — the contact log (calls with outcomes, inbound
 * contacts, consent) and the outbox actions sent (with `countPlanned`, also those planned and not yet sent),
 * aggregated per account. An outbox action that a logged contact carries out (a call task) is counted once, as
 * the logged contact. `where` selects the accounts ($1, $2 = statuses, $3 = since; the range form $1 < id <= $4).
 */
const factsQuery = (where: string, form: 'lateral' | 'range') => `
  SELECT a.id AS account_id, a.ref, a.creditor_id, d.timezone, d.jurisdiction, d.phones, d.contacts, d.addresses,
         d.emails <> '[]'::jsonb AS has_email, p.blocked_channels, p.blocked_windows, p.workplace_contact_prohibited, h.holds, e.events,
         cp.overrides AS policy_overrides, cp.approval AS policy_approval
    FROM accounts a
    -- By index per account (see PAGE_SQL in statements/accounts.ts): never a hash join over every debtor.
    JOIN LATERAL (SELECT d.timezone, d.jurisdiction, d.phones, d.contacts, d.addresses, d.emails FROM debtors d
                   WHERE d.id = a.debtor_id OFFSET 0) d ON true
    LEFT JOIN debtor_contact_preferences p ON p.debtor_id = a.debtor_id
    LEFT JOIN compliance_policies cp ON cp.creditor_id = a.creditor_id AND cp.jurisdiction = d.jurisdiction
    ${
      form === 'lateral'
        ? `LEFT JOIN LATERAL (
             SELECT ${HOLD_JSON} AS holds
               FROM (SELECT ah.id, ah.kind, ah.until, 'account' AS scope
                       FROM account_holds ah WHERE ah.account_id = a.id AND ah.released_at IS NULL
                     UNION ALL
                     SELECT dh.id, dh.kind, NULL::timestamptz, 'debtor'
                       FROM debtor_holds dh WHERE dh.debtor_id = a.debtor_id AND dh.released_at IS NULL) x) h ON true
           LEFT JOIN LATERAL (
             SELECT ${EVENT_JSON} AS events
               FROM (${historyRows('o.account_id = a.id', 'c.account_id = a.id')}) y) e ON true`
        : `LEFT JOIN (
             SELECT x.account_id, ${HOLD_JSON} AS holds
               FROM (SELECT ah.account_id, ah.id, ah.kind, ah.until, 'account' AS scope
                       FROM account_holds ah
                      WHERE ah.account_id > $1 AND ah.account_id <= $4 AND ah.released_at IS NULL
                     UNION ALL
                     SELECT r.id, dh.id, dh.kind, NULL::timestamptz, 'debtor'
                       FROM accounts r JOIN debtor_holds dh ON dh.debtor_id = r.debtor_id
                      WHERE r.id > $1 AND r.id <= $4 AND dh.released_at IS NULL) x
              GROUP BY x.account_id) h ON h.account_id = a.id
           LEFT JOIN (
             SELECT y.account_id, ${EVENT_JSON} AS events
               FROM (${historyRows('o.account_id > $1 AND o.account_id <= $4', 'c.account_id > $1 AND c.account_id <= $4')}) y
              GROUP BY y.account_id) e ON e.account_id = a.id`
    }
   WHERE ${where}`;

function factsOf(f: FactRow): GateFacts {
  const id = Number(f.account_id);
  const holds = f.holds ? json(f.holds) : [];
  const events = f.events ? json(f.events) : [];
  return {
    accountId: id,
    ref: f.ref,
    creditorId: Number(f.creditor_id),
    jurisdiction: f.jurisdiction,
    timezone: f.timezone,
    phones: json(f.phones),
    history: events.map(([channel, at, direction, outcome, recipient, consent, phone, contactRef]) => ({
      channel,
      at: new Date(at).toISOString(),
      direction,
      outcome,
      debtRef: f.ref,
      recipient: recipient === 'debtor' ? 'debtor' : 'third_party',
      ...(consent ? { consentGiven: true } : {}),
      ...(phone ? { phone } : {}),
      ...(contactRef ? { recipientRef: contactRef } : {}),
      ...(recipient === 'attorney' ? { recipientRef: 'attorney' } : {}),
    })),
    contacts: json(f.contacts),
    addresses: json(f.addresses),
    holds: holds.map((h) => ({
      id: Number(h.id),
      kind: h.kind,
      scope: h.scope,
      until: h.until === null ? null : new Date(h.until).toISOString(),
    })),
    blockedChannels: (f.blocked_channels ?? []) as Channel[],
    blockedWindows: f.blocked_windows ? json(f.blocked_windows) : [],
    workplaceContactProhibited: f.workplace_contact_prohibited === true,
    hasEmail: f.has_email,
    policy: f.policy_overrides
      ? {
          creditorId: Number(f.creditor_id),
          jurisdiction: f.jurisdiction as Jurisdiction,
          overrides: f.policy_overrides,
          approval: f.policy_approval,
        }
      : null,
  };
}

const statusesFor = (options: GateOptions) =>
  options.countPlanned ? ['sent', 'pending', 'retry', 'sending'] : ['sent'];

/**
 * Loads the gate's facts for many accounts in one query, however many accounts: the debtor, the debtor's
 * contact preferences, the active holds (the account's and its debtor's) and the contact history since `since` (see `factsQuery`).
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
  const { rows } = await sql.query<FactRow>(factsQuery('a.id = ANY($1::bigint[])', 'lateral'), [
    ids,
    statusesFor(options),
    since.toISOString(),
  ]);
  for (const f of rows) out.set(Number(f.account_id), factsOf(f));
  return out;
}

const FACTS_BY_REF = factsQuery('a.ref = $1', 'lateral');
const FACTS_BY_RANGE = factsQuery(`a.id > $1 AND a.id <= $4 AND a.status = 'open'`, 'range');

/**
 * The gate's facts for the open accounts with ids in (from, to]: a daily-cycle batch. The same facts as
 * `loadGateFacts`, read by range scans (no lookup per account).
 */
export async function loadGateFactsRange(
  sql: SqlClient,
  from: number,
  to: number,
  since: Date,
  options: GateOptions = {},
): Promise<Map<number, GateFacts>> {
  const { rows } = await sql.query<FactRow>(FACTS_BY_RANGE, [
    from,
    statusesFor(options),
    since.toISOString(),
    to,
  ]);
  const out = new Map<number, GateFacts>();
  for (const f of rows) out.set(Number(f.account_id), factsOf(f));
  return out;
}

/** The gate's facts for one account by its ref (null when it does not exist or is not visible). */
export async function loadGateFactsByRef(
  sql: SqlClient,
  ref: string,
  since: Date,
  options: GateOptions = {},
): Promise<GateFacts | null> {
  const { rows } = await sql.query<FactRow>(
    FACTS_BY_REF,
    [ref, statusesFor(options), since.toISOString()],
    'arrears_gate_facts_by_ref',
  );
  return rows[0] ? factsOf(rows[0]) : null;
}

function outboundEvent(f: GateFacts, p: ProposedContact): HistoryEvent {
  const recipient = p.recipient ?? 'debtor';
  return {
    channel: p.channel,
    at: p.at.toISOString(),
    direction: 'outbound',
    outcome: 'sent',
    debtRef: f.ref,
    recipient: recipient === 'debtor' ? 'debtor' : 'third_party',
    ...(recipient === 'debtor' ? {} : { recipientRef: recipient }),
  };
}

/** The designated contact a `contact:N` recipient names, or null. */
export function designatedContact(f: GateFacts, recipient: string): ContactJson | null {
  const m = /^contact:([1-9]\d{0,2})$/.exec(recipient);
  return m ? (f.contacts?.[Number(m[1]) - 1] ?? null) : null;
}

/** Why a proposed contact cannot even be put to the gate (an unknown recipient), or null. */
export function recipientProblem(f: GateFacts, p: ProposedContact): string | null {
  const r = p.recipient ?? 'debtor';
  if (r === 'debtor' || r === 'attorney') return null;
  if (designatedContact(f, r)) return null;
  return `recipient "${r}" is not the debtor, "attorney" or one of the debtor's ${f.contacts?.length ?? 0} contact(s) (contact:1…)`;
}

function holdFlags(f: GateFacts): NonNullable<ContactRequest['debtor']['flags']> {
  const flags: NonNullable<ContactRequest['debtor']['flags']> = {};
  for (const h of f.holds ?? []) {
    switch (h.kind) {
      case 'cease':
        flags.ceaseRequested = true;
        break;
      case 'dispute':
        flags.disputed = true;
        break;
      case 'attorney':
        flags.attorneyRepresented = true;
        break;
      case 'bankruptcy':
        flags.bankruptcy = true;
        break;
      case 'deceased':
        flags.deceased = true;
        break;
      case 'deferral':
        if (h.until && (!flags.deferredUntil || h.until > flags.deferredUntil)) flags.deferredUntil = h.until;
        break;
    }
  }
  if (f.workplaceContactProhibited) flags.workplaceContactProhibited = true;
  return flags;
}

/**
 * Whether the contact reaches the workplace, as far as the data says: a number of kind `work`, a letter or
 * visit to a `work` address. Unknown (an e-mail) stays undefined, and the gate then refuses when the
 * employer prohibits contact at work (fail closed) unless the caller says `workplace`.
 */
function atWorkplace(f: GateFacts, p: ProposedContact, phone: PhoneJson | undefined): boolean | undefined {
  if (p.workplace !== undefined) return p.workplace;
  switch (p.channel) {
    case 'call':
    case 'sms':
      return phone ? phone.kind === 'work' : undefined;
    case 'letter':
    case 'visit': {
      const addresses = f.addresses ?? [];
      const address = addresses.find((a) => a.kind === 'home') ?? addresses[0];
      return address ? address.kind === 'work' : undefined;
    }
    case 'email':
    case 'im':
      return undefined;
  }
}

/**
 * The gate's request for a contact: with the debtor's mobile number first, the account's holds as flags,
 * the debtor's opt-outs and blocked bands, and the history of the window. A `contact:N` recipient becomes a
 * third party (designated when the debtor gave them with consent; from the debtor, never an address book).
 */
export function contactRequestFor(
  f: GateFacts & { jurisdiction: Jurisdiction },
  p: ProposedContact,
): ContactRequest {
  const mobile = f.phones.find((ph) => ph.kind === 'mobile') ?? f.phones[0];
  const recipientKey = p.recipient ?? 'debtor';
  const contact = designatedContact(f, recipientKey);
  // A contact's own number reaches the workplace only when the contact is the employer or a colleague.
  const dialled: PhoneJson | undefined = p.phone
    ? (f.phones.find((ph) => ph.number === p.phone) ?? { number: p.phone, kind: 'other' })
    : contact
      ? contact.phone
        ? {
            number: contact.phone,
            kind: ['employer', 'colleague'].includes(contact.relationship) ? 'work' : 'other',
          }
        : undefined
      : mobile;
  const flags = holdFlags(f);
  const workplace = f.workplaceContactProhibited === true ? atWorkplace(f, p, dialled) : undefined;
  const destinationPhone = p.phone ?? contact?.phone;
  const destination = {
    ...(destinationPhone && (p.channel === 'call' || p.channel === 'sms') ? { phone: destinationPhone } : {}),
    ...(workplace !== undefined ? { workplace } : {}),
  };
  return {
    jurisdiction: f.jurisdiction,
    channel: p.channel,
    at: p.at.toISOString(),
    debtRef: f.ref,
    recipient: contact
      ? {
          role: 'third_party',
          designated: contact.consent === true,
          source: 'debtor_provided',
          ref: recipientKey,
          ...(isRelationship(contact.relationship) ? { relationship: contact.relationship } : {}),
        }
      : { role: recipientKey === 'attorney' ? 'attorney' : 'debtor' },
    ...(contact ? { purpose: p.purpose ?? 'location' } : {}),
    ...(Object.keys(destination).length > 0 ? { destination } : {}),
    debtor: {
      timezone: f.timezone,
      ...(mobile ? { phone: mobile.number } : {}),
      ...(Object.keys(flags).length > 0 ? { flags } : {}),
      ...(f.blockedChannels?.length ? { blockedChannels: f.blockedChannels } : {}),
      ...(f.blockedWindows?.length ? { blockedWindows: f.blockedWindows } : {}),
    },
    history: f.history,
  };
}

const RELATIONSHIPS = ['spouse', 'parent', 'child', 'sibling', 'employer', 'colleague', 'friend', 'other'];
const isRelationship = (
  r: string,
): r is 'spouse' | 'parent' | 'child' | 'sibling' | 'employer' | 'colleague' | 'friend' | 'other' =>
  RELATIONSHIPS.includes(r);

/** The citation of a rule id in a jurisdiction's pack ('' for the gate's own input checks). */
export function citationOf(jurisdiction: string, rule: string): string {
  const pack = (PACKS as Record<string, (typeof PACKS)[Jurisdiction] | undefined>)[jurisdiction];
  return pack?.rules.find((r) => r.id === rule)?.citation ?? '';
}

/** Where the history window of a batch starts: HISTORY_DAYS before its earliest contact. */
export function historySince(proposed: readonly Pick<ProposedContact, 'at'>[]): Date {
  return new Date(Math.min(...proposed.map((p) => p.at.getTime())) - HISTORY_DAYS * 86_400_000);
}

const isJurisdiction = (j: string): j is Jurisdiction => (JURISDICTIONS as readonly string[]).includes(j);

/** A decision to be written to the decision log. */
export interface DecisionRow {
  accountId: number;
  request: ContactRequest;
  decision: Decision;
}

/** What `judgeContacts` decided: an outcome per proposal, and the decisions to record (`decisionAt[i]` is the index of `decisions[i]`'s outcome). */
export interface GateJudgement {
  outcomes: GateOutcome[];
  decisions: DecisionRow[];
  decisionAt: number[];
}

/**
 * The compliance gate over proposed contacts, given their facts: pure (no I/O), so a caller can compute a
 * batch while the previous one is written. Each contact is evaluated in order, and an allowed contact joins
 * its account's history (`facts` is updated), so two contacts planned for the same day are counted against
 * each other; each account is judged by its creditor's packs. Fails closed: an unknown account, a
 * jurisdiction without a rule pack or data the gate cannot read is refused. `creditorPacks` is needed only
 * for facts read without their policy.
 */
export function judgeContacts(
  proposed: readonly ProposedContact[],
  facts: ReadonlyMap<number, GateFacts>,
  options: {
    record?: GateOptions['record'];
    creditorPacks?: Map<number, Partial<Record<Jurisdiction, RulePack>>> | null;
  } = {},
): GateJudgement {
  const outcomes: GateOutcome[] = [];
  const decisions: DecisionRow[] = [];
  const decisionAt: number[] = [];
  const validated = new WeakSet<GateFacts>();
  const refuse = (p: ProposedContact, rule: string, reason: string) =>
    outcomes.push({
      accountId: p.accountId,
      allowed: false,
      rules: [rule],
      reason,
      nextAllowedAt: null,
      violations: [{ rule, message: reason, citation: '' }],
    });
  for (const p of proposed) {
    const f = facts.get(p.accountId);
    if (!f) {
      refuse(p, 'not_found', `account ${p.accountId} does not exist`);
      continue;
    }
    if (!isJurisdiction(f.jurisdiction)) {
      refuse(
        p,
        'unknown_jurisdiction',
        `no rule pack for jurisdiction ${f.jurisdiction}: contact is refused until one exists`,
      );
      continue;
    }
    const problem = recipientProblem(f, p);
    if (problem) {
      refuse(p, 'unknown_recipient', problem);
      continue;
    }
    // (The jurisdiction was just checked; no copy of the facts to say so.)
    const built = contactRequestFor(f as GateFacts & { jurisdiction: Jurisdiction }, p);
    // Everything a request takes from the facts was validated with this account's first plain proposal; a
    // later plain one differs only in channel, time, the contacts this batch added (built here from
    // validated requests) and whether it reaches the workplace — so it is not parsed again.
    // (The history array is the facts' own, which grows as contacts are allowed: the request keeps a copy.)
    const isPlain = plain(p);
    const reuse = isPlain && validated.has(f);
    const parsed = reuse
      ? ({ ok: true, value: { ...built, history: built.history.slice() } } as const)
      : parseContactRequest(built);
    if (parsed.ok && isPlain) validated.add(f);
    if (!parsed.ok) {
      refuse(
        p,
        'insufficient_data',
        `the account's data does not make a valid contact request: ${parsed.issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`,
      );
      continue;
    }
    const packs =
      f.policy !== undefined
        ? f.policy && { [f.policy.jurisdiction]: policyPack(f.policy) }
        : f.creditorId === undefined
          ? undefined
          : options.creditorPacks?.get(f.creditorId);
    const decision = evaluateContact(parsed.value, packs ? { packs } : undefined);
    if (!decision.allowed || options.record !== 'refusals') {
      decisionAt.push(outcomes.length);
      decisions.push({ accountId: p.accountId, request: parsed.value, decision });
    }
    const refused = decision.violations.length > 0;
    outcomes.push({
      accountId: p.accountId,
      allowed: decision.allowed,
      rules: refused ? [...new Set(decision.violations.map((v) => v.rule))] : [],
      reason: decision.allowed ? null : decision.violations.map((v) => v.message).join('; '),
      nextAllowedAt: decision.nextAllowedAt ? new Date(decision.nextAllowedAt) : null,
      violations: refused
        ? decision.violations.map((v) => ({ ...v, citation: citationOf(f.jurisdiction, v.rule) }))
        : [],
      request: parsed.value,
    });
    if (decision.allowed) f.history.push(outboundEvent(f, p));
  }
  return { outcomes, decisions, decisionAt };
}

/**
 * A contact with the debtor on a known channel at a valid time, with nothing else said (the daily cycle's):
 * its request holds nothing from the proposal that the facts' validation did not cover.
 */
const plain = (p: ProposedContact): boolean =>
  p.recipient === undefined &&
  p.phone === undefined &&
  p.purpose === undefined &&
  p.workplace === undefined &&
  (CHANNELS as readonly string[]).includes(p.channel) &&
  !Number.isNaN(p.at.getTime());

/**
 * The compliance gate for a batch of proposed contacts, inside the caller's transaction: facts in bulk
 * (unless given), `judgeContacts`, and the decisions recorded in the decision log with one COPY (all, or
 * only the refusals: `options.record`; one INSERT each with `decisionIds`).
 */
export async function gateContacts(
  sql: SqlClient,
  proposed: readonly ProposedContact[],
  options: GateOptions = {},
): Promise<GateOutcome[]> {
  if (proposed.length === 0) return [];
  const facts =
    options.facts ??
    (await loadGateFacts(
      sql,
      proposed.map((p) => p.accountId),
      historySince(proposed),
      options,
    ));
  // Each creditor's own (tightened) packs, where it has set a policy: read with the facts, or here for
  // facts built without them.
  const creditorPacks = [...facts.values()].some((f) => f.policy === undefined)
    ? await loadCreditorPacks(sql)
    : null;
  const { outcomes, decisions, decisionAt } = judgeContacts(proposed, facts, {
    record: options.record,
    creditorPacks,
  });
  if (options.decisionIds) {
    for (let i = 0; i < decisions.length; i++)
      outcomes[decisionAt[i]!]!.decisionId = await insertDecision(sql, decisions[i]!);
  } else {
    await recordDecisions(sql, decisions);
  }
  return outcomes;
}

/**
 * The decision log keeps every decision's request and outcome whole, without repeating in its JSON what the
 * row's columns hold: `request` without its `jurisdiction` and `channel`, `decision` as its violations alone
 * (`allowed`, `packVersion` and `nextAllowedAt` are columns). A quarter fewer bytes per row, which the daily
 * cycle writes a million times. `restoreDecision` puts them back (rows written whole before stay readable).
 */
function loggedRequest(request: ContactRequest): Omit<ContactRequest, 'jurisdiction' | 'channel'> {
  const { jurisdiction: _jurisdiction, channel: _channel, ...rest } = request;
  return rest;
}
const loggedDecision = (decision: Decision) => ({ violations: decision.violations });

/** A decision log row as read (json columns as objects, or as text from drivers that leave them so). */
export interface LoggedDecisionRow {
  contact_at: Date | string;
  jurisdiction: string;
  channel: string;
  allowed: boolean;
  pack_version: string;
  next_allowed_at: Date | string | null;
  request: object | string;
  decision: object | string;
}

/** The request and decision of a decision log row, whole again (see `loggedRequest`). */
export function restoreDecision(row: LoggedDecisionRow): { request: ContactRequest; decision: Decision } {
  const json = (v: object | string) => (typeof v === 'string' ? (JSON.parse(v) as object) : v);
  const request = json(row.request) as Omit<ContactRequest, 'jurisdiction' | 'channel'>;
  const stored = json(row.decision) as Partial<Decision>;
  return {
    request: {
      jurisdiction: row.jurisdiction as Jurisdiction,
      channel: row.channel as Channel,
      ...request,
    },
    decision: {
      allowed: row.allowed,
      violations: stored.violations ?? [],
      nextAllowedAt: row.next_allowed_at === null ? null : new Date(row.next_allowed_at).toISOString(),
      packVersion: row.pack_version,
    },
  };
}

/** Appends one decision to the decision log and returns its id. */
export async function insertDecision(
  sql: SqlClient,
  { accountId, request, decision }: DecisionRow,
): Promise<number> {
  const { rows } = await sql.query<{ id: number }>(
    `INSERT INTO compliance_decisions
       (account_id, contact_at, jurisdiction, channel, allowed, rule_ids, pack_version, next_allowed_at, request, decision)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
    [
      accountId,
      request.at,
      request.jurisdiction,
      request.channel,
      decision.allowed,
      [...new Set(decision.violations.map((v) => v.rule))],
      decision.packVersion,
      decision.nextAllowedAt,
      JSON.stringify(loggedRequest(request)),
      JSON.stringify(loggedDecision(decision)),
    ],
    'arrears_decision_insert',
  );
  return Number(rows[0]!.id);
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
  await copyDecisions(sql, encodeDecisions(rows));
}

/**
 * Decisions as COPY rows for the decision log (encoded apart from the COPY, e.g. while another batch is
 * written), each line built in one template: the daily cycle encodes a million and more.
 */
export function encodeDecisions(rows: readonly DecisionRow[], into = new CopyBuffer()): Uint8Array {
  for (const { accountId, request, decision } of rows) {
    const rules =
      decision.violations.length === 0
        ? '{}'
        : textArray([...new Set(decision.violations.map((v) => v.rule))]);
    const next = decision.nextAllowedAt === null ? '\\N' : escapeCopy(decision.nextAllowedAt);
    into.line(
      `${accountId}\t${escapeCopy(request.at)}\t${escapeCopy(request.jurisdiction)}\t${escapeCopy(request.channel)}\t${decision.allowed ? 't' : 'f'}\t${escapeCopy(rules)}\t${escapeCopy(decision.packVersion)}\t${next}\t${copyJson(loggedRequest(request))}\t${copyJson(loggedDecision(decision))}`,
    );
  }
  return into.bytes();
}

/** Appends decisions encoded by `encodeDecisions` (as text or its UTF-8 bytes) with one COPY. */
export async function copyDecisions(sql: SqlClient, encoded: string | Uint8Array): Promise<void> {
  if (encoded.length === 0) return;
  await sql.copyIn('compliance_decisions', DECISION_COLUMNS, encoded);
}
