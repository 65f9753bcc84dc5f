import { ArrearsError } from '../../domain/errors.js';
import { formatAmount } from '../../domain/money/index.js';
import type { Store } from '../../store/index.js';

export interface TimelineItem {
  at: string;
  kind: string;
  summary: string;
  /** What the item points at, e.g. `payment:P-9`, `notice:K7Q…`, `note:12`. */
  ref: string;
}

/**
 * One source of the case timeline: a SELECT over one table for the account `$1` (its currency is `$2`)
 * returning `at` (timestamptz), `id` (bigint, unique within the source) and `data` (jsonb), and a
 * function that turns a row into an item. Adding a source (contacts, disputes, plans…) is one entry here.
 */
interface Source {
  name: string;
  sql: string;
  item(data: Record<string, unknown>, id: number, currency: string): Omit<TimelineItem, 'at'>;
}

const str = (v: unknown): string =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
const money = (v: unknown, currency: string) => formatAmount(Number(v), currency);

export const TIMELINE_SOURCES: readonly Source[] = [
  {
    name: 'event',
    // Payment events duplicate the payments source; case events are written by this module.
    sql: `SELECT at, id, jsonb_build_object('kind', kind, 'data', data) AS data FROM account_events
          WHERE account_id = $1 AND kind NOT IN ('payment_received', 'payment_reversed')`,
    item: (d, id) => {
      const data = (d.data ?? {}) as Record<string, unknown>;
      const kind = str(d.kind);
      const summary =
        kind === 'case_status'
          ? `case ${str(data.from)} → ${str(data.to)}${data.reason ? ` (${str(data.reason)})` : ''}${data.because ? ` — automatic: ${str(data.because)}` : ''}`
          : kind === 'case_assigned'
            ? `case assigned to ${str(data.to)}`
            : kind.replace(/_/g, ' ');
      return { kind: kind.startsWith('case_') ? 'case' : 'event', summary, ref: `event:${id}` };
    },
  },
  {
    name: 'payment',
    // A payment's instant is when it was posted, or the end of its received day in the debtor's zone when
    // it was posted later (imported history), so history reads in the order it happened.
    sql: `SELECT LEAST(p.created_at, ((p.received_on + 1)::timestamp AT TIME ZONE d.timezone) - interval '1 millisecond') AS at,
                 p.id, jsonb_build_object('ref', p.ref, 'amount', p.amount, 'channel', p.channel,
                   'receivedOn', p.received_on, 'reversed', p.reversed_at IS NOT NULL) AS data
          FROM payments p JOIN accounts a ON a.id = p.account_id JOIN debtors d ON d.id = a.debtor_id
          WHERE p.account_id = $1`,
    item: (d, _id, currency) => ({
      kind: 'payment',
      summary: `payment ${money(d.amount, currency)} ${currency} by ${str(d.channel)} received ${str(d.receivedOn)}${d.reversed ? ' (reversed)' : ''}`,
      ref: `payment:${str(d.ref)}`,
    }),
  },
  {
    name: 'promise',
    sql: `SELECT created_at AS at, id, jsonb_build_object('amount', amount, 'dueOn', due_on) AS data
          FROM promises WHERE account_id = $1`,
    item: (d, id, currency) => ({
      kind: 'promise',
      summary: `promise to pay ${money(d.amount, currency)} ${currency} by ${str(d.dueOn)}`,
      ref: `promise:${id}`,
    }),
  },
  {
    name: 'notice',
    // Notices are keyed by code; the outbox id orders them within the source.
    sql: `SELECT created_at AS at, outbox_id AS id,
                 jsonb_build_object('code', code, 'channel', channel, 'amount', amount, 'currency', currency) AS data
          FROM notices WHERE account_id = $1`,
    item: (d) => ({
      kind: 'notice',
      summary: `${str(d.channel)} notice ${str(d.code)} for ${money(d.amount, str(d.currency))} ${str(d.currency)}`,
      ref: `notice:${str(d.code)}`,
    }),
  },
  {
    name: 'decision',
    sql: `SELECT decided_at AS at, id, jsonb_build_object('channel', channel, 'allowed', allowed, 'rules', rule_ids) AS data
          FROM compliance_decisions WHERE account_id = $1`,
    item: (d, id) => {
      const rules = (d.rules as string[] | null) ?? [];
      return {
        kind: 'decision',
        summary: `${str(d.channel)} contact ${d.allowed ? 'allowed' : 'refused'}${rules.length ? ` (${rules.join(', ')})` : ''}`,
        ref: `decision:${id}`,
      };
    },
  },
  {
    name: 'note',
    sql: `SELECT at, id, jsonb_build_object('author', author, 'text', text) AS data FROM case_notes WHERE account_id = $1`,
    item: (d, id) => ({ kind: 'note', summary: `${str(d.author)}: ${str(d.text)}`, ref: `note:${id}` }),
  },
  {
    name: 'escalation',
    sql: `SELECT created_at AS at, id, jsonb_build_object('target', target, 'reason', reason, 'status', status) AS data
          FROM escalations WHERE account_id = $1`,
    item: (d, id) => ({
      kind: 'escalation',
      summary: `escalated to ${str(d.target).replace(/_/g, ' ')}: ${str(d.reason)} (${str(d.status)})`,
      ref: `escalation:${id}`,
    }),
  },
];

