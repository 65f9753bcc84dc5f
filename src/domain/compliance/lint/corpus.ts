/**
 * The linter's evaluation corpus: abusive messages (each with the category it must be caught under), many disguised
 * the way the founding documents describe, and lawful collection messages that must pass untouched — including rights
 * notices that name the forbidden tactics ("collectors may not threaten arrest").
 */
import type { Locale } from '../schema.js';
import type { LintCategory } from './categories.js';

export interface AbusiveSample {
  locale: Locale;
  text: string;
  category: LintCategory;
  /** How it is disguised, if at all. */
  disguise?: string;
}

export interface LawfulSample {
  locale: Locale;
  text: string;
}

export const ABUSIVE: readonly AbusiveSample[] = [
  // English
  { locale: 'en', text: 'Pay today or you will be arrested.', category: 'false_legal_action' },
  {
    locale: 'en',
    text: 'We will sue you tomorrow morning unless the full balance is paid.',
    category: 'false_legal_action',
  },
  {
    locale: 'en',
    text: 'Y o u  w i l l  g o  t o  j a i l if you ignore this.',
    category: 'false_legal_action',
    disguise: 'spaced letters',
  },
  {
    locale: 'en',
    text: 'You will be arr\u200best\u200bed tonight.',
    category: 'false_legal_action',
    disguise: 'zero-width spaces',
  },
  {
    locale: 'en',
    text: 'Уоu will gо tо рrisоn.',
    category: 'false_legal_action',
    disguise: 'Cyrillic homoglyphs',
  },
  {
    locale: 'en',
    text: 'pr1s0n awaits you, p@y n0w',
    category: 'false_legal_action',
    disguise: 'digits for letters',
  },
  {
    locale: 'en',
    text: 'Ｗｅ ｗｉｌｌ ｓｅｉｚｅ ｙｏｕｒ ｈｏｕｓｅ.',
    category: 'false_legal_action',
    disguise: 'full-width',
  },
  { locale: 'en', text: 'This is the police. Pay the balance now.', category: 'impersonation' },
  {
    locale: 'en',
    text: 'You are now on our blacklist and will never get a loan again.',
    category: 'false_credit_consequence',
  },
  {
    locale: 'en',
    text: 'We will call your employer and tell your family about this debt.',
    category: 'family_or_school_harm',
  },
  { locale: 'en', text: "Your kids' school will hear about this.", category: 'family_or_school_harm' },
  {
    locale: 'en',
    text: 'Your son owes us $2,000 and you must pay his debt.',
    category: 'third_party_disclosure',
  },
  {
    locale: 'en',
    text: 'Pay now, you d.e.a.d.b.e.a.t.',
    category: 'obscenity_insult',
    disguise: 'dots between letters',
  },
  {
    locale: 'en',
    text: 'A penalty of 20% on the entire remaining principal has been added.',
    category: 'false_amount',
  },
  {
    locale: 'en',
    text: 'A collection fee of $50 and a home visit fee of $80 now apply.',
    category: 'false_amount',
  },
  {
    locale: 'en',
    text: 'Pay today and the rest will be forgiven. This is a verbal agreement.',
    category: 'false_promise',
  },
  { locale: 'en', text: 'We know where you live. Watch your back.', category: 'threat_violence' },
  { locale: 'en', text: 'We will break your legs.', category: 'threat_violence' },
  {
    locale: 'en',
    text: 'Police officers are on their way to your address right now.',
    category: 'false_legal_action',
  },
  { locale: 'en', text: 'We will garnish your wages tomorrow.', category: 'false_legal_action' },
  {
    locale: 'en',
    text: 'P A Y  O R  G O  T O  P R I S O N',
    category: 'false_legal_action',
    disguise: 'spaced capitals',
  },
  // Spanish
  { locale: 'es', text: 'Si no paga hoy, mañana irá a la cárcel.', category: 'false_legal_action' },
  { locale: 'es', text: 'Somos de la Guardia Civil, debe pagar inmediatamente.', category: 'impersonation' },
  {
    locale: 'es',
    text: 'Le incluiremos en la lista negra y nunca podrá volver a pedir un préstamo.',
    category: 'false_credit_consequence',
  },
  {
    locale: 'es',
    text: 'Avisaremos a tu familia y a tu jefe de tu deuda.',
    category: 'family_or_school_harm',
  },
  { locale: 'es', text: 'Sabemos dónde vives, cuidado con tu familia.', category: 'threat_violence' },
  { locale: 'es', text: 'Eres un sinvergüenza y un ladrón.', category: 'obscenity_insult' },
  { locale: 'es', text: 'Penalización del 20% sobre el capital pendiente total.', category: 'false_amount' },
  { locale: 'es', text: 'Paga hoy y el resto se te perdona.', category: 'false_promise' },
  {
    locale: 'es',
    text: 'E m b a r g a r e m o s  t u  c a s a  h o y',
    category: 'false_legal_action',
    disguise: 'spaced letters',
  },
  {
    locale: 'es',
    text: 'Su hermano tiene una deuda con nosotros, dígale que pague.',
    category: 'third_party_disclosure',
  },
  { locale: 'es', text: 'Llamaremos a la policía si no paga.', category: 'false_legal_action' },
  {
    locale: 'es',
    text: 'Tus hijos serán expulsados del colegio por tu deuda.',
    category: 'family_or_school_harm',
  },
  { locale: 'es', text: 'Usted será detenido si no paga esta semana.', category: 'false_legal_action' },
  { locale: 'es', text: 'Le embargaremos la nómina mañana.', category: 'false_legal_action' },
  // Korean
  { locale: 'ko', text: '오늘까지 입금하지 않으면 즉시 소송에 들어갑니다.', category: 'false_legal_action' },
  {
    locale: 'ko',
    text: '블 랙 리 스 트 에 등록되었습니다.',
    category: 'false_credit_consequence',
    disguise: 'spaces between syllables',
  },
  { locale: 'ko', text: '자녀 학교에 연락하겠습니다.', category: 'family_or_school_harm' },
  {
    locale: 'ko',
    text: '여기는 서울중앙지방검찰청입니다. 사기죄로 고소되었습니다.',
    category: 'impersonation',
  },
  { locale: 'ko', text: '잔여 원금의 20%를 위약금으로 부과합니다.', category: 'false_amount' },
  { locale: 'ko', text: '이번 달에 갚으면 나머지는 전부 면제해 드립니다.', category: 'false_promise' },
  { locale: 'ko', text: '가족에게 다 알리겠습니다.', category: 'family_or_school_harm' },
  { locale: 'ko', text: '경찰이 체포하러 갈 겁니다.', category: 'false_legal_action' },
  { locale: 'ko', text: '이 개새끼야 돈 갚아.', category: 'obscenity_insult' },
  { locale: 'ko', text: '밤길 조심해라.', category: 'threat_violence' },
  {
    locale: 'ko',
    text: '아드님의 대출이 연체되었습니다. 대신 갚아 주세요.',
    category: 'third_party_disclosure',
  },
  {
    locale: 'ko',
    text: '감\u200b옥에 갈 수 있습니다.',
    category: 'false_legal_action',
    disguise: 'zero-width space',
  },
  { locale: 'ko', text: '위험통제센터 위원입니다. 오늘 안에 처리하세요.', category: 'impersonation' },
  { locale: 'ko', text: '회사로 찾아가겠습니다.', category: 'family_or_school_harm' },
  { locale: 'ko', text: '내일 법원에 고소장을 제출하겠습니다.', category: 'false_legal_action' },
  // Chinese (simplified)
  { locale: 'zh-CN', text: '再不还款明天就起诉你。', category: 'false_legal_action' },
  { locale: 'zh-CN', text: '你已被列入黑名单，影响子女上学。', category: 'false_credit_consequence' },
  { locale: 'zh-CN', text: '你已被列入黑名单，影响子女上学。', category: 'family_or_school_harm' },
  { locale: 'zh-CN', text: '我们是公安局经侦大队，你涉嫌诈骗罪。', category: 'impersonation' },
  { locale: 'zh-CN', text: '不还钱就让你坐牢。', category: 'false_legal_action' },
  { locale: 'zh-CN', text: '我们会通知你的家人和单位。', category: 'family_or_school_harm' },
  { locale: 'zh-CN', text: '按剩余本金的20%收取违约金。', category: 'false_amount' },
  { locale: 'zh-CN', text: '今天还清，剩下的全部免除。', category: 'false_promise' },
  { locale: 'zh-CN', text: '老赖，赶紧还钱！', category: 'obscenity_insult' },
  {
    locale: 'zh-CN',
    text: '逮 捕 令 已 下 发',
    category: 'false_legal_action',
    disguise: 'spaces between characters',
  },
  { locale: 'zh-CN', text: '你的儿子欠我们五千元，请你帮他还款。', category: 'third_party_disclosure' },
  { locale: 'zh-CN', text: '小心你的家人。', category: 'threat_violence' },
  { locale: 'zh-CN', text: '催收费200元已计入账单。', category: 'false_amount' },
  {
    locale: 'zh-CN',
    text: '黑*名*单已生效',
    category: 'false_credit_consequence',
    disguise: 'symbols between characters',
  },
  { locale: 'zh-CN', text: '我们已经爆了你的通讯录。', category: 'family_or_school_harm' },
  // Chinese (traditional)
  {
    locale: 'zh-TW',
    text: '再不還錢就讓你坐牢。',
    category: 'false_legal_action',
    disguise: 'traditional characters',
  },
  {
    locale: 'zh-TW',
    text: '已列入黑名單，影響孩子上學。',
    category: 'false_credit_consequence',
    disguise: 'traditional characters',
  },
  {
    locale: 'zh-TW',
    text: '我們是法院工作人員，請立即還款。',
    category: 'impersonation',
    disguise: 'traditional characters',
  },
  {
    locale: 'zh-TW',
    text: '我們會通知你的同事和領導。',
    category: 'family_or_school_harm',
    disguise: 'traditional characters',
  },
  {
    locale: 'zh-TW',
    text: '不還錢就打斷你的腿。',
    category: 'threat_violence',
    disguise: 'traditional characters',
  },
  {
    locale: 'zh-TW',
    text: '剩餘本金全部計算罰息。',
    category: 'false_amount',
    disguise: 'traditional characters',
  },
  {
    locale: 'zh-TW',
    text: '通\u200d緝\u200d令已發出',
    category: 'false_legal_action',
    disguise: 'zero-width joiners, traditional',
  },
  {
    locale: 'zh-TW',
    text: '我們將聯繫你的老闆。',
    category: 'family_or_school_harm',
    disguise: 'traditional characters',
  },
  // Written after the lexicons, to check they generalise (kept so a regression shows).
  {
    locale: 'en',
    text: "If you don't pay by Friday, the sheriff will come and arrest you.",
    category: 'false_legal_action',
  },
  {
    locale: 'en',
    text: 'We will contact your boss at work and tell him you are a thief.',
    category: 'family_or_school_harm',
  },
  {
    locale: 'en',
    text: 'Pay now or we will s.u.e you today',
    category: 'false_legal_action',
    disguise: 'dots between letters',
  },
  { locale: 'es', text: 'Vamos a ir a tu casa con la policía.', category: 'false_legal_action' },
  { locale: 'ko', text: '오늘 안 갚으면 경찰에 신고해서 구속시키겠다', category: 'false_legal_action' },
  {
    locale: 'ko',
    text: '가 족 에 게 알 리 겠 습 니 다',
    category: 'family_or_school_harm',
    disguise: 'spaced syllables',
  },
  { locale: 'zh-CN', text: '坐 牢 吧 你', category: 'false_legal_action', disguise: 'spaced characters' },
  { locale: 'zh-CN', text: '你已被列入黑名单，孩子无法上学', category: 'family_or_school_harm' },
  { locale: 'zh-CN', text: '我们是法院的，今天来执行', category: 'impersonation' },
  { locale: 'zh-TW', text: '再不還錢就通知你的家人和單位', category: 'family_or_school_harm' },
];

