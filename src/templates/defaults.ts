import type { ChannelName } from '../store/index.js';
import { LOCALES, type Locale } from './locales.js';

/** A template as stored: Liquid source for the subject and the body. */
export interface TemplateSource {
  name: string;
  channel: ChannelName;
  locale: Locale;
  subject: string;
  body: string;
}

interface Phrases {
  dear: string;
  reminderSubject: string;
  reminderIntro: string;
  noticeSubject: string;
  noticeIntro: string;
  principal: string;
  interest: string;
  fees: string;
  penalty: string;
  total: string;
  payoff: string;
  sms: string;
  call: string;
  visit: string;
}

const P: Record<Locale, Phrases> = {
  en: {
    dear: 'Dear {{ debtor.name }},',
    reminderSubject: 'Payment reminder: {{ statement.overdue.total }} overdue on account {{ account.ref }}',
    reminderIntro:
      'Your payment to {{ creditor.name }} is {{ statement.dpd }} days overdue. As of {{ statement.asOf }} the overdue amount is {{ statement.overdue.total }}:',
    noticeSubject: 'Notice about your account {{ account.ref }} with {{ creditor.name }}',
    noticeIntro:
      'This notice sets out what is owed on your account {{ account.ref }} as of {{ statement.asOf }}:',
    principal: 'Principal',
    interest: 'Interest',
    fees: 'Fees',
    penalty: 'Penalty (on overdue principal only)',
    total: 'Overdue total',
    payoff: 'To settle the account in full today',
    sms: '{{ creditor.name }}: {{ statement.overdue.total }} is overdue on account {{ account.ref }}.',
    call: 'Call {{ debtor.name }} about account {{ account.ref }}: {{ statement.overdue.total }} overdue, {{ statement.dpd }} days.',
    visit:
      'Visit {{ debtor.name }} about account {{ account.ref }}: {{ statement.overdue.total }} overdue, {{ statement.dpd }} days. Show your ID and the visit code.',
  },
  es: {
    dear: 'Estimado/a {{ debtor.name }}:',
    reminderSubject:
      'Recordatorio de pago: {{ statement.overdue.total }} vencidos en la cuenta {{ account.ref }}',
    reminderIntro:
      'Su pago a {{ creditor.name }} tiene {{ statement.dpd }} días de atraso. A {{ statement.asOf }}, el importe vencido es {{ statement.overdue.total }}:',
    noticeSubject: 'Aviso sobre su cuenta {{ account.ref }} con {{ creditor.name }}',
    noticeIntro: 'Este aviso detalla lo que se debe en su cuenta {{ account.ref }} a {{ statement.asOf }}:',
    principal: 'Principal',
    interest: 'Intereses',
    fees: 'Cargos',
    penalty: 'Intereses de demora (solo sobre el principal vencido)',
    total: 'Total vencido',
    payoff: 'Para saldar la cuenta hoy',
    sms: '{{ creditor.name }}: su cuenta {{ account.ref }} tiene {{ statement.overdue.total }} vencidos.',
    call: 'Llamar a {{ debtor.name }} por la cuenta {{ account.ref }}: {{ statement.overdue.total }} vencidos, {{ statement.dpd }} días.',
    visit:
      'Visitar a {{ debtor.name }} por la cuenta {{ account.ref }}: {{ statement.overdue.total }} vencidos, {{ statement.dpd }} días. Muestre su identificación y el código de visita.',
  },
  ko: {
    dear: '{{ debtor.name }} 님께,',
    reminderSubject: '납부 안내: 계좌 {{ account.ref }} 연체 금액 {{ statement.overdue.total }}',
    reminderIntro:
      '{{ creditor.name }} 에 대한 납부가 {{ statement.dpd }}일 연체되었습니다. {{ statement.asOf }} 기준 연체 금액은 {{ statement.overdue.total }} 입니다:',
    noticeSubject: '{{ creditor.name }} 계좌 {{ account.ref }} 에 관한 통지',
    noticeIntro: '이 통지는 {{ statement.asOf }} 기준 계좌 {{ account.ref }} 의 채무 내역입니다:',
    principal: '원금',
    interest: '이자',
    fees: '수수료',
    penalty: '연체이자 (연체 원금에만 부과)',
    total: '연체 합계',
    payoff: '오늘 전액 상환 시',
    sms: '{{ creditor.name }}: 계좌 {{ account.ref }} 연체 금액 {{ statement.overdue.total }}.',
    call: '{{ debtor.name }} 님께 계좌 {{ account.ref }} 관련 전화: 연체 {{ statement.overdue.total }}, {{ statement.dpd }}일.',
    visit:
      '{{ debtor.name }} 님 방문, 계좌 {{ account.ref }}: 연체 {{ statement.overdue.total }}, {{ statement.dpd }}일. 신분증과 방문 코드를 제시하십시오.',
  },
  'zh-CN': {
    dear: '{{ debtor.name }} 您好：',
    reminderSubject: '还款提醒：账户 {{ account.ref }} 逾期 {{ statement.overdue.total }}',
    reminderIntro:
      '您在 {{ creditor.name }} 的还款已逾期 {{ statement.dpd }} 天。截至 {{ statement.asOf }}，逾期金额为 {{ statement.overdue.total }}：',
    noticeSubject: '关于您在 {{ creditor.name }} 的账户 {{ account.ref }} 的通知',
    noticeIntro: '本通知列明截至 {{ statement.asOf }} 您的账户 {{ account.ref }} 的欠款明细：',
    principal: '本金',
    interest: '利息',
    fees: '费用',
    penalty: '罚息（仅按逾期本金计算）',
    total: '逾期合计',
    payoff: '今日全部结清金额',
    sms: '{{ creditor.name }}：您的账户 {{ account.ref }} 逾期 {{ statement.overdue.total }}。',
    call: '致电 {{ debtor.name }}，账户 {{ account.ref }}：逾期 {{ statement.overdue.total }}，{{ statement.dpd }} 天。',
    visit:
      '上门拜访 {{ debtor.name }}，账户 {{ account.ref }}：逾期 {{ statement.overdue.total }}，{{ statement.dpd }} 天。至少两人同行，出示工作证及拜访验证码。',
  },
  'zh-TW': {
    dear: '{{ debtor.name }} 您好：',
    reminderSubject: '還款提醒：帳戶 {{ account.ref }} 逾期 {{ statement.overdue.total }}',
    reminderIntro:
      '您在 {{ creditor.name }} 的還款已逾期 {{ statement.dpd }} 天。截至 {{ statement.asOf }}，逾期金額為 {{ statement.overdue.total }}：',
    noticeSubject: '關於您在 {{ creditor.name }} 的帳戶 {{ account.ref }} 的通知',
    noticeIntro: '本通知列明截至 {{ statement.asOf }} 您的帳戶 {{ account.ref }} 的欠款明細：',
    principal: '本金',
    interest: '利息',
    fees: '費用',
    penalty: '罰息（僅按逾期本金計算）',
    total: '逾期合計',
    payoff: '今日全部結清金額',
    sms: '{{ creditor.name }}：您的帳戶 {{ account.ref }} 逾期 {{ statement.overdue.total }}。',
    call: '致電 {{ debtor.name }}，帳戶 {{ account.ref }}：逾期 {{ statement.overdue.total }}，{{ statement.dpd }} 天。',
    visit:
      '登門拜訪 {{ debtor.name }}，帳戶 {{ account.ref }}：逾期 {{ statement.overdue.total }}，{{ statement.dpd }} 天。至少兩人同行，出示工作證及拜訪驗證碼。',
  },
};

