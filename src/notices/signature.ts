import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

/**
 * What a notice's signature covers. The field order is fixed: the signed bytes are this object's JSON.
 * `amount` is the decimal amount in major units as printed; `date` the notice date (YYYY-MM-DD).
 */
export interface NoticePayload {
  v: 1;
  code: string;
  account: string;
  creditor: string;
  amount: string;
  currency: string;
  date: string;
  channel: string;
  contentHash: string;
  keyId: string;
}

export interface SignedNotice {
  payload: NoticePayload;
  /** The exact signed bytes (UTF-8 JSON). */
  signedText: string;
  /** base64url Ed25519 signature. */
  signature: string;
}

/** Normalises text before hashing so line endings, trailing spaces and Unicode composition do not matter. */
export function normalizeContent(subject: string, body: string): string {
  const norm = (t: string) =>
    t
      .normalize('NFC')
      .replace(/\r\n?/g, '\n')
      .split('\n')
      .map((l) => l.trimEnd())
      .join('\n')
      .trim();
  return `${norm(subject)}\n\n${norm(body)}`;
}

export function contentHash(subject: string, body: string): string {
  return hashNormalized(normalizeContent(subject, body));
}

/** The hash of text already in `normalizeContent` form (as embedded in a letter PDF). */
export function hashNormalized(normalized: string): string {
  return 'sha256:' + createHash('sha256').update(normalized, 'utf8').digest('hex');
}

export function canonicalPayload(p: NoticePayload): string {
  const ordered: NoticePayload = {
    v: p.v,
    code: p.code,
    account: p.account,
    creditor: p.creditor,
    amount: p.amount,
    currency: p.currency,
    date: p.date,
    channel: p.channel,
    contentHash: p.contentHash,
    keyId: p.keyId,
  };
  return JSON.stringify(ordered);
}

export function signNotice(payload: NoticePayload, privateKey: KeyObject): SignedNotice {
  const signedText = canonicalPayload(payload);
  const signature = sign(null, Buffer.from(signedText, 'utf8'), privateKey).toString('base64url');
  return { payload, signedText, signature };
}

export function verifySignature(signedText: string, signature: string, publicKey: KeyObject): boolean {
  try {
    return verify(null, Buffer.from(signedText, 'utf8'), publicKey, Buffer.from(signature, 'base64url'));
  } catch {
    return false;
  }
}

/** The token carried inside an .eml header and a PDF's metadata: `arrears-notice.v1.<payload>.<signature>`. */
export function noticeToken(n: SignedNotice): string {
  return `arrears-notice.v1.${Buffer.from(n.signedText, 'utf8').toString('base64url')}.${n.signature}`;
}

export function parseNoticeToken(
  token: string,
): { signedText: string; signature: string; payload: NoticePayload } | null {
  const m = /^arrears-notice\.v1\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(token.trim());
  if (!m) return null;
  const signedText = Buffer.from(m[1]!, 'base64url').toString('utf8');
  try {
    const payload = JSON.parse(signedText) as NoticePayload;
    if (payload.v !== 1 || typeof payload.code !== 'string' || typeof payload.contentHash !== 'string')
      return null;
    return { signedText, signature: m[2]!, payload };
  } catch {
    return null;
  }
}

/** Public keys travel as `ed25519:<base64url of the 32 raw bytes>`. */
export function publicKeyText(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' });
  return `ed25519:${jwk.x}`;
}

export function parsePublicKey(text: string): KeyObject {
  const t = text.trim();
  if (t.startsWith('-----BEGIN')) return createPublicKey(t);
  const x = t.replace(/^ed25519:/, '');
  if (!/^[A-Za-z0-9_-]{43}$/.test(x))
    throw new RangeError('a public key is written ed25519:<43 base64url characters> or as a PEM block');
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
}

/** `k_` + the first 16 hex digits of SHA-256 over the raw public key. */
export function keyIdOf(publicKey: KeyObject): string {
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
  return 'k_' + createHash('sha256').update(raw).digest('hex').slice(0, 16);
}

/** A private key from PKCS#8 PEM text or base64 PKCS#8 DER (the forms ARREARS_SIGNING_KEY accepts). */
export function parsePrivateKey(text: string): KeyObject {
  const t = text.trim();
  const key = t.startsWith('-----BEGIN')
    ? createPrivateKey(t)
    : createPrivateKey({ key: Buffer.from(t, 'base64'), format: 'der', type: 'pkcs8' });
  if (key.asymmetricKeyType !== 'ed25519') throw new RangeError('the signing key must be an Ed25519 key');
  return key;
}
