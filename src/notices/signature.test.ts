import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  canonicalPayload,
  contentHash,
  keyIdOf,
  noticeToken,
  parseNoticeToken,
  parsePublicKey,
  publicKeyText,
  signNotice,
  verifySignature,
  type NoticePayload,
} from './signature.js';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const payload: NoticePayload = {
  v: 1,
  code: '2345-6789-ABC',
  account: 'A-1',
  creditor: 'CR-1',
  amount: '1477.09',
  currency: 'CNY',
  date: '2026-11-22',
  channel: 'letter',
  contentHash: contentHash('标题', '正文 王芳'),
  keyId: keyIdOf(publicKey),
};

describe('notice signatures', () => {
  it('verify with the public key, through its published text form and the carried token', () => {
    const signed = signNotice(payload, privateKey);
    const pub = parsePublicKey(publicKeyText(publicKey));
    expect(publicKeyText(publicKey)).toMatch(/^ed25519:[A-Za-z0-9_-]{43}$/);
    expect(verifySignature(signed.signedText, signed.signature, pub)).toBe(true);
    const t = parseNoticeToken(noticeToken(signed))!;
    expect(t.payload).toEqual(payload);
    expect(verifySignature(t.signedText, t.signature, pub)).toBe(true);
  });

  it('fail when any signed field changes, or with another key', () => {
    const signed = signNotice(payload, privateKey);
    for (const field of [
      'code',
      'account',
      'creditor',
      'amount',
      'currency',
      'date',
      'channel',
      'contentHash',
    ] as const) {
      const altered = canonicalPayload({ ...payload, [field]: payload[field] + 'x' });
      expect(verifySignature(altered, signed.signature, publicKey), field).toBe(false);
    }
    const other = generateKeyPairSync('ed25519').publicKey;
    expect(verifySignature(signed.signedText, signed.signature, other)).toBe(false);
    expect(verifySignature(signed.signedText, 'not-a-signature', publicKey)).toBe(false);
  });

  it('hash content regardless of line endings, trailing spaces and Unicode composition', () => {
    expect(contentHash('Subject', 'Línea 1  \r\nLínea 2\n')).toBe(
      contentHash('Subject ', 'Li\u0301nea 1\nLi\u0301nea 2'),
    );
    expect(contentHash('Subject', 'amount 10.00')).not.toBe(contentHash('Subject', 'amount 19.00'));
  });

  it('reject malformed tokens and keys', () => {
    expect(parseNoticeToken('arrears-notice.v1.???')).toBeNull();
    expect(
      parseNoticeToken('arrears-notice.v1.' + Buffer.from('{"v":2}').toString('base64url') + '.abc'),
    ).toBeNull();
    expect(() => parsePublicKey('ed25519:short')).toThrow(/43 base64url/);
  });
});
