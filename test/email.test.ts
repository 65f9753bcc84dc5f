import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emlFileEmail, smtpEmail } from '../src/channels/index.js';
import { listKeys, verifyCode, verifyFile } from '../src/notices/index.js';
import { dispatch, enqueueActions } from '../src/services/dispatch/index.js';
import type { Store } from '../src/store/index.js';
import { backends } from './support/stores.js';
import { action, PEOPLE, seedPeople, testDeps } from './support/notices.js';

/** A real SMTP server on a random loopback port that keeps every message it accepts. */
async function startSmtp() {
  const received: ParsedMail[] = [];
  const raw: Buffer[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const buf = Buffer.concat(chunks);
        raw.push(buf);
        simpleParser(buf).then(
          (m) => {
            received.push(m);
            callback();
          },
          (e: Error) => callback(e),
        );
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as { port: number }).port;
  return {
    server,
    received,
    raw,
    url: `smtp://127.0.0.1:${port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const EXPECT: Record<string, { subject: RegExp; body: RegExp[] }> = {
  en: {
    subject: /^Payment reminder: \$[\d,.]+ overdue on account A-en$/,
    body: [/Dear Emma Smith/, /This communication is from a debt collector/, /reply with the word STOP/],
  },
  es: {
    subject: /^Recordatorio de pago: [\d.,]+\s€ vencidos en la cuenta A-es$/,
    body: [/Estimado\/a Lucía García Núñez/, /Intereses de demora/],
  },
  ko: {
    subject: /^납부 안내: 계좌 A-ko 연체 금액 ₩[\d,]+$/,
    body: [/김민준 님께/, /연체이자 \(연체 원금에만 부과\)/, /인증 코드/],
  },
  'zh-CN': {
    subject: /^还款提醒：账户 A-zh-CN 逾期 ¥[\d,.]+$/,
    body: [/王芳 您好/, /罚息（仅按逾期本金计算）/, /验证码/],
  },
  'zh-TW': {
    subject: /^還款提醒：帳戶 A-zh-TW 逾期 US\$[\d,.]+$/,
    body: [/陳怡君 您好/, /本通知來自債務催收方/, /回覆 STOP/],
  },
};

describe.each(backends())('e-mail on $name', (backend) => {
  let store: Store;
  let ids: Map<string, number>;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  beforeAll(async () => {
    store = await backend.open();
    ids = await seedPeople(store);
    smtp = await startSmtp();
  });
  afterAll(async () => {
    await smtp.close();
    await backend.cleanup();
  });

  it('delivers UTF-8 subjects and bodies in all five locales over real SMTP, each verifiable by its code', async () => {
    const email = smtpEmail(smtp.url, { maxConnections: 2 });
    const deps = await testDeps(store, { email });
    await store.transaction((tx) =>
      enqueueActions(
        tx,
        PEOPLE.map((p) => action(ids.get(p.locale)!)),
      ),
    );
    const s = await dispatch(deps);
    await email.close();
    expect(s).toMatchObject({ claimed: 5, sent: 5, dead: 0, retried: 0 });
    expect(smtp.received).toHaveLength(5);
    for (const p of PEOPLE) {
      const m = smtp.received.find(
        (x) =>
          x.to &&
          !Array.isArray(x.to) &&
          x.to.value[0]?.address === `${p.locale.toLowerCase()}@debtor.example`,
      );
      expect(m, p.locale).toBeDefined();
      const e = EXPECT[p.locale]!;
      expect(m!.subject).toMatch(e.subject);
      for (const re of e.body) expect(m!.text).toMatch(re);
      const code = m!.headers.get('x-arrears-code') as string;
      expect(m!.text).toContain(code);
      expect(m!.text).toContain(`https://verify.riverside.example/verify/${code}`);
      const v = await verifyCode(store, code);
      expect(v).toMatchObject({
        genuine: true,
        code,
        notice: { channel: 'email', recipient: `${p.locale[0]}•••@debtor.example` },
      });
      // Refs of 4 characters or fewer are masked whole; longer ones show their last 4.
      expect(v.notice!.account).toBe(
        { en: '••••', es: '••••', ko: '••••', 'zh-CN': '•••h-CN', 'zh-TW': '•••h-TW' }[p.locale],
      );
    }
    // Non-ASCII subjects travel RFC 2047-encoded, never as raw 8-bit headers.
    const rawKo = smtp.raw.map((b) => b.toString('latin1')).find((t) => t.includes('ko@debtor.example'))!;
    expect(rawKo).toMatch(/^Subject: =\?UTF-8\?/m);
  });

  it('verifies a received .eml offline with the public key, and rejects an altered or re-signed copy', async () => {
    const [key] = await listKeys(store);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'arrears-eml-'));
    const original = smtp.raw.find((b) => b.toString('latin1').includes('en@debtor.example'))!;
    const file = path.join(dir, 'notice.eml');
    writeFileSync(file, original);
    expect(await verifyFile(file, key!.publicKey)).toMatchObject({
      genuine: true,
      checks: { key: true, signature: true, content: true },
    });
    // The amount changed in the body: the content hash no longer matches.
    const text = original.toString('utf8');
    const altered = text.replace(/Overdue total: \$([\d,.]+)/, 'Overdue total: $9,999.00');
    expect(altered).not.toBe(text);
    writeFileSync(path.join(dir, 'altered.eml'), altered);
    expect(await verifyFile(path.join(dir, 'altered.eml'), key!.publicKey)).toMatchObject({
      genuine: false,
      reason: 'the text was altered after signing',
    });
    // A valid-looking key that is not the issuer's.
    const other = 'ed25519:' + 'A'.repeat(43);
    expect((await verifyFile(file, other)).genuine).toBe(false);
  });

  it('writes .eml files when no SMTP server is configured, once per idempotency key', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'arrears-emlfiles-'));
    const deps = await testDeps(store, { email: emlFileEmail(dir) });
    await store.transaction((tx) => enqueueActions(tx, [action(ids.get('ko')!)]));
    expect(await dispatch(deps)).toMatchObject({ sent: 1 });
    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    const m = await simpleParser(readFileSync(path.join(dir, files[0]!)));
    expect(m.subject).toMatch(/^납부 안내/);
  });
});
