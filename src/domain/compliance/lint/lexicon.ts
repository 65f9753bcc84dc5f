/**
 * The abusive-wording lexicons, written against normalised text (see normalize.ts): lower case, no accents, Latin words
 * separated by single spaces and apostrophes removed ("dont"), Korean and Chinese with no spaces at all and Chinese in
 * simplified characters. Patterns use only non-capturing groups.
 *
 * Conservative on purpose: a lawful reminder may say a creditor "may take legal action", that an account "may be
 * reported to credit bureaus", or list a debtor's rights ("collectors may not threaten arrest"); only threats that are
 * immediate, criminal, violent, humiliating or invented are patterns here, and a negation just before (Latin, Chinese)
 * or just after (Korean) a match cancels it.
 */
import type { LintCategory } from './categories.js';

export type LexiconName = 'en' | 'es' | 'ko' | 'zh';

export type Negation =
  | { kind: 'words-before'; window: number; words: ReadonlySet<string>; conditions: ReadonlySet<string> }
  | { kind: 'text-after'; window: number; pattern: RegExp }
  | { kind: 'text-before'; window: number; pattern: RegExp };

export interface Lexicon {
  readonly name: LexiconName;
  readonly script: 'latin' | 'cjk';
  readonly negation: Negation;
  /** Categories whose matches stand even after a negation ("you are not a bastard" is still an insult). */
  readonly unnegatable: readonly LintCategory[];
  readonly patterns: Readonly<Record<LintCategory, readonly string[]>>;
}

const R = String.raw;

const FAMILY_EN = R`(?:family|wife|husband|spouse|partner|parents?|mother|father|mom|mum|dad|kids|children|sons?|daughters?|brothers?|sisters?|relatives|employer|boss|manager|coworkers|co workers|colleagues|neighbou?rs|friends|contacts|church|school|hr department)`;
const SOON_EN = R`(?:today|tonight|tomorrow|immediately|right now|right away|within (?:24|48|72|twenty four|forty eight) hours|in (?:24|48|72) hours|by (?:end of day|tonight|tomorrow))`;

