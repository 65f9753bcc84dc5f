import { formatDay, toDay, todayIn, type DayNumber } from '../../domain/calendar/index.js';
import {
  computeStatement,
  type Statement,
  type StatementOptions,
  type WriteOffInput,
} from '../../domain/delinquency/index.js';
import { ArrearsError } from '../../domain/errors.js';
import { formatAmount } from '../../domain/money/index.js';
import type { CreditorSettingsJson, SqlClient, Store } from '../../store/index.js';
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
  /** Settlement write-offs: [ref, on, principal, interest, fees, penalty]. */
  write_offs: [string, string, number, number, number, number][];
}

export interface AccountStatement {
  account: string;
  creditor: { ref: string; name: string };
  debtor: { ref: string; timezone: string; jurisdiction: string; locale: string };
  product: string;
  statement: Statement;
}

/**
 * The account event that records a settlement write-off. Its data carries `ref`, `on` (YYYY-MM-DD) and the
 * amounts forgiven by component in minor units; every statement applies it (src/domain/delinquency).
 */
export const WRITE_OFF_EVENT = 'settlement_written_off';

// One round trip: the schedule, the payments that count and the settlement write-offs come aggregated with
// the account. A prepared statement (it runs with every payment posted).
const STATEMENT_COLUMNS = `
  SELECT a.id, a.ref, a.currency, a.principal, a.interest_rate, a.penalty_rate, a.penalty_on_interest,
         a.opened_on, a.product, c.ref AS creditor_ref, c.name AS creditor_name, c.settings,
         d.ref AS debtor_ref, d.timezone, d.jurisdiction, d.locale,
         (SELECT coalesce(json_agg(json_build_array(i.seq, i.due_on, i.principal, i.interest, i.fees) ORDER BY i.seq), '[]')
            FROM installments i WHERE i.account_id = a.id) AS installments,
         (SELECT coalesce(json_agg(json_build_array(p.ref, p.received_on, p.amount) ORDER BY p.received_on, p.id), '[]')
            FROM payments p WHERE p.account_id = a.id AND p.reversed_at IS NULL) AS payments,
         (SELECT coalesce(json_agg(json_build_array(e.data->>'ref', e.data->>'on', (e.data->>'principal')::bigint,
                   (e.data->>'interest')::bigint, (e.data->>'fees')::bigint, (e.data->>'penalty')::bigint) ORDER BY e.id), '[]')
            FROM account_events e WHERE e.account_id = a.id AND e.kind = '${WRITE_OFF_EVENT}') AS write_offs
    FROM accounts a
    JOIN creditors c ON c.id = a.creditor_id
    JOIN debtors d ON d.id = a.debtor_id`;
const STATEMENT_BY_REF = `${STATEMENT_COLUMNS} WHERE a.ref = $1`;
const STATEMENTS_BY_ID = `${STATEMENT_COLUMNS} WHERE a.id = ANY($1::bigint[])`;

/** The write-offs of a statement row, for the engine. */
export function writeOffsOf(rows: StatementRow['write_offs']): WriteOffInput[] {
  return rows.map(([ref, on, principal, interest, fees, penalty]) => ({
    ref,
    on: toDay(on),
    principal,
    interest,
    fees,
    penalty,
  }));
}

function statementOf(account: StatementRow, asOfDay: DayNumber, options: StatementOptions): AccountStatement {
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
    { ...options, writeOffs: writeOffsOf(account.write_offs) },
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

/**
 * The statements of many accounts by id as of one date, in one query (the same engine and inputs as
 * `getStatement`), keyed by account id.
 */
export async function statementsByIds(
  sql: SqlClient,
  ids: readonly number[],
  asOf: string,
  options: StatementOptions = {},
): Promise<Map<number, AccountStatement>> {
  const out = new Map<number, AccountStatement>();
  if (ids.length === 0) return out;
  const { rows } = await sql.query<StatementRow>(STATEMENTS_BY_ID, [[...new Set(ids)]]);
  const day = toDay(asOf);
  for (const r of rows) out.set(r.id, statementOf(r, day, options));
  return out;
}

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
  return statementOf(account, resolveAsOf(asOf, account.timezone), options);
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
      ...(i.writtenOff ? { writtenOff: parts(i.writtenOff) } : {}),
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
    adjustments: st.adjustments.map((a) => ({
      kind: a.kind,
      ref: a.ref,
      on: formatDay(a.on),
      amounts: parts(a.amounts),
      unapplied: money(a.unapplied),
    })),
    formula: st.formula,
  };
}
