import { ArrearsError } from '../../domain/errors.js';
import type { Store } from '../../store/index.js';

export type Resolution = 'sent' | 'retry' | 'dead';

/**
 * A person settles an action the dispatcher will not touch on its own: `unknown` (a crash left it unclear
 * whether a non-idempotent provider delivered it — check the provider's log first) or `dead`. `sent` records
 * that it was delivered; `retry` sends it again (the same notice, if one was issued); `dead` closes it.
 * Blocked actions are the compliance gate's decision and cannot be resolved here. Audited in account_events.
 */
export async function resolveAction(
  store: Store,
  input: { accountRef: string; idempotencyKey: string; as: Resolution; note: string },
): Promise<{ id: number; from: string; to: Resolution }> {
  if (!['sent', 'retry', 'dead'].includes(input.as))
    throw new ArrearsError('invalid', `--as must be sent, retry or dead, not "${input.as}"`, {
      issues: [{ field: 'as', message: 'sent | retry | dead' }],
    });
  if (input.note.trim() === '')
    throw new ArrearsError('invalid', 'say why (--note): the resolution is kept in the audit trail', {
      issues: [{ field: 'note', message: 'required' }],
    });
  return store.transaction(async ({ sql }) => {
    const { rows } = await sql.query<{ account_id: number; id: number; status: string }>(
      `SELECT o.account_id, o.id, o.status FROM outbox o JOIN accounts a ON a.id = o.account_id
       WHERE a.ref = $1 AND o.idempotency_key = $2 FOR UPDATE OF o`,
      [input.accountRef, input.idempotencyKey],
    );
    const row = rows[0];
    if (!row)
      throw new ArrearsError(
        'not_found',
        `no action "${input.idempotencyKey}" for account "${input.accountRef}"`,
      );
    if (row.status !== 'unknown' && row.status !== 'dead')
      throw new ArrearsError(
        'conflict',
        `action ${row.id} is ${row.status}; only unknown or dead actions can be resolved`,
      );
    await sql.query(
      `UPDATE outbox SET status = $3,
         attempts = CASE WHEN $3 = 'retry' THEN 0 ELSE attempts END,
         next_attempt_at = CASE WHEN $3 = 'retry' THEN now() ELSE next_attempt_at END,
         sent_at = CASE WHEN $3 = 'sent' THEN now() ELSE sent_at END,
         last_error = $4, updated_at = now()
       WHERE account_id = $1 AND id = $2`,
      [row.account_id, row.id, input.as, `resolved by a person (${row.status} → ${input.as}): ${input.note}`],
    );
    await sql.query(
      `INSERT INTO account_events (account_id, kind, data) VALUES ($1, 'outbox_resolved', $2)`,
      [
        row.account_id,
        JSON.stringify({ outboxId: row.id, from: row.status, to: input.as, note: input.note }),
      ],
    );
    return { id: row.id, from: row.status, to: input.as };
  });
}
