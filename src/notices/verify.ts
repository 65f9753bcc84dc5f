import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { KeyObject } from 'node:crypto';
import { simpleParser } from 'mailparser';
import { ArrearsError } from '../domain/errors.js';
import { formatAmount } from '../domain/money/index.js';
import type { Store } from '../store/index.js';
import { parseCode } from './code.js';
import {
  canonicalPayload,
  contentHash,
  hashNormalized,
  keyIdOf,
  parseNoticeToken,
  parsePublicKey,
  verifySignature,
  type NoticePayload,
} from './signature.js';

/** What `arrears verify` reports. Personal data is masked: nothing beyond what the notice's holder already has. */
export interface VerifyResult {
  genuine: boolean;
  /** Why it is not genuine. */
  reason?: string;
  code?: string;
  notice?: {
    channel: string;
    creditor: string;
    account: string;
    amount: string;
    currency: string;
    date: string;
    keyId: string;
    recipient?: string;
    subject?: string;
    issuedAt?: string;
  };
  checks?: Record<string, boolean | null>;
}

export function maskRef(ref: string): string {
  return ref.length <= 4 ? '•'.repeat(ref.length) : '•••' + ref.slice(-4);
}

/** e-mail: first letter and domain; phone: last 4 digits; address: city and country. */
export function maskRecipient(channel: string, recipientJson: string): string {
  let r: { email?: string; phone?: string; address?: { city?: string; country?: string } };
  try {
    r = JSON.parse(recipientJson) as typeof r;
  } catch {
    return '•••';
  }
  if (channel === 'email' && r.email) {
    const [user = '', domain = ''] = r.email.split('@');
    return `${user.slice(0, 1)}•••@${domain}`;
  }
  if ((channel === 'sms' || channel === 'call') && r.phone) return '•••' + r.phone.slice(-4);
  if (r.address) return `••• ${r.address.city ?? ''}, ${r.address.country ?? ''}`.trim();
  return '•••';
}

const notGenuine = (reason: string, code?: string): VerifyResult => ({
  genuine: false,
  reason,
  ...(code ? { code } : {}),
});

/** Online check against the issuing database: the code exists, its record is intact and its signature holds. */
export async function verifyCode(store: Store, input: string): Promise<VerifyResult> {
  const parsed = parseCode(input);
  if (!parsed.ok) return notGenuine(parsed.reason);
  const code = parsed.code;
  const n = await store.db.selectFrom('notices').selectAll().where('code', '=', code).executeTakeFirst();
  if (!n) return notGenuine('no notice was issued with this code: treat the message as a forgery', code);
  const key = await store.db
    .selectFrom('signing_keys')
    .select('public_key')
    .where('key_id', '=', n.key_id)
    .executeTakeFirst();
  if (!key) return notGenuine(`the notice names signing key ${n.key_id}, which Arrears never had`, code);
  const signatureOk = verifySignature(n.signed_payload, n.signature, parsePublicKey(key.public_key));
  let payload: NoticePayload | null = null;
  try {
    payload = JSON.parse(n.signed_payload) as NoticePayload;
  } catch {
    payload = null;
  }
  const recordOk =
    payload !== null &&
    canonicalPayload(payload) === n.signed_payload &&
    payload.code === n.code &&
    payload.account === n.account_ref &&
    payload.creditor === n.creditor_ref &&
    payload.amount === formatAmount(n.amount, n.currency) &&
    payload.currency === n.currency &&
    payload.date === n.notice_date &&
    payload.channel === n.channel &&
    payload.keyId === n.key_id &&
    payload.contentHash === n.content_hash &&
    contentHash(n.subject, n.content) === n.content_hash;
  const checks = { signature: signatureOk, record: recordOk };
  const notice = {
    channel: n.channel,
    creditor: n.creditor_name,
    account: maskRef(n.account_ref),
    amount: formatAmount(n.amount, n.currency),
    currency: n.currency,
    date: n.notice_date,
    keyId: n.key_id,
    recipient: maskRecipient(n.channel, n.recipient),
    subject: n.subject,
    issuedAt: new Date(n.created_at as unknown as string).toISOString(),
  };
  if (!signatureOk || !recordOk)
    return {
      ...notGenuine('the record of this notice does not match its signature: it was altered', code),
      checks,
    };
  return { genuine: true, code, notice, checks };
}

/** Reads a PDF literal string `(…)` starting at `i` (just after the parenthesis). */
function readPdfString(bin: string, start: number): string {
  let out = '';
  let depth = 1;
  const esc: Record<string, string> = {
    n: '\n',
    r: '\r',
    t: '\t',
    b: '\b',
    f: '\f',
    '(': '(',
    ')': ')',
    '\\': '\\',
  };
  for (let i = start; i < bin.length; i++) {
    const c = bin[i]!;
    if (c === '\\') {
      const next = bin[++i]!;
      if (/[0-7]/.test(next)) {
        const oct = /^[0-7]{1,3}/.exec(bin.slice(i, i + 3))![0];
        out += String.fromCharCode(parseInt(oct, 8));
        i += oct.length - 1;
      } else out += esc[next] ?? next;
    } else if (c === '(') {
      depth++;
      out += c;
    } else if (c === ')') {
      if (--depth === 0) break;
      out += c;
    } else out += c;
  }
  const bytes = Buffer.from(out, 'latin1');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    const le = Buffer.from(bytes.subarray(2));
    le.swap16();
    return le.toString('utf16le');
  }
  return out;
}

