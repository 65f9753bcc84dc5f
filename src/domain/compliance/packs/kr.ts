/** South Korea: Fair Debt Collection Act (FDCA) and Individual Debtor Protection Act (IDPA, in force 2024-10-17). */
import { CONTENT_RULES, categoriesOf } from '../lint/categories.js';
import type { ContactRequest, HistoryEvent } from '../schema.js';
import {
  addressBookViolations,
  ALL_WEEKDAYS,
  blockedChannelViolations,
  blockedWindowViolations,
  capViolations,
  contentViolations,
  designatedViolations,
  disclosureViolations,
  holdViolations,
  hoursViolations,
  publicVisibilityViolations,
  purposeViolations,
  TIMED_CHANNELS,
  workplaceViolations,
} from './common.js';
import {
  channelsParam,
  defineRule,
  maxParam,
  minParam,
  requireParam,
  type RulePack,
  windowParam,
} from './types.js';

/** Every outbound collection contact about the debt, any channel, visits included. */
const contact = (e: HistoryEvent, req: ContactRequest): boolean =>
  e.direction === 'outbound' && e.debtRef === req.debtRef;

/** The debtor's own request (an inbound contact): replies the same day are exempt from the count. */
const debtorRequest = (e: HistoryEvent, req: ContactRequest): boolean =>
  e.direction === 'inbound' && e.recipient === 'debtor' && e.debtRef === req.debtRef;

const night = defineRule({
  id: 'KR.FDCA.NIGHT',
  citation: 'FDCA Art. 9(2)-(3)',
  confidence: 'high',
  summary: 'No visits, calls, texts or other contact at night (21:00–08:00 local).',
  params: {
    window: windowParam('08:00', '21:00'),
    channels: channelsParam(TIMED_CHANNELS),
  },
  check(ctx, p, rule) {
    if (!p.channels.value.includes(ctx.facts.request.channel)) return [];
    return hoursViolations(ctx, rule, p.window, ALL_WEEKDAYS);
  },
});

const sevenInSeven = defineRule({
  id: 'KR.IDPA.CONTACT_7IN7',
  citation: 'IDPA (개인채무자보호법)',
  confidence: 'high',
  summary:
    'At most 7 collection contacts per debt in 7 days across every channel, visits included. Same-day replies to the debtor’s own request are exempt.',
  params: {
    maxContacts: maxParam(7, 'contacts'),
    windowDays: minParam(7, 'days'),
  },
  check(ctx, p, rule) {
    return capViolations(ctx, rule, {
      key: 'KR.contacts',
      max: p.maxContacts.value,
      windowDays: p.windowDays.value,
      applies: ctx.facts.request.recipient.role !== 'attorney',
      select: contact,
      exemptBy: debtorRequest,
      exemptDays: 1,
      unit: 'contacts',
    });
  },
});

const legacyDaily = defineRule({
  id: 'KR.FSS.LEGACY_2_PER_DAY',
  citation: 'FSS debt-collection guideline (2016)',
  confidence: 'med',
  summary:
    'The 2016 FSS guideline treated more than 2 contacts a day as harassment; possibly superseded by the IDPA, kept as the stricter default.',
  params: { maxPerDay: maxParam(2, 'contacts') },
  check(ctx, p, rule) {
    return capViolations(ctx, rule, {
      key: 'KR.contacts',
      max: p.maxPerDay.value,
      windowDays: 1,
      applies: ctx.facts.request.recipient.role !== 'attorney',
      select: contact,
      exemptBy: debtorRequest,
      exemptDays: 1,
      unit: 'contacts',
    });
  },
});

const restrict = defineRule({
  id: 'KR.IDPA.CONTACT_RESTRICT',
  citation: 'IDPA (개인채무자보호법)',
  confidence: 'med-high',
  summary:
    'The debtor may block time bands (up to 28 h a week) and means of contact (up to 3); Arrears also honours a request to stop and a workplace ban as restrictions.',
  params: {},
  check: (ctx, _p, rule) => [
    ...blockedChannelViolations(ctx, rule),
    ...blockedWindowViolations(ctx, rule),
    ...workplaceViolations(ctx, rule),
    ...holdViolations(ctx, rule, ['cease']),
  ],
});

const deferral = defineRule({
  id: 'KR.IDPA.DEFERRAL',
  citation: 'IDPA (개인채무자보호법)',
  confidence: 'high',
  summary: 'Collection pauses on proof of disaster, surgery or hospitalisation, or a death in the family.',
  params: {},
  check: (ctx, _p, rule) => holdViolations(ctx, rule, ['deferral']),
});