const en: Lexicon = {
  name: 'en',
  script: 'latin',
  negation: {
    kind: 'words-before',
    window: 7,
    words: new Set([
      'not',
      'never',
      'no',
      'cannot',
      'cant',
      'wont',
      'dont',
      'doesnt',
      'isnt',
      'arent',
      'nor',
      'prohibited',
      'forbidden',
      'without',
    ]),
    conditions: new Set(['pay', 'paid', 'respond', 'reply', 'call', 'contact', 'settle', 'act', 'ignore']),
  },
  unnegatable: ['obscenity_insult'],
  patterns: {
    threat_violence: [
      R`\b(?:kill|murder|shoot|stab|strangle)(?: \w+){0,2} (?:you|your|ur|yourself)\b`,
      R`\b(?:hurt|harm|beat up|beat) (?:you|your (?:family|kids|children|wife|husband))\b`,
      R`\bbreak (?:your|ur) (?:legs?|arms?|neck|bones|face|knees?|fingers)\b`,
      R`\b(?:burn|torch|smash) (?:down )?(?:your|ur) (?:house|home|car|shop)\b`,
      R`\bwe know where (?:you|ur) (?:live|work|sleep)\b`,
      R`\b(?:watch|mind) your back\b`,
      R`\byou(?:ll| will| are going to| re going to) (?:regret|be sorry|die|pay with your)\b`,
      R`\bsomething bad (?:will|could|might|is going to) happen\b`,
      R`\bpay or (?:else|suffer|die)\b`,
      R`\b(?:your|ur) (?:family|kids|children)(?: \w+){0,2} (?:safety|wont be safe|will not be safe|in danger)\b`,
    ],
    false_legal_action: [
      R`\b(?:arrest(?:ed|ing)?|arrest warrant|warrant for your arrest|jail(?:ed)?|prison|imprison(?:ed|ment)?|locked up|behind bars|handcuff(?:ed|s)?|deport(?:ed|ation)?)\b`,
      R`\bcriminal (?:charges?|case|complaint|prosecution|record|investigation|offen[cs]e)\b`,
      R`\b(?:charged|prosecuted|reported) (?:with|for) (?:fraud|theft|a crime|a criminal offen[cs]e)\b`,
      R`\b(?:you )?(?:have )?committed (?:fraud|a crime|theft)\b`,
      R`\b(?:sue you|sued|lawsuit|legal action|court action|court case|take you to court|court hearing|summons|file (?:a )?(?:suit|case|claim|lawsuit) against you)\b(?: \w+){0,5} ${SOON_EN}\b`,
      R`\bimmediate (?:lawsuit|legal action|court action|arrest|prosecution|garnishment|seizure|repossession)\b`,
      R`\b(?:seize|seizing|confiscate|confiscating)(?: \w+){0,2} (?:your |ur )?(?:house|home|car|vehicle|property|assets|belongings|furniture|wages|salary|bank accounts?|possessions)\b`,
      R`\b(?:repossess|garnish|freeze|take)(?: \w+){0,2} (?:your |ur )?(?:house|home|car|vehicle|property|assets|belongings|wages|salary|paycheck|bank accounts?)(?: \w+){0,3} ${SOON_EN}\b`,
      R`\bfreeze (?:all )?(?:your|ur) (?:bank )?accounts?\b`,
      R`\b(?:send|sending|call|calling|notify|alert) (?:the )?(?:police|sheriff|cops|authorities)\b`,
      R`\b(?:police|sheriff|cops|officers|marshals?)(?: \w+){0,2} (?:will|are going to|is going to|are coming|is coming|on their way)\b`,
    ],
    false_credit_consequence: [
      R`\bblack ?list(?:ed|ing)?\b`,
      R`\b(?:ruin|destroy|wreck|trash)(?:ed|s|ing)?(?: \w+){0,2} credit(?: \w+){0,3} (?:forever|for life|permanently|for good)\b`,
      R`\bcredit (?:will be |is |gets )?(?:ruined|destroyed|wrecked)(?: \w+){0,2} (?:forever|for life|permanently)\b`,
      R`\b(?:never|no bank will ever|nobody will ever)(?: \w+){0,5} (?:loans?|credit|mortgages?|credit cards?)(?: \w+){0,3} (?:again|ever)\b`,
      R`\bbad credit (?:for life|forever)\b`,
      R`\bcredit score (?:will (?:be|drop to) )?(?:zero|destroyed)\b`,
    ],
    family_or_school_harm: [
      R`\b(?:tell|inform|notify|call|contact|visit|email|text|message|warn|alert|expose you to)(?:ing)? (?:all )?(?:of )?(?:your|ur) ${FAMILY_EN}\b`,
      R`\b(?:kids?|child(?:ren)?s?|sons?|daughters?)(?: \w+){0,3} (?:school|university|college|education|exams?|enrol?lment|admission)\b`,
      R`\b(?:expelled|kicked out of school|civil service exam)\b`,
      R`\b(?:everyone|the whole (?:neighbou?rhood|town|village|office|family)) will (?:know|find out|hear)\b`,
      R`\bembarrass(?:ed)? (?:you )?in front of\b`,
    ],
    impersonation: [
      R`\b(?:this is|i am|im|we are|were|calling from|on behalf of|message from|notice from|officer from) (?:the |an |a )?(?:police|sheriff|sheriffs office|marshals?|fbi|irs|district attorneys? office|district attorney|prosecutors? office|prosecutor|court|courthouse|county court|federal court|government|department of justice|state attorney|judge|bailiff)\b`,
      R`\b(?:police|sheriff|federal|government|court) (?:officer|official|agent|investigator|bailiff)\b`,
      R`\bofficial (?:court|government|police) (?:notice|summons|order|warrant)\b`,
      R`\bpre ?litigation (?:mediator|mediation officer|department)\b`,
      R`\brisk control (?:committee|center|centre) (?:member|officer)\b`,
    ],
    third_party_disclosure: [
      R`\b(?:your|his|her|their) (?:son|daughter|husband|wife|spouse|brother|sister|father|mother|dad|mom|relative|friend|employee|colleague|coworker|tenant|neighbou?r)s? (?:owes|has (?:a |an )?(?:unpaid |overdue |outstanding )?(?:debt|balance|loan)|is (?:behind|delinquent|in default|overdue)|(?:unpaid |overdue |outstanding )?(?:debts?|loans?|balance))\b`,
      R`\b(?:he|she|they) (?:owes?|owe us|has not paid|hasnt paid|have not paid|is behind on (?:his|her|their) payments)\b`,
      R`\bpay (?:his|her|their) (?:debts?|loans?|balance|bills?)\b`,
      R`\bpay (?:on behalf of|for) (?:your )?(?:son|daughter|husband|wife|brother|sister|father|mother|relative|friend)\b`,
      R`\b(?:tell|ask|remind) (?:him|her|them) to pay\b`,
      R`\b(?:publish|post|share|announce)(?: \w+){0,3} (?:your |ur )?(?:name|photo|picture|debt|details)(?: \w+){0,3} (?:online|on social media|on facebook|on instagram|publicly|in public|at your (?:work|office|home))\b`,
      R`\b(?:debtors? list|wall of shame)\b`,
    ],
    obscenity_insult: [
      R`\b(?:fuck\w*|shit\w*|bitch\w*|bastard\w*|asshole\w*|cunt\w*|dickhead\w*|motherfuck\w*|piece of (?:shit|trash|garbage|crap)|dumbass|deadbeat\w*|scumbag\w*|scum|lowlife|loser|idiot\w*|moron\w*|stupid|worthless|parasite|leech|thief|thieves|liar|crook|freeloader)\b`,
    ],
    false_amount: [
      R`\b(?:penalt(?:y|ies)|late fees?|default (?:fee|charge|interest))(?: \w+){0,5} (?:on|of|against) (?:the |your )?(?:(?:entire|whole|full|total|remaining) ){1,2}(?:principal|loan amount|loan|balance)\b`,
      R`\b(?:collection|visit|visiting|home visit|field visit|field|doorstep|door step|agency|outsourcing) (?:fees?|charges?|costs?)\b`,
      R`\b(?:fee|fees|charge) for (?:this|each|every) (?:call|visit|letter|reminder|message)\b`,
      R`\b(?:amount|balance|debt) (?:will )?(?:double|triple|doubles|triples)\b`,
    ],
    false_promise: [
      R`\bpay (?:now|today|this month|this week|one installment|one payment|just one)(?: \w+){0,3} (?:and|then) (?:the rest|the remainder|the remaining(?: balance| amount)?|everything else|all (?:fees|penalties|interest)|all the rest)(?: \w+){0,2} (?:is|are|will be|gets?) (?:forgiven|waived|cancell?ed|erased|wiped|written off|forgotten)\b`,
      R`\bverbal(?:ly)? (?:agreement|promise|reduction|discount|settlement|approval|waiver|deal)\b`,
      R`\b(?:off the record|between you and me|dont tell anyone)\b`,
      R`\bno need (?:to put (?:it|this) |for anything )?in writing\b`,
      R`\byou (?:wont|will not) (?:have|need) to pay (?:anything|again|for years|the rest)\b`,
      R`\bi (?:can|will) personally (?:cancel|waive|erase|remove|reduce)\b`,
    ],
  },
};

