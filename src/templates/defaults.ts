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

/** Confirmation texts: what was agreed, stated with the agreed figures (the signed amount is the agreed one). */
interface Confirmation {
  promiseSubject: string;
  promiseIntro: string;
  planSubject: string;
  planIntro: string;
  settlementSubject: string;
  settlementIntro: string;
  amount: string;
  payBy: string;
  owedOn: string;
  agreedTotal: string;
  settlementAmount: string;
  reduction: string;
  installments: string;
  promiseRule: string;
  planRule: string;
  settlementRule: string;
  /** The seeds' "false promise": nothing counts as agreed unless it is confirmed like this. */
  nothingElse: string;
}

const C: Record<Locale, Confirmation> = {
  en: {
    promiseSubject: 'Confirmation of your promise to pay {{ agreement.amount }}, account {{ account.ref }}',
    promiseIntro:
      'This confirms the payment you promised on {{ agreement.madeOn }} for your account {{ account.ref }} with {{ creditor.name }}:',
    planSubject:
      'Your repayment plan for account {{ account.ref }}: {{ agreement.amount }} in {{ agreement.count }} installments',
    planIntro:
      'This confirms the repayment plan agreed on {{ agreement.madeOn }} for your account {{ account.ref }} with {{ creditor.name }}:',
    settlementSubject:
      'Your settlement for account {{ account.ref }}: {{ agreement.amount }} by {{ agreement.dueOn }}',
    settlementIntro:
      'This confirms the settlement agreed on {{ agreement.madeOn }} for your account {{ account.ref }} with {{ creditor.name }}:',
    amount: 'Amount',
    payBy: 'To be paid by',
    owedOn: 'Amount owed on {{ agreement.madeOn }}',
    agreedTotal: 'Agreed total',
    settlementAmount: 'Settlement amount',
    reduction: 'Reduction',
    installments: 'Installments',
    promiseRule: 'A payment received by {{ agreement.deadline }} keeps this promise.',
    planRule:
      'A payment counts for an installment if it is received within {{ agreement.graceDays }} days after its date. If an installment is not paid in time, the plan ends and the amount owed under your contract applies again, less what you have paid.',
    settlementRule:
      'When {{ agreement.amount }} is received by {{ agreement.deadline }}, the account is settled in full. If it is not, the settlement lapses and the amount owed under your contract applies again, less what you have paid.',
    nothingElse:
      'Only what this confirmation states has been agreed. Any other amount, reduction or condition applies only if it is confirmed to you in writing with its own verification code.',
  },
  es: {
    promiseSubject: 'Confirmación de su promesa de pago de {{ agreement.amount }}, cuenta {{ account.ref }}',
    promiseIntro:
      'Confirmamos el pago que usted prometió el {{ agreement.madeOn }} para su cuenta {{ account.ref }} con {{ creditor.name }}:',
    planSubject:
      'Su plan de pagos para la cuenta {{ account.ref }}: {{ agreement.amount }} en {{ agreement.count }} cuotas',
    planIntro:
      'Confirmamos el plan de pagos acordado el {{ agreement.madeOn }} para su cuenta {{ account.ref }} con {{ creditor.name }}:',
    settlementSubject:
      'Su acuerdo de liquidación de la cuenta {{ account.ref }}: {{ agreement.amount }} hasta el {{ agreement.dueOn }}',
    settlementIntro:
      'Confirmamos el acuerdo de liquidación alcanzado el {{ agreement.madeOn }} para su cuenta {{ account.ref }} con {{ creditor.name }}:',
    amount: 'Importe',
    payBy: 'A pagar a más tardar el',
    owedOn: 'Importe adeudado el {{ agreement.madeOn }}',
    agreedTotal: 'Total acordado',
    settlementAmount: 'Importe de liquidación',
    reduction: 'Reducción',
    installments: 'Cuotas',
    promiseRule: 'Un pago recibido hasta el {{ agreement.deadline }} cumple esta promesa.',
    planRule:
      'Un pago cuenta para una cuota si se recibe dentro de los {{ agreement.graceDays }} días siguientes a su fecha. Si una cuota no se paga a tiempo, el plan termina y vuelve a aplicarse el importe adeudado según su contrato, descontando lo que ya haya pagado.',
    settlementRule:
      'Si recibimos {{ agreement.amount }} hasta el {{ agreement.deadline }}, la cuenta queda saldada por completo. Si no, el acuerdo caduca y vuelve a aplicarse el importe adeudado según su contrato, descontando lo que ya haya pagado.',
    nothingElse:
      'Solo se ha acordado lo que indica esta confirmación. Cualquier otro importe, reducción o condición solo es válido si se le confirma por escrito con su propio código de verificación.',
  },
  ko: {
    promiseSubject: '납부 약속 확인: 계좌 {{ account.ref }}, {{ agreement.amount }}',
    promiseIntro:
      '{{ agreement.madeOn }}에 약속하신 {{ creditor.name }} 계좌 {{ account.ref }} 의 납부 내용을 확인합니다:',
    planSubject: '계좌 {{ account.ref }} 분할 상환 계획: {{ agreement.amount }}, {{ agreement.count }}회',
    planIntro:
      '{{ agreement.madeOn }}에 합의한 {{ creditor.name }} 계좌 {{ account.ref }} 의 분할 상환 계획을 확인합니다:',
    settlementSubject:
      '계좌 {{ account.ref }} 채무 조정 합의: {{ agreement.dueOn }}까지 {{ agreement.amount }}',
    settlementIntro:
      '{{ agreement.madeOn }}에 합의한 {{ creditor.name }} 계좌 {{ account.ref }} 의 채무 조정(일시 상환) 내용을 확인합니다:',
    amount: '금액',
    payBy: '납부 기한',
    owedOn: '{{ agreement.madeOn }} 기준 채무액',
    agreedTotal: '합의 총액',
    settlementAmount: '합의 금액',
    reduction: '감면액',
    installments: '분할 납부 일정',
    promiseRule: '{{ agreement.deadline }}까지 입금이 확인되면 약속을 지키신 것으로 봅니다.',
    planRule:
      '각 회차 납부일로부터 {{ agreement.graceDays }}일 이내에 입금되면 해당 회차를 납부한 것으로 봅니다. 기한 내에 납부하지 않으면 계획이 종료되고, 이미 납부한 금액을 뺀 계약상 채무액이 다시 적용됩니다.',
    settlementRule:
      '{{ agreement.deadline }}까지 {{ agreement.amount }} 이(가) 입금되면 계좌는 전액 정산됩니다. 그렇지 않으면 합의는 효력을 잃고, 이미 납부한 금액을 뺀 계약상 채무액이 다시 적용됩니다.',
    nothingElse:
      '이 확인서에 적힌 내용만 합의된 것입니다. 다른 금액, 감면 또는 조건은 별도의 인증 코드가 있는 서면 확인을 받은 경우에만 유효합니다.',
  },
  'zh-CN': {
    promiseSubject: '还款承诺确认：账户 {{ account.ref }}，{{ agreement.amount }}',
    promiseIntro:
      '现确认您于 {{ agreement.madeOn }} 就您在 {{ creditor.name }} 的账户 {{ account.ref }} 作出的还款承诺：',
    planSubject: '账户 {{ account.ref }} 分期还款计划：{{ agreement.amount }}，分 {{ agreement.count }} 期',
    planIntro:
      '现确认于 {{ agreement.madeOn }} 就您在 {{ creditor.name }} 的账户 {{ account.ref }} 约定的分期还款计划：',
    settlementSubject: '账户 {{ account.ref }} 和解还款：{{ agreement.dueOn }} 前支付 {{ agreement.amount }}',
    settlementIntro:
      '现确认于 {{ agreement.madeOn }} 就您在 {{ creditor.name }} 的账户 {{ account.ref }} 达成的和解还款：',
    amount: '金额',
    payBy: '还款期限',
    owedOn: '{{ agreement.madeOn }} 的欠款金额',
    agreedTotal: '约定总额',
    settlementAmount: '和解金额',
    reduction: '减免金额',
    installments: '分期安排',
    promiseRule: '在 {{ agreement.deadline }} 之前收到的还款即视为履行本承诺。',
    planRule:
      '每期款项在约定日期后 {{ agreement.graceDays }} 天内到账即视为按期支付。如有一期未按时支付，本计划即终止，合同约定的欠款金额（扣除您已支付的部分）重新适用。',
    settlementRule:
      '如在 {{ agreement.deadline }} 之前收到 {{ agreement.amount }}，该账户即全部结清。否则本和解失效，合同约定的欠款金额（扣除您已支付的部分）重新适用。',
    nothingElse:
      '双方仅就本确认书所列内容达成一致。任何其他金额、减免或条件，只有以书面形式并附其自身验证码向您确认后方为有效。',
  },
  'zh-TW': {
    promiseSubject: '還款承諾確認：帳戶 {{ account.ref }}，{{ agreement.amount }}',
    promiseIntro:
      '茲確認您於 {{ agreement.madeOn }} 就您在 {{ creditor.name }} 的帳戶 {{ account.ref }} 作出的還款承諾：',
    planSubject: '帳戶 {{ account.ref }} 分期還款計畫：{{ agreement.amount }}，分 {{ agreement.count }} 期',
    planIntro:
      '茲確認於 {{ agreement.madeOn }} 就您在 {{ creditor.name }} 的帳戶 {{ account.ref }} 約定的分期還款計畫：',
    settlementSubject: '帳戶 {{ account.ref }} 和解還款：{{ agreement.dueOn }} 前支付 {{ agreement.amount }}',
    settlementIntro:
      '茲確認於 {{ agreement.madeOn }} 就您在 {{ creditor.name }} 的帳戶 {{ account.ref }} 達成的和解還款：',
    amount: '金額',
    payBy: '還款期限',
    owedOn: '{{ agreement.madeOn }} 的欠款金額',
    agreedTotal: '約定總額',
    settlementAmount: '和解金額',
    reduction: '減免金額',
    installments: '分期安排',
    promiseRule: '在 {{ agreement.deadline }} 之前收到的還款即視為履行本承諾。',
    planRule:
      '每期款項在約定日期後 {{ agreement.graceDays }} 天內入帳即視為按期支付。如有一期未按時支付，本計畫即終止，合約約定的欠款金額（扣除您已支付的部分）重新適用。',
    settlementRule:
      '如在 {{ agreement.deadline }} 之前收到 {{ agreement.amount }}，該帳戶即全部結清。否則本和解失效，合約約定的欠款金額（扣除您已支付的部分）重新適用。',
    nothingElse:
      '雙方僅就本確認書所列內容達成一致。任何其他金額、減免或條件，只有以書面形式並附其自身驗證碼向您確認後方為有效。',
  },
};

