/**
 * Communications: signing keys, versioned templates, the outbox of planned actions, the notices that were
 * issued (verification code + Ed25519 signature) and the call/visit tasks. Account-scoped tables carry
 * account_id first in their primary key (distribution by account, as in 0001).
 * Never edit a migration after it lands; add a new file.
 */
export const statements: string[] = [
  // Public halves only: private key material lives in the data folder or ARREARS_SIGNING_KEY, never here.
  `CREATE TABLE signing_keys (
    key_id text PRIMARY KEY,
    algorithm text NOT NULL DEFAULT 'ed25519' CHECK (algorithm = 'ed25519'),
    public_key text NOT NULL UNIQUE,
    status text NOT NULL CHECK (status IN ('active', 'retired')),
    created_at timestamptz NOT NULL DEFAULT now(),
    retired_at timestamptz
  )`,
  `CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys (status) WHERE status = 'active'`,
  `CREATE TABLE templates (
    name text NOT NULL CHECK (name ~ '^[a-z][a-z0-9_]*$'),
    channel text NOT NULL CHECK (channel IN ('email', 'sms', 'letter', 'call', 'visit')),
    locale text NOT NULL,
    version integer NOT NULL CHECK (version > 0),
    subject text NOT NULL DEFAULT '',
    body text NOT NULL,
    note text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (name, channel, locale, version)
  )`,
  // status: pending → sending → sent | retry (→ sending …) | dead | blocked | unknown.
  // 'unknown' = a send may have happened before a crash on a channel whose provider cannot deduplicate;
  // it is never sent again automatically.
  `CREATE TABLE outbox (
    account_id bigint NOT NULL,
    id bigint GENERATED ALWAYS AS IDENTITY,
    idempotency_key text NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 200),
    channel text NOT NULL CHECK (channel IN ('email', 'sms', 'letter', 'call', 'visit')),
    template text NOT NULL,
    locale text,
    planned_at timestamptz NOT NULL,
    strategy_version text,
    strategy_arm text,
    vars jsonb NOT NULL DEFAULT '{}',
    status text NOT NULL DEFAULT 'pending'
      CHECK (status IN ('pending', 'sending', 'sent', 'retry', 'dead', 'blocked', 'unknown')),
    attempts integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    lease_until timestamptz,
    notice_code text,
    template_version integer,
    provider_ref text,
    last_error text,
    sent_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, id),
    UNIQUE (account_id, idempotency_key)
  )`,
  `CREATE INDEX outbox_due_idx ON outbox (next_attempt_at) WHERE status IN ('pending', 'retry')`,
  `CREATE INDEX outbox_sending_idx ON outbox (lease_until) WHERE status = 'sending'`,
  // What was issued, signed, and kept as the record of what was sent (content included).
  `CREATE TABLE notices (
    account_id bigint NOT NULL,
    code text NOT NULL,
    outbox_id bigint NOT NULL,
    channel text NOT NULL,
    account_ref text NOT NULL,
    creditor_ref text NOT NULL,
    creditor_name text NOT NULL,
    amount bigint NOT NULL,
    currency text NOT NULL,
    notice_date date NOT NULL,
    locale text NOT NULL,
    recipient text NOT NULL,
    subject text NOT NULL,
    content text NOT NULL,
    content_hash text NOT NULL,
    key_id text NOT NULL,
    signed_payload text NOT NULL,
    signature text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, code)
  )`,
  // Codes are looked up alone by the debtor; under Citus this index moves to a reference table code → account_id.
  `CREATE UNIQUE INDEX notices_code_idx ON notices (code)`,
  `CREATE TRIGGER notices_append_only BEFORE UPDATE OR DELETE ON notices
     FOR EACH ROW EXECUTE FUNCTION arrears_forbid_change()`,
  `CREATE TABLE tasks (
    account_id bigint NOT NULL,
    id bigint GENERATED ALWAYS AS IDENTITY,
    outbox_id bigint NOT NULL,
    kind text NOT NULL CHECK (kind IN ('call', 'visit')),
    notice_code text NOT NULL,
    due_at timestamptz NOT NULL,
    status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
    details jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, id),
    UNIQUE (account_id, outbox_id)
  )`,
  `CREATE INDEX tasks_open_idx ON tasks (kind, due_at) WHERE status = 'open'`,
];