const FAMILY_ES = R`(?:familia|familiares|esposa|esposo|marido|mujer|pareja|padres|madre|padre|hijos|hijas|hermanos|jefe|empresa|trabajo|empleador|companeros|vecinos|amigos|contactos)`;
const SOON_ES = R`(?:hoy|manana|inmediat[oa]s?|inmediatamente|ahora mismo|en (?:24|48|72) horas|esta tarde|esta noche)`;

const es: Lexicon = {
  name: 'es',
  script: 'latin',
  negation: {
    kind: 'words-before',
    window: 7,
    words: new Set(['no', 'nunca', 'jamas', 'ni', 'tampoco', 'sin', 'prohibido', 'prohibida']),
    conditions: new Set([
      'paga',
      'pagas',
      'pague',
      'pagues',
      'pagar',
      'abona',
      'abone',
      'responde',
      'responda',
      'contesta',
      'conteste',
      'llama',
      'llame',
    ]),
  },
  unnegatable: ['obscenity_insult'],
  patterns: {
    threat_violence: [
      R`\b(?:te|le|los|les) (?:vamos a|voy a|van a) (?:matar|romper|partir|quemar|hacer dano|pegar|dar una paliza)\b`,
      R`\b(?:matarte|matarle|romperte|partirte|quemarte|pegarte|hacerte dano)\b`,
      R`\bsabemos donde (?:vives|vive|trabajas|trabaja|duermes|estudian tus hijos)\b`,
      R`\b(?:cuidado|ojo) con (?:tu|su) (?:familia|hijos|casa|coche)\b`,
      R`\bte (?:arrepentiras|vas a arrepentir)\b`,
      R`\b(?:algo malo|un accidente) (?:te |le )?(?:puede|podria|va a) (?:pasar|ocurrir)\b`,
      R`\b(?:romper|partir)(?:te|le)? las piernas\b`,
    ],
    false_legal_action: [
      R`\b(?:carcel|prision|detenid[oa]s?|arrestad[oa]s?|arresto|encarcelad[oa]s?|esposad[oa]s?|calabozo|deportad[oa]s?)\b`,
      R`\borden de (?:detencion|arresto|busca y captura)\b`,
      R`\b(?:denuncia|querella|delito|causa|responsabilidad) penal\b`,
      R`\b(?:denunciar(?:le|te)?|acusar(?:le|te)?|denunciaremos|acusaremos) (?:por|de) (?:estafa|fraude|robo|apropiacion indebida)\b`,
      R`\b(?:ha|has) cometido (?:un delito|una estafa|fraude)\b`,
      R`\b(?:demanda|juicio|embargo|embargar(?:emos)?|demandar(?:emos|le|te)?|procedimiento judicial|acciones? legal(?:es)?|acciones? judicial(?:es)?)\b(?: \w+){0,5} ${SOON_ES}\b`,
      R`\b(?:embargo|demanda|juicio|desahucio) inmediat[oa]\b`,
      R`\b(?:embargar(?:emos|te|le)?|embargamos|quitar(?:emos|te|le)?|llevarnos)(?: \w+){0,2} (?:tu|su|la) (?:casa|vivienda|coche|sueldo|nomina|cuenta|muebles|bienes)\b`,
      R`\b(?:policia|guardia civil|mossos)(?: \w+){0,3} (?:ira|iran|va a ir|vendra|vendran|te buscara|le buscara|a tu casa|a su casa|a detener(?:te|le)?)\b`,
      R`\b(?:llamar|llamaremos|avisar|avisaremos|enviar|enviaremos) a la (?:policia|guardia civil)\b`,
      R`\b(?:ir|iremos|vamos|vendremos|apareceremos|presentaremos)(?: \w+){0,4} con la (?:policia|guardia civil)\b`,
    ],
    false_credit_consequence: [
      R`\blista negra\b`,
      R`\b(?:nunca|jamas) (?:mas )?(?:podra|podras|volvera|volveras|tendra|tendras)(?: \w+){0,4} (?:prestamos?|creditos?|hipotecas?|tarjetas?|financiacion)\b`,
      R`\b(?:historial|credito|vida financiera)(?: \w+){0,3} (?:arruinad[oa]|destruid[oa]|manchad[oa])(?: \w+){0,2} (?:para siempre|de por vida)\b`,
      R`\b(?:para siempre|de por vida) en (?:el fichero|la lista|asnef)\b`,
    ],
    family_or_school_harm: [
      R`\b(?:avisar|avisaremos|informar|informaremos|llamar|llamaremos|contactar|contactaremos|visitar|visitaremos|escribir|escribiremos|contar|contaremos|decir|diremos)(?:le|te|les)? (?:a )?(?:toda )?(?:tu|su|sus|tus) ${FAMILY_ES}\b`,
      R`\b(?:se lo|te lo|le lo) (?:diremos|contaremos) a (?:tu|su|sus|tus) ${FAMILY_ES}\b`,
      R`\b(?:colegio|escuela|universidad|instituto) de (?:tus|sus) hijos\b`,
      R`\b(?:tus|sus) hijos(?: \w+){0,3} (?:colegio|escuela|universidad|expulsad[oa]s)\b`,
      R`\b(?:todo el barrio|todos tus vecinos|todos sus vecinos|toda tu familia|toda su familia) (?:sabra|se enterara|va a saber)\b`,
    ],
    impersonation: [
      R`\b(?:somos(?: de)?|soy(?: de)?|le llamamos de|le llamo de|te llamamos de|llamamos de|le escribimos de|en nombre de|de parte de) (?:la |el |los )?(?:policia|guardia civil|juzgado|tribunal|fiscalia|agencia tributaria|hacienda|ministerio|gobierno|audiencia|mossos)\b`,
      R`\b(?:agente|inspector|oficial|funcionario) (?:de policia|judicial|del juzgado|de la guardia civil)\b`,
      R`\bmediador(?:a)? (?:prejudicial|pre judicial)\b`,
      R`\bcomite de (?:control de )?riesgos?\b`,
    ],
    third_party_disclosure: [
      R`\b(?:su|tu) (?:hijo|hija|esposo|esposa|marido|mujer|hermano|hermana|padre|madre|familiar|amigo|amiga|empleado|empleada|companero|companera|vecino|vecina)(?: \w+){0,2} (?:debe|tiene (?:una )?deuda|tiene (?:un )?(?:prestamo|credito) (?:impagado|pendiente|vencido)|esta en mora|no ha pagado)\b`,
      R`\b(?:pague|pagar|paga) (?:la|su) deuda de (?:su|tu)\b`,
      R`\b(?:digale|dile) que (?:pague|nos llame para pagar)\b`,
      R`\bdeuda de (?:su|tu) (?:hijo|hija|esposo|esposa|marido|mujer|hermano|hermana|padre|madre|familiar|amigo|amiga)\b`,
      R`\b(?:publicar|publicaremos|difundir|difundiremos)(?: \w+){0,3} (?:tu|su) (?:nombre|foto|deuda)\b`,
    ],
    obscenity_insult: [
      R`\b(?:hijo de puta|hijoputa|cabron\w*|gilipollas|imbecil\w*|idiota\w*|estupid[oa]\w*|sinverguenza\w*|ladron\w*|estafador\w*|mierda|puta\w*|mentiros[oa]\w*|parasito\w*|muerto de hambre|caradura)\b`,
    ],
    false_amount: [
      R`\b(?:penalizacion|penalidad|recargo|intereses? de demora|comision)(?: \w+){0,5} (?:sobre|del|de la|de) (?:el |la )?(?:total|totalidad|capital total|capital pendiente|todo el capital|principal pendiente|deuda total|importe total)\b`,
      R`\b(?:gastos|tasa|comision|honorarios|cargo) (?:de |por )?(?:visita|desplazamiento|gestion de cobro|recobro|cobranza)\b`,
      R`\b(?:la deuda|el importe|la cantidad) se (?:duplicara|triplicara|doblara)\b`,
    ],
    false_promise: [
      R`\b(?:paga|pague|abona|abone)(?: \w+){0,3} (?:hoy|ahora|este mes|una cuota)(?: \w+){0,3} y (?:el resto|lo demas|todo lo demas|la deuda restante|los intereses)(?: \w+){0,2} (?:se (?:le |te )?(?:perdona|perdonara|condona|condonara|cancela|cancelara|olvida)|queda(?:ra)? (?:perdonad[oa]|condonad[oa]|cancelad[oa]))`,
      R`\b(?:quita|rebaja|descuento|condonacion|acuerdo) (?:verbal|de palabra)\b`,
      R`\bno (?:hace falta|necesita|necesitas) (?:firmar|nada por escrito|ponerlo por escrito)\b`,
      R`\b(?:ya )?no (?:tendra|tendras) que pagar (?:nada mas|el resto|en anos|mas)\b`,
    ],
  },
};

