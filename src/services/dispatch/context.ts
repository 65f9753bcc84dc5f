import { todayIn, type DayNumber } from '../../domain/calendar/index.js';
import {
  computeStatement,
  type InstallmentInput,
  type PaymentInput,
  type Statement,
} from '../../domain/delinquency/index.js';
import type { AddressJson, CreditorSettingsJson, PhoneJson, SqlClient } from '../../store/index.js';
import type { Recipient } from '../../channels/index.js';
import { termsFor, WRITE_OFF_EVENT, writeOffsOf } from '../statements/index.js';

/** What a message needs to know about one account, loaded for a whole batch in one query. */
export interface AccountContext {
  id: number;
  ref: string;
  product: string;
  status: 'open' | 'closed';
  creditor: { ref: string; name: string };
  debtor: { name: string; locale: string; timezone: string; jurisdiction: string };
  statement: Statement;
  recipients: { email?: string; phone?: string; address?: AddressJson };
}

interface Row {
  id: number;
  ref: string;
  currency: string;
  principal: number;
  interest_rate: string;
  penalty_rate: string;
  penalty_on_interest: boolean;
  product: string;
  status: 'open' | 'closed';
  opened: number;
  creditor_ref: string;
  creditor_name: string;
  settings: CreditorSettingsJson;
  debtor_name: string;
  locale: string;
  timezone: string;
  jurisdiction: string;
  phones: PhoneJson[];
  emails: string[];
  addresses: AddressJson[];
  sched: string | null;
  pays: string | null;
  write_offs: [string, string, number, number, number, number][];
}

const SQL = `
  SELECT a.id, a.ref, a.currency, a.principal, a.interest_rate, a.penalty_rate, a.penalty_on_interest, a.product,
         a.status, a.opened_on - DATE '1970-01-01' AS opened, c.ref AS creditor_ref, c.name AS creditor_name, c.settings,
         d.name AS debtor_name, d.locale, d.timezone, d.jurisdiction, d.phones, d.emails, d.addresses,
         (SELECT string_agg(concat_ws(',', due_on - DATE '1970-01-01', principal, interest, fees), ';' ORDER BY seq)
            FROM installments i WHERE i.account_id = a.id) AS sched,
         (SELECT string_agg(concat_ws(',', received_on - DATE '1970-01-01', amount), ';' ORDER BY received_on, id)
            FROM payments p WHERE p.account_id = a.id) AS pays,
         (SELECT coalesce(json_agg(json_build_array(e.data->>'ref', e.data->>'on', (e.data->>'principal')::bigint,
                   (e.data->>'interest')::bigint, (e.data->>'fees')::bigint, (e.data->>'penalty')::bigint) ORDER BY e.id), '[]')
            FROM account_events e WHERE e.account_id = a.id AND e.kind = '${WRITE_OFF_EVENT}') AS write_offs
  FROM accounts a
  JOIN creditors c ON c.id = a.creditor_id
  JOIN debtors d ON d.id = a.debtor_id
  WHERE a.id = ANY($1::bigint[])`;

function schedule(text: string | null): InstallmentInput[] {
  if (!text) return [];
  return text.split(';').map((part, i) => {
    const [due, principal, interest, fees] = part.split(',').map(Number);
    return { seq: i + 1, due: due!, principal: principal!, interest: interest!, fees: fees! };
  });
}

function payments(text: string | null, asOf: DayNumber): PaymentInput[] {
  if (!text) return [];
  return text
    .split(';')
    .map((part) => {
      const [on, amount] = part.split(',').map(Number);
      return { ref: '', receivedOn: on!, amount: amount! };
    })
    .filter((p) => p.receivedOn <= asOf);
}

/** Picks the debtor's own channels only (never third-party contacts): first e-mail, a mobile number, the home address. */
function recipients(r: Row): AccountContext['recipients'] {
  const phone = r.phones.find((p) => p.kind === 'mobile') ?? r.phones[0];
  const address = r.addresses.find((a) => a.kind === 'home') ?? r.addresses[0];
  return {
    ...(r.emails[0] ? { email: r.emails[0] } : {}),
    ...(phone ? { phone: phone.number } : {}),
    ...(address ? { address } : {}),
  };
}

/** Loads accounts with their statement as of today in each debtor's time zone. */
export async function loadAccountContexts(
  sql: SqlClient,
  ids: readonly number[],
  now: Date,
): Promise<Map<number, AccountContext>> {
  const out = new Map<number, AccountContext>();
  if (ids.length === 0) return out;
  const { rows } = await sql.query<Row>(SQL, [[...new Set(ids)]]);
  const today = new Map<string, DayNumber>();
  for (const r of rows) {
    let asOf = today.get(r.timezone);
    if (asOf === undefined) today.set(r.timezone, (asOf = todayIn(r.timezone, now)));
    const terms = termsFor(r, r.opened, r.settings);
    out.set(r.id, {
      id: r.id,
      ref: r.ref,
      product: r.product,
      status: r.status,
      creditor: { ref: r.creditor_ref, name: r.creditor_name },
      debtor: { name: r.debtor_name, locale: r.locale, timezone: r.timezone, jurisdiction: r.jurisdiction },
      statement: computeStatement(terms, schedule(r.sched), payments(r.pays, asOf), asOf, {
        writeOffs: writeOffsOf(r.write_offs),
      }),
      recipients: recipients(r),
    });
  }
  return out;
}

export function recipientFor(ctx: AccountContext): Recipient {
  return { name: ctx.debtor.name, ...ctx.recipients };
}
