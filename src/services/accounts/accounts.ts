import { formatAmount } from '../../domain/money/index.js';
import type { Store } from '../../store/index.js';
import { ArrearsError } from '../../domain/errors.js';
import { getStatement, statementJson } from '../statements/index.js';

export interface AccountListItem {
  ref: string;
  status: 'open' | 'closed';
  product: string;
  currency: string;
  principal: string;
  openedOn: string;
  creditor: string;
  debtor: string;
  jurisdiction: string;
  agency: string | null;
}

export interface AccountPage {
  items: AccountListItem[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

export interface AccountFilter {
  limit: number;
  cursor?: string | undefined;
  status?: 'open' | 'closed' | undefined;
  creditor?: string | undefined;
  jurisdiction?: string | undefined;
  agency?: string | undefined;
}

// The cursor is the last account id of the previous page (keyset paging: no OFFSET scans).
const decodeCursor = (c: string | undefined): number => {
  if (c === undefined) return 0;
  const n = Number(Buffer.from(c, 'base64url').toString());
  if (!Number.isSafeInteger(n) || n < 0)
    throw new ArrearsError('invalid', 'cursor is not one this API returned');
  return n;
};

/** Accounts with their creditor, debtor and current placement (agency), the base of both queries below. */
const withParties = (store: Store) =>
  store.db
    .selectFrom('accounts as a')
    .innerJoin('creditors as c', 'c.id', 'a.creditor_id')
    .innerJoin('debtors as d', 'd.id', 'a.debtor_id')
    .leftJoin('placements as p', (j) => j.onRef('p.account_id', '=', 'a.id').on('p.recalled_at', 'is', null))
    .leftJoin('agencies as g', 'g.id', 'p.agency_id');

export async function listAccounts(store: Store, f: AccountFilter): Promise<AccountPage> {
  let q = withParties(store)
    .select([
      'a.id',
      'a.ref',
      'a.status',
      'a.product',
      'a.currency',
      'a.principal',
      'a.opened_on',
      'c.ref as creditor',
      'd.ref as debtor',
      'd.jurisdiction',
      'g.ref as agency',
    ])
    .where('a.id', '>', decodeCursor(f.cursor))
    .orderBy('a.id')
    .limit(f.limit + 1);
  if (f.status) q = q.where('a.status', '=', f.status);
  if (f.creditor) q = q.where('c.ref', '=', f.creditor);
  if (f.jurisdiction) q = q.where('d.jurisdiction', '=', f.jurisdiction);
  if (f.agency) q = q.where('g.ref', '=', f.agency);
  const rows = await q.execute();
  const more = rows.length > f.limit;
  const page = more ? rows.slice(0, f.limit) : rows;
  return {
    items: page.map((r) => ({
      ref: r.ref,
      status: r.status,
      product: r.product,
      currency: r.currency,
      principal: formatAmount(r.principal, r.currency),
      openedOn: r.opened_on,
      creditor: r.creditor,
      debtor: r.debtor,
      jurisdiction: r.jurisdiction,
      agency: r.agency,
    })),
    nextCursor: more ? Buffer.from(String(page[page.length - 1]!.id)).toString('base64url') : null,
  };
}

/** One account with its debtor's contact data, its placement and today's statement summary. */
export async function getAccount(store: Store, ref: string) {
  const row = await withParties(store)
    .select([
      'a.ref',
      'a.status',
      'a.product',
      'a.currency',
      'a.principal',
      'a.interest_rate',
      'a.penalty_rate',
      'a.opened_on',
      'a.payment_reference',
      'c.ref as creditor_ref',
      'c.name as creditor_name',
      'd.ref as debtor_ref',
      'd.name as debtor_name',
      'd.locale',
      'd.timezone',
      'd.jurisdiction',
      'd.phones',
      'd.emails',
      'g.ref as agency',
      'p.placed_at',
    ])
    .where('a.ref', '=', ref)
    .executeTakeFirst();
  if (!row) throw new ArrearsError('not_found', `account "${ref}" does not exist`);
  const st = statementJson(await getStatement(store, ref, undefined, { explain: false }));
  return {
    ref: row.ref,
    status: row.status,
    product: row.product,
    currency: row.currency,
    principal: formatAmount(row.principal, row.currency),
    interestRate: row.interest_rate.replace(/\.?0+$/, ''),
    penaltyRate: row.penalty_rate.replace(/\.?0+$/, ''),
    openedOn: row.opened_on,
    paymentReference: row.payment_reference,
    creditor: { ref: row.creditor_ref, name: row.creditor_name },
    debtor: {
      ref: row.debtor_ref,
      name: row.debtor_name,
      locale: row.locale,
      timezone: row.timezone,
      jurisdiction: row.jurisdiction,
      phones: row.phones,
      emails: row.emails,
    },
    placement: row.agency
      ? { agency: row.agency, placedAt: new Date(row.placed_at as unknown as Date).toISOString() }
      : null,
    summary: {
      asOf: st.asOf,
      dpd: st.dpd,
      bucket: st.bucket,
      overdue: st.overdue.total,
      payoff: st.payoff,
      credit: st.credit,
    },
  };
}

export type AccountDetail = Awaited<ReturnType<typeof getAccount>>;
