import { createHash } from 'node:crypto';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer/index.js';
import { ArrearsError } from '../domain/errors.js';
import { fileNameFor, writeOnce } from './files.js';
import type { ChannelAdapter, OutboundMessage } from './types.js';

/** The header that carries the signed notice token in every e-mail (read back by `arrears verify --file`). */
export const NOTICE_HEADER = 'X-Arrears-Notice';

function mailFor(m: OutboundMessage): Mail.Options {
  if (!m.to.email) throw new ArrearsError('invalid', `account ${m.accountId} has no e-mail address on file`);
  const id = createHash('sha256').update(m.idempotencyKey).digest('hex').slice(0, 32);
  return {
    from: { name: m.from.name, address: m.from.email },
    to: { name: m.to.name, address: m.to.email },
    subject: m.subject,
    text: m.text + '\n',
    messageId: `<${id}@arrears.notice>`,
    headers: {
      [NOTICE_HEADER]: m.notice.token,
      'X-Arrears-Code': m.notice.code,
      'Content-Language': m.locale,
      'List-Unsubscribe': `<mailto:${m.from.email}?subject=STOP>`,
    },
  };
}

/** SMTP through nodemailer (pooled connections). Not idempotent: an SMTP server cannot deduplicate. */
export function smtpEmail(url: string, options: { maxConnections?: number } = {}): ChannelAdapter {
  const transport = nodemailer.createTransport({
    url,
    pool: true,
    maxConnections: options.maxConnections ?? 8,
    maxMessages: Infinity,
  } as unknown as string);
  return {
    channel: 'email',
    name: 'smtp',
    idempotent: false,
    async send(m) {
      const mail = mailFor(m);
      try {
        const info = (await transport.sendMail(mail)) as { messageId: string; response?: string };
        return { providerRef: info.messageId };
      } catch (e) {
        const err = e as { responseCode?: number; message: string };
        // 5xx is a permanent refusal; 4xx, timeouts and connection errors are worth a retry.
        const permanent = typeof err.responseCode === 'number' && err.responseCode >= 500;
        throw new ArrearsError(permanent ? 'invalid' : 'unavailable', `SMTP: ${err.message}`);
      }
    },
    async close() {
      transport.close();
    },
  };
}

const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });

/** Builds the RFC 5322 bytes of a message exactly as SMTP would send them. */
export async function composeEml(m: OutboundMessage): Promise<Buffer> {
  const info = (await composer.sendMail(mailFor(m))) as { message: Buffer };
  return info.message;
}

/** No SMTP configured: each e-mail becomes an .eml file in `dir`, written once per idempotency key. */
export function emlFileEmail(dir: string): ChannelAdapter {
  return {
    channel: 'email',
    name: 'eml-files',
    idempotent: true,
    async send(m) {
      const { file } = writeOnce(dir, fileNameFor(m.idempotencyKey, 'eml'), await composeEml(m));
      return { providerRef: path.relative(process.cwd(), file) };
    },
    async close() {},
  };
}