const attorneyAgent = defineRule({
  id: 'KR.FDCA.ATTORNEY_AGENT',
  citation: 'FDCA (채권의 공정한 추심에 관한 법률)',
  confidence: 'med',
  summary: 'Once the debtor has appointed a lawyer as agent, no direct contact with the debtor.',
  params: {},
  check: (ctx, _p, rule) => holdViolations(ctx, rule, ['attorney']),
});

const collectionBar = defineRule({
  id: 'KR.COLLECTION_BAR',
  citation: 'FSS notices; press',
  confidence: 'med-high',
  summary:
    'No collection on debts under a debt-adjustment or rehabilitation stay, unsettled inheritances, debts in litigation or contested as identity theft.',
  params: {},
  check: (ctx, _p, rule) => holdViolations(ctx, rule, ['bankruptcy', 'deceased', 'disputed']),
});

const thirdParty = defineRule({
  id: 'KR.THIRD_PARTY',
  citation: 'FDCA Art. 9(4), (6), (7)',
  confidence: 'high',
  summary:
    'Do not reveal the debt to family or others nor ask them to pay; related persons only to learn where the debtor is or how to reach them; no public announcement of the debt.',
  params: { requireDesignated: requireParam(true) },
  check: (ctx, p, rule) => [
    ...addressBookViolations(ctx, rule),
    ...designatedViolations(ctx, rule, p.requireDesignated.value),
    ...purposeViolations(ctx, rule, ['location']),
    ...disclosureViolations(ctx, rule),
    ...publicVisibilityViolations(ctx, rule),
    ...contentViolations(ctx, rule, categoriesOf('KR', rule.id)),
  ],
});

const prohibited = defineRule({
  id: 'KR.PROHIBITED',
  citation: 'FDCA (채권의 공정한 추심에 관한 법률)',
  confidence: 'high',
  summary:
    'No violence, threats or deceit; no impersonating courts or prosecutors; a collection firm may not say it will itself seize, auction or register a default; debt reduction only in writing.',
  params: {},
  check: (ctx, _p, rule) => contentViolations(ctx, rule, categoriesOf('KR', rule.id)),
});

export const KR_PACK: RulePack = {
  jurisdiction: 'KR',
  version: 'KR-2026.11.1',
  includes: [],
  rules: [
    night,
    sevenInSeven,
    legacyDaily,
    restrict,
    deferral,
    attorneyAgent,
    collectionBar,
    thirdParty,
    prohibited,
  ],
  reference: [
    {
      id: 'KR.IDPA.START_NOTICE',
      citation: 'IDPA Art. 15',
      confidence: 'med-high',
      summary:
        'Notify creditor, amounts, start date, methods and rights at least 3 business days before collection.',
      note: 'Notice workflow; the request carries no notice date.',
    },
    {
      id: 'KR.FSS.MAIL_PRIVACY',
      citation: 'FSS guideline',
      confidence: 'med',
      summary: 'Letters sealed, no red lettering; no collection at funerals or weddings.',
      note: 'Letter templates; events are not in the request.',
    },
    {
      id: 'KR.VISIT_ID',
      citation: 'FSS notices',
      confidence: 'med',
      summary: 'Show an ID at the first visit or call; visits count toward 7-in-7.',
      note: 'Visits are counted by KR.IDPA.CONTACT_7IN7; showing ID is a field-agent checklist item.',
    },
    {
      id: 'KR.IDPA.LATE_INTEREST',
      citation: 'IDPA',
      confidence: 'med-high',
      summary: 'Loans under KRW 50m: no default interest on principal not yet due after acceleration.',
      note: 'Delinquency engine; invented penalties in text are caught as false_amount.',
    },
    {
      id: 'KR.RATE_CAP',
      citation: 'Interest Limitation Act',
      confidence: 'med',
      summary: 'Maximum 20% a year.',
      note: 'Delinquency engine caps.',
    },
    {
      id: 'KR.IDPA.DEBT_ADJ',
      citation: 'IDPA Art. 35',
      confidence: 'med',
      summary: 'Collection pauses while a debt-adjustment request is decided (10 business days).',
      note: 'Record it as debtor.flags.deferredUntil; evaluated by KR.IDPA.DEFERRAL.',
    },
    {
      id: 'KR.SOL',
      citation: 'Civil & Commercial Codes',
      confidence: 'high',
      summary: 'Limitation 5/3/10 years.',
      note: 'Account-level check.',
    },
  ],
  contentRules: CONTENT_RULES.KR,
};
