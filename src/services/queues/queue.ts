import type { Principal } from '../../domain/access/index.js';
import { ArrearsError } from '../../domain/errors.js';
import { formatAmount, minorUnits } from '../../domain/money/index.js';
import type { ScoreFactor } from '../../domain/scoring/index.js';
import type { Store } from '../../store/index.js';
import { claimCase, type CaseView } from '../cases/index.js';
import { loadCaseFacts, type CaseFacts } from './facts.js';

export interface QueueItem {
  account: string;
  caseStatus: string;
  bucket: string;
  dpd: number;
  overdue: string;
  currency: string;
  propensity: number;
  expectedRecovery: string;
  /** A promise is due today or overdue and not yet judged: first in the queue. */
  urgent: boolean;
  promiseDue: string | null;
  assignedTo: string | null;
  claimedBy: string | null;
  claimedUntil: string | null;
  scorecard: string;
  factors: ScoreFactor[];
}

export interface QueueOptions {
  /** Whose queue; default the caller's. Only a manager or admin may name someone else. */
  user?: string | undefined;
  asOf?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

const SUPERVISORS = new Set(['admin', 'manager']);

interface Ranked {
  facts: CaseFacts;
  /** Expected recovery in major units: only for ordering (no FX between currencies; see docs/ARCHITECTURE.md). */
  rank: number;
}

type Cursor = { u: 0 | 1; r: number; id: number };

/** Urgent first, then expected recovery (desc), then account id: a total order for keyset paging. */
const compare = (a: Cursor, b: Cursor) => b.u - a.u || b.r - a.r || a.id - b.id;
const keyOf = (x: Ranked): Cursor => ({ u: x.facts.urgent ? 1 : 0, r: x.rank, id: x.facts.accountId });

function decodeCursor(text: string | undefined): Cursor | null {
  if (text === undefined) return null;
  try {
    const c = JSON.parse(Buffer.from(text, 'base64url').toString()) as Cursor;
    if ((c.u === 0 || c.u === 1) && Number.isFinite(c.r) && Number.isSafeInteger(c.id)) return c;
  } catch {
    // fall through
  }
  throw new ArrearsError('invalid', 'cursor is not one this API returned', {
    issues: [{ field: 'cursor', message: 'is not one this API returned' }],
  });
}

/** The user whose queue is read: the caller, or (managers, admins) the named user. */
async function queueOwner(store: Store, actor: Principal, user: string | undefined) {
  if (user === undefined || user === actor.username)
    return { id: actor.userId, role: actor.role, agencyId: actor.agencyId };
  if (!SUPERVISORS.has(actor.role))
    throw new ArrearsError('forbidden', 'only a manager or admin can read another user’s queue');
  const u = await store.db
    .selectFrom('users')
    .select(['id', 'role', 'agency_id as agencyId'])
    .where('username', '=', user)
    .executeTakeFirst();
  if (!u) throw new ArrearsError('not_found', `user "${user}" does not exist`);
  return u;
}

/**
 * The accounts in a queue, ranked. A collector's or field agent's queue: the cases allocated to them
 * that are not closed and not placed with an agency. An agency user's: the open cases of the accounts
 * placed with their agency (for an agency caller row-level security enforces it as well).
 */
async function rankedQueue(
  store: Store,
  actor: Principal,
  user: string | undefined,
  asOf: string | undefined,
) {
  const owner = await queueOwner(store, actor, user);
  const ids =
    owner.role === 'agency_user'
      ? await store.transaction(async ({ sql }) =>
          (
            await sql.query<{ account_id: number }>(
              `SELECT p.account_id FROM placements p LEFT JOIN cases c ON c.account_id = p.account_id
               WHERE p.recalled_at IS NULL AND p.agency_id = $1 AND COALESCE(c.status, 'open') <> 'closed'`,
              [owner.agencyId],
            )
          ).rows.map((r) => r.account_id),
        )
      : (
          await store.db
            .selectFrom('cases')
            .select('account_id')
            .where('assigned_to', '=', owner.id)
            .where('status', 'not in', ['closed', 'placed'])
            .execute()
        ).map((r) => r.account_id);
  const facts = await loadCaseFacts(store, ids, asOf);
  const ranked = facts
    .filter((f) => owner.role === 'agency_user' || f.placedWith === null)
    .map((f) => ({ facts: f, rank: f.expectedRecovery / 10 ** minorUnits(f.currency) }));
  return { owner, ranked: ranked.sort((a, b) => compare(keyOf(a), keyOf(b))) };
}

function view(x: Ranked): QueueItem {
  const f = x.facts;
  const claimed = f.claimedUntil !== null && new Date(f.claimedUntil) > new Date();
  return {
    account: f.ref,
    caseStatus: f.caseStatus,
    bucket: f.bucket,
    dpd: f.dpd,
    overdue: formatAmount(f.overdue, f.currency),
    currency: f.currency,
    propensity: f.score.propensity,
    expectedRecovery: formatAmount(f.expectedRecovery, f.currency),
    urgent: f.urgent,
    promiseDue: f.promiseDue,
    assignedTo: f.assignedName,
    claimedBy: claimed ? f.claimedByName : null,
    claimedUntil: claimed ? new Date(f.claimedUntil!).toISOString() : null,
    scorecard: f.score.version,
    factors: f.score.factors,
  };
}

/** A queue in ranked order, keyset paged (the cursor is the last item's sort key). */
export async function listQueue(store: Store, actor: Principal, o: QueueOptions) {
  const after = decodeCursor(o.cursor);
  const { ranked } = await rankedQueue(store, actor, o.user, o.asOf);
  const rest = after === null ? ranked : ranked.filter((x) => compare(after, keyOf(x)) < 0);
  const page = rest.slice(0, o.limit);
  const more = rest.length > o.limit;
  return {
    items: page.map(view),
    nextCursor: more
      ? Buffer.from(JSON.stringify(keyOf(page[page.length - 1]!))).toString('base64url')
      : null,
  };
}

const isFree = (f: CaseFacts, userId: number) =>
  f.claimedBy === null ||
  f.claimedBy === userId ||
  f.claimedUntil === null ||
  new Date(f.claimedUntil) <= new Date();

/**
 * The best case to work next: the first of the queue that nobody else has claimed. With `claim`, claims
 * it for the caller; when someone else claims it first (a race), the next one is tried, so two callers
 * never get the same case.
 */
export async function nextCase(
  store: Store,
  actor: Principal,
  o: { user?: string | undefined; asOf?: string | undefined; claim?: boolean | undefined },
): Promise<{ item: QueueItem | null; claim: CaseView | null }> {
  if (o.claim && o.user !== undefined && o.user !== actor.username)
    throw new ArrearsError('invalid', 'a claim is always for yourself; leave out user to claim', {
      issues: [{ field: 'user', message: 'cannot be combined with claim' }],
    });
  const { ranked } = await rankedQueue(store, actor, o.user, o.asOf);
  const free = ranked.filter((x) => isFree(x.facts, actor.userId));
  if (!o.claim) return { item: free[0] ? view(free[0]) : null, claim: null };
  for (const x of free) {
    try {
      const claim = await claimCase(store, actor, x.facts.ref);
      return { item: { ...view(x), claimedBy: claim.claimedBy, claimedUntil: claim.claimedUntil }, claim };
    } catch (e) {
      if (e instanceof ArrearsError && e.kind === 'conflict') continue;
      throw e;
    }
  }
  return { item: null, claim: null };
}
