/**
 * Set-based upserts from the staging tables into the real ones. Upserts by ref make re-importing the
 * same file a no-op: a row is only touched (and an event only written) when something changed.
 * $1 = the import run id, recorded on every event.
 *
 * Unless invalid records are to be skipped, records whose refs are new are written while the file is
 * still being read (EARLY_*, one input batch at a time, from the batch_* tables), so PostgreSQL inserts
 * while the workers parse; the merges after the checks then only update existing rows (and insert what
 * could not be placed early, such as an account read before its debtor). Nothing is committed before the
 * whole file has passed the checks: on any error the one transaction is rolled back.
 */

const counted = (upsert: string) =>
  `WITH up AS (${upsert} RETURNING (xmax = 0) AS inserted)
   SELECT count(*) FILTER (WHERE inserted)::int AS created, count(*) FILTER (WHERE NOT inserted)::int AS updated FROM up`;

export const MERGE_CREDITORS = counted(`
  INSERT INTO creditors (ref, name, jurisdiction, currency, settings)
  SELECT ref, name, jurisdiction, currency, settings FROM stage_creditors WHERE NOT written
  ON CONFLICT (ref) DO UPDATE SET name = excluded.name, jurisdiction = excluded.jurisdiction,
    currency = excluded.currency, settings = excluded.settings, updated_at = now()
  WHERE (creditors.name, creditors.jurisdiction, creditors.currency, creditors.settings)
    IS DISTINCT FROM (excluded.name, excluded.jurisdiction, excluded.currency, excluded.settings)`);

export const MERGE_DEBTORS = counted(`
  INSERT INTO debtors (ref, name, locale, timezone, jurisdiction, phones, emails, addresses, contacts)
  SELECT ref, name, locale, timezone, jurisdiction, phones, emails, addresses, contacts FROM stage_debtors WHERE NOT written
  ON CONFLICT (ref) DO UPDATE SET name = excluded.name, locale = excluded.locale, timezone = excluded.timezone,
    jurisdiction = excluded.jurisdiction, phones = excluded.phones, emails = excluded.emails,
    addresses = excluded.addresses, contacts = excluded.contacts, updated_at = now()
  WHERE (debtors.name, debtors.locale, debtors.timezone, debtors.jurisdiction, debtors.phones, debtors.emails, debtors.addresses, debtors.contacts)
    IS DISTINCT FROM (excluded.name, excluded.locale, excluded.timezone, excluded.jurisdiction, excluded.phones, excluded.emails, excluded.addresses, excluded.contacts)`);

// An account row from a staged one (`s`) with its debtor (`d`) and creditor (`c`): the merge's and the early write's.
const INSERT_ACCOUNTS = `INSERT INTO accounts (ref, debtor_id, creditor_id, product, currency, principal, interest_rate,
      penalty_rate, penalty_on_interest, opened_on, schedule_due, schedule_principal, schedule_interest, schedule_fees,
      payment_reference)
    SELECT s.ref, d.id, c.id, s.product, s.currency, s.principal, s.interest_rate, s.penalty_rate, s.penalty_on_interest,
      s.opened_on, s.dues, s.principals, s.interests, s.fees, s.payment_reference`;

// A new schedule replaces the old one as a whole; an identical row (schedule included) is left alone. The
// created/updated rows feed their events in the same statement (no temporary table for a million ids).
export const MERGE_ACCOUNTS = `
  WITH up AS (
    ${INSERT_ACCOUNTS}
    FROM stage_accounts s JOIN debtors d ON d.ref = s.debtor_ref JOIN creditors c ON c.ref = s.creditor_ref
    WHERE NOT s.written
    ON CONFLICT (ref) DO UPDATE SET debtor_id = excluded.debtor_id, creditor_id = excluded.creditor_id, product = excluded.product,
      principal = excluded.principal, interest_rate = excluded.interest_rate, penalty_rate = excluded.penalty_rate,
      penalty_on_interest = excluded.penalty_on_interest, opened_on = excluded.opened_on,
      schedule_due = excluded.schedule_due, schedule_principal = excluded.schedule_principal,
      schedule_interest = excluded.schedule_interest, schedule_fees = excluded.schedule_fees,
      payment_reference = excluded.payment_reference, updated_at = now()
    WHERE (accounts.debtor_id, accounts.creditor_id, accounts.product, accounts.principal, accounts.interest_rate,
           accounts.penalty_rate, accounts.penalty_on_interest, accounts.opened_on, accounts.schedule_due,
           accounts.schedule_principal, accounts.schedule_interest, accounts.schedule_fees, accounts.payment_reference)
      IS DISTINCT FROM (excluded.debtor_id, excluded.creditor_id, excluded.product, excluded.principal, excluded.interest_rate,
           excluded.penalty_rate, excluded.penalty_on_interest, excluded.opened_on, excluded.schedule_due,
           excluded.schedule_principal, excluded.schedule_interest, excluded.schedule_fees, excluded.payment_reference)
    RETURNING id, (xmax = 0) AS inserted
  ), ev AS (
    INSERT INTO account_events (account_id, kind, data)
    SELECT id, CASE WHEN inserted THEN 'account_created' ELSE 'account_updated' END, jsonb_build_object('importRun', $1::bigint)
    FROM up
  )
  SELECT count(*) FILTER (WHERE inserted)::int AS created, count(*) FILTER (WHERE NOT inserted)::int AS updated FROM up`;

