/**
 * Integrations: webhook endpoints and their deliveries (a durable queue like the outbox), and bank
 * statement reconciliation runs with every line kept (matched, unmatched, ambiguous, invalid).
 * Never edit a migration after it lands; add a new file.
 */
export const statements: string[] = [
  // The secret signs deliveries; it is returned once, when the endpoint is created, and never again.
  `CREATE TABLE webhook_endpoints (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    url text NOT NULL CHECK (url ~ '^https?://'),
    secret text NOT NULL,
    event_types text[] NOT NULL CHECK (cardinality(event_types) >= 1),
    active boolean NOT NULL DEFAULT true,
    description text,
    created_by bigint,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
  )`,
  // What an event needs to fan out, without the secret: an agency user's payment emits its event too.
  `CREATE VIEW webhook_subscriptions AS
     SELECT id, event_types FROM webhook_endpoints WHERE active`,
  // One row per (event, endpoint); account_id 0 for events that belong to no account.
  `CREATE TABLE webhook_deliveries (
    account_id bigint NOT NULL,
    id bigint GENERATED ALWAYS AS IDENTITY,
    endpoint_id bigint NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event_id text NOT NULL,
    event_type text NOT NULL,
    payload jsonb NOT NULL,
    status text NOT NULL DEFAULT 'pending'
      CHECK (status IN ('pending', 'sending', 'delivered', 'retry', 'dead')),
    attempts integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    lease_until timestamptz,
    last_status_code integer,
    last_error text,
    delivered_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, id)
  )`,
  `CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at)
     WHERE status IN ('pending', 'retry')`,
  `CREATE INDEX webhook_deliveries_endpoint_idx ON webhook_deliveries (endpoint_id, created_at)`,
  // When a promise's outcome was final and its event (promise.broken) emitted: judged once, after the deadline.
  `ALTER TABLE promises ADD COLUMN outcome_emitted_at timestamptz`,
  `CREATE INDEX promises_unjudged_idx ON promises (due_on) WHERE outcome_emitted_at IS NULL`,
  `GRANT SELECT ON webhook_subscriptions TO arrears_agency`,
  `GRANT INSERT ON webhook_deliveries TO arrears_agency`,
  `GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO arrears_agency`,
  // A bank statement import. file_sha256 lets a re-import be recognised; the lines decide what posts.
  `CREATE TABLE reconciliation_runs (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    file_name text NOT NULL,
    file_sha256 text NOT NULL,
    format text NOT NULL CHECK (format IN ('csv', 'camt053')),
    dry_run boolean NOT NULL DEFAULT false,
    lines integer NOT NULL DEFAULT 0,
    posted integer NOT NULL DEFAULT 0,
    already_posted integer NOT NULL DEFAULT 0,
    unmatched integer NOT NULL DEFAULT 0,
    created_by bigint,
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  // Every line of every run, never dropped: the ones not posted wait here for a person to match them.
  `CREATE TABLE reconciliation_lines (
    run_id bigint NOT NULL REFERENCES reconciliation_runs (id),
    line_no integer NOT NULL,
    bank_tx_id text,
    booked_on text,
    amount text,
    currency text,
    reference text,
    status text NOT NULL
      CHECK (status IN ('posted', 'already_posted', 'unmatched', 'ambiguous', 'invalid', 'matched_manually')),
    reason text,
    account_id bigint,
    payment_ref text,
    resolved_by bigint,
    resolved_at timestamptz,
    PRIMARY KEY (run_id, line_no)
  )`,
  `CREATE INDEX reconciliation_lines_open_idx ON reconciliation_lines (run_id)
     WHERE status IN ('unmatched', 'ambiguous')`,
];
