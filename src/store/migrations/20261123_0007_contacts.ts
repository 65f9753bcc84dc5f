/**
 * Contacts: the facts the compliance gate needs that used to live nowhere — holds on an account (cease,
 * dispute, attorney, bankruptcy, deceased, deferral), the debtor's contact preferences (channel opt-outs,
 * blocked weekly time bands, no contact at work), the contact log (calls, visits and messages with their
 * outcome, inbound contacts, consent to calls) — and the two workflows that create holds and letters:
 * disputes and complaints (with investigation notes and SLA deadlines).
 *
 * Account-scoped tables keep account_id first in their keys (distribution by account, as in 0001); the
 * preferences are the debtor's and keyed by debtor. Agency users reach all of them through row-level
 * security like the account tables of 0003; the gate also reads the outbox and writes the decision log
 * for them, so those two gain agency policies here.
 * Never edit a migration after it lands; add a new file.
 */
const PLACED = `account_id IN (SELECT account_id FROM placements)`;

export const statements: string[] = [
  `CREATE TABLE account_holds (
    account_id bigint NOT NULL,
    id bigint GENERATED ALWAYS AS IDENTITY,
    kind text NOT NULL CHECK (kind IN ('cease', 'dispute', 'attorney', 'bankruptcy', 'deceased', 'deferral')),
    reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
    source text NOT NULL CHECK (length(source) BETWEEN 1 AND 200),
    until timestamptz,
    placed_at timestamptz NOT NULL DEFAULT now(),
    placed_by text NOT NULL,
    released_at timestamptz,
    released_by text,
    release_reason text,
    PRIMARY KEY (account_id, id),
    CHECK ((kind = 'deferral') = (until IS NOT NULL)),
    CHECK ((released_at IS NULL) = (released_by IS NULL))
  )`,
  `CREATE INDEX account_holds_active_idx ON account_holds (account_id) WHERE released_at IS NULL`,
  `CREATE TABLE debtor_contact_preferences (
    debtor_id bigint PRIMARY KEY,
    blocked_channels text[] NOT NULL DEFAULT '{}',
    blocked_windows jsonb NOT NULL DEFAULT '[]',
    workplace_contact_prohibited boolean NOT NULL DEFAULT false,
    updated_at timestamptz NOT NULL DEFAULT now(),
    updated_by text NOT NULL
  )`,
  // The contact log. `gate_outcome` is the outcome in the gate's vocabulary (conversation, no_answer, …):
  // what the frequency rules count. A logged contact that carries out an outbox action (a call task)
  // names it, so the gate counts the call once.
  `CREATE TABLE contacts (
    account_id bigint NOT NULL,
    id bigint GENERATED ALWAYS AS IDENTITY,
    at timestamptz NOT NULL,
    channel text NOT NULL CHECK (channel IN ('call', 'sms', 'email', 'letter', 'visit', 'im')),
    direction text NOT NULL CHECK (direction IN ('outbound', 'inbound')),
    recipient text NOT NULL CHECK (recipient IN ('debtor', 'third_party', 'attorney')),
    contact_ref text,
    phone text,
    outcome text NOT NULL,
    gate_outcome text NOT NULL,
    consent_to_calls boolean NOT NULL DEFAULT false,
    note text,
    decision_id bigint,
    outbox_id bigint,
    logged_by text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, id)
  )`,
  `CREATE INDEX contacts_at_idx ON contacts (account_id, at)`,
  `CREATE INDEX contacts_outbox_idx ON contacts (account_id, outbox_id) WHERE outbox_id IS NOT NULL`,
  `CREATE TRIGGER contacts_append_only BEFORE UPDATE OR DELETE ON contacts
     FOR EACH ROW EXECUTE FUNCTION arrears_forbid_change()`,
  `CREATE TABLE disputes (
    account_id bigint NOT NULL,
    id bigint GENERATED ALWAYS AS IDENTITY,
    received_at timestamptz NOT NULL,
    channel text NOT NULL CHECK (channel IN ('call', 'letter', 'email', 'visit', 'portal', 'api')),
    written boolean NOT NULL,
    reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 4000),
    status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'upheld', 'rejected', 'verification_sent')),
    hold_id bigint NOT NULL,
    previous_case_status text NOT NULL,
    contact_id bigint,
    opened_by text NOT NULL,
    resolved_at timestamptz,
    resolved_by text,
    resolution text,
    letter_key text,
    PRIMARY KEY (account_id, id)
  )`,
  `CREATE TABLE complaints (
    account_id bigint NOT NULL,
    id bigint GENERATED ALWAYS AS IDENTITY,
    received_at timestamptz NOT NULL,
    channel text NOT NULL CHECK (channel IN ('call', 'letter', 'email', 'visit', 'portal', 'api', 'regulator')),
    category text NOT NULL,
    summary text NOT NULL CHECK (length(summary) BETWEEN 1 AND 4000),
    jurisdiction text NOT NULL,
    sla_rule text NOT NULL,
    respond_by date,
    resolve_by date NOT NULL,
    status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'investigating', 'resolved')),
    assigned_to bigint,
    assigned_to_name text,
    responded_at timestamptz,
    resolved_at timestamptz,
    resolved_by text,
    outcome text CHECK (outcome IN ('upheld', 'partially_upheld', 'rejected')),
    resolution text,
    letter_key text,
    opened_by text NOT NULL,
    PRIMARY KEY (account_id, id)
  )`,
  `CREATE INDEX complaints_due_idx ON complaints (resolve_by) WHERE status <> 'resolved'`,
  `CREATE TABLE complaint_notes (
    account_id bigint NOT NULL,
    complaint_id bigint NOT NULL,
    id bigint GENERATED ALWAYS AS IDENTITY,
    kind text NOT NULL CHECK (kind IN ('investigation', 'response')),
    text text NOT NULL CHECK (length(text) BETWEEN 1 AND 8000),
    author text NOT NULL,
    at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, id)
  )`,
  `CREATE INDEX complaint_notes_idx ON complaint_notes (account_id, complaint_id)`,
  `CREATE TRIGGER complaint_notes_append_only BEFORE UPDATE OR DELETE ON complaint_notes
     FOR EACH ROW EXECUTE FUNCTION arrears_forbid_change()`,

  // Agency users: read and record on placed accounts; releasing holds and resolving disputes or
  // complaints stays with the creditor's staff (no UPDATE on those for the agency role).
  `GRANT SELECT, INSERT ON account_holds, contacts, disputes, complaints, complaint_notes TO arrears_agency`,
  `GRANT SELECT, INSERT, UPDATE ON debtor_contact_preferences TO arrears_agency`,
  `GRANT SELECT, INSERT ON compliance_decisions TO arrears_agency`,
  `GRANT SELECT ON outbox TO arrears_agency`,
  `GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO arrears_agency`,
  ...['account_holds', 'contacts', 'disputes', 'complaints', 'complaint_notes'].flatMap((t) => [
    `ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY`,
    `CREATE POLICY agency_placed ON ${t} TO arrears_agency USING (${PLACED}) WITH CHECK (${PLACED})`,
  ]),
  `ALTER TABLE debtor_contact_preferences ENABLE ROW LEVEL SECURITY`,
  `CREATE POLICY agency_placed ON debtor_contact_preferences TO arrears_agency
     USING (debtor_id IN (SELECT debtor_id FROM accounts)) WITH CHECK (debtor_id IN (SELECT debtor_id FROM accounts))`,
  // Named apart from any later policy on the same tables: permissive policies combine with OR.
  `ALTER TABLE compliance_decisions ENABLE ROW LEVEL SECURITY`,
  `CREATE POLICY agency_contacts_gate ON compliance_decisions TO arrears_agency USING (${PLACED}) WITH CHECK (${PLACED})`,
  `ALTER TABLE outbox ENABLE ROW LEVEL SECURITY`,
  `CREATE POLICY agency_contacts_gate ON outbox TO arrears_agency USING (${PLACED})`,
];