/** The three confirmations (`promise_confirmation`, `plan_confirmation`, `settlement_confirmation`) in one locale. */
function confirmations(p: Phrases, c: Confirmation): { name: string; subject: string; body: string }[] {
  const close = `${c.nothingElse}\n\n${REQUIRED}{{ contact.name }}\n`;
  const reduction = `  ${c.reduction}: {{ agreement.discount }} ({{ agreement.discountPercent }})`;
  return [
    {
      name: 'promise_confirmation',
      subject: c.promiseSubject,
      body: `${p.dear}\n\n${c.promiseIntro}\n  ${c.amount}: {{ agreement.amount }}\n  ${c.payBy}: {{ agreement.dueOn }}\n${c.promiseRule}\n\n${close}`,
    },
    {
      name: 'plan_confirmation',
      subject: c.planSubject,
      body:
        `${p.dear}\n\n${c.planIntro}\n  ${c.owedOn}: {{ agreement.owed }}\n  ${c.agreedTotal}: {{ agreement.amount }}\n${reduction}\n` +
        `  ${c.installments}:\n{% for i in agreement.installments %}    {{ i.seq }}. {{ i.due }}: {{ i.amount }}\n{% endfor %}` +
        `${c.planRule}\n\n${close}`,
    },
    {
      name: 'settlement_confirmation',
      subject: c.settlementSubject,
      body:
        `${p.dear}\n\n${c.settlementIntro}\n  ${c.owedOn}: {{ agreement.owed }}\n  ${c.settlementAmount}: {{ agreement.amount }}\n` +
        `  ${c.payBy}: {{ agreement.dueOn }}\n${reduction}\n${c.settlementRule}\n\n${close}`,
    },
  ];
}

