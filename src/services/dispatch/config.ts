import type { SenderProfile } from '../../templates/index.js';

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