export const MERGE_PAYMENTS = `
  WITH ins AS (
    INSERT INTO payments (account_id, ref, amount, received_on, channel)
    SELECT a.id, p.ref, (p.amount_text::numeric * (10::numeric ^ c.digits))::bigint, p.received_on, p.channel
    FROM stage_payments p JOIN accounts a ON a.ref = p.account_ref JOIN stage_currencies c ON c.code = a.currency
    ON CONFLICT (account_id, ref) DO NOTHING
    RETURNING account_id, id, ref, amount, received_on, channel
  ), ev AS (
    INSERT INTO account_events (account_id, kind, data)
    SELECT account_id, 'payment_received', jsonb_build_object('paymentId', id, 'ref', ref, 'amount', amount,
      'receivedOn', received_on, 'channel', channel, 'importRun', $1::bigint)
    FROM ins
  ) SELECT count(*)::int AS created FROM ins`;

// Each EARLY_* statement inserts the batch's new refs (ON CONFLICT DO NOTHING leaves existing rows and
// refs twice in the file to the merge and the checks) and moves the whole batch into its staging table,
// marking what it wrote.

export const EARLY_CREDITORS = `
  WITH ins AS (
    INSERT INTO creditors (ref, name, jurisdiction, currency, settings)
    SELECT ref, name, jurisdiction, currency, settings FROM batch_creditors
    ON CONFLICT (ref) DO NOTHING
    RETURNING ref
  )
  INSERT INTO stage_creditors (line, ref, name, jurisdiction, currency, settings, written)
  SELECT b.line, b.ref, b.name, b.jurisdiction, b.currency, b.settings, ins.ref IS NOT NULL
  FROM batch_creditors b LEFT JOIN ins ON ins.ref = b.ref`;

export const EARLY_DEBTORS = `
  WITH ins AS (
    INSERT INTO debtors (ref, name, locale, timezone, jurisdiction, phones, emails, addresses, contacts)
    SELECT ref, name, locale, timezone, jurisdiction, phones, emails, addresses, contacts FROM batch_debtors
    ON CONFLICT (ref) DO NOTHING
    RETURNING ref
  )
  INSERT INTO stage_debtors (line, ref, name, locale, timezone, jurisdiction, phones, emails, addresses, contacts, written)
  SELECT b.line, b.ref, b.name, b.locale, b.timezone, b.jurisdiction,
    CASE WHEN ins.ref IS NULL THEN b.phones END, CASE WHEN ins.ref IS NULL THEN b.emails END,
    CASE WHEN ins.ref IS NULL THEN b.addresses END, CASE WHEN ins.ref IS NULL THEN b.contacts END, ins.ref IS NOT NULL
  FROM batch_debtors b LEFT JOIN ins ON ins.ref = b.ref`;

// Debtor and creditor by index, one lookup per account (OFFSET 0 keeps them lookups): the real tables grow
// during the import and have no fresh statistics, and a hash join would read all of debtors per batch.
export const EARLY_ACCOUNTS = `
  WITH ins AS (
    ${INSERT_ACCOUNTS}
    FROM batch_accounts s
    CROSS JOIN LATERAL (SELECT id FROM debtors WHERE ref = s.debtor_ref OFFSET 0) d
    CROSS JOIN LATERAL (SELECT id FROM creditors WHERE ref = s.creditor_ref OFFSET 0) c
    ON CONFLICT (ref) DO NOTHING
    RETURNING id, ref
  ), ev AS (
    INSERT INTO account_events (account_id, kind, data)
    SELECT id, 'account_created', jsonb_build_object('importRun', $1::bigint) FROM ins
  )
  INSERT INTO stage_accounts (line, ref, debtor_ref, creditor_ref, product, currency, principal, interest_rate,
    penalty_rate, penalty_on_interest, opened_on, dues, principals, interests, fees, payment_reference, written)
  SELECT b.line, b.ref, b.debtor_ref, b.creditor_ref, b.product, b.currency, b.principal, b.interest_rate,
    b.penalty_rate, b.penalty_on_interest, b.opened_on, CASE WHEN ins.ref IS NULL THEN b.dues END,
    CASE WHEN ins.ref IS NULL THEN b.principals END, CASE WHEN ins.ref IS NULL THEN b.interests END,
    CASE WHEN ins.ref IS NULL THEN b.fees END, b.payment_reference, ins.ref IS NOT NULL
  FROM batch_accounts b LEFT JOIN ins ON ins.ref = b.ref`;

/** What the EARLY_* statements created, per kind. */
export const EARLY_COUNTS = `
  SELECT (SELECT count(*) FROM stage_creditors WHERE written)::int AS creditors,
         (SELECT count(*) FROM stage_debtors WHERE written)::int AS debtors,
         (SELECT count(*) FROM stage_accounts WHERE written)::int AS accounts`;
