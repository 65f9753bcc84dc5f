/** Spain, with the EU rules that apply there (UCPD, GDPR). */
import { CONTENT_RULES, categoriesOf } from '../lint/categories.js';
import type { ContactRequest, HistoryEvent } from '../schema.js';
import {
  addressBookViolations,
  blockedChannelViolations,
  blockedWindowViolations,
  capViolations,
  contentViolations,
  deny,
  designatedViolations,
  disclosureViolations,
  holdViolations,
  hoursViolations,
  publicVisibilityViolations,
  purposeViolations,
  workplaceViolations,
} from './common.js';
import {
  channelsParam,
  defineRule,
  maxParam,
  minParam,
  requireParam,
  type RulePack,
  weekdaysParam,
  windowParam,
} from './types.js';

const contact = (e: HistoryEvent, req: ContactRequest): boolean =>
  e.direction === 'outbound' && e.debtRef === req.debtRef;

const hours = defineRule({
  id: 'ES.HOURS',
  citation:
    'Commentary: no collection-specific hours found; the commercial-call rule (09:00–21:00, no weekends or holidays) is the usual reference',
  confidence: 'low',
  summary:
    'Calls and visits only 09:00–21:00 on weekdays (the commercial-call reference; public holidays are not known to the gate).',
  params: {
    window: windowParam('09:00', '21:00'),
    weekdays: weekdaysParam([1, 2, 3, 4, 5]),
    channels: channelsParam(['call', 'visit']),
  },
  check(ctx, p, rule) {
    if (!p.channels.value.includes(ctx.facts.request.channel)) return [];
    return hoursViolations(ctx, rule, p.window, p.weekdays.value);
  },
});

const frequency = defineRule({
  id: 'ES.FREQ',
  citation: 'No numeric cap found; excessive insistence can be harassment — commentary',
  confidence: 'low',
  summary: 'No statutory number. Off by default; an operator may set a cap per 7 days with tightenPack.',
  params: {
    maxContacts: maxParam(null, 'contacts'),
    windowDays: minParam(7, 'days'),
  },
  check(ctx, p, rule) {
    return capViolations(ctx, rule, {
      key: rule.id,
      max: p.maxContacts.value,
      windowDays: p.windowDays.value,
      applies: ctx.facts.request.recipient.role !== 'attorney',
      select: contact,
      exemptDays: 0,
      unit: 'contacts',
    });
  },
});

const thirdParty = defineRule({
  id: 'ES.THIRD_PARTY',
  citation: 'AEPD decisions (E-13222-2021 and others); GDPR Art. 5(1)(f)',
  confidence: 'med-high',
  summary:
    'Relatives or friends only to locate the debtor, never disclosing debtor status or amount; no e-mail to shared or employer inboxes; no harvested address books.',
  params: { requireDesignated: requireParam(true) },
  check(ctx, p, rule) {
    const req = ctx.facts.request;
    const out = [
      ...addressBookViolations(ctx, rule),
      ...designatedViolations(ctx, rule, p.requireDesignated.value),
      ...purposeViolations(ctx, rule, ['location']),
      ...disclosureViolations(ctx, rule),
      ...publicVisibilityViolations(ctx, rule),
      ...contentViolations(ctx, rule, categoriesOf('ES', rule.id)),
    ];
    if (
      req.channel === 'email' &&
      (req.destination?.sharedInbox === true || req.destination?.employerEmail === true)
    ) {
      out.push(
        deny(rule, 'the e-mail inbox is shared or provided by an employer; others would read about the debt'),
      );
    }
    return out;
  },
});

const aggressive = defineRule({
  id: 'EU.UCPD.AGGRESSIVE',
  citation: 'Directive 2005/29/EC Arts. 8–9, Annex I',
  confidence: 'med',
  summary:
    'Harassment, coercion and undue influence are aggressive practices; persistent unwanted solicitation is always unfair — so threats and deceit in content, and contact the debtor refused (stop request, blocked channels or bands, workplace ban), are denied.',
  params: {},
  check: (ctx, _p, rule) => [
    ...contentViolations(ctx, rule, categoriesOf('ES', rule.id)),
    ...holdViolations(ctx, rule, ['cease']),
    ...blockedChannelViolations(ctx, rule),
    ...blockedWindowViolations(ctx, rule),
    ...workplaceViolations(ctx, rule),
  ],
});

const policy = defineRule({
  id: 'ARREARS.POLICY',
  citation: 'Arrears policy — holds recorded on the account; no specific ES/EU rule in the catalogue',
  confidence: 'policy',
  summary: 'Honour disputes, representation, insolvency (concurso), death and agreed deferrals.',
  params: {},
  check: (ctx, _p, rule) =>
    holdViolations(ctx, rule, ['disputed', 'attorney', 'bankruptcy', 'deceased', 'deferral']),
});

export const ES_PACK: RulePack = {
  jurisdiction: 'ES',
  version: 'ES-2026.11.1',
  includes: ['EU'],
  rules: [hours, frequency, thirdParty, aggressive, policy],
  reference: [
    {
      id: 'ES.MOROSOS',
      citation: 'LOPDGDD Art. 20',
      confidence: 'med-high',
      summary:
        'Debtor-register listing needs a certain, due, unpaid debt, a prior warning, 30 days’ block; no disputed debts.',
      note: 'Credit-register workflow.',
    },
    {
      id: 'ES.LATE_INTEREST',
      citation: 'STS 265/2015',
      confidence: 'high',
      summary: 'Default interest more than 2 points over the ordinary rate is abusive.',
      note: 'Delinquency engine caps (penaltyMarginMax).',
    },
    {
      id: 'ES.SOL',
      citation: 'Civil Code 1964.2, 1973',
      confidence: 'high',
      summary: 'Personal actions prescribe in 5 years.',
      note: 'Account-level check.',
    },
    {
      id: 'ES.COMPLAINT',
      citation: 'Ley 10/2025',
      confidence: 'med-high',
      summary: 'Answer complaints within 15 business days.',
      note: 'Complaints workflow.',
    },
    {
      id: 'EU.GDPR',
      citation: 'Regulation (EU) 2016/679',
      confidence: 'high',
      summary: 'Lawful basis, minimisation, purpose limitation, rights, breach duties.',
      note: 'Address-book data and shared inboxes are refused by ES.THIRD_PARTY; the rest is data governance.',
    },
    {
      id: 'EU.CCD2 / EU.CSD',
      citation: 'Directive 2023/2225; Directive 2021/2167',
      confidence: 'unconfirmed',
      summary: 'Forbearance before enforcement; fair treatment by credit servicers — texts not read.',
      note: 'Not modelled.',
    },
  ],
  contentRules: CONTENT_RULES.ES,
};
