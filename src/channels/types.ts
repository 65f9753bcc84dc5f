import type { AddressJson, ChannelName } from '../store/index.js';
import type { Locale } from '../templates/index.js';

/** One message, rendered and signed, ready for a channel. */
export interface OutboundMessage {
  /** The outbox action's key: the same key is never delivered twice by an idempotent adapter. */
  idempotencyKey: string;
  accountId: number;
  outboxId: number;
  channel: ChannelName;
  locale: Locale;
  to: Recipient;
  subject: string;
  text: string;
  notice: {
    code: string;
    verifyUrl: string;
    /** `arrears-notice.v1.…`: signed payload + signature, carried in the message for offline checks. */
    token: string;
    /** The date printed on the notice (YYYY-MM-DD). */
    date: string;
  };
  from: { name: string; email: string; address: string };
  /** When a call or visit task is due. */
  dueAt: Date;
}

export interface Recipient {
  name: string;
  email?: string;
  phone?: string;
  address?: AddressJson;
}

export interface SendResult {
  /** The provider's id for the message (or the file written, or the task id). */
  providerRef: string;
}

/**
 * A way of reaching a debtor. Adapters throw ArrearsError: kind `unavailable` means "try again later"
 * (network, 4xx SMTP, HTTP 5xx/429); any other kind is permanent and the action is dead-lettered.
 *
 * `idempotent` says whether sending the same idempotency key twice delivers once (files written
 * exclusively by key, a webhook contract keyed by Idempotency-Key, tasks unique per action). Only those
 * adapters are retried after a crash left an action's outcome unknown.
 */
export interface ChannelAdapter {
  readonly channel: ChannelName;
  readonly name: string;
  readonly idempotent: boolean;
  send(message: OutboundMessage): Promise<SendResult>;
  close(): Promise<void>;
}

export type ChannelSet = Partial<Record<ChannelName, ChannelAdapter>>;
