import type { ChannelName } from '../store/index.js';
import type { Locale } from './locales.js';

/**
 * The texts a message must carry, by the debtor's jurisdiction, the channel and the template. Each text is
 * itself a Liquid template over the same variables as the message; after rendering, the message is refused
 * unless every required text appears in it (whitespace aside). Citations beside each rule
 * (shared regulations catalogue ids).
 */
export interface RequiredRule {
  id: string;
  /** Where it comes from. */
  source: string;
  jurisdictions?: readonly string[];
  channels?: readonly ChannelName[];
  templates?: readonly string[];
  text: Record<Locale, string>;
}

export const REQUIRED_RULES: readonly RequiredRule[] = [
  {
    id: 'verify_line',
    source: 'Arrears: every notice is verifiable (code + Ed25519 signature)',
    channels: ['email', 'sms', 'letter'],
    text: {
      en: 'Verification code {{ notice.code }}: check that this notice is genuine at {{ notice.verifyUrl }}',
      es: 'Código de verificación {{ notice.code }}: compruebe que este aviso es auténtico en {{ notice.verifyUrl }}',
      ko: '인증 코드 {{ notice.code }}: 이 통지가 진본인지 {{ notice.verifyUrl }} 에서 확인하십시오',
      'zh-CN': '验证码 {{ notice.code }}：请在 {{ notice.verifyUrl }} 核验本通知的真实性',
      'zh-TW': '驗證碼 {{ notice.code }}：請至 {{ notice.verifyUrl }} 核驗本通知的真實性',
    },
  },
  {
    id: 'mini_miranda',
    source: 'US.FDCPA.MINI_MIRANDA — 15 USC 1692e(11); 12 CFR 1006.18(e)',
    jurisdictions: ['US'],
    channels: ['email', 'sms', 'letter'],
    text: {
      en: 'This communication is from a debt collector. This is an attempt to collect a debt, and any information obtained will be used for that purpose.',
      es: 'Esta comunicación proviene de un cobrador de deudas. Se trata de un intento de cobrar una deuda y cualquier información obtenida se utilizará para ese fin.',
      ko: '본 연락은 채권추심업자가 보내는 것입니다. 이는 채무를 추심하기 위한 것이며, 취득한 모든 정보는 그 목적으로만 사용됩니다.',
      'zh-CN': '本通知来自债务催收方。本通知旨在催收债务，所获得的任何信息将仅用于该目的。',
      'zh-TW': '本通知來自債務催收方。本通知旨在催收債務，所取得的任何資訊將僅用於該目的。',
    },
  },
  {
    id: 'opt_out_email',
    source: 'US.REGF.EOPTOUT — 12 CFR 1006.6(e)',
    jurisdictions: ['US'],
    channels: ['email'],
    text: {
      en: 'To stop receiving e-mails from us about this debt, reply with the word STOP or write to {{ contact.email }}.',
      es: 'Para dejar de recibir correos electrónicos sobre esta deuda, responda con la palabra STOP o escriba a {{ contact.email }}.',
      ko: '이 채무에 관한 이메일 수신을 중단하려면 STOP 이라고 회신하시거나 {{ contact.email }} 로 연락하십시오.',
      'zh-CN': '如不希望再收到有关此债务的电子邮件，请回复 STOP 或写信至 {{ contact.email }}。',
      'zh-TW': '如不希望再收到有關此債務的電子郵件，請回覆 STOP 或寫信至 {{ contact.email }}。',
    },
  },
  {
    id: 'opt_out_sms',
    source: 'US.REGF.EOPTOUT — 12 CFR 1006.6(e)',
    jurisdictions: ['US'],
    channels: ['sms'],
    text: {
      en: 'Reply STOP to stop text messages.',
      es: 'Responda STOP para dejar de recibir mensajes de texto.',
      ko: '문자 수신을 중단하려면 STOP 으로 회신하십시오.',
      'zh-CN': '回复 STOP 即可停止接收短信。',
      'zh-TW': '回覆 STOP 即可停止接收簡訊。',
    },
  },
  {
    id: 'us_validation',
    source: 'US.REGF.VALIDATION — 15 USC 1692g(a); 12 CFR 1006.34',
    jurisdictions: ['US'],
    channels: ['email', 'letter'],
    templates: ['notice'],
    text: {
      en: `{{ contact.name }} is a debt collector. We are trying to collect a debt that you owe to {{ creditor.name }} (account {{ account.ref }}).
As of {{ validation.itemizationDate }}, you owed: {{ validation.itemizationAmount }}.
Between {{ validation.itemizationDate }} and today: interest {{ validation.since.interest }}, fees {{ validation.since.fees }}, penalty {{ validation.since.penalty }}, payments and credits applied {{ validation.paid }}.
Total amount of the debt now: {{ statement.overdue.total }}.
How can you dispute the debt? Call or write to us by {{ validation.endDate }} to dispute all or part of the debt. If you do not, we will assume that our information is correct. If you write to us by {{ validation.endDate }}, we must stop collection on any amount you dispute until we send you information that shows you owe the debt.
What else can you do? Write to ask for the name and address of the original creditor, if different from the current creditor. If you write by {{ validation.endDate }}, we must stop collection until we send you that information.
Contact us: {{ contact.name }}, {{ contact.address }}, {{ contact.phone }}, {{ contact.email }}.
Learn more about your rights under federal law at www.cfpb.gov/debt-collection.`,
      es: `{{ contact.name }} es un cobrador de deudas. Estamos tratando de cobrar una deuda que usted tiene con {{ creditor.name }} (cuenta {{ account.ref }}).
Al {{ validation.itemizationDate }}, usted debía: {{ validation.itemizationAmount }}.
Entre el {{ validation.itemizationDate }} y hoy: intereses {{ validation.since.interest }}, cargos {{ validation.since.fees }}, penalización {{ validation.since.penalty }}, pagos y créditos aplicados {{ validation.paid }}.
Importe total de la deuda ahora: {{ statement.overdue.total }}.
¿Cómo puede disputar la deuda? Llámenos o escríbanos antes del {{ validation.endDate }} para disputar toda o parte de la deuda. Si no lo hace, asumiremos que nuestra información es correcta. Si nos escribe antes del {{ validation.endDate }}, debemos suspender el cobro de cualquier cantidad que usted dispute hasta que le enviemos información que demuestre que usted debe la deuda.
¿Qué más puede hacer? Escríbanos para pedir el nombre y la dirección del acreedor original, si es distinto del acreedor actual. Si nos escribe antes del {{ validation.endDate }}, debemos suspender el cobro hasta enviarle esa información.
Contáctenos: {{ contact.name }}, {{ contact.address }}, {{ contact.phone }}, {{ contact.email }}.
Obtenga más información sobre sus derechos según la ley federal en www.cfpb.gov/es/cobro-de-deudas.`,
      ko: `{{ contact.name }} 은(는) 채권추심업자입니다. 귀하가 {{ creditor.name }} 에 대해 부담하는 채무(계좌 {{ account.ref }})를 추심하고자 합니다.
{{ validation.itemizationDate }} 기준 채무액: {{ validation.itemizationAmount }}.
{{ validation.itemizationDate }} 부터 오늘까지: 이자 {{ validation.since.interest }}, 수수료 {{ validation.since.fees }}, 연체료 {{ validation.since.penalty }}, 변제 및 공제 {{ validation.paid }}.
현재 채무 총액: {{ statement.overdue.total }}.
채무에 이의를 제기하는 방법: {{ validation.endDate }} 까지 전화 또는 서면으로 채무의 전부 또는 일부에 이의를 제기할 수 있습니다. 그렇지 않으면 당사의 정보가 정확한 것으로 간주합니다. {{ validation.endDate }} 까지 서면으로 이의를 제기하시면, 채무를 입증하는 자료를 보내드릴 때까지 이의가 있는 금액의 추심을 중단합니다.
그 밖의 권리: 원채권자가 현재 채권자와 다른 경우 원채권자의 이름과 주소를 서면으로 요청할 수 있으며, {{ validation.endDate }} 까지 요청하시면 그 정보를 보내드릴 때까지 추심을 중단합니다.
연락처: {{ contact.name }}, {{ contact.address }}, {{ contact.phone }}, {{ contact.email }}.
연방법에 따른 귀하의 권리: www.cfpb.gov/debt-collection.`,
      'zh-CN': `{{ contact.name }} 是债务催收方。我们正在催收您欠 {{ creditor.name }} 的债务（账户 {{ account.ref }}）。
截至 {{ validation.itemizationDate }}，您欠款：{{ validation.itemizationAmount }}。
自 {{ validation.itemizationDate }} 至今：利息 {{ validation.since.interest }}，费用 {{ validation.since.fees }}，罚息 {{ validation.since.penalty }}，已扣除的还款及抵免 {{ validation.paid }}。
目前债务总额：{{ statement.overdue.total }}。
如何对债务提出异议？请在 {{ validation.endDate }} 之前致电或致函我们，对全部或部分债务提出异议。否则我们将认为我们的信息正确。如您在 {{ validation.endDate }} 之前书面提出异议，在我们向您提供证明您欠款的信息之前，我们必须停止催收您有异议的金额。
您还可以：书面要求我们提供原债权人的名称和地址（如与现债权人不同）。如您在 {{ validation.endDate }} 之前提出，在我们提供该信息之前必须停止催收。
联系我们：{{ contact.name }}，{{ contact.address }}，{{ contact.phone }}，{{ contact.email }}。
了解您在联邦法律下的权利：www.cfpb.gov/debt-collection。`,
      'zh-TW': `{{ contact.name }} 是債務催收方。我們正在催收您欠 {{ creditor.name }} 的債務（帳戶 {{ account.ref }}）。
截至 {{ validation.itemizationDate }}，您欠款：{{ validation.itemizationAmount }}。
自 {{ validation.itemizationDate }} 至今：利息 {{ validation.since.interest }}，費用 {{ validation.since.fees }}，罰息 {{ validation.since.penalty }}，已扣除的還款及抵免 {{ validation.paid }}。
目前債務總額：{{ statement.overdue.total }}。
如何對債務提出異議？請在 {{ validation.endDate }} 之前致電或致函我們，對全部或部分債務提出異議。否則我們將認為我們的資訊正確。如您在 {{ validation.endDate }} 之前書面提出異議，在我們向您提供證明您欠款的資訊之前，我們必須停止催收您有異議的金額。
您還可以：書面要求我們提供原債權人的名稱和地址（如與現債權人不同）。如您在 {{ validation.endDate }} 之前提出，在我們提供該資訊之前必須停止催收。
聯絡我們：{{ contact.name }}，{{ contact.address }}，{{ contact.phone }}，{{ contact.email }}。
了解您在聯邦法律下的權利：www.cfpb.gov/debt-collection。`,
    },
  },
  {
    id: 'kr_start_notice',
    source: 'KR.IDPA.START_NOTICE — 개인채무자보호법 제15조',
    jurisdictions: ['KR'],
    channels: ['email', 'letter'],
    templates: ['notice'],
    text: {
      ko: `[추심 착수 사전 통지]
채권자: {{ creditor.name }} / 계좌: {{ account.ref }}
채무 금액: {{ statement.payoff }} (연체 금액 {{ statement.overdue.total }}: 원금 {{ statement.overdue.principal }}, 이자 {{ statement.overdue.interest }}, 수수료 {{ statement.overdue.fees }}, 연체이자 {{ statement.overdue.penalty }})
연체 기간: {{ statement.dpd }}일 ({{ kr.overdueSince }} 부터)
추심 착수 예정일: {{ kr.startDate }}
추심자 및 담당자 연락처: {{ contact.name }}, {{ contact.phone }}, {{ contact.email }}
추심 방법: 우편, 이메일, 문자, 전화 및 방문 (7일에 7회 이내)
불법 추심 안내: 폭행·협박·야간(21시~8시) 연락·제3자에 대한 채무 사실 공개는 금지되며, 소멸시효가 완성된 채권은 추심할 수 없습니다. 불법 추심은 금융감독원(국번없이 1332)에 신고할 수 있습니다.
이의 제기 방법: {{ contact.address }} 로 서면 또는 {{ contact.phone }} 로 이의를 제기할 수 있습니다.
변제 계좌: {{ contact.paymentAccount }}
귀하는 변호사를 채무자대리인으로 선임할 수 있으며, 선임 후에는 귀하에게 직접 연락하지 않습니다.`,
      en: `[Advance notice of the start of collection]
Creditor: {{ creditor.name }} / Account: {{ account.ref }}
Amount of the debt: {{ statement.payoff }} (overdue {{ statement.overdue.total }}: principal {{ statement.overdue.principal }}, interest {{ statement.overdue.interest }}, fees {{ statement.overdue.fees }}, late interest {{ statement.overdue.penalty }})
Period in arrears: {{ statement.dpd }} days (since {{ kr.overdueSince }})
Collection starts on: {{ kr.startDate }}
Collector and handler: {{ contact.name }}, {{ contact.phone }}, {{ contact.email }}
Methods: post, e-mail, text messages, calls and visits (no more than 7 in 7 days)
Illegal collection: violence, threats, contact at night (21:00–08:00) and telling others about the debt are forbidden; a time-barred debt cannot be collected. Report illegal collection to the Financial Supervisory Service (1332).
How to object: in writing to {{ contact.address }} or by phone at {{ contact.phone }}.
Payment account: {{ contact.paymentAccount }}
You may appoint a lawyer as your agent; after that we will not contact you directly.`,
      es: `[Aviso previo del inicio del cobro]
Acreedor: {{ creditor.name }} / Cuenta: {{ account.ref }}
Importe de la deuda: {{ statement.payoff }} (vencido {{ statement.overdue.total }}: principal {{ statement.overdue.principal }}, intereses {{ statement.overdue.interest }}, cargos {{ statement.overdue.fees }}, intereses de demora {{ statement.overdue.penalty }})
Periodo de atraso: {{ statement.dpd }} días (desde {{ kr.overdueSince }})
El cobro comienza el: {{ kr.startDate }}
Cobrador y gestor: {{ contact.name }}, {{ contact.phone }}, {{ contact.email }}
Métodos: correo postal, correo electrónico, SMS, llamadas y visitas (no más de 7 en 7 días)
Cobro ilegal: están prohibidos la violencia, las amenazas, el contacto de noche (21:00–08:00) y revelar la deuda a terceros; una deuda prescrita no puede cobrarse. Denuncie el cobro ilegal ante el Financial Supervisory Service (1332).
Cómo oponerse: por escrito a {{ contact.address }} o por teléfono al {{ contact.phone }}.
Cuenta de pago: {{ contact.paymentAccount }}
Puede nombrar a un abogado como su representante; después no le contactaremos directamente.`,
      'zh-CN': `【催收开始事先通知】
债权人：{{ creditor.name }} / 账户：{{ account.ref }}
债务金额：{{ statement.payoff }}（逾期 {{ statement.overdue.total }}：本金 {{ statement.overdue.principal }}，利息 {{ statement.overdue.interest }}，费用 {{ statement.overdue.fees }}，罚息 {{ statement.overdue.penalty }}）
逾期期间：{{ statement.dpd }} 天（自 {{ kr.overdueSince }} 起）
催收开始日期：{{ kr.startDate }}
催收方及经办人：{{ contact.name }}，{{ contact.phone }}，{{ contact.email }}
催收方式：邮寄、电子邮件、短信、电话及上门（7 天内不超过 7 次）
非法催收提示：禁止暴力、威胁、夜间（21:00–08:00）联系及向他人透露债务；已过诉讼时效的债务不得催收。可向韩国金融监督院（1332）举报非法催收。
异议方式：书面寄至 {{ contact.address }} 或致电 {{ contact.phone }}。
还款账户：{{ contact.paymentAccount }}
您可以委托律师作为代理人；委托后我们将不再直接联系您。`,
      'zh-TW': `【催收開始事先通知】
債權人：{{ creditor.name }} / 帳戶：{{ account.ref }}
債務金額：{{ statement.payoff }}（逾期 {{ statement.overdue.total }}：本金 {{ statement.overdue.principal }}，利息 {{ statement.overdue.interest }}，費用 {{ statement.overdue.fees }}，罰息 {{ statement.overdue.penalty }}）
逾期期間：{{ statement.dpd }} 天（自 {{ kr.overdueSince }} 起）
催收開始日期：{{ kr.startDate }}
催收方及承辦人：{{ contact.name }}，{{ contact.phone }}，{{ contact.email }}
催收方式：郵寄、電子郵件、簡訊、電話及登門（7 天內不超過 7 次）
非法催收提示：禁止暴力、威脅、夜間（21:00–08:00）聯絡及向他人透露債務；已過消滅時效的債務不得催收。可向韓國金融監督院（1332）檢舉非法催收。
異議方式：書面寄至 {{ contact.address }} 或致電 {{ contact.phone }}。
還款帳戶：{{ contact.paymentAccount }}
您可以委任律師作為代理人；委任後我們將不再直接聯絡您。`,
    },
  },
  {
    id: 'cn_letter',
    source: 'CN.CC.LETTER — 商业银行信用卡业务监督管理办法 第68–69条',
    jurisdictions: ['CN'],
    channels: ['letter'],
    text: {
      'zh-CN': `致 {{ debtor.name }}：截至 {{ statement.asOf }}，您在 {{ creditor.name }} 的账户 {{ account.ref }} 逾期 {{ statement.dpd }} 天，逾期金额 {{ statement.overdue.total }}（本金 {{ statement.overdue.principal }}，利息 {{ statement.overdue.interest }}，费用 {{ statement.overdue.fees }}，罚息 {{ statement.overdue.penalty }}，罚息仅按逾期本金计算），未到期本金 {{ statement.outstandingPrincipal }}。
催收原因及依据：您与 {{ creditor.name }} 签订的借款合同约定的还款义务未按期履行；依据《中华人民共和国民法典》合同编。
您的权利与义务：您有义务按合同约定还款；您有权查询账户明细、对金额提出异议、并就催收行为投诉。我们不会向您的亲友或单位透露您的债务。
查询账户及提出异议：请联系 {{ contact.name }}，电话 {{ contact.phone }}，地址 {{ contact.address }}；我们将及时核实您的异议。
本函以数字签名代替印章，可凭验证码核验。`,
      'zh-TW': `致 {{ debtor.name }}：截至 {{ statement.asOf }}，您在 {{ creditor.name }} 的帳戶 {{ account.ref }} 逾期 {{ statement.dpd }} 天，逾期金額 {{ statement.overdue.total }}（本金 {{ statement.overdue.principal }}，利息 {{ statement.overdue.interest }}，費用 {{ statement.overdue.fees }}，罰息 {{ statement.overdue.penalty }}，罰息僅按逾期本金計算），未到期本金 {{ statement.outstandingPrincipal }}。
催收原因及依據：您與 {{ creditor.name }} 簽訂的借款合同約定的還款義務未按期履行；依據《中華人民共和國民法典》合同編。
您的權利與義務：您有義務按合同約定還款；您有權查詢帳戶明細、對金額提出異議、並就催收行為投訴。我們不會向您的親友或單位透露您的債務。
查詢帳戶及提出異議：請聯絡 {{ contact.name }}，電話 {{ contact.phone }}，地址 {{ contact.address }}；我們將及時核實您的異議。
本函以數位簽章代替印章，可憑驗證碼核驗。`,
      en: `To {{ debtor.name }}: as of {{ statement.asOf }}, your account {{ account.ref }} with {{ creditor.name }} is {{ statement.dpd }} days overdue; overdue amount {{ statement.overdue.total }} (principal {{ statement.overdue.principal }}, interest {{ statement.overdue.interest }}, fees {{ statement.overdue.fees }}, penalty interest {{ statement.overdue.penalty }}, charged on overdue principal only); principal not yet due {{ statement.outstandingPrincipal }}.
Reason and legal basis: the repayments agreed in your loan contract with {{ creditor.name }} were not made on time (Civil Code of the PRC, Book III Contracts).
Your rights and duties: you must repay as the contract says; you may ask for your account details, object to the amount and complain about how you are contacted. We never tell your family, friends or employer about the debt.
To check your account or object: {{ contact.name }}, {{ contact.phone }}, {{ contact.address }}; we verify objections promptly.
This letter is sealed by a digital signature instead of a stamp; check it with the verification code.`,
      es: `A {{ debtor.name }}: a {{ statement.asOf }}, su cuenta {{ account.ref }} con {{ creditor.name }} tiene {{ statement.dpd }} días de atraso; importe vencido {{ statement.overdue.total }} (principal {{ statement.overdue.principal }}, intereses {{ statement.overdue.interest }}, cargos {{ statement.overdue.fees }}, intereses de demora {{ statement.overdue.penalty }}, solo sobre el principal vencido); principal no vencido {{ statement.outstandingPrincipal }}.
Motivo y base legal: no se realizaron a tiempo los pagos pactados en su contrato de préstamo con {{ creditor.name }} (Código Civil de la RPC, Libro III Contratos).
Sus derechos y obligaciones: debe pagar según el contrato; puede pedir el detalle de su cuenta, oponerse al importe y reclamar sobre la forma de contacto. Nunca revelamos la deuda a su familia, amigos o empleador.
Para consultar su cuenta u oponerse: {{ contact.name }}, {{ contact.phone }}, {{ contact.address }}; verificamos las objeciones con prontitud.
Esta carta está sellada con una firma digital en lugar de un sello; compruébela con el código de verificación.`,
      ko: `{{ debtor.name }} 님께: {{ statement.asOf }} 현재 {{ creditor.name }} 의 계좌 {{ account.ref }} 는 {{ statement.dpd }}일 연체되었으며, 연체 금액은 {{ statement.overdue.total }} (원금 {{ statement.overdue.principal }}, 이자 {{ statement.overdue.interest }}, 수수료 {{ statement.overdue.fees }}, 연체이자 {{ statement.overdue.penalty }}, 연체 원금에만 부과) 이고, 기한 미도래 원금은 {{ statement.outstandingPrincipal }} 입니다.
사유 및 법적 근거: {{ creditor.name }} 와의 대출 계약에서 약정한 상환이 기한 내에 이루어지지 않았습니다 (중화인민공화국 민법전 제3편 계약).
귀하의 권리와 의무: 계약에 따라 상환할 의무가 있으며, 계좌 내역 조회, 금액에 대한 이의 제기, 추심 방식에 대한 민원을 제기할 수 있습니다. 가족, 지인 또는 직장에 채무 사실을 알리지 않습니다.
계좌 조회 및 이의 제기: {{ contact.name }}, {{ contact.phone }}, {{ contact.address }}; 이의는 신속히 확인합니다.
이 서신은 인감 대신 전자서명으로 날인되었으며 인증 코드로 확인할 수 있습니다.`,
    },
  },
];

/** The rules that apply to one message. */
export function requiredRules(jurisdiction: string, channel: ChannelName, template: string): RequiredRule[] {
  return REQUIRED_RULES.filter(
    (r) =>
      (!r.jurisdictions || r.jurisdictions.includes(jurisdiction)) &&
      (!r.channels || r.channels.includes(channel)) &&
      (!r.templates || r.templates.includes(template)),
  );
}