const FAMILY_KO = '(?:가족|부모님|부모|배우자|아내|남편|자녀|형제|친척|지인|친구|직장|회사|동료|상사|이웃)';

const ko: Lexicon = {
  name: 'ko',
  script: 'cjk',
  // Korean negates after the verb: "체포되지 않습니다", "언급할 수 없습니다"; "…않으면" is a condition, not a negation.
  negation: { kind: 'text-after', window: 24, pattern: /않(?!으면|으려면)|없|못|금지|아닙|아니/ },
  unnegatable: ['obscenity_insult'],
  patterns: {
    threat_violence: [
      '죽여|죽이겠|죽일거|죽고싶|가만두지않|가만안둔|가만안두|다리를?부러|손봐주|각오해|각오하',
      '밤길조심|몸조심해|불태워|집에불|해코지|묻어버|칼로찌',
      '(?:가족|아이|자녀)(?:들)?(?:의)?안전(?:을|이)?(?:장담|보장)',
    ],
    false_legal_action: [
      '체포|구속(?!력)|감옥|교도소|징역|수감|구치소|철창|수갑|수배',
      '형사(?:고소|처벌|고발|사건|입건)|사기죄|사기로고소',
      '(?:즉시|당장|바로)(?:소송|고소|압류|강제집행|법적조치|경매)',
      '(?:오늘|내일)(?:중으로|중에|까지)?[가-힣]{0,4}(?:소송|고소장?|소장|압류|강제집행|법적조치|경매)(?:을|를)?(?:제기|제출|진행|들어|하겠|합니다|신청)',
      '(?:오늘|내일)(?:중으로|중에|까지)?(?:소송|고소|압류|강제집행|법적조치|경매)',
      '(?:소송|고소|압류|강제집행)(?:을|를|이|가)?(?:즉시|바로|당장|오늘|내일)',
      '(?:집|월급|급여|통장|재산|자동차|차량)(?:을|를|이|가)?(?:바로|즉시|당장|오늘|내일)?압류(?:하겠|합니다|됩니다|할|예정)',
      '경찰(?:이|에서|에)?(?:출동|찾아|체포|신고)',
      '(?:저희가|당사가|우리가)(?:직접)?(?:압류|경매|신용불량자?(?:로)?등록)',
    ],
    false_credit_consequence: [
      '블랙리스트|불신자명단|신용불량자명단',
      '(?:평생|영원히)(?:대출|신용|금융거래|카드)',
      '신용(?:이|을)?(?:영원히|평생)(?:망|끝|파탄)',
    ],
    family_or_school_harm: [
      '(?:자녀|아이|아들|딸|애들)(?:의|들의|들)?(?:학교|등교|입학|진학|공무원)',
      `${FAMILY_KO}(?:들)?(?:에게|한테|께|에|에도)(?:다|모두)?(?:알리|연락하|통보|전화하|찾아가|말하|공개|폭로|보내)`,
      '(?:회사|직장)(?:으로|로)(?:찾아가|연락하|전화하|방문하)',
    ],
    impersonation: [
      '(?:여기는|저는|저희는|본인은)[가-힣]{0,6}(?:경찰서|경찰청|검찰청|검찰|법원|금융감독원|금감원|국세청)(?:입니다|소속|직원|에서)',
      '(?:검찰|경찰|법원|금감원|금융감독원)(?:수사관|직원|소속|공무원)(?:입니다|이라)',
      '(?:검사|수사관|형사|집행관)(?:입니다|라고합니다)',
      '위험통제센터|바람통제센터|(?:리스크|위험)관리위원|소송전조정(?:원|위원)|고소전조정원',
      '(?:법원|검찰|경찰)(?:명의|공문)',
    ],
    third_party_disclosure: [
      '(?:아드님|따님|아들|딸|남편|아내|배우자|부모님|어머님|아버님|형제|동생|누나|언니|오빠|친구|직원|동료)(?:분)?(?:의|이|가|께서)?(?:빚|채무|대출|연체|미납)',
      '대신(?:갚|상환|변제|납부)',
      '(?:그분|그사람)(?:이|가|의)(?:빚|채무|연체)',
    ],
    obscenity_insult: [
      '개새끼|씨발|시발|씨팔|병신|좆|썅|쓰레기같은|거지같은|미친놈|미친년|사기꾼|도둑놈|양아치|죽일놈|인간쓰레기|개같은',
    ],
    false_amount: [
      '(?:잔여|남은|나머지|전체|총)원금[가-힣0-9%~\\-]{0,12}위약금',
      '위약금[가-힣0-9%~\\-]{0,12}(?:잔여|남은|나머지|전체|총)원금',
      '(?:방문|출장|추심|독촉)(?:비용|수수료)',
      '(?:금액|빚|채무)(?:이|가)?(?:두배|세배|배로)',
    ],
    false_promise: [
      '(?:이번달|오늘|지금)[가-힣]{0,8}(?:갚으면|상환하면|입금하면|납부하면)[가-힣]{0,12}(?:감면|면제|탕감|안갚아도|안내도)',
      '구두(?:로)?(?:약속|감면|합의)|말로만?(?:약속|감면)',
      '(?:몇년|평생)(?:동안)?(?:안갚아도|갚지않아도)',
    ],
  },
};

