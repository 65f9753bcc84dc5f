import type { VerifyResult } from '../notices/index.js';
import { LOCALES, normalizeLocale, type Locale } from '../templates/index.js';

const TEXT: Record<
  Locale,
  Record<
    'title' | 'genuine' | 'not' | 'channel' | 'creditor' | 'account' | 'amount' | 'date' | 'code',
    string
  >
> = {
  en: {
    title: 'Notice verification',
    genuine: 'This notice is genuine: we sent it.',
    not: 'This notice is NOT genuine. Do not pay on its basis; contact your creditor through a channel you trust.',
    channel: 'Channel',
    creditor: 'Creditor',
    account: 'Account',
    amount: 'Amount',
    date: 'Date',
    code: 'Verification code',
  },
  es: {
    title: 'Verificación de notificaciones',
    genuine: 'Esta notificación es auténtica: la enviamos nosotros.',
    not: 'Esta notificación NO es auténtica. No pague en base a ella; contacte con su acreedor por un canal de confianza.',
    channel: 'Canal',
    creditor: 'Acreedor',
    account: 'Cuenta',
    amount: 'Importe',
    date: 'Fecha',
    code: 'Código de verificación',
  },
  ko: {
    title: '통지서 진위 확인',
    genuine: '이 통지서는 진본입니다. 당사가 발송했습니다.',
    not: '이 통지서는 진본이 아닙니다. 이를 근거로 변제하지 마시고, 신뢰할 수 있는 경로로 채권자에게 문의하십시오.',
    channel: '발송 경로',
    creditor: '채권자',
    account: '계좌',
    amount: '금액',
    date: '일자',
    code: '확인 코드',
  },
  'zh-CN': {
    title: '通知验证',
    genuine: '此通知为真实通知：由我们发出。',
    not: '此通知不是真实通知。请勿据此付款；请通过可信渠道联系您的债权人。',
    channel: '渠道',
    creditor: '债权人',
    account: '账户',
    amount: '金额',
    date: '日期',
    code: '验证码',
  },
  'zh-TW': {
    title: '通知驗證',
    genuine: '此通知為真實通知：由我們發出。',
    not: '此通知不是真實通知。請勿據此付款；請透過可信管道聯絡您的債權人。',
    channel: '管道',
    creditor: '債權人',
    account: '帳戶',
    amount: '金額',
    date: '日期',
    code: '驗證碼',
  },
};

/** The first supported language of an Accept-Language header (or `?lang=`), else English. */
export function pickLocale(header: string | undefined, lang?: string): Locale {
  const wanted = [lang, ...(header ?? '').split(',').map((p) => p.split(';')[0]!.trim())].filter(
    (x): x is string => !!x,
  );
  for (const w of wanted) {
    try {
      return normalizeLocale(w);
    } catch {
      // not one of ours: try the next
    }
  }
  return 'en';
}

const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The page a debtor reaches from the QR code on a letter: the answer in their language, nothing personal. */
export function verifyPage(result: VerifyResult, locale: Locale): string {
  const t = TEXT[locale];
  const n = result.notice;
  const rows = n
    ? [
        [t.code, result.code ?? ''],
        [t.channel, n.channel],
        [t.creditor, n.creditor],
        [t.account, n.account],
        [t.amount, `${n.amount} ${n.currency}`],
        [t.date, n.date],
      ]
    : [];
  const others = LOCALES.filter((l) => l !== locale)
    .map((l) => `<a href="?lang=${l}">${l}</a>`)
    .join(' · ');
  return `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(t.title)}</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem">
<h1>${escape(t.title)}</h1>
<p role="status" style="font-size: 1.2rem; color: ${result.genuine ? '#0a6b2d' : '#a40e0e'}"><strong>${escape(result.genuine ? t.genuine : t.not)}</strong></p>
${rows.length ? `<table>${rows.map(([k, v]) => `<tr><th style="text-align: left; padding-right: 1rem">${escape(k!)}</th><td>${escape(v!)}</td></tr>`).join('')}</table>` : ''}
<p><small>${others}</small></p>
</body></html>
`;
}