/** The letter that confirms a settlement (or a discounted plan) paid: nothing more is owed. */
interface Completion {
  subject: string;
  intro: string;
  paid: string;
  forgiven: string;
  rule: string;
}

const K: Record<Locale, Completion> = {
  en: {
    subject: 'Account {{ account.ref }} is settled: nothing more is owed',
    intro:
      'This confirms that your account {{ account.ref }} with {{ creditor.name }} has been paid in full under the agreement of {{ agreement.madeOn }}:',
    paid: 'Paid by {{ completion.completedOn }}',
    forgiven: 'Forgiven by {{ creditor.name }}',
    rule: 'Nothing more is owed on this account. The forgiven amount will not be claimed from you, and the account is closed.',
  },
  es: {
    subject: 'Cuenta {{ account.ref }} saldada: no se debe nada más',
    intro:
      'Confirmamos que su cuenta {{ account.ref }} con {{ creditor.name }} ha quedado pagada por completo según el acuerdo del {{ agreement.madeOn }}:',
    paid: 'Pagado hasta el {{ completion.completedOn }}',
    forgiven: 'Condonado por {{ creditor.name }}',
    rule: 'No se debe nada más en esta cuenta. El importe condonado no se le reclamará y la cuenta queda cerrada.',
  },
  ko: {
    subject: '계좌 {{ account.ref }} 정산 완료: 더 이상 납부하실 금액이 없습니다',
    intro:
      '{{ creditor.name }} 계좌 {{ account.ref }} 이(가) {{ agreement.madeOn }}의 합의에 따라 전액 상환되었음을 확인합니다:',
    paid: '{{ completion.completedOn }}까지 납부하신 금액',
    forgiven: '{{ creditor.name }} 이(가) 면제한 금액',
    rule: '이 계좌에 더 이상 납부하실 금액은 없습니다. 면제된 금액은 청구하지 않으며, 계좌는 종결되었습니다.',
  },
  'zh-CN': {
    subject: '账户 {{ account.ref }} 已结清：您无需再支付任何款项',
    intro:
      '现确认，您在 {{ creditor.name }} 的账户 {{ account.ref }} 已按 {{ agreement.madeOn }} 达成的协议全部还清：',
    paid: '截至 {{ completion.completedOn }} 已支付',
    forgiven: '{{ creditor.name }} 减免的金额',
    rule: '该账户已无任何欠款。减免的金额不会再向您收取，账户已关闭。',
  },
  'zh-TW': {
    subject: '帳戶 {{ account.ref }} 已結清：您無需再支付任何款項',
    intro:
      '茲確認，您在 {{ creditor.name }} 的帳戶 {{ account.ref }} 已按 {{ agreement.madeOn }} 達成的協議全部還清：',
    paid: '截至 {{ completion.completedOn }} 已支付',
    forgiven: '{{ creditor.name }} 減免的金額',
    rule: '該帳戶已無任何欠款。減免的金額不會再向您收取，帳戶已關閉。',
  },
};

