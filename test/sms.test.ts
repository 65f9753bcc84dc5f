import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twilioSms, webhookSms } from '../src/channels/index.js';
import { verifyCode } from '../src/notices/index.js';
import { dispatch, enqueueActions } from '../src/services/dispatch/index.js';
import type { Store } from '../src/store/index.js';
import { startHttp } from './support/http.js';
import { action, seedPeople, testDeps } from './support/notices.js';
import { backends } from './support/stores.js';

describe.each(backends())('SMS adapters against a real HTTP server on $name', (backend) => {
  let store: Store;
  let ids: Map<string, number>;
  beforeAll(async () => {
    store = await backend.open();
    ids = await seedPeople(store);
  });
  afterAll(() => backend.cleanup());

  it('posts JSON with the idempotency key and bearer token to a generic webhook', async () => {
    const http = await startHttp(() => ({ status: 202, body: { id: 'wh-1' } }));
    try {
      const deps = await testDeps(store, { sms: webhookSms(`${http.url}/sms`, 's3cret') });
      const a = action(ids.get('en')!, { channel: 'sms', idempotencyKey: 'sms-webhook-1' });
      await store.transaction((tx) => enqueueActions(tx, [a]));
      expect(await dispatch(deps)).toMatchObject({ sent: 1 });
      expect(http.seen).toHaveLength(1);
      const req = http.seen[0]!;
      expect(req.url).toBe('/sms');
      expect(req.headers['idempotency-key']).toBe('sms-webhook-1');
      expect(req.headers.authorization).toBe('Bearer s3cret');
      const body = JSON.parse(req.body) as { to: string; text: string; code: string; locale: string };
      expect(body).toMatchObject({ to: '+12025550143', locale: 'en' });
      expect(body.text).toContain('Reply STOP to stop text messages.');
      expect(body.text).toContain('This communication is from a debt collector.');
      expect(body.text).toContain(body.code);
      expect(await verifyCode(store, body.code)).toMatchObject({
        genuine: true,
        notice: { channel: 'sms', recipient: '•••0143' },
      });
      const row = await store.db
        .selectFrom('outbox')
        .select(['status', 'provider_ref'])
        .where('idempotency_key', '=', 'sms-webhook-1')
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ status: 'sent', provider_ref: 'wh-1' });
    } finally {
      await http.close();
    }
  });

  it('sends through a Twilio-compatible Messages API with basic auth and form fields, in Korean', async () => {
    const http = await startHttp(() => ({ status: 201, body: { sid: 'SM123', status: 'queued' } }));
    try {
      const sms = twilioSms({
        accountSid: 'AC42',
        authToken: 'tok',
        from: '+15550001111',
        baseUrl: http.url,
      });
      const deps = await testDeps(store, { sms });
      await store.transaction((tx) =>
        enqueueActions(tx, [action(ids.get('ko')!, { channel: 'sms', idempotencyKey: 'sms-twilio-1' })]),
      );
      expect(await dispatch(deps)).toMatchObject({ sent: 1 });
      const req = http.seen[0]!;
      expect(req.url).toBe('/2010-04-01/Accounts/AC42/Messages.json');
      expect(req.headers.authorization).toBe('Basic ' + Buffer.from('AC42:tok').toString('base64'));
      const form = new URLSearchParams(req.body);
      expect(form.get('From')).toBe('+15550001111');
      expect(form.get('To')).toBe('+12025550143');
      expect(form.get('Body')).toMatch(/^Creditor ko: 계좌 A-ko 연체 금액 ₩[\d,]+\./);
      expect(form.get('Body')).toContain('인증 코드');
    } finally {
      await http.close();
    }
  });

  it('dead-letters a permanent refusal (HTTP 400) after one request', async () => {
    const http = await startHttp(() => ({
      status: 400,
      body: { code: 21211, message: "The 'To' number is not valid" },
    }));
    try {
      const sms = twilioSms({
        accountSid: 'AC42',
        authToken: 'tok',
        from: '+15550001111',
        baseUrl: http.url,
      });
      const deps = await testDeps(store, { sms });
      await store.transaction((tx) =>
        enqueueActions(tx, [action(ids.get('es')!, { channel: 'sms', idempotencyKey: 'sms-400' })]),
      );
      expect(await dispatch(deps)).toMatchObject({ sent: 0, dead: 1 });
      expect(http.seen).toHaveLength(1);
      const row = await store.db
        .selectFrom('outbox')
        .select(['status', 'last_error', 'attempts'])
        .where('idempotency_key', '=', 'sms-400')
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({ status: 'dead', attempts: 1 });
      expect(row.last_error).toMatch(/Twilio: HTTP 400 .*not valid/);
    } finally {
      await http.close();
    }
  });
});
