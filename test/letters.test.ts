import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfLetters } from '../src/channels/index.js';
import PDFDocument from 'pdfkit';
import { listKeys, readPdfNotice, verifyFile } from '../src/notices/index.js';
import { dispatch, enqueueActions } from '../src/services/dispatch/index.js';
import type { Store } from '../src/store/index.js';
import { action, seedPeople, testDeps } from './support/notices.js';
import { backends } from './support/stores.js';

const pdftotext = (file: string) => {
  const r = spawnSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  if (r.error)
    throw new Error('pdftotext (Debian poppler-utils) is required for this test: ' + r.error.message);
  return r.stdout;
};
const squash = (t: string) => t.replace(/\s+/g, '');

describe.each(backends())('PDF letters on $name', (backend) => {
  let store: Store;
  let ids: Map<string, number>;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'arrears-letters-'));
  const files = new Map<string, string>();
  const codes = new Map<string, string>();

  beforeAll(async () => {
    store = await backend.open();
    ids = await seedPeople(store);
    const deps = await testDeps(store, { letter: pdfLetters(dir) });
    const actions = ['zh-CN', 'ko', 'zh-TW', 'en'].map((l) =>
      action(ids.get(l)!, { channel: 'letter', template: 'notice', idempotencyKey: `letter-${l}` }),
    );
    await store.transaction((tx) => enqueueActions(tx, actions));
    const s = await dispatch(deps);
    expect(s).toMatchObject({ sent: 4, dead: 0 });
    const rows = await store.db
      .selectFrom('outbox')
      .select(['idempotency_key', 'provider_ref', 'notice_code'])
      .execute();
    for (const r of rows) {
      const l = r.idempotency_key.replace('letter-', '');
      files.set(l, path.resolve(process.cwd(), r.provider_ref!));
      codes.set(l, r.notice_code!);
    }
  });
  afterAll(() => backend.cleanup());

  it('prints Chinese text, the CN letter contents and the verification code (extracted with pdftotext)', () => {
    const text = pdftotext(files.get('zh-CN')!);
    expect(text).toContain('王芳');
    expect(squash(text)).toContain(squash('催收原因及依据'));
    expect(squash(text)).toContain(squash('本函以数字签名代替印章'));
    expect(squash(text)).toContain(squash('罚息（仅按逾期本金计算）'));
    expect(text).toContain(codes.get('zh-CN')!);
  });

  it('prints Korean text, the KR start-of-collection notice and the code', () => {
    const text = pdftotext(files.get('ko')!);
    expect(text).toContain('김민준');
    expect(squash(text)).toContain(squash('[추심 착수 사전 통지]'));
    expect(squash(text)).toContain(squash('변호사를 채무자대리인으로 선임할 수 있으며'));
    expect(text).toContain(codes.get('ko')!);
  });

  it('prints traditional Chinese with the US validation information', () => {
    const text = pdftotext(files.get('zh-TW')!);
    expect(text).toContain('陳怡君');
    expect(squash(text)).toContain(squash('如何對債務提出異議'));
    expect(text).toContain(codes.get('zh-TW')!);
  });

  it('verifies the Chinese and Korean letters offline, printed text included', async () => {
    const [key] = await listKeys(store);
    for (const l of ['zh-CN', 'ko', 'zh-TW']) {
      const r = await verifyFile(files.get(l)!, key!.publicKey);
      expect(r, `${l}: ${JSON.stringify(r)}`).toMatchObject({
        genuine: true,
        code: codes.get(l),
        checks: { key: true, signature: true, content: true, visibleText: true },
      });
    }
  });

  it('embeds a QR code image and verifies offline; a changed amount on the page or in the signed text is not genuine', async () => {
    const [key] = await listKeys(store);
    const file = files.get('en')!;
    expect(readFileSync(file).toString('latin1')).toMatch(/\/Subtype \/Image/);
    expect(await verifyFile(file, key!.publicKey)).toMatchObject({
      genuine: true,
      code: codes.get('en'),
      checks: { key: true, signature: true, content: true, visibleText: true },
    });
    // Forge: a copy whose signed text says something else than what was signed.
    const bin = readFileSync(file).toString('latin1');
    const forgedText = bin.replace(/Overdue total: \$/, 'Overdue total: $9');
    expect(forgedText).not.toBe(bin);
    const forged = path.join(dir, 'forged.pdf');
    writeFileSync(forged, Buffer.from(forgedText, 'latin1'));
    expect(await verifyFile(forged, key!.publicKey)).toMatchObject({
      genuine: false,
      reason: 'the text was altered after signing',
    });
    // A letter of the same issuer with another letter's signature grafted on: text and hash disagree.
    const koBin = readFileSync(files.get('ko')!).toString('latin1');
    const TOKEN = /arrears-notice\.v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/;
    const token = TOKEN.exec(koBin)![0];
    const grafted = path.join(dir, 'grafted.pdf');
    writeFileSync(grafted, Buffer.from(bin.replace(TOKEN, token), 'latin1'));
    expect((await verifyFile(grafted, key!.publicKey)).genuine).toBe(false);
    // A forger copies a real letter's signature and signed text into a letter that prints something else.
    const real = readPdfNotice(readFileSync(file));
    const doc = new PDFDocument();
    const info = doc.info as unknown as Record<string, string>;
    info.ArrearsNotice = real.token!;
    info.ArrearsContent = real.content!;
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    const ended = new Promise((r) => doc.on('end', r));
    doc.text('FINAL NOTICE. Pay $9,999.00 today or we will take you to court.');
    doc.end();
    await ended;
    const printed = path.join(dir, 'printed.pdf');
    writeFileSync(printed, Buffer.concat(chunks));
    expect(await verifyFile(printed, key!.publicKey)).toMatchObject({
      genuine: false,
      reason: 'the text printed on the page differs from the signed text',
      checks: { signature: true, content: true, visibleText: false },
    });
    expect(readdirSync(dir).filter((f) => f.endsWith('.pdf')).length).toBeGreaterThanOrEqual(4);
  });
});