/** `settlement_completed`: the agreed figures, what was paid and forgiven, and that nothing more is owed. */
function completionLetter(p: Phrases, c: Confirmation, k: Completion) {
  return {
    name: 'settlement_completed',
    subject: k.subject,
    body:
      `${p.dear}\n\n${k.intro}\n  ${c.owedOn}: {{ agreement.owed }}\n  ${c.agreedTotal}: {{ agreement.amount }}\n` +
      `  ${k.paid}: {{ completion.paid }}\n  ${k.forgiven}: {{ completion.forgiven }}\n${k.rule}\n\n` +
      `${REQUIRED}{{ contact.name }}\n`,
  };
}

interface ResolutionPhrases {
  disputeSubject: string;
  disputeReceived: string;
  disputeUpheld: string;
  disputeVerified: string;
  disputeRejected: string;
  disputeStatement: string;
  complaintSubject: string;
  complaintReceived: string;
  complaintUpheld: string;
  complaintPartly: string;
  complaintRejected: string;
  complaintFindings: string;
  complaintEscalate: string;
  questions: string;
}

/** Letters that answer a dispute or a complaint; `vars` come from the dispute or complaint (src/services). */
const R: Record<Locale, ResolutionPhrases> = {
  en: {
    disputeSubject: 'Your dispute about account {{ account.ref }}',
    disputeReceived:
      'On {{ vars.receivedOn }} we received your dispute about account {{ account.ref }} with {{ creditor.name }} (reference D-{{ vars.disputeId }}).',
    disputeUpheld: 'We reviewed it and agree with you: the account has been corrected.',
    disputeVerified:
      'We have verified the debt. This letter and the statement below are the verification you asked for.',
    disputeRejected: 'We reviewed it and found that the account is correct as recorded.',
    disputeStatement: 'As of {{ statement.asOf }} the account shows:',
    complaintSubject: 'The outcome of your complaint about account {{ account.ref }}',
    complaintReceived:
      'On {{ vars.receivedOn }} we received your complaint about account {{ account.ref }} (reference C-{{ vars.complaintId }}).',
    complaintUpheld: 'We have upheld your complaint.',
    complaintPartly: 'We have upheld part of your complaint.',
    complaintRejected: 'We have not upheld your complaint.',
    complaintFindings: 'What we found and what we did:',
    complaintEscalate:
      'If you are not satisfied with this answer, you may take your complaint to the authority that supervises us.',
    questions:
      'If you have any questions, contact {{ contact.name }} at {{ contact.phone }} or {{ contact.email }}.',
  },
  es: {
    disputeSubject: 'Su reclamación sobre la cuenta {{ account.ref }}',
    disputeReceived:
      'El {{ vars.receivedOn }} recibimos su reclamación sobre la cuenta {{ account.ref }} con {{ creditor.name }} (referencia D-{{ vars.disputeId }}).',
    disputeUpheld: 'La hemos revisado y le damos la razón: la cuenta ha sido corregida.',
    disputeVerified:
      'Hemos verificado la deuda. Esta carta y el detalle siguiente son la verificación que usted solicitó.',
    disputeRejected: 'La hemos revisado y la cuenta es correcta tal como figura.',
    disputeStatement: 'A {{ statement.asOf }}, la cuenta muestra:',
    complaintSubject: 'Resultado de su queja sobre la cuenta {{ account.ref }}',
    complaintReceived:
      'El {{ vars.receivedOn }} recibimos su queja sobre la cuenta {{ account.ref }} (referencia C-{{ vars.complaintId }}).',
    complaintUpheld: 'Hemos estimado su queja.',
    complaintPartly: 'Hemos estimado su queja en parte.',
    complaintRejected: 'No hemos estimado su queja.',
    complaintFindings: 'Lo que hemos comprobado y lo que hemos hecho:',
    complaintEscalate:
      'Si no está conforme con esta respuesta, puede presentar su queja ante la autoridad que nos supervisa.',
    questions:
      'Si tiene alguna pregunta, contacte con {{ contact.name }} en el {{ contact.phone }} o en {{ contact.email }}.',
  },
  ko: {
    disputeSubject: '계좌 {{ account.ref }} 에 대한 이의 제기 결과',
    disputeReceived:
      '{{ vars.receivedOn }} 에 {{ creditor.name }} 계좌 {{ account.ref }} 에 대한 귀하의 이의 제기를 접수하였습니다 (참조 번호 D-{{ vars.disputeId }}).',
    disputeUpheld: '검토 결과 귀하의 이의가 타당하여 계좌를 정정하였습니다.',
    disputeVerified: '채무 내역을 확인하였습니다. 이 서신과 아래 내역이 요청하신 확인 자료입니다.',
    disputeRejected: '검토 결과 계좌 내역은 기록된 대로 정확합니다.',
    disputeStatement: '{{ statement.asOf }} 기준 계좌 내역:',
    complaintSubject: '계좌 {{ account.ref }} 관련 민원 처리 결과',
    complaintReceived:
      '{{ vars.receivedOn }} 에 계좌 {{ account.ref }} 에 관한 귀하의 민원을 접수하였습니다 (참조 번호 C-{{ vars.complaintId }}).',
    complaintUpheld: '귀하의 민원을 수용하였습니다.',
    complaintPartly: '귀하의 민원을 일부 수용하였습니다.',
    complaintRejected: '귀하의 민원을 수용하지 않았습니다.',
    complaintFindings: '확인한 사항과 조치 내용:',
    complaintEscalate: '이 답변에 만족하지 않으시면 당사를 감독하는 기관에 민원을 제기하실 수 있습니다.',
    questions: '문의 사항은 {{ contact.name }} ({{ contact.phone }}, {{ contact.email }}) 로 연락하십시오.',
  },
  'zh-CN': {
    disputeSubject: '关于账户 {{ account.ref }} 的异议处理结果',
    disputeReceived:
      '我们于 {{ vars.receivedOn }} 收到您对 {{ creditor.name }} 账户 {{ account.ref }} 提出的异议（编号 D-{{ vars.disputeId }}）。',
    disputeUpheld: '经核查，您的异议成立，账户已更正。',
    disputeVerified: '我们已核实该笔欠款。本函及以下明细即为您要求的核实材料。',
    disputeRejected: '经核查，账户记录准确无误。',
    disputeStatement: '截至 {{ statement.asOf }}，账户明细如下：',
    complaintSubject: '关于账户 {{ account.ref }} 的投诉处理结果',
    complaintReceived:
      '我们于 {{ vars.receivedOn }} 收到您关于账户 {{ account.ref }} 的投诉（编号 C-{{ vars.complaintId }}）。',
    complaintUpheld: '您的投诉成立。',
    complaintPartly: '您的投诉部分成立。',
    complaintRejected: '您的投诉不成立。',
    complaintFindings: '核查情况及处理措施：',
    complaintEscalate: '如您对本答复不满意，可向监管我们的机构反映。',
    questions: '如有疑问，请联系 {{ contact.name }}，电话 {{ contact.phone }}，邮箱 {{ contact.email }}。',
  },
  'zh-TW': {
    disputeSubject: '關於帳戶 {{ account.ref }} 的異議處理結果',
    disputeReceived:
      '我們於 {{ vars.receivedOn }} 收到您對 {{ creditor.name }} 帳戶 {{ account.ref }} 提出的異議（編號 D-{{ vars.disputeId }}）。',
    disputeUpheld: '經查核，您的異議成立，帳戶已更正。',
    disputeVerified: '我們已核實該筆欠款。本函及以下明細即為您要求的核實資料。',
    disputeRejected: '經查核，帳戶紀錄正確無誤。',
    disputeStatement: '截至 {{ statement.asOf }}，帳戶明細如下：',
    complaintSubject: '關於帳戶 {{ account.ref }} 的申訴處理結果',
    complaintReceived:
      '我們於 {{ vars.receivedOn }} 收到您關於帳戶 {{ account.ref }} 的申訴（編號 C-{{ vars.complaintId }}）。',
    complaintUpheld: '您的申訴成立。',
    complaintPartly: '您的申訴部分成立。',
    complaintRejected: '您的申訴不成立。',
    complaintFindings: '查核情況及處理措施：',
    complaintEscalate: '如您對本答覆不滿意，可向監管我們的機構反映。',
    questions:
      '如有疑問，請聯絡 {{ contact.name }}，電話 {{ contact.phone }}，電子郵件 {{ contact.email }}。',
  },
};

