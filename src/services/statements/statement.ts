import { formatDay, toDay, todayIn, type DayNumber } from '../../domain/calendar/index.js';
import { computeStatement, type Statement, type StatementOptions } from '../../domain/delinquency/index.js';
import { ArrearsError } from '../../domain/errors.js';
import { formatAmount } from '../../domain/money/index.js';
import type { CreditorSettingsJson, Store } from '../../store/index.js';
import { termsFor } from './terms.js';

interface StatementRow {
  id: number;
  ref: string;
  currency: string;
  principal: number;
  interest_rate: string;
  penalty_rate: string;
  penalty_on_interest: boolean;
  opened_on: string;
  product: string;
  creditor_ref: string;
  creditor_name: string;
  settings: CreditorSettingsJson;
  debtor_ref: string;
  timezone: string;
  jurisdiction: string;
  locale: string;
  installments: [number, string, number, number, number][];
  payments: [string, string, number][];
}

export interface AccountStatement {
  account: string;
  creditor: { ref: string; name: string };
  debtor: { ref: string; timezone: string; jurisdiction: string; locale: string };
  product: string;
  statement: Statement;
}

// One round trip: the schedule and the payments that count come aggregated with the account. A prepared
// statement (it runs with every payment posted).
const STATEMENT_BY_REF = `
  SELECT a.id, a.ref, a.currency, a.principal, a.interest_rate, a.penalty_rate, a.penalty_on_interest,
         a.opened_on, a.product, c.ref AS creditor_ref, c.name AS creditor_name, c.settings,
         d.ref AS debtor_ref, d.timezone, d.jurisdiction, d.locale,
         (SELECT coalesce(json_agg(json_build_array(i.seq, i.due_on, i.principal, i.interest, i.fees) ORDER BY i.seq), '[]')
            FROM installments i WHERE i.account_id = a.id) AS installments,
         (SELECT coalesce(json_agg(json_build_array(p.ref, p.received_on, p.amount) ORDER BY p.received_on, p.id), '[]')
            FROM payments p WHERE p.account_id = a.id AND p.reversed_at IS NULL) AS payments
    FROM accounts a
    JOIN creditors c ON c.id = a.creditor_id
    JOIN debtors d ON d.id = a.debtor_id
   WHERE a.ref = $1`;

/** Loads one account with its schedule and payments and computes its statement as of a date. */
export async function getStatement(
  store: Store,
  accountRef: string,
  asOf?: string,
  options: StatementOptions = {},
): Promise<AccountStatement> {
  const { rows } = await store.sql.query<StatementRow>(
    STATEMENT_BY_REF,
    [accountRef],
    'arrears_statement_by_ref',
  );
  const account = rows[0];
  if (!account) throw new ArrearsError('not_found', `account "${accountRef}" does not exist`);
  const asOfDay = resolveAsOf(asOf, account.timezone);
  const terms = termsFor(account, toDay(account.opened_on), account.settings);
  const statement = computeStatement(
    terms,
    account.installments.map(([seq, due, principal, interest, fees]) => ({
      seq,
      due: toDay(due),
      principal,
      interest,
      fees,
    })),
    account.payments.map(([ref, receivedOn, amount]) => ({ ref, receivedOn: toDay(receivedOn), amount })),
    asOfDay,
    options,
  );
  return {
    account: account.ref,
    creditor: { ref: account.creditor_ref, name: account.creditor_name },
    debtor: {
      ref: account.debtor_ref,
      timezone: account.timezone,
      jurisdiction: account.jurisdiction,
      locale: account.locale,
    },
    product: account.product,
    statement,
  };
}

/** An explicit date, or today in the debtor's own time zone (their "today" decides what is overdue). */
export function resolveAsOf(asOf: string | undefined, timeZone = 'UTC'): DayNumber {
  if (asOf === undefined) return todayIn(timeZone);
  try {
    return toDay(asOf);
  } catch {
    throw new ArrearsError('invalid', `--as-of "${asOf}" is not a real date written YYYY-MM-DD`, {
      issues: [{ field: 'asOf', message: 'must be a real date written YYYY-MM-DD' }],
    });
  }
}

/** The stable JSON shape of `arrears statement --json` (docs/cli.md): amounts as decimal strings in major units. */
export function statementJson(s: AccountStatement) {
  const st = s.statement;
  const money = (minor: number) => formatAmount(minor, st.currency);
  const parts = (c: { principal: number; interest: number; fees: number; penalty: number }) => ({
    principal: money(c.principal),
    interest: money(c.interest),
    fees: money(c.fees),
    penalty: money(c.penalty),
    total: money(c.principal + c.interest + c.fees + c.penalty),
  });
  return {
    account: s.account,
    creditor: s.creditor.ref,
    debtor: s.debtor.ref,
    product: s.product,
    asOf: formatDay(st.asOf),
    currency: st.currency,
    dpd: st.dpd,
    bucket: st.bucket,
    overdue: parts(st.overdue),
    outstandingPrincipal: money(st.outstandingPrincipal),
    payoff: money(st.payoff),
    credit: money(st.credit),
    capReduction: st.capReduction
      ? { amount: money(st.capReduction.amount), rule: st.capReduction.rule }
      : null,
    installments: st.installments.map((i) => ({
      seq: i.seq,
      due: formatDay(i.due),
      status: i.status,
      daysPastDue: i.daysPastDue,
      charged: parts(i.charged),
      paid: parts(i.paid),
      outstanding: parts(i.outstanding),
    })),
    payments: st.payments.map((p) => ({
      ref: p.ref,
      receivedOn: formatDay(p.receivedOn),
      amount: money(p.amount),
      allocations: p.allocations.map((a) => ({
        installment: a.seq,
        component: a.component,
        amount: money(a.amount),
      })),
      unapplied: money(p.unapplied),
    })),
    formula: st.formula,
  };
}
