/**
 * Foundation schema. Every account-scoped table carries account_id first in its primary key so the
 * table can be distributed by account (Citus) with payments and events colocated.
 *
 * The contractual schedule is a value of the account: parallel arrays on the account row (due date,
 * principal, interest, fees per installment), replaced as a whole when the lender sends a new one.
 * One row per account instead of twelve keeps the million-account import and snapshot near the
 * insert floor; the `installments` view gives reports the row-per-installment shape.
 *
 * No foreign keys on the bulk tables: a per-row RI trigger made the 1M-account import several times
 * slower than the insert floor. Integrity holds by construction instead: rows referencing an account,
 * debtor or creditor are only ever inserted by joining to it, and none of those three can be deleted
 * (accounts close, debtors are anonymised), which the triggers below enforce.
 * Never edit a migration after it lands; add a new file.
 */
export const statements: string[] = [
  `CREATE TABLE creditors (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ref text NOT NULL UNIQUE,
    name text NOT NULL,
    jurisdiction text NOT NULL CHECK (jurisdiction ~ '^[A-Z]{2}$'),
    currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    settings jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE TABLE debtors (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ref text NOT NULL UNIQUE,
    name text NOT NULL,
    locale text NOT NULL,
    timezone text NOT NULL,
    jurisdiction text NOT NULL CHECK (jurisdiction ~ '^[A-Z]{2}$'),
    phones jsonb NOT NULL DEFAULT '[]',
    emails jsonb NOT NULL DEFAULT '[]',
    addresses jsonb NOT NULL DEFAULT '[]',
    contacts jsonb NOT NULL DEFAULT '[]',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE TABLE accounts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ref text NOT NULL UNIQUE,
    debtor_id bigint NOT NULL,
    creditor_id bigint NOT NULL,
    product text NOT NULL,
    currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    principal bigint NOT NULL CHECK (principal >= 0),
    interest_rate numeric(14, 10) NOT NULL CHECK (interest_rate >= 0),
    penalty_rate numeric(14, 10) NOT NULL CHECK (penalty_rate >= 0),
    penalty_on_interest boolean NOT NULL DEFAULT false,
    opened_on date NOT NULL,
    schedule_due date[] NOT NULL,
    schedule_principal bigint[] NOT NULL,
    schedule_interest bigint[] NOT NULL,
    schedule_fees bigint[] NOT NULL,
    status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT accounts_schedule_shape CHECK (
      cardinality(schedule_due) >= 1
      AND cardinality(schedule_principal) = cardinality(schedule_due)
      AND cardinality(schedule_interest) = cardinality(schedule_due)
      AND cardinality(schedule_fees) = cardinality(schedule_due))
  )`,
  `CREATE INDEX accounts_debtor_idx ON accounts (debtor_id)`,
  `CREATE INDEX accounts_creditor_idx ON accounts (creditor_id)`,
  // The relational face of the schedule, for reports and ad-hoc SQL: one row per installment.
  // security_invoker: the reader's own rights (and row-level security on accounts) apply through the view.
  `CREATE VIEW installments WITH (security_invoker = true) AS
    SELECT a.id AS account_id, s.seq::int AS seq, s.due_on, s.principal, s.interest, s.fees
    FROM accounts a,
      unnest(a.schedule_due, a.schedule_principal, a.schedule_interest, a.schedule_fees)
        WITH ORDINALITY AS s(due_on, principal, interest, fees, seq)`,
  `CREATE TABLE payments (
    account_id bigint NOT NULL,
    id bigint GENERATED ALWAYS AS IDENTITY,
    ref text NOT NULL,
    amount bigint NOT NULL CHECK (amount > 0),
    received_on date NOT NULL,
    channel text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, id),
    UNIQUE (account_id, ref)
  )`,
  `CREATE TABLE account_events (
    account_id bigint NOT NULL,
    id bigint GENERATED ALWAYS AS IDENTITY,
    at timestamptz NOT NULL DEFAULT now(),
    kind text NOT NULL,
    data jsonb NOT NULL DEFAULT '{}',
    PRIMARY KEY (account_id, id)
  )`,
  `CREATE FUNCTION arrears_forbid_change() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     RAISE EXCEPTION '%: % is not allowed (rows are append-only or never deleted)', TG_TABLE_NAME, TG_OP USING ERRCODE = 'restrict_violation';
   END $$`,
  `CREATE TRIGGER account_events_append_only BEFORE UPDATE OR DELETE ON account_events
     FOR EACH ROW EXECUTE FUNCTION arrears_forbid_change()`,
  `CREATE TRIGGER creditors_no_delete BEFORE DELETE ON creditors FOR EACH ROW EXECUTE FUNCTION arrears_forbid_change()`,
  `CREATE TRIGGER debtors_no_delete BEFORE DELETE ON debtors FOR EACH ROW EXECUTE FUNCTION arrears_forbid_change()`,
  `CREATE TRIGGER accounts_no_delete BEFORE DELETE ON accounts FOR EACH ROW EXECUTE FUNCTION arrears_forbid_change()`,
  `CREATE TABLE import_runs (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source text NOT NULL,
    format text NOT NULL,
    started_at timestamptz NOT NULL,
    finished_at timestamptz NOT NULL DEFAULT now(),
    skip_invalid boolean NOT NULL,
    counts jsonb NOT NULL,
    rejected integer NOT NULL
  )`,
  `CREATE TABLE delinquency_snapshots (
    account_id bigint NOT NULL,
    as_of date NOT NULL,
    dpd integer NOT NULL,
    bucket text NOT NULL,
    overdue_principal bigint NOT NULL,
    overdue_interest bigint NOT NULL,
    overdue_fees bigint NOT NULL,
    overdue_penalty bigint NOT NULL,
    overdue_total bigint NOT NULL,
    outstanding_principal bigint NOT NULL,
    computed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, as_of)
  )`,
];
