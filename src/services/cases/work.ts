import { createHash } from 'node:crypto';
import type { Principal } from '../../domain/access/index.js';
import { actorOf } from '../../domain/access/index.js';
import { toDay } from '../../domain/calendar/index.js';
import { checkTransition, type CaseStatus, type CloseReason } from '../../domain/cases/index.js';
import { ArrearsError } from '../../domain/errors.js';
import { judgePromise } from '../../domain/promises/index.js';
import { boundStore, type Store } from '../../store/index.js';
import { appendAudit } from '../audit/index.js';
import { getStatement } from '../statements/index.js';
import { getCase, type CaseView } from './cases.js';

export const MAX_NOTE_LENGTH = 4000;

export interface NoteView {
  id: number;
  at: string;
  author: string;
  text: string;
}

async function account(store: Store, ref: string) {
  const a = await store.db
    .selectFrom('accounts')
    .select(['id', 'status'])
    .where('ref', '=', ref)
    .executeTakeFirst();
  if (!a) throw new ArrearsError('not_found', `account "${ref}" does not exist`);
  return a;
}

/**
 * Appends a note to the case. Notes are never edited or deleted (a trigger refuses it); the audit record
 * carries the note's length and hash, not its text, so personal data written in a note stays in one place.
 */
export async function addNote(store: Store, actor: Principal, ref: string, text: string): Promise<NoteView> {
  const body = text.trim();
  if (body.length === 0 || body.length > MAX_NOTE_LENGTH)
    throw new ArrearsError('invalid', 'the note is not valid', {
      issues: [{ field: 'text', message: `must be 1 to ${MAX_NOTE_LENGTH} characters` }],
    });
  return store.transaction(async (tx) => {
    const a = await account(boundStore(store, tx), ref);
    const row = await tx.db
      .insertInto('case_notes')
      .values({ account_id: a.id, author_id: actor.userId, author: actor.username, text: body })
      .returning(['id', 'at'])
      .executeTakeFirstOrThrow();
    await appendAudit(tx, actor, {
      action: 'case.note_added',
      entity: `note:${ref}/${row.id}`,
      accountId: a.id,
      data: { length: body.length, sha256: createHash('sha256').update(body).digest('hex') },
    });
    return { id: row.id, at: new Date(row.at).toISOString(), author: actor.username, text: body };
  });
}

/** The case's notes, newest first, keyset paged by id. */
export async function listNotes(
  store: Store,
  ref: string,
  o: { limit: number; cursor?: string | undefined },
): Promise<{ account: string; items: NoteView[]; nextCursor: string | null }> {
  const before = o.cursor === undefined ? null : Number(Buffer.from(o.cursor, 'base64url').toString());
  if (before !== null && !(Number.isSafeInteger(before) && before > 0))
    throw new ArrearsError('invalid', 'cursor is not one this API returned', {
      issues: [{ field: 'cursor', message: 'is not one this API returned' }],
    });
  const a = await account(store, ref);
  let q = store.db
    .selectFrom('case_notes')
    .select(['id', 'at', 'author', 'text'])
    .where('account_id', '=', a.id)
    .orderBy('id', 'desc')
    .limit(o.limit + 1);
  if (before !== null) q = q.where('id', '<', before);
  const rows = await q.execute();
  const more = rows.length > o.limit;
  const page = more ? rows.slice(0, o.limit) : rows;
  return {
    account: ref,
    items: page.map((r) => ({ id: r.id, at: new Date(r.at).toISOString(), author: r.author, text: r.text })),
    nextCursor: more ? Buffer.from(String(page[page.length - 1]!.id)).toString('base64url') : null,
  };
}

/**
 * Moves the case to another status after checking the rules (src/domain/cases): closing needs the account
 * paid in full or recalled by the lender, reopening a closed case needs a manager or admin. Writes a
 * `case_status` event (the timeline) and an audit record in the same transaction.
 */
export async function setCaseStatus(
  store: Store,
  actor: Principal,
  ref: string,
  req: { status: CaseStatus; reason?: CloseReason | undefined },
): Promise<CaseView> {
  return store.transaction(async (tx) => {
    const inTx = boundStore(store, tx);
    const a = await account(inTx, ref);
    // Lock the case row (or create it) so two changes cannot both pass the check against the same status.
    await tx.sql.query(`INSERT INTO cases (account_id) VALUES ($1) ON CONFLICT (account_id) DO NOTHING`, [
      a.id,
    ]);
    const { rows } = await tx.sql.query<{ status: CaseStatus }>(
      `SELECT status FROM cases WHERE account_id = $1 FOR UPDATE`,
      [a.id],
    );
    const from = rows[0]!.status;
    const statement = await getStatement(inTx, ref, undefined, { explain: false });
    const placed = await tx.db
      .selectFrom('placements')
      .select('id')
      .where('account_id', '=', a.id)
      .where('recalled_at', 'is', null)
      .executeTakeFirst();
    let pendingPromise = false;
    if (req.status === 'promise') {
      const [promises, payments] = await Promise.all([
        tx.db.selectFrom('promises').selectAll().where('account_id', '=', a.id).execute(),
        tx.db
          .selectFrom('payments')
          .select(['received_on', 'amount'])
          .where('account_id', '=', a.id)
          .where('reversed_at', 'is', null)
          .execute(),
      ]);
      const pays = payments.map((p) => ({ receivedOn: toDay(p.received_on), amount: p.amount }));
      pendingPromise = promises.some(
        (p) =>
          judgePromise(
            {
              amount: p.amount,
              madeOn: toDay(p.made_on),
              dueOn: toDay(p.due_on),
              graceDays: p.grace_days,
              tolerance: p.tolerance,
            },
            pays,
            statement.statement.asOf,
          ).status === 'pending',
      );
    }
    const issues = checkTransition(
      { from, to: req.status, role: actor.role, reason: req.reason },
      {
        paidInFull: statement.statement.payoff <= 0,
        recalledByLender: a.status === 'closed',
        placed: placed !== undefined,
        pendingPromise,
      },
    );
    if (issues.length > 0)
      throw new ArrearsError('invalid', `the case cannot move from ${from} to ${req.status}`, { issues });
    await tx.sql.query(`UPDATE cases SET status = $2, updated_at = now() WHERE account_id = $1`, [
      a.id,
      req.status,
    ]);
    const data = { from, to: req.status, reason: req.reason ?? null, by: actorOf(actor) };
    await tx.sql.query(`INSERT INTO account_events (account_id, kind, data) VALUES ($1, 'case_status', $2)`, [
      a.id,
      JSON.stringify(data),
    ]);
    await appendAudit(tx, actor, {
      action: 'case.status_changed',
      entity: `case:${ref}`,
      accountId: a.id,
      data: { from, to: req.status, reason: req.reason ?? null },
    });
    return getCase(inTx, ref);
  });
}
