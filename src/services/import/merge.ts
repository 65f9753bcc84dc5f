/**
 * Set-based upserts from the staging tables into the real ones. Upserts by ref make re-importing the
 * same file a no-op: a row is only touched (and an event only written) when something changed.
 * $1 = the import run id, recorded on every event.
 */

const counted = (upsert: string) =>
  `WITH up AS (${upsert} RETURNING (xmax = 0) AS inserted)
   SELECT count(*) FILTER (WHERE inserted)::int AS created, count(*) FILTER (WHERE NOT inserted)::int AS updated FROM up`;

export const MERGE_CREDITORS = counted(`
  INSERT INTO creditors (ref, name, jurisdiction, currency, settings)
  SELECT ref, name, jurisdiction, currency, settings FROM stage_creditors
  ON CONFLICT (ref) DO UPDATE SET name = excluded.name, jurisdiction = excluded.jurisdiction,
    currency = excluded.currency, settings = excluded.settings, updated_at = now()
  WHERE (creditors.name, creditors.jurisdiction, creditors.currency, creditors.settings)
    IS DISTINCT FROM (excluded.name, excluded.jurisdiction, excluded.currency, excluded.settings)`);

export const MERGE_DEBTORS = counted(`
  INSERT INTO debtors (ref, name, locale, timezone, jurisdiction, phones, emails, addresses, contacts)
  SELECT ref, name, locale, timezone, jurisdiction, phones, emails, addresses, contacts FROM stage_debtors
  ON CONFLICT (ref) DO UPDATE SET name = excluded.name, locale = excluded.locale, timezone = excluded.timezone,
    jurisdiction = excluded.jurisdiction, phones = excluded.phones, emails = excluded.emails,
    addresses = excluded.addresses, contacts = excluded.contacts, updated_at = now()
  WHERE (debtors.name, debtors.locale, debtors.timezone, debtors.jurisdiction, debtors.phones, debtors.emails, debtors.addresses, debtors.contacts)
    IS DISTINCT FROM (excluded.name, excluded.locale, excluded.timezone, excluded.jurisdiction, excluded.phones, excluded.emails, excluded.addresses, excluded.contacts)`);

// A new schedule replaces the old one as a whole; an identical row (schedule included) is left alone. The
// created/updated rows feed their events in the same statement (no temporary table for a million ids).
export const MERGE_ACCOUNTS = `
  WITH up AS (
    INSERT INTO accounts (ref, debtor_id, creditor_id, product, currency, principal, interest_rate, penalty_rate,
      penalty_on_interest, opened_on, schedule_due, schedule_principal, schedule_interest, schedule_fees, payment_reference)
    SELECT s.ref, d.id, c.id, s.product, s.currency, s.principal, s.interest_rate, s.penalty_rate, s.penalty_on_interest,
      s.opened_on, s.dues, s.principals, s.interests, s.fees, s.payment_reference
    FROM stage_accounts s JOIN debtors d ON d.ref = s.debtor_ref JOIN creditors c ON c.ref = s.creditor_ref
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