function resolutionLetters(locale: Locale): TemplateSource[] {
  const p = P[locale];
  const r = R[locale];
  const dispute = [
    p.dear,
    r.disputeReceived,
    `{% if vars.outcome == 'upheld' %}${r.disputeUpheld}{% elsif vars.outcome == 'verification_sent' %}${r.disputeVerified}{% else %}${r.disputeRejected}{% endif %}`,
    `${r.disputeStatement}\n${itemised(p, false)}`,
    r.questions,
  ].join('\n\n');
  const complaint = [
    p.dear,
    r.complaintReceived,
    `{% if vars.outcome == 'upheld' %}${r.complaintUpheld}{% elsif vars.outcome == 'partially_upheld' %}${r.complaintPartly}{% else %}${r.complaintRejected}{% endif %}`,
    `${r.complaintFindings}\n{{ vars.resolution }}`,
    r.complaintEscalate,
    r.questions,
  ].join('\n\n');
  return [
    {
      name: 'dispute_resolution',
      channel: 'letter',
      locale,
      subject: r.disputeSubject,
      body: `${dispute}\n\n${REQUIRED}{{ contact.name }}\n`,
    },
    {
      name: 'complaint_resolution',
      channel: 'letter',
      locale,
      subject: r.complaintSubject,
      body: `${complaint}\n\n${REQUIRED}{{ contact.name }}\n`,
    },
  ];
}

/**
 * The templates Arrears ships: `reminder` (e-mail, SMS), `notice` (letter, e-mail), `reminder` scripts for calls
 * and visits, the written confirmations of promises, plans and settlements (letter, e-mail), the
 * `settlement_completed` letter (letter, e-mail: paid in full under the agreement, nothing more owed), and the
 * `dispute_resolution` and `complaint_resolution` letters.
 */
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
      for (const t of confirmations(p, C[locale])) out.push({ ...t, channel, locale });
      out.push({ ...completionLetter(p, C[locale], K[locale]), channel, locale });
    }
    out.push(...resolutionLetters(locale));
  }
  return out;
}