/** A string in the document info: written inline `/Key (…)` or as an indirect object `/Key 21 0 R`. */
function pdfInfoValue(bin: string, key: string): string | null {
  const inline = bin.indexOf(`/${key} (`);
  if (inline >= 0) return readPdfString(bin, inline + key.length + 3);
  const ref = new RegExp(`/${key} (\\d+) (\\d+) R`).exec(bin);
  if (!ref) return null;
  const obj = new RegExp(`(?:^|[\\r\\n])${ref[1]} ${ref[2]} obj\\s*\\(`).exec(bin);
  if (!obj) return null;
  return readPdfString(bin, obj.index + obj[0].length);
}

/** The signed token and signed text embedded in a letter PDF's document info. */
export function readPdfNotice(bytes: Buffer): { token: string | null; content: string | null } {
  const bin = bytes.toString('latin1');
  return { token: pdfInfoValue(bin, 'ArrearsNotice'), content: pdfInfoValue(bin, 'ArrearsContent') };
}

/** Text a reader sees on the page, by poppler's pdftotext; null when it is not installed. */
function visibleText(file: string): string | null {
  const r = spawnSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  if (r.error) return null;
  if (r.status !== 0)
    throw new ArrearsError('invalid', `${file}: pdftotext could not read it: ${r.stderr.trim()}`);
  return r.stdout;
}

// pdftotext joins a word broken after a hyphen at a line end and drops the hyphen ("QV8W-\nRHE" → "QV8WRHE"),
// so hyphens are left out of the comparison along with whitespace.
const squash = (t: string) => t.normalize('NFC').replace(/[\s\u00ad-]+/g, '');

/**
 * Offline check of a notice file with the issuer's published public key — no database, no network.
 * .eml: the X-Arrears-Notice header's signature, and the hash of the subject and text as received.
 * .pdf: the signature in the document info, the hash of the signed text embedded beside it, and (when
 * pdftotext is installed) that the text printed on the page is that signed text.
 */
export async function verifyFile(file: string, publicKeyInput: string): Promise<VerifyResult> {
  let publicKey: KeyObject;
  try {
    publicKey = parsePublicKey(publicKeyInput);
  } catch (e) {
    throw new ArrearsError('invalid', `--public-key: ${(e as Error).message}`, {
      issues: [{ field: 'publicKey', message: (e as Error).message }],
    });
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new ArrearsError('not_found', `cannot read ${file}: ${(e as Error).message}`);
  }
  const ext = path.extname(file).toLowerCase();
  let token: string | null;
  let hash: string | null;
  let visible: boolean | null = null;
  if (ext === '.eml') {
    const mail = await simpleParser(bytes);
    const header = mail.headers.get('x-arrears-notice');
    token = typeof header === 'string' ? header : null;
    hash = mail.text !== undefined ? contentHash(mail.subject ?? '', mail.text) : null;
  } else if (ext === '.pdf') {
    const embedded = readPdfNotice(bytes);
    token = embedded.token;
    const content = embedded.content;
    hash = content === null ? null : hashNormalized(content);
    if (content !== null) {
      const seen = visibleText(file);
      visible =
        seen === null ? null : squash(seen).includes(squash(content.split('\n\n').slice(1).join('\n\n')));
    }
  } else {
    throw new ArrearsError('invalid', `${file}: only .eml and .pdf notices can be checked offline`);
  }
  if (!token) return notGenuine(`${path.basename(file)} carries no Arrears notice signature`);
  const t = parseNoticeToken(token);
  if (!t) return notGenuine('the notice signature is malformed');
  const p = t.payload;
  const keyId = keyIdOf(publicKey);
  const checks = {
    key: p.keyId === keyId,
    signature: verifySignature(t.signedText, t.signature, publicKey),
    content: hash !== null && hash === p.contentHash,
    visibleText: visible,
  };
  const notice = {
    channel: p.channel,
    creditor: p.creditor,
    account: maskRef(p.account),
    amount: p.amount,
    currency: p.currency,
    date: p.date,
    keyId: p.keyId,
  };
  const reason = !checks.key
    ? `signed with key ${p.keyId}, not with the key given (${keyId})`
    : !checks.signature
      ? 'the signature does not match: the notice was forged or its details altered'
      : !checks.content
        ? 'the text was altered after signing'
        : checks.visibleText === false
          ? 'the text printed on the page differs from the signed text'
          : null;
  if (reason) return { genuine: false, reason, code: p.code, notice, checks };
  return { genuine: true, code: p.code, notice, checks };
}
