import path from 'node:path';
import { ArrearsError } from '../domain/errors.js';
import { fileNameFor, writeOnce } from './files.js';
import type { ChannelAdapter, OutboundMessage } from './types.js';

const TIMEOUT_MS = 15_000;

function phoneOf(m: OutboundMessage): string {
  if (!m.to.phone) throw new ArrearsError('invalid', `account ${m.accountId} has no mobile number on file`);
  return m.to.phone;
}

/** 408, 429 and 5xx are worth a retry; other 4xx are permanent refusals. */
function httpError(provider: string, status: number, body: string): ArrearsError {
  const transient = status === 408 || status === 429 || status >= 500;
  return new ArrearsError(
    transient ? 'unavailable' : 'invalid',
    `${provider}: HTTP ${status} ${body.slice(0, 200)}`,
  );
}

async function post(
  provider: string,
  url: string,
  init: RequestInit,
): Promise<{ status: number; body: string }> {
  try {
    const res = await fetch(url, { ...init, method: 'POST', signal: AbortSignal.timeout(TIMEOUT_MS) });
    return { status: res.status, body: await res.text() };
  } catch (e) {
    throw new ArrearsError('unavailable', `${provider}: ${(e as Error).message}`);
  }
}

/**
 * A generic JSON webhook: POST `{idempotencyKey, to, text, locale, code}` with an `Idempotency-Key` header.
 * The contract (docs/notices.md) asks the receiver to deliver each key once, so this adapter is idempotent.
 */
export function webhookSms(url: string, token?: string): ChannelAdapter {
  return {
    channel: 'sms',
    name: 'webhook',
    idempotent: true,
    async send(m) {
      const { status, body } = await post('SMS webhook', url, {
        headers: {
          'content-type': 'application/json',
          'idempotency-key': m.idempotencyKey,
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({
          idempotencyKey: m.idempotencyKey,
          to: phoneOf(m),
          text: m.text,
          locale: m.locale,
          code: m.notice.code,
        }),
      });
      if (status < 200 || status >= 300) throw httpError('SMS webhook', status, body);
      let id: unknown;
      try {
        id = (JSON.parse(body) as { id?: unknown }).id;
      } catch {
        id = undefined;
      }
      return { providerRef: typeof id === 'string' && id ? id : `webhook:${m.idempotencyKey}` };
    },
    async close() {},
  };
}

export interface TwilioConfig {
  accountSid: string;
  authToken: string;
  from: string;
  /** Default https://api.twilio.com; any Twilio-compatible API works. */
  baseUrl?: string;
}

/**
 * Twilio's Messages API (and compatible providers). Not treated as idempotent: the API gives no
 * guarantee that a repeated request is dropped, so an unknown outcome is never retried automatically.
 */
export function twilioSms(config: TwilioConfig): ChannelAdapter {
  const base = (config.baseUrl ?? 'https://api.twilio.com').replace(/\/$/, '');
  const url = `${base}/2010-04-01/Accounts/${encodeURIComponent(config.accountSid)}/Messages.json`;
  const auth = 'Basic ' + Buffer.from(`${config.accountSid}:${config.authToken}`).toString('base64');
  return {
    channel: 'sms',
    name: 'twilio',
    idempotent: false,
    async send(m) {
      const form = new URLSearchParams({ To: phoneOf(m), From: config.from, Body: m.text });
      const { status, body } = await post('Twilio', url, {
        headers: {
          authorization: auth,
          'content-type': 'application/x-www-form-urlencoded',
          'i-twilio-idempotency-token': m.idempotencyKey,
        },
        body: form.toString(),
      });
      if (status < 200 || status >= 300) throw httpError('Twilio', status, body);
      let sid: unknown;
      try {
        sid = (JSON.parse(body) as { sid?: unknown }).sid;
      } catch {
        sid = undefined;
      }
      if (typeof sid !== 'string' || !sid)
        throw new ArrearsError('unavailable', 'Twilio: the response has no message sid');
      return { providerRef: sid };
    },
    async close() {},
  };
}

/** No SMS provider configured: one JSON file per message in `dir`, written once per idempotency key. */
export function fileSms(dir: string): ChannelAdapter {
  return {
    channel: 'sms',
    name: 'sms-files',
    idempotent: true,
    async send(m) {
      const data = JSON.stringify(
        { to: phoneOf(m), text: m.text, locale: m.locale, code: m.notice.code, token: m.notice.token },
        null,
        2,
      );
      const { file } = writeOnce(dir, fileNameFor(m.idempotencyKey, 'sms.json'), data + '\n');
      return { providerRef: path.relative(process.cwd(), file) };
    },
    async close() {},
  };
}
