import path from 'node:path';
import type { Store } from '../store/index.js';
import { emlFileEmail, smtpEmail } from './email.js';
import { pdfLetters } from './letter.js';
import { fileSms, twilioSms, webhookSms } from './sms.js';
import { taskQueue } from './tasks.js';
import type { ChannelSet } from './types.js';

/**
 * Channels from the environment: SMTP_URL → SMTP, else .eml files; SMS_WEBHOOK_URL (+ SMS_WEBHOOK_TOKEN) or
 * TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN/TWILIO_FROM (+ TWILIO_BASE_URL) → HTTP, else JSON files; letters → PDF
 * files; calls and visits → tasks. Files go under `<dataDir>/outbox/`.
 */
export function channelsFromEnv(
  store: Store,
  dataDir: string,
  env: NodeJS.ProcessEnv = process.env,
): ChannelSet {
  const out = path.join(dataDir, 'outbox');
  const sms = env.SMS_WEBHOOK_URL
    ? webhookSms(env.SMS_WEBHOOK_URL, env.SMS_WEBHOOK_TOKEN || undefined)
    : env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN && env.TWILIO_FROM
      ? twilioSms({
          accountSid: env.TWILIO_ACCOUNT_SID,
          authToken: env.TWILIO_AUTH_TOKEN,
          from: env.TWILIO_FROM,
          baseUrl: env.TWILIO_BASE_URL || undefined,
        })
      : fileSms(path.join(out, 'sms'));
  return {
    email: env.SMTP_URL ? smtpEmail(env.SMTP_URL) : emlFileEmail(path.join(out, 'email')),
    sms,
    letter: pdfLetters(path.join(out, 'letters')),
    call: taskQueue(store, 'call'),
    visit: taskQueue(store, 'visit'),
  };
}
