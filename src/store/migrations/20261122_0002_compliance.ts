/**
 * Compliance decision log: every gate decision (allowed or not) with the request facts, the rule ids behind it and
 * the pack version. account_id first in the key so the table distributes and colocates by account (Citus).
 * Append-only like account_events. Never edit a migration after it lands; add a new file.
 */
export const statements: string[] = [
  `CREATE TABLE compliance_decisions (
    account_id bigint NOT NULL,
    id bigint GENERATED ALWAYS AS IDENTITY,
    decided_at timestamptz NOT NULL DEFAULT now(),
    contact_at timestamptz NOT NULL,
    jurisdiction text NOT NULL,
    channel text NOT NULL,
    allowed boolean NOT NULL,
    rule_ids text[] NOT NULL,
    pack_version text NOT NULL,
    next_allowed_at timestamptz,
    request jsonb NOT NULL,
    decision jsonb NOT NULL,
    PRIMARY KEY (account_id, id)
  )`,
  `CREATE TRIGGER compliance_decisions_append_only BEFORE UPDATE OR DELETE ON compliance_decisions
     FOR EACH ROW EXECUTE FUNCTION arrears_forbid_change()`,
];