const REQUIRED = '{% for text in required_texts %}{{ text }}\n\n{% endfor %}';

function itemised(p: Phrases, withPayoff: boolean): string {
  return [
    `  ${p.principal}: {{ statement.overdue.principal }}`,
    `  ${p.interest}: {{ statement.overdue.interest }}`,
    `  ${p.fees}: {{ statement.overdue.fees }}`,
    `  ${p.penalty}: {{ statement.overdue.penalty }}`,
    `  ${p.total}: {{ statement.overdue.total }}`,
    ...(withPayoff ? [`  ${p.payoff}: {{ statement.payoff }}`] : []),
  ].join('\n');
}

/** The templates Arrears ships: `reminder` (e-mail, SMS), `notice` (letter, e-mail), `reminder` scripts for calls and visits. */
export function defaultTemplates(): TemplateSource[] {
  const out: TemplateSource[] = [];
  for (const locale of LOCALES) {
    const p = P[locale];
    out.push(
      {
        name: 'reminder',
        channel: 'email',
        locale,
        subject: p.reminderSubject,
        body: `${p.dear}\n\n${p.reminderIntro}\n${itemised(p, false)}\n\n${REQUIRED}{{ contact.name }}\n`,
      },
      {
        name: 'reminder',
        channel: 'sms',
        locale,
        subject: '',
        body: `${p.sms} {% for text in required_texts %}{{ text }} {% endfor %}`,
      },
      { name: 'reminder', channel: 'call', locale, subject: '', body: p.call },
      { name: 'reminder', channel: 'visit', locale, subject: '', body: p.visit },
    );
    for (const channel of ['letter', 'email'] as const) {
      out.push({
        name: 'notice',
        channel,
        locale,
        subject: p.noticeSubject,
        body: `${p.dear}\n\n${p.noticeIntro}\n${itemised(p, true)}\n\n${REQUIRED}{{ contact.name }}\n`,
      });
    }
  }
  return out;
}
