/**
 * Negotiation: installment plans and settlements (one table, `kind`), with approval by role and judging
 * from posted payments. Confirmations of promises, plans and settlements go through the outbox, and an
 * agency user may record those on placed accounts: the outbox gets the same row-level security as the
 * other account tables.
 * Never edit a migration after it lands; add a new file.
 */
const PLACED = `account_id IN (SELECT account_id FROM placements)`;

export const statements: string[] = [
  // The schedule is two parallel arrays (as on accounts): a plan's schedule is one value, never edited.
  // A settlement is a plan of one installment. `owed` is the payoff on `made_on`; discount = owed − total.
  `CREATE TABLE plans (
    account_id bigint NOT NULL,
    id bigint GENERATED ALWAYS AS IDENTITY,
    kind text NOT NULL CHECK (kind IN ('installment', 'settlement')),
    status text NOT NULL
      CHECK (status IN ('pending_approval', 'active', 'completed', 'broken', 'cancelled', 'rejected')),
    currency text NOT NULL,
    owed bigint NOT NULL CHECK (owed > 0),
    total bigint NOT NULL CHECK (total > 0 AND total <= owed),
    discount bigint NOT NULL CHECK (discount = owed - total),
    due_dates date[] NOT NULL,
    amounts bigint[] NOT NULL,
    made_on date NOT NULL,
    grace_days integer NOT NULL CHECK (grace_days BETWEEN 0 AND 60),
    tolerance bigint NOT NULL CHECK (tolerance >= 0),
    required_role text NOT NULL,
    approval_reason text NOT NULL,
    proposed_by bigint,
    proposed_by_name text NOT NULL,
    proposed_role text NOT NULL,
    decided_by bigint,
    decided_by_name text,
    decided_at timestamptz,
    decision_note text,
    closed_on date,
    close_reason text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, id),
    CHECK (cardinality(due_dates) = cardinality(amounts) AND cardinality(amounts) >= 1),
    CHECK (kind = 'installment' OR cardinality(amounts) = 1)
  )`,
  // At most one open offer or agreement per account.
  `CREATE UNIQUE INDEX plans_open_idx ON plans (account_id) WHERE status IN ('pending_approval', 'active')`,
  `CREATE INDEX plans_status_idx ON plans (status, account_id, id) WHERE status IN ('pending_approval', 'active')`,
  `ALTER TABLE plans ENABLE ROW LEVEL SECURITY`,
  `GRANT SELECT, INSERT, UPDATE ON plans TO arrears_agency`,
  `CREATE POLICY agency_placed ON plans TO arrears_agency USING (${PLACED}) WITH CHECK (${PLACED})`,
  // Confirmations are enqueued in the transaction that records the agreement, also an agency user's.
  `ALTER TABLE outbox ENABLE ROW LEVEL SECURITY`,
  `GRANT SELECT, INSERT ON outbox TO arrears_agency`,
  `CREATE POLICY agency_confirmations ON outbox TO arrears_agency USING (${PLACED}) WITH CHECK (${PLACED})`,
  `GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO arrears_agency`,
];