type Cursor = [at: string, src: number, id: number];

function decodeCursor(text: string | undefined): Cursor | null {
  if (text === undefined) return null;
  try {
    const c = JSON.parse(Buffer.from(text, 'base64url').toString()) as Cursor;
    if (Array.isArray(c) && typeof c[0] === 'string' && Number.isInteger(c[1]) && Number.isSafeInteger(c[2]))
      return c;
  } catch {
    // fall through
  }
  throw new ArrearsError('invalid', 'cursor is not one this API returned', {
    issues: [{ field: 'cursor', message: 'is not one this API returned' }],
  });
}

/**
 * The account's timeline, newest first, keyset paged over the union of the sources: each source is cut
 * at the cursor and limited before the union, so a page reads at most `limit + 1` rows per source.
 * The cursor keeps the database's microsecond instant as text, so items sharing a millisecond are neither
 * skipped nor repeated.
 */
export async function accountTimeline(
  store: Store,
  ref: string,
  o: { limit: number; cursor?: string | undefined },
): Promise<{ account: string; items: TimelineItem[]; nextCursor: string | null }> {
  const after = decodeCursor(o.cursor);
  const account = await store.db
    .selectFrom('accounts')
    .select(['id', 'currency'])
    .where('ref', '=', ref)
    .executeTakeFirst();
  if (!account) throw new ArrearsError('not_found', `account "${ref}" does not exist`);
  const cut = after === null ? '' : `WHERE (s.at, s.src, s.id) < ($3::timestamptz, $4::int, $5::bigint)`;
  const parts = TIMELINE_SOURCES.map(
    (src, i) => `(SELECT s.* FROM (SELECT at, ${i} AS src, id, data FROM (${src.sql}) q) s ${cut}
                 ORDER BY s.at DESC, s.id DESC LIMIT $2)`,
  );
  const params: unknown[] = [account.id, o.limit + 1];
  if (after) params.push(...after);
  const { rows } = await store.transaction(({ sql }) =>
    sql.query<{ at: Date; at_text: string; src: number; id: number; data: Record<string, unknown> }>(
      `SELECT at, at::text AS at_text, src, id, data FROM (${parts.join(' UNION ALL ')}) t
       ORDER BY at DESC, src DESC, id DESC LIMIT $2`,
      params,
    ),
  );
  const more = rows.length > o.limit;
  const page = more ? rows.slice(0, o.limit) : rows;
  const last = page[page.length - 1];
  return {
    account: ref,
    items: page.map((r) => ({
      at: new Date(r.at).toISOString(),
      ...TIMELINE_SOURCES[r.src]!.item(r.data, Number(r.id), account.currency),
    })),
    nextCursor:
      more && last
        ? Buffer.from(JSON.stringify([last.at_text, last.src, Number(last.id)])).toString('base64url')
        : null,
  };
}
