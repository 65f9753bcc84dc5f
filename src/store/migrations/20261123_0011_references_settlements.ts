/**
 * Payment references on accounts (matched first by reconciliation), how each statement line was
 * matched and where a camt.053 transaction is in its document; the lookup of settlement write-offs. Never edit a migration after it lands; add a new file.
 */
export const statements: string[] = [
  // Normalised (no spaces, upper case) by the import; ISO 11649 or the lender's own reference.
  `ALTER TABLE accounts ADD COLUMN payment_reference text
     CHECK (payment_reference ~ '^[A-Z0-9-]{1,35}$')`,
  // Unique per creditor. Deferred to the commit, so one import may move a reference from one account to
  // another (or swap two) in a single statement; the import's own check names the line before that.
  `ALTER TABLE accounts ADD CONSTRAINT accounts_payment_reference_key
     UNIQUE (creditor_id, payment_reference) DEFERRABLE INITIALLY DEFERRED`,
  // Reconciliation looks references up across creditors (a statement names no creditor).
  `CREATE INDEX accounts_payment_reference_idx ON accounts (payment_reference)
     WHERE payment_reference IS NOT NULL`,
  `ALTER TABLE reconciliation_lines ADD COLUMN matched_by text
     CHECK (matched_by IN ('payment_reference', 'account_ref', 'manual'))`,
  // camt.053: where the transaction is in the document (Stmt[1]/Ntry[3]/TxDtls[2]); line_no is its place in the file.
  `ALTER TABLE reconciliation_lines ADD COLUMN position text`,
  // Every statement reads an account's settlement write-offs (events): a partial index keeps that a lookup
  // of the few such rows instead of a walk over all of an account's events.
  `CREATE INDEX account_events_write_off_idx ON account_events (account_id)
     WHERE kind = 'settlement_written_off'`,
];
