/**
 * The daily cycle: one run per as-of date with a resume cursor, the strategy step behind each outbox action,
 * and the escalations the strategy raises (collector queue, field visit, legal review, agency placement).
 * Never edit a migration after it lands; add a new file.
 */
export const statements: string[] = [
  // One row per as-of date. `cursor` is the last account id whose plan is committed: a run that stopped
  // resumes after it; a finished run is reported, not repeated.
  `CREATE TABLE cycle_runs (
    as_of date PRIMARY KEY,
    status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'finished')),
    cursor bigint NOT NULL DEFAULT 0,
    evaluated bigint NOT NULL DEFAULT 0,
    planned bigint NOT NULL DEFAULT 0,
    rescheduled bigint NOT NULL DEFAULT 0,
    blocked bigint NOT NULL DEFAULT 0,
    suppressed_by jsonb NOT NULL DEFAULT '{}',
    escalated bigint NOT NULL DEFAULT 0,
    by_channel jsonb NOT NULL DEFAULT '{}',
    by_rule jsonb NOT NULL DEFAULT '{}',
    started_at timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    attempts integer NOT NULL DEFAULT 1
  )`,
  // Which strategy step an outbox action carries out, and on which cycle day it was planned: the strategy's
  // history ("the step was done on day d") is read back from here. Gate refusals stay in the outbox as
  // status 'blocked' with the rules that refused them.
  `ALTER TABLE outbox ADD COLUMN strategy_segment text`,
  `ALTER TABLE outbox ADD COLUMN strategy_step text`,
  `ALTER TABLE outbox ADD COLUMN planned_on date`,
  `ALTER TABLE outbox ADD COLUMN gate_rules text[]`,
  `CREATE INDEX outbox_strategy_idx ON outbox (account_id, planned_on) WHERE strategy_step IS NOT NULL`,
  // An escalation stays open until someone acts on it; while it is open the cycle does not raise it again.
  `CREATE TABLE escalations (
    account_id bigint NOT NULL,
    id bigint GENERATED ALWAYS AS IDENTITY,
    target text NOT NULL CHECK (target IN ('collector_queue', 'field_visit', 'legal_review', 'agency_placement')),
    reason text NOT NULL,
    strategy text NOT NULL,
    strategy_version integer NOT NULL,
    segment text NOT NULL,
    raised_on date NOT NULL,
    status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'dismissed')),
    closed_at timestamptz,
    closed_by text,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, id)
  )`,
  `CREATE UNIQUE INDEX escalations_open_idx ON escalations (account_id, target) WHERE status = 'open'`,
  `CREATE INDEX escalations_target_idx ON escalations (target, raised_on) WHERE status = 'open'`,
  // A creditor's overrides of one jurisdiction's rule pack, as validated by tightenPack (a reference table).
  `CREATE TABLE compliance_policies (
    creditor_id bigint NOT NULL REFERENCES creditors (id),
    jurisdiction text NOT NULL CHECK (jurisdiction IN ('US', 'KR', 'CN', 'ES')),
    overrides jsonb NOT NULL,
    approval jsonb,
    pack_version text NOT NULL,
    set_by text NOT NULL,
    set_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (creditor_id, jurisdiction)
  )`,
  // Agency collectors' contacts are judged by the creditor's policy too: they read it, never change it.
  `GRANT SELECT ON compliance_policies TO arrears_agency`,
  `ALTER TABLE escalations ENABLE ROW LEVEL SECURITY`,
  `GRANT SELECT ON escalations TO arrears_agency`,
  `CREATE POLICY agency_placed ON escalations TO arrears_agency
     USING (account_id IN (SELECT account_id FROM placements))`,
];
