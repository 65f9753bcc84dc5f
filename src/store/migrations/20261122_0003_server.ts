/**
 * Server schema: users and their credentials, agencies and placements, idempotency keys, payment
 * reversals and the hash-chained audit log. Account-scoped tables keep account_id first in their keys.
 *
 * Agency isolation is enforced by row-level security for the role `arrears_agency`: an agency user's
 * request runs inside a transaction with `SET LOCAL ROLE arrears_agency` and
 * `set_config('arrears.agency_id', …, true)`, and the policies below show only accounts currently placed
 * with that agency (and the rows hanging off them). Without the setting, nothing is visible. Other roles
 * connect as the tables' owner, which RLS does not restrict. Tables added later get no grant for
 * `arrears_agency`, so an agency request that touches them fails closed.
 * Never edit a migration after it lands; add a new file.
 */
const ROLES = `'admin', 'manager', 'collector', 'field_agent', 'legal', 'agency_user', 'compliance_officer', 'auditor'`;
const PLACED = `account_id IN (SELECT account_id FROM placements)`;

export const statements: string[] = [
  // Roles are cluster-wide; several databases (tests) may create it concurrently.
  // A DBA may create the role beforehand (then the migrating user needs no CREATEROLE).
  `DO $$ BEGIN
     IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'arrears_agency') THEN
       CREATE ROLE arrears_agency NOLOGIN;
     END IF;
   EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
   END $$`,
  // SET ROLE needs membership unless the application connects as a superuser; a database user without the
  // right to grant it gets a notice here, and agency requests then fail with "permission denied to set role".
  `DO $$ BEGIN
     EXECUTE format('GRANT arrears_agency TO %I', current_user);
   EXCEPTION WHEN OTHERS THEN RAISE NOTICE 'could not grant arrears_agency to %: %', current_user, SQLERRM;
   END $$`,
  `CREATE TABLE agencies (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ref text NOT NULL UNIQUE,
    name text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE TABLE users (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9][a-z0-9._-]{1,63}$'),
    display_name text NOT NULL,
    role text NOT NULL CHECK (role IN (${ROLES})),
    agency_id bigint REFERENCES agencies (id),
    password_hash text NOT NULL,
    failed_logins integer NOT NULL DEFAULT 0,
    locked_until timestamptz,
    disabled boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK ((role = 'agency_user') = (agency_id IS NOT NULL))
  )`,
  `CREATE TABLE sessions (
    token_hash text PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES users (id),
    csrf_token text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL
  )`,
  `CREATE INDEX sessions_user_idx ON sessions (user_id)`,
  `CREATE TABLE api_tokens (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES users (id),
    name text NOT NULL,
    token_hash text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at timestamptz
  )`,
  `CREATE TABLE placements (
    account_id bigint NOT NULL,
    id bigint GENERATED ALWAYS AS IDENTITY,
    agency_id bigint NOT NULL REFERENCES agencies (id),
    placed_at timestamptz NOT NULL DEFAULT now(),
    recalled_at timestamptz,
    PRIMARY KEY (account_id, id)
  )`,
  `CREATE UNIQUE INDEX placements_active_idx ON placements (account_id) WHERE recalled_at IS NULL`,
  `CREATE INDEX placements_agency_idx ON placements (agency_id, account_id) WHERE recalled_at IS NULL`,
  `CREATE TABLE idempotency_keys (
    account_id bigint NOT NULL,
    key text NOT NULL,
    request_hash text NOT NULL,
    status_code integer,
    response jsonb,
    user_id bigint,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, key)
  )`,
  `ALTER TABLE payments ADD COLUMN posted_by bigint, ADD COLUMN reversed_at timestamptz, ADD COLUMN reversal_reason text`,
  // Hash chains: one per account (chain = account id) and chain 0 for everything else. A chain's head row
  // is locked by each append until commit, so records of one chain hash their true predecessor, while
  // state changes on different accounts do not queue behind one lock (and the log distributes by account).
  `CREATE TABLE audit_log (
    chain bigint NOT NULL,
    seq bigint NOT NULL,
    at timestamptz NOT NULL,
    actor text NOT NULL,
    action text NOT NULL,
    entity text NOT NULL,
    data jsonb NOT NULL,
    prev_hash text NOT NULL,
    hash text NOT NULL,
    PRIMARY KEY (chain, seq)
  )`,
  `CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
     FOR EACH ROW EXECUTE FUNCTION arrears_forbid_change()`,
  `CREATE TABLE audit_heads (
    chain bigint PRIMARY KEY,
    seq bigint NOT NULL,
    hash text NOT NULL
  )`,
  `CREATE TABLE promises (
    account_id bigint NOT NULL,
    id bigint GENERATED ALWAYS AS IDENTITY,
    amount bigint NOT NULL CHECK (amount > 0),
    made_on date NOT NULL,
    due_on date NOT NULL CHECK (due_on >= made_on),
    grace_days integer NOT NULL CHECK (grace_days BETWEEN 0 AND 60),
    tolerance bigint NOT NULL CHECK (tolerance >= 0),
    created_by bigint,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, id)
  )`,
  // One case per account, created when first worked. A claim locks it for one person until it expires.
  `CREATE TABLE cases (
    account_id bigint PRIMARY KEY,
    status text NOT NULL DEFAULT 'open'
      CHECK (status IN ('open', 'in_progress', 'promise', 'plan', 'dispute', 'legal', 'placed', 'closed')),
    claimed_by bigint REFERENCES users (id),
    -- The holder's username, so the case reads without the users table (which agency users cannot read).
    claimed_by_name text,
    claimed_until timestamptz,
    updated_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE FUNCTION arrears_agency_id() RETURNS bigint LANGUAGE sql STABLE AS
     $$ SELECT NULLIF(current_setting('arrears.agency_id', true), '')::bigint $$`,
  `GRANT SELECT ON agencies, placements, accounts, debtors, creditors, installments, delinquency_snapshots TO arrears_agency`,
  `GRANT SELECT, INSERT ON payments, account_events, promises TO arrears_agency`,
  `GRANT SELECT, INSERT, UPDATE ON idempotency_keys, cases TO arrears_agency`,
  `GRANT INSERT ON audit_log TO arrears_agency`,
  `GRANT SELECT, INSERT, UPDATE ON audit_heads TO arrears_agency`,
  `GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO arrears_agency`,
  ...[
    'agencies',
    'placements',
    'accounts',
    'debtors',
    'creditors',
    'payments',
    'account_events',
    'delinquency_snapshots',
    'idempotency_keys',
    'promises',
    'cases',
  ].map((t) => `ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY`),
  `CREATE POLICY agency_own ON agencies TO arrears_agency USING (id = arrears_agency_id())`,
  `CREATE POLICY agency_placed ON placements TO arrears_agency
     USING (agency_id = arrears_agency_id() AND recalled_at IS NULL)`,
  `CREATE POLICY agency_placed ON accounts TO arrears_agency USING (id IN (SELECT account_id FROM placements))`,
  `CREATE POLICY agency_placed ON debtors TO arrears_agency USING (id IN (SELECT debtor_id FROM accounts))`,
  `CREATE POLICY agency_placed ON creditors TO arrears_agency USING (id IN (SELECT creditor_id FROM accounts))`,
  `ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY`,
  `ALTER TABLE audit_heads ENABLE ROW LEVEL SECURITY`,
  `CREATE POLICY agency_placed ON audit_log TO arrears_agency
     USING (chain IN (SELECT account_id FROM placements)) WITH CHECK (chain IN (SELECT account_id FROM placements))`,
  `CREATE POLICY agency_placed ON audit_heads TO arrears_agency
     USING (chain IN (SELECT account_id FROM placements)) WITH CHECK (chain IN (SELECT account_id FROM placements))`,
  // `installments` is a security_invoker view over accounts: the accounts policy already applies through it.
  ...['payments', 'account_events', 'delinquency_snapshots', 'idempotency_keys', 'promises', 'cases'].map(
    (t) => `CREATE POLICY agency_placed ON ${t} TO arrears_agency USING (${PLACED}) WITH CHECK (${PLACED})`,
  ),
];
