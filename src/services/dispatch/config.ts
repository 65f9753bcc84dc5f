import type { ContentCheck, SenderProfile } from '../../templates/index.js';
import type { SendGate } from './dispatcher.js';

/** The sender printed in required texts, from ARREARS_SENDER_* (each says plainly when it is not set). */
export function senderFromEnv(env: NodeJS.ProcessEnv = process.env): SenderProfile {
  return {
    name: env.ARREARS_SENDER_NAME || 'Arrears collections (ARREARS_SENDER_NAME not set)',
    phone: env.ARREARS_SENDER_PHONE || '(ARREARS_SENDER_PHONE not set)',
    email: env.ARREARS_SENDER_EMAIL || 'collections@localhost',
    address: env.ARREARS_SENDER_ADDRESS || '(ARREARS_SENDER_ADDRESS not set)',
    paymentAccount: env.ARREARS_PAYMENT_ACCOUNT || '(ARREARS_PAYMENT_ACCOUNT not set)',
  };
}

export function publicUrlFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return env.ARREARS_PUBLIC_URL || 'http://localhost:3000';
}

/**
 * Stand-ins until the compliance module is merged (issue 3): they allow everything. They are named so that
 * no one mistakes them for the gate or the linter; `arrears dispatch` warns while they are in use.
 */
export const gateNotWired: SendGate = async (requests) => requests.map(() => ({ allowed: true }));
export const contentCheckNotWired: ContentCheck = () => ({ ok: true });