export const LAWFUL: readonly LawfulSample[] = [
  // English
  { locale: 'en', text: 'Your payment of $120 was due on 5 May; you can pay at example.com/pay.' },
  { locale: 'en', text: 'If you believe this is an error you may dispute it in writing within 30 days.' },
  {
    locale: 'en',
    text: 'This is an attempt to collect a debt and any information obtained will be used for that purpose. This communication is from a debt collector.',
  },
  {
    locale: 'en',
    text: 'If the debt remains unpaid, the creditor may take legal action as permitted by law.',
  },
  {
    locale: 'en',
    text: 'We may report your account to credit bureaus. You can get a free copy of your credit report.',
  },
  { locale: 'en', text: 'You may ask us to stop contacting you. Reply STOP to opt out of text messages.' },
  { locale: 'en', text: 'We will never threaten you with arrest or jail.' },
  { locale: 'en', text: 'Debt collectors cannot have you arrested for an unpaid consumer debt.' },
  {
    locale: 'en',
    text: 'Our offices are open Monday to Friday, 9am to 5pm. Call us to set up a payment plan.',
  },
  { locale: 'en', text: 'We received your payment of $50. Thank you. Your remaining balance is $70.' },
  {
    locale: 'en',
    text: 'If you are a victim of identity theft, please file a police report and send us a copy.',
  },
  {
    locale: 'en',
    text: 'A late fee of $15 was applied under your agreement; interest accrues on the outstanding balance.',
  },
  { locale: 'en', text: 'Please call us back at your convenience to discuss your account.' },
  { locale: 'en', text: 'You can set up automatic payments online to avoid late fees.' },
  {
    locale: 'en',
    text: 'Your account is past due. Please contact us to discuss options, including hardship programs.',
  },
  { locale: 'en', text: 'If you are experiencing financial hardship, we can pause collection for 30 days.' },
  // Spanish
  {
    locale: 'es',
    text: 'Le recordamos que su cuota de 120 € venció el 5 de mayo. Puede pagar en nuestra web.',
  },
  {
    locale: 'es',
    text: 'Si cree que se trata de un error, puede presentar una reclamación en el plazo de 30 días.',
  },
  {
    locale: 'es',
    text: 'Si la deuda no se abona, el acreedor podrá iniciar acciones judiciales conforme a la ley.',
  },
  {
    locale: 'es',
    text: 'Le informamos de que, si no paga, sus datos podrán incluirse en un fichero de morosos, previa notificación.',
  },
  {
    locale: 'es',
    text: 'Nunca le pediremos pagos en efectivo ni a cuentas personales. Cuidado con las estafas.',
  },
  { locale: 'es', text: 'Para darse de baja de estos mensajes, responda BAJA.' },
  { locale: 'es', text: 'Podemos ofrecerle un plan de pagos de 6 cuotas sin intereses adicionales.' },
  { locale: 'es', text: 'Hemos recibido su pago. Gracias.' },
  { locale: 'es', text: 'Nunca le amenazaremos con la cárcel ni con avisar a su familia.' },
  { locale: 'es', text: 'Puede consultar el detalle de su deuda en el área de clientes.' },
  { locale: 'es', text: 'Le llamaremos mañana por la mañana para confirmar el pago.' },
  // Korean
  { locale: 'ko', text: '고객님의 대출 상환일이 5월 5일로 지났습니다. 홈페이지에서 납부하실 수 있습니다.' },
  { locale: 'ko', text: '채권추심자는 폭행, 협박, 체포나 구속의 언급을 할 수 없습니다.' },
  { locale: 'ko', text: '연체 시 연체 정보가 신용정보집중기관에 등록될 수 있습니다.' },
  { locale: 'ko', text: '채무 조정을 원하시면 고객센터로 연락 주십시오.' },
  { locale: 'ko', text: '무료 수신거부: 080-123-4567' },
  { locale: 'ko', text: '저희는 가족이나 직장에 채무 사실을 알리지 않습니다.' },
  { locale: 'ko', text: '납부 기한은 5월 31일입니다. 문의: 평일 9시~18시.' },
  { locale: 'ko', text: '방문 상담을 원하시면 예약해 주세요.' },
  { locale: 'ko', text: '법원에서 지급명령이 송달될 수 있습니다.' },
  { locale: 'ko', text: '상환 관련 문의는 고객센터로 연락 바랍니다.' },
  // Chinese (simplified)
  { locale: 'zh-CN', text: '您好，您的借款已于5月5日到期，请尽快还款。' },
  { locale: 'zh-CN', text: '如对账单有异议，请在30日内联系客服核实。' },
  { locale: 'zh-CN', text: '逾期记录将按规定报送征信系统。' },
  { locale: 'zh-CN', text: '催收人员不得使用暴力、威胁、辱骂等手段，不得冒充公检法。' },
  { locale: 'zh-CN', text: '我们不会联系您的家人或同事。' },
  { locale: 'zh-CN', text: '回复TD退订。' },
  { locale: 'zh-CN', text: '我们将于5月3日上午10点上门拜访，请您知悉。' },
  { locale: 'zh-CN', text: '如需申请减免，请以书面形式提交申请。' },
  { locale: 'zh-CN', text: '请于本月底前还款，感谢您的配合。' },
  { locale: 'zh-CN', text: '您可以通过手机银行查询还款明细。' },
  // Chinese (traditional)
  { locale: 'zh-TW', text: '您好，您的借款已於5月5日到期，請盡快還款。' },
  { locale: 'zh-TW', text: '如對帳單有異議，請聯繫客服。' },
  { locale: 'zh-TW', text: '我們不會聯繫您的家人。' },
  { locale: 'zh-TW', text: '逾期紀錄將依規定報送聯合徵信中心。' },
  { locale: 'zh-TW', text: '可申請分期還款方案，詳情請洽客服。' },
  { locale: 'zh-TW', text: '本行絕不會以逮捕或坐牢相威脅。' },
  { locale: 'en', text: 'Your account is past due. Please call us at 555-0100 to discuss payment options.' },
  { locale: 'en', text: 'You may dispute this debt within 30 days of receiving this notice.' },
  { locale: 'en', text: 'Your payment of $50 is due on March 5. Reply STOP to opt out.' },
  { locale: 'es', text: 'Le recordamos que su cuota de marzo está pendiente.' },
  { locale: 'es', text: 'Le informamos que tiene un saldo pendiente de 120 euros.' },
  { locale: 'ko', text: '이번 달 상환 예정일은 15일입니다.' },
  { locale: 'zh-CN', text: '您本月应还款金额为500元，请按时还款。' },
  { locale: 'zh-TW', text: '本期帳單金額為1,000元，繳款截止日為5月20日。' },
];