const HAN = '[\\u4e00-\\u9fff]';

const zh: Lexicon = {
  name: 'zh',
  script: 'cjk',
  negation: {
    kind: 'text-before',
    window: 8,
    pattern:
      /不会|不得|禁止|严禁|不能|不可|不允许|绝不|从不|从未|决不|无权|并非|不是|没有|不存在|并无|无需担心/,
  },
  unnegatable: ['obscenity_insult'],
  patterns: {
    threat_violence: [
      '弄死你|打死你|杀了你|杀你全家|打断你的?腿|砍死|砍你|让你好看|不得好死|你等着|小心你的?家人|出门小心',
      '放火|烧你家|泼油漆|你家人的安全|后果自负|找人收拾|收拾你|废了你',
    ],
    false_legal_action: [
      '逮捕|拘留|坐牢|判刑|入狱|蹲监狱|监狱|通缉|上门抓人',
      '刑事(?:责任|拘留|案件|立案|追究)|诈骗罪|涉嫌(?:诈骗|犯罪|恶意透支|信用卡诈骗)',
      '警察(?:上门|会来|来抓|抓你|找你)',
      '(?:立即|马上|立刻|今天|明天|当天|即刻)就?(?:起诉|立案|冻结|查封|扣押|强制执行|拘|逮捕|抓)',
      '(?:起诉|立案|冻结|查封|强制执行)(?:你|您)?(?:立即|马上|今天|明天)',
      '(?:冻结|查封|扣押|没收)(?:你|您)的?(?:银行卡|账户|工资|房子|房产|车|财产|微信|支付宝)',
      '法院传票|传票(?:已|将)',
    ],
    false_credit_consequence: [
      '黑名单',
      '(?:马上|立即|立刻|今天|明天)(?:列入|纳入|上)失信',
      '征信(?:会|将)?(?:永久|一辈子|终身|彻底)|征信(?:黑|毁|花)了',
      '(?:永久|一辈子|终身|永远)(?:无法|不能|不可能)?(?:贷款|买房|买车|坐飞机|坐高铁|办卡)',
    ],
    family_or_school_harm: [
      '(?:子女|孩子|小孩|儿子|女儿)(?:的|将|会|就|都|也)?(?:无法|不能|没法|没办法)?(?:上学|入学|读书|考公|政审|升学|当兵|考公务员|学校)',
      '(?:影响|连累)(?:你的)?(?:家人|子女|孩子|父母)',
      '(?:通知|告诉|联系|打给|打电话给|发给|找)(?:你的|您的)?(?:家人|父母|爸妈|老婆|老公|配偶|子女|孩子|亲戚|朋友|同事|领导|单位|公司|老板|邻居|通讯录)',
      '爆了?(?:你的)?通讯录|通讯录(?:里的|中的)?(?:所有人|每个人|好友|联系人)',
      '(?:单位|公司|村里|小区)(?:门口)?(?:张贴|贴)',
    ],
    impersonation: [
      `(?:我是|我们是|这里是|本人是)${HAN}{0,6}(?:警察|公安局?|派出所|法院|检察院|法官|检察官|公检法|政府|监管局|银保监会?|金融监管总局)`,
      '(?:风控|风险控制)(?:中心|委员会)(?:委员|专员|主任)|诉前调解员',
      '(?:法院|公安|检察院)工作人员|公检法(?:已|将|会)?介入',
    ],
    third_party_disclosure: [
      '(?:你|您)的?(?:儿子|女儿|丈夫|老公|妻子|老婆|哥哥|弟弟|姐姐|妹妹|父亲|母亲|朋友|同事|员工|亲戚)(?:在我们(?:这里|平台))?(?:欠|借了|逾期|拖欠|的欠款|的债务|的贷款)',
      `(?:帮|替|代)(?:他|她|你的?${HAN}{1,2})(?:还款|还钱|还债|偿还)`,
      '(?:他|她)(?:欠|借)了?(?:我们|我司|平台)|(?:他|她)(?:已经)?逾期|转告(?:他|她)(?:还款|还钱)',
    ],
    obscenity_insult: [
      '老赖|畜生|畜牲|王八蛋|傻逼|操你|草泥马|去死|不要脸|贱人|人渣|狗东西|死全家',
      '(?:你这个?|你个|你就是个?|你是个?)(?:骗子|废物|垃圾|混蛋)',
    ],
    false_amount: [
      '(?:剩余|全部|所有|总)本金[\\u4e00-\\u9fff0-9%\\-~]{0,10}(?:违约金|罚息|滞纳金)',
      '(?:违约金|罚息|滞纳金)[\\u4e00-\\u9fff0-9%\\-~]{0,10}(?:剩余|全部|所有|总)本金',
      '催收费|上门费|外访费|调查费|催收服务费',
      '(?:欠款|债务|金额)[\\u4e00-\\u9fff]{0,4}翻(?:倍|番)',
    ],
    false_promise: [
      `(?:今天|现在|马上|这个月|本月)(?:还|还清|还款|还上|先还)[\\u4e00-\\u9fff0-9]{0,10}(?:剩下|其余|剩余|余下|后面)的?${HAN}{0,4}(?:免除|免掉|减免|不用还|不用再还|一笔勾销|全免|豁免)`,
      '口头(?:承诺|减免|协议|答应)',
      '(?:几年|这几年|以后)都?不用再?还',
      '私下(?:减免|操作|处理)',
    ],
  },
};

export const LEXICONS: Readonly<Record<LexiconName, Lexicon>> = { en, es, ko, zh };
