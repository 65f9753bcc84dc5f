/**
 * Cross-record checks over the staging tables, each a set-based INSERT into stage_errors of
 * (line, field, message). They run in rounds: a record rejected in one round makes the records that
 * depend on it fail in the next ("account A-1 was rejected (line 7)"), so every error is reported.
 */

/**
 * Whether the `kind` row with this ref was created by this import while the file was read (merge.ts,
 * EARLY_*): still staged, or staged and since rejected. The checks that consult the real tables must see
 * them as they were before the import, so such rows do not count there.
 */
const createdHere = (kind: string, stage: string, ref: string) =>
  `(EXISTS (SELECT 1 FROM ${stage} w WHERE w.ref = ${ref} AND w.written)
    OR EXISTS (SELECT 1 FROM stage_rejected w WHERE w.kind = '${kind}' AND w.ref = ${ref} AND w.written))`;

const duplicate = (table: string, kind: string) => `
  INSERT INTO stage_errors (line, field, message)
  SELECT line, 'ref', format('duplicate %s ref "%s" (first at line %s)', '${kind}', ref, first)
  FROM (SELECT line, ref, min(line) OVER (PARTITION BY ref) AS first FROM ${table}) t
  WHERE line > first`;

const unresolved = (opts: {
  from: string;
  column: string;
  field: string;
  kind: string;
  stage: string;
  table: string;
}) => `
  INSERT INTO stage_errors (line, field, message)
  SELECT s.line, '${opts.field}',
    CASE WHEN r.line IS NOT NULL THEN format('${opts.kind} "%s" was rejected (line %s)', s.${opts.column}, r.line)
         ELSE format('unknown ${opts.kind} ref "%s": not in this file nor in the database', s.${opts.column}) END
  FROM ${opts.from} s
  LEFT JOIN LATERAL (SELECT min(x.line) AS line FROM stage_rejected x WHERE x.kind = '${opts.kind}' AND x.ref = s.${opts.column}) r ON true
  WHERE NOT EXISTS (SELECT 1 FROM ${opts.stage} t WHERE t.ref = s.${opts.column})
    AND NOT EXISTS (SELECT 1 FROM ${opts.table} t WHERE t.ref = s.${opts.column} AND NOT ${createdHere(opts.kind, opts.stage, 't.ref')})`;

/** $1 = today (date): payments cannot be received in the future. */
export const CHECKS: string[] = [
  duplicate('stage_creditors', 'creditor'),
  duplicate('stage_debtors', 'debtor'),
  duplicate('stage_accounts', 'account'),
  `INSERT INTO stage_errors (line, field, message)
   SELECT line, 'ref', format('duplicate payment ref "%s" for account "%s" (first at line %s)', ref, account_ref, first)
   FROM (SELECT line, ref, account_ref, min(line) OVER (PARTITION BY account_ref, ref) AS first FROM stage_payments) t
   WHERE line > first`,
  unresolved({
    from: 'stage_accounts',
    column: 'debtor_ref',
    field: 'debtorRef',
    kind: 'debtor',
    stage: 'stage_debtors',
    table: 'debtors',
  }),
  unresolved({
    from: 'stage_accounts',
    column: 'creditor_ref',
    field: 'creditorRef',
    kind: 'creditor',
    stage: 'stage_creditors',
    table: 'creditors',
  }),
  unresolved({
    from: 'stage_payments',
    column: 'account_ref',
    field: 'accountRef',
    kind: 'account',
    stage: 'stage_accounts',
    table: 'accounts',
  }),
  // A payment reference names one account of its creditor: not twice in the file, nor held by another
  // account in the database (unless that account is in the file too, where the check above sees it).
  `INSERT INTO stage_errors (line, field, message)
   SELECT line, 'paymentReference',
     format('payment reference "%s" of creditor "%s" is already given to account "%s" (line %s)', payment_reference, creditor_ref, first_ref, first)
   FROM (SELECT line, payment_reference, creditor_ref,
                first_value(line) OVER w AS first, first_value(ref) OVER w AS first_ref
         FROM stage_accounts WHERE payment_reference IS NOT NULL
         WINDOW w AS (PARTITION BY creditor_ref, payment_reference ORDER BY line)) t
   WHERE line > first`,
  `INSERT INTO stage_errors (line, field, message)
   SELECT s.line, 'paymentReference',
     format('payment reference "%s" of creditor "%s" already belongs to account "%s"', s.payment_reference, s.creditor_ref, a.ref)
   FROM stage_accounts s
   JOIN creditors c ON c.ref = s.creditor_ref
   JOIN accounts a ON a.creditor_id = c.id AND a.payment_reference = s.payment_reference AND a.ref <> s.ref
   WHERE s.payment_reference IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM stage_accounts o WHERE o.ref = a.ref)
     AND NOT ${createdHere('account', 'stage_accounts', 'a.ref')}`,
  `INSERT INTO stage_errors (line, field, message)
   SELECT s.line, 'currency', format('currency cannot change from %s to %s for existing account "%s"', a.currency, s.currency, s.ref)
   FROM stage_accounts s JOIN accounts a ON a.ref = s.ref
   WHERE a.currency <> s.currency AND NOT ${createdHere('account', 'stage_accounts', 's.ref')}`,
  `INSERT INTO stage_errors (line, field, message)
   WITH pc AS (
     SELECT p.line, p.ref, p.amount_text, p.currency AS given, p.received_on,
            coalesce(sa.currency, a.currency) AS currency, coalesce(sa.opened_on, a.opened_on) AS opened_on, a.id AS account_id
     FROM stage_payments p
     LEFT JOIN stage_accounts sa ON sa.ref = p.account_ref
     LEFT JOIN accounts a ON a.ref = p.account_ref AND NOT ${createdHere('account', 'stage_accounts', 'a.ref')}
   )
   SELECT line, 'amount', format('amount "%s" has more than %s decimals for %s', amount_text, c.digits, pc.currency)
     FROM pc JOIN stage_currencies c ON c.code = pc.currency WHERE scale(amount_text::numeric) > c.digits
   UNION ALL
   SELECT line, 'currency', format('payment currency %s differs from the account currency %s', given, currency)
     FROM pc WHERE given IS NOT NULL AND currency IS NOT NULL AND given <> currency
   UNION ALL
   SELECT line, 'receivedOn', format('payment received on %s, before the account was opened on %s', received_on, opened_on)
     FROM pc WHERE received_on < opened_on
   UNION ALL
   SELECT line, 'receivedOn', format('payment received on %s is in the future', received_on)
     FROM pc WHERE received_on > $1::date
   UNION ALL
   SELECT pc.line, 'ref', format('payment "%s" is already recorded with amount %s on %s; a posted payment cannot change (reverse it instead)', pc.ref, round(x.amount / (10::numeric ^ c.digits), c.digits), x.received_on)
     FROM pc JOIN stage_currencies c ON c.code = pc.currency
     JOIN payments x ON x.account_id = pc.account_id AND x.ref = pc.ref
     WHERE scale(pc.amount_text::numeric) <= c.digits
       AND (x.amount <> (pc.amount_text::numeric * (10::numeric ^ c.digits))::bigint OR x.received_on <> pc.received_on)`,
];

/** Moves staged rows that have errors into stage_rejected; returns how many moved. */
export const REJECT_ROUND: { kind: string; table: string }[] = [
  { kind: 'creditor', table: 'stage_creditors' },
  { kind: 'debtor', table: 'stage_debtors' },
  { kind: 'account', table: 'stage_accounts' },
  { kind: 'payment', table: 'stage_payments' },
];
