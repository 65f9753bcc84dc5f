/**
 * The payment reference stays unique per creditor and checked at the commit (0011: one import may move a
 * reference from one account to another, or swap two), but only accounts that have a reference are in its
 * index now. 0011's UNIQUE constraint indexed every account, the many without a reference too (a million
 * (creditor, NULL) entries for a million-account import without references). A constraint over part of a
 * table must be an exclusion constraint: with `=` on both columns it excludes exactly what UNIQUE did
 * (NULLs never conflicted there either). A violation is now SQLSTATE 23P01 instead of 23505; the import
 * reports a taken reference by line before either.
 * Never edit a migration after it lands; add a new file.
 */
export const statements: string[] = [
  `ALTER TABLE accounts DROP CONSTRAINT accounts_payment_reference_key`,
  `ALTER TABLE accounts ADD CONSTRAINT accounts_payment_reference_key
     EXCLUDE USING btree (creditor_id WITH =, payment_reference WITH =) WHERE (payment_reference IS NOT NULL)
     DEFERRABLE INITIALLY DEFERRED`,
];
