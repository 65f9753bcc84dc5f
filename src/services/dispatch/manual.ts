import { randomUUID } from 'node:crypto';
import { ArrearsError } from '../../domain/errors.js';
import type { ChannelName, Store } from '../../store/index.js';
import { enqueueActions, type EnqueueResult } from './outbox.js';

/** Plans one action for an account by its ref — what a collector or `arrears outbox add` does by hand. */
export async function planManualAction(
  store: Store,
  input: {
    accountRef: string;
    channel: ChannelName;
    template: string;
    locale?: string;
    at?: Date;
    key?: string;
  },
): Promise<EnqueueResult & { idempotencyKey: string }> {
  const key = input.key ?? `manual:${randomUUID()}`;
  return store.transaction(async (tx) => {
    const account = await tx.db
      .selectFrom('accounts')
      .select('id')
      .where('ref', '=', input.accountRef)
      .executeTakeFirst();
    if (!account) throw new ArrearsError('not_found', `account "${input.accountRef}" does not exist`);
    const r = await enqueueActions(tx, [
      {
        accountId: account.id,
        channel: input.channel,
        template: input.template,
        locale: input.locale ?? null,
        plannedAt: input.at ?? new Date(),
        idempotencyKey: key,
      },
    ]);
    return { ...r, idempotencyKey: key };
  });
}
