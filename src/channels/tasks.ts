import type { Store } from '../store/index.js';
import type { ChannelAdapter, OutboundMessage } from './types.js';

/**
 * Calls and field visits are work for people: "sending" one opens a task in the collectors' or field
 * agents' queue, with the rendered script and the verification code the debtor can check. One task per
 * outbox action (unique), so a repeat is harmless.
 */
export function taskQueue(store: Store, kind: 'call' | 'visit'): ChannelAdapter {
  return {
    channel: kind,
    name: `${kind}-tasks`,
    idempotent: true,
    async send(m: OutboundMessage) {
      const details = {
        script: m.text,
        locale: m.locale,
        ...(kind === 'call' ? { phone: m.to.phone ?? null } : { address: m.to.address ?? null }),
      };
      const { rows } = await store.transaction(({ sql }) =>
        sql.query<{ id: number }>(
          `WITH ins AS (
             INSERT INTO tasks (account_id, outbox_id, kind, notice_code, due_at, details)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (account_id, outbox_id) DO NOTHING RETURNING id)
           SELECT id FROM ins UNION ALL SELECT id FROM tasks WHERE account_id = $1 AND outbox_id = $2`,
          [m.accountId, m.outboxId, kind, m.notice.code, m.dueAt.toISOString(), JSON.stringify(details)],
        ),
      );
      return { providerRef: `task:${rows[0]?.id ?? '?'}` };
    },
    async close() {},
  };
}
