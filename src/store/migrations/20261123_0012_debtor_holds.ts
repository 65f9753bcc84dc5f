/**
 * Holds on the person: a cease-communication request (US 1692c(c)), attorney representation (1692c(a)(2)),
 * bankruptcy and death concern the debtor, not one debt, so they stop contact about every account of that
 * debtor. They move from `account_holds` (0007) to `debtor_holds`, keyed by debtor like
 * `debtor_contact_preferences` (under Citus both go with `debtors` as reference tables, so the gate's join
 * from an account to its debtor's holds stays local). Disputes (one debt) and deferrals (one account) stay
 * in `account_holds`, which from now on refuses the person's kinds.
 *
 * A debtor hold keeps the account it was placed through (`account_id`, its audit record is on that
 * account's chain) and takes its id from the same sequence as `account_holds`, so a hold id names one hold
 * whichever table holds it (`…/holds/{id}/release`). Active holds carried over keep their ids; where a
 * debtor had the same kind active on several accounts, the oldest stays active and the others are closed
 * as merged into it.
 *
 * Agency users see the holds of the debtors of their placed accounts (the hold applies to those accounts
 * too) and may place one only through an account placed with them; releasing stays with the creditor's
 * staff (no UPDATE for the agency role).
 * Never edit a migration after it lands; add a new file.
 */
const PERSON_KINDS = `('cease', 'attorney', 'bankruptcy', 'deceased')`;

export const statements: string[] = [
  `CREATE TABLE debtor_holds (
    debtor_id bigint NOT NULL,
    id bigint NOT NULL DEFAULT nextval('account_holds_id_seq'),
    kind text NOT NULL CHECK (kind IN ${PERSON_KINDS}),
    reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
    source text NOT NULL CHECK (length(source) BETWEEN 1 AND 200),
    account_id bigint NOT NULL,
    placed_at timestamptz NOT NULL DEFAULT now(),
    placed_by text NOT NULL,
    released_at timestamptz,
    released_by text,
    release_reason text,
    released_via bigint,
    PRIMARY KEY (debtor_id, id),
    CHECK ((released_at IS NULL) = (released_by IS NULL))
  )`,
  // What the gate reads for every account it judges: the debtor's active holds.
  `CREATE INDEX debtor_holds_active_idx ON debtor_holds (debtor_id) WHERE released_at IS NULL`,
  // One active hold of a kind per debtor, whichever account it was placed through.
  `CREATE UNIQUE INDEX debtor_holds_one_active_idx ON debtor_holds (debtor_id, kind) WHERE released_at IS NULL`,
  `INSERT INTO debtor_holds (debtor_id, id, kind, reason, source, account_id, placed_at, placed_by,
                             released_at, released_by, release_reason, released_via)
   SELECT debtor_id, id, kind, reason, source, account_id, placed_at, placed_by,
          CASE WHEN duplicate THEN now() ELSE released_at END,
          CASE WHEN duplicate THEN 'migration 0012' ELSE released_by END,
          CASE WHEN duplicate THEN 'merged into the debtor''s older active ' || kind || ' hold' ELSE release_reason END,
          CASE WHEN duplicate OR released_at IS NOT NULL THEN account_id END
     FROM (SELECT a.debtor_id, h.*,
                  h.released_at IS NULL AND row_number() OVER (
                    PARTITION BY a.debtor_id, h.kind, h.released_at IS NULL ORDER BY h.placed_at, h.id) > 1
                    AS duplicate
             FROM account_holds h JOIN accounts a ON a.id = h.account_id
            WHERE h.kind IN ${PERSON_KINDS}) x`,
  `DELETE FROM account_holds WHERE kind IN ${PERSON_KINDS}`,
  `ALTER TABLE account_holds ADD CONSTRAINT account_holds_account_kinds CHECK (kind IN ('dispute', 'deferral'))`,

  `GRANT SELECT, INSERT ON debtor_holds TO arrears_agency`,
  `ALTER TABLE debtor_holds ENABLE ROW LEVEL SECURITY`,
  `CREATE POLICY agency_placed ON debtor_holds TO arrears_agency
     USING (debtor_id IN (SELECT debtor_id FROM accounts))
     WITH CHECK (account_id IN (SELECT account_id FROM placements)
                 AND debtor_id IN (SELECT a.debtor_id FROM accounts a WHERE a.id = debtor_holds.account_id))`,
];
