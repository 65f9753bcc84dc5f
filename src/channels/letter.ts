import { existsSync } from 'node:fs';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { ArrearsError } from '../domain/errors.js';
import { normalizeContent } from '../notices/index.js';
import type { Locale } from '../templates/index.js';
import { fileNameFor, writeOnce } from './files.js';
import type { ChannelAdapter, OutboundMessage } from './types.js';

/** Info-dictionary keys of a letter PDF: the signed token and the signed text (read by `arrears verify --file`). */
export const PDF_TOKEN_KEY = 'ArrearsNotice';
export const PDF_CONTENT_KEY = 'ArrearsContent';

const NOTO_CJK = [
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/opentype/noto-cjk/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc',
];

// Every face of Noto Sans CJK covers Latin, Hangul and Han; the face only picks regional glyph shapes.
const FACE: Record<Locale, string> = {
  en: 'NotoSansCJKsc-Regular',
  es: 'NotoSansCJKsc-Regular',
  'zh-CN': 'NotoSansCJKsc-Regular',
  'zh-TW': 'NotoSansCJKtc-Regular',
  ko: 'NotoSansCJKkr-Regular',
};

export interface LetterFont {
  file: string;
  /** PostScript name inside a collection (.ttc); omitted for a single .ttf/.otf. */
  face?: (locale: Locale) => string | undefined;
}

/** ARREARS_CJK_FONT (a .ttf/.otf covering Han and Hangul), else Debian's fonts-noto-cjk. */
export function findLetterFont(env: NodeJS.ProcessEnv = process.env): LetterFont {
  if (env.ARREARS_CJK_FONT) {
    if (!existsSync(env.ARREARS_CJK_FONT))
      throw new ArrearsError(
        'unavailable',
        `ARREARS_CJK_FONT points to ${env.ARREARS_CJK_FONT}, which does not exist`,
      );
    return { file: env.ARREARS_CJK_FONT };
  }
  const file = NOTO_CJK.find((f) => existsSync(f));
  if (!file)
    throw new ArrearsError(
      'unavailable',
      'no CJK font for letters: install Debian fonts-noto-cjk (apt-get install fonts-noto-cjk) or set ARREARS_CJK_FONT',
    );
  return { file, face: (locale) => FACE[locale] };
}

function addressLines(m: OutboundMessage): string[] {
  const a = m.to.address;
  if (!a) throw new ArrearsError('invalid', `account ${m.accountId} has no postal address on file`);
  return [
    m.to.name,
    a.line1,
    ...(a.line2 ? [a.line2] : []),
    [a.postalCode, a.city, a.region].filter(Boolean).join(' '),
    a.country,
  ];
}

/** Renders a letter: sender, date, recipient, title, body, and a footer with the code and a QR code to the verification page. */
export async function renderLetterPdf(m: OutboundMessage, font: LetterFont): Promise<Buffer> {
  const recipient = addressLines(m);
  const qr = await QRCode.toBuffer(m.notice.verifyUrl, { errorCorrectionLevel: 'M', margin: 1, width: 240 });
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    info: {
      Title: m.subject,
      Author: m.from.name,
      Subject: `Notice ${m.notice.code}`,
      Keywords: m.notice.code,
    },
  });
  const info = doc.info as unknown as Record<string, string>;
  info[PDF_TOKEN_KEY] = m.notice.token;
  info[PDF_CONTENT_KEY] = normalizeContent(m.subject, m.text);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const face = font.face?.(m.locale);
  if (face) doc.registerFont('body', font.file, face);
  else doc.registerFont('body', font.file);
  doc.font('body');
  const width = doc.page.width - 112;
  doc.fontSize(9).text(`${m.from.name}\n${m.from.address}`, { width });
  doc.text(m.notice.date, 56, 56, { width, align: 'right' });
  doc.moveDown(4);
  doc.fontSize(11).text(recipient.join('\n'), 56, doc.y, { width });
  doc.moveDown(2);
  doc.fontSize(14).text(m.subject, { width });
  doc.moveDown();
  doc.fontSize(10.5).text(m.text, { width, lineGap: 2 });
  doc.moveDown(2);
  if (doc.y > doc.page.height - 56 - 110) doc.addPage();
  const top = doc.y;
  doc.image(qr, 56, top, { width: 96 });
  doc
    .fontSize(16)
    .text(m.notice.code, 170, top + 18, { width: width - 114 })
    .fontSize(9)
    .text(m.notice.verifyUrl, 170, doc.y + 4, { width: width - 114 });
  doc.end();
  return done;
}

/** Letters as PDF files in `dir` (for a print-and-mail house), written once per idempotency key. */
export function pdfLetters(dir: string, font?: LetterFont): ChannelAdapter {
  let resolved = font;
  return {
    channel: 'letter',
    name: 'pdf-files',
    idempotent: true,
    async send(m) {
      const { file } = writeOnce(
        dir,
        fileNameFor(m.idempotencyKey, 'pdf'),
        await renderLetterPdf(m, (resolved ??= findLetterFont())),
      );
      return { providerRef: path.relative(process.cwd(), file) };
    },
    async close() {},
  };
}
