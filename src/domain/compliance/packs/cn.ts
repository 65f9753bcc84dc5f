/**
 * Mainland China: CBA consumer-loan collection guideline (2026-01-30), GB/T 45251-2025, credit-card rules,
 * Criminal Law Art. 293-1.
 */
import { CONTENT_RULES, categoriesOf } from '../lint/categories.js';
import type { ContactRequest, HistoryEvent } from '../schema.js';
import {
  addressBookViolations,
  ALL_WEEKDAYS,
  blockedChannelViolations,
  blockedWindowViolations,
  capViolations,
  contentViolations,
  deny,
  designatedViolations,
  disclosureViolations,
  holdViolations,
  hoursViolations,
  insufficient,
  isThirdParty,
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

const UNANSWERED = new Set(['not_connected', 'no_answer', 'voicemail']);

/** The number this contact dials: destination.phone, else the debtor's phone when calling the debtor. */
const dialled = (req: ContactRequest): string | undefined =>
  req.destination?.phone ?? (req.recipient.role === 'debtor' ? req.debtor.phone : undefined);

/** An unanswered attempt to the same number; an event or request without a number is assumed to be the same one. */
const unansweredSameNumber = (e: HistoryEvent, req: ContactRequest): boolean => {
  if (e.channel !== 'call' || e.direction !== 'outbound' || !UNANSWERED.has(e.outcome)) return false;
  const target = dialled(req);
  const number = e.phone ?? (e.recipient === 'debtor' ? req.debtor.phone : undefined);
  return target === undefined || number === undefined || number === target;
};

/** A connected (effective) collection call with the debtor, about any of their debts. */
const effectiveCall = (e: HistoryEvent): boolean =>
  e.channel === 'call' &&
  e.direction === 'outbound' &&
  e.recipient === 'debtor' &&
  (e.outcome === 'connected' || e.outcome === 'conversation');

const hours = defineRule({
  id: 'CN.HOURS',
  citation: 'CBA consumer-loan collection guideline (2026); GB/T 45251-2025',
  confidence: 'high',
  summary: 'Without the debtor’s consent, no calls, visits or other collection between 22:00 and 08:00.',
  params: {
    window: windowParam('08:00', '22:00'),
    channels: channelsParam(TIMED_CHANNELS),
  },
  check(ctx, p, rule) {
    if (!p.channels.value.includes(ctx.facts.request.channel)) return [];
    return hoursViolations(ctx, rule, p.window, ALL_WEEKDAYS);
  },
});

const attempts = defineRule({
  id: 'CN.CALL_ATTEMPTS',
  citation: 'CBA consumer-loan collection guideline (2026)',
  confidence: 'high',
  summary: 'If unanswered, no more than 6 call attempts a day to the same number.',
  params: { maxPerDay: maxParam(6, 'unanswered attempts') },
  check(ctx, p, rule) {
    const req = ctx.facts.request;
    return capViolations(ctx, rule, {
      key: `${rule.id}:${dialled(req) ?? '?'}`,
      max: p.maxPerDay.value,
      windowDays: 1,
      applies: req.channel === 'call',
      select: unansweredSameNumber,
      exemptDays: 0,
      unit: 'unanswered attempts to this number',
    });
  },
});

const effective = defineRule({
  id: 'CN.EFFECTIVE_CALLS',
  citation: 'GB/T 45251-2025',
  confidence: 'med-high',
  summary: 'At most 3 connected (effective) voice collection calls per debtor per day, AI voice included.',
  params: { maxPerDay: maxParam(3, 'connected calls') },
  check(ctx, p, rule) {
    const req = ctx.facts.request;
    return capViolations(ctx, rule, {
      key: rule.id,
      max: p.maxPerDay.value,
      windowDays: 1,
      applies: req.channel === 'call' && req.recipient.role === 'debtor',
      select: effectiveCall,
      exemptDays: 0,
      unit: 'connected calls',
    });
  },
});

const thirdParty = defineRule({
  id: 'CN.THIRD_PARTY',
  citation: 'CBA consumer-loan collection guideline (2026); GB/T 45251-2025',
  confidence: 'high',
  summary:
    'Collect only from the debtor. Others may be contacted only when the debtor is unreachable (3 consecutive failed attempts), only to obtain contact details or pass on a message, never disclosing the debt.',
  params: {
    requireDesignated: requireParam(true),
    failedAttempts: minParam(3, 'consecutive failed calls'),
  },
  check(ctx, p, rule) {
    const req = ctx.facts.request;
    const out = [
      ...designatedViolations(ctx, rule, p.requireDesignated.value),
      ...purposeViolations(ctx, rule, ['location', 'message']),
      ...disclosureViolations(ctx, rule),
      ...contentViolations(ctx, rule, categoriesOf('CN', rule.id)),
    ];
    if (isThirdParty(req)) {
      const needed = p.failedAttempts.value;
      const { history } = req;
      const { times } = ctx.facts;
      // The debtor's latest outbound calls before t, newest first; any answered one or an inbound reply breaks the run.
      const recent: Array<{ ms: number; failed: boolean }> = [];
      for (let i = 0; i < history.length; i++) {
        const e = history[i]!;
        if (e.recipient !== 'debtor' || times[i]! > ctx.t) continue;
        if (e.direction === 'inbound') recent.push({ ms: times[i]!, failed: false });
        else if (e.channel === 'call') recent.push({ ms: times[i]!, failed: UNANSWERED.has(e.outcome) });
      }
      recent.sort((a, b) => b.ms - a.ms);
      let run = 0;
      while (run < recent.length && recent[run]!.failed) run++;
      if (run < needed) {
        out.push(
          deny(
            rule,
            `the debtor is not shown to be unreachable: ${run} consecutive failed call attempt(s), ${needed} needed before a third party is contacted`,
          ),
        );
      }
    }
    return out;
  },
});

const addressBook = defineRule({
  id: 'CN.ADDRESS_BOOK',
  citation: 'TC260 2019 guide; CBA consumer-loan collection guideline (2026)',
  confidence: 'med',
  summary:
    'Lending apps may take at most 2 hand-entered contact persons; no forced access to the phone’s address book; no illegally obtained personal data.',
  params: {},
  check: (ctx, _p, rule) => addressBookViolations(ctx, rule),
});

const prohibited = defineRule({
  id: 'CN.PROHIBITED',
  citation: 'CBA consumer-loan collection guideline (2026)',
  confidence: 'high',
  summary:
    'No spreading of private information; no intimidation, insults, fraud, threats or violence; no impersonating administrative or judicial bodies; no public notices; no extra collection fees.',
  params: {},
  check(ctx, _p, rule) {
    const req = ctx.facts.request;
    const out = contentViolations(ctx, rule, categoriesOf('CN', rule.id));
    if (req.channel === 'im') {
      if (req.destination?.publicVisible === undefined) {
        out.push(insufficient(rule, 'destination.publicVisible is required for an im message'));
      } else if (req.destination.publicVisible) {
        out.push(deny(rule, 'the message would be visible to the public or the debtor’s contacts'));
      }
    }
    return out;
  },
});

const visit = defineRule({
  id: 'CN.VISIT',
  citation: 'CBA consumer-loan collection guideline (2026) Art. 22',
  confidence: 'med-high',
  summary: 'Field visits by at least 2 collectors; the quiet hours apply.',
  params: { minVisitors: minParam(2, 'visitors') },
  check(ctx, p, rule) {
    const req = ctx.facts.request;
    if (req.channel !== 'visit') return [];
    if (req.visitors === undefined)
      return [insufficient(rule, 'visitors (number of field agents) is required for a visit')];
    return req.visitors < p.minVisitors.value
      ? [deny(rule, `a visit needs at least ${p.minVisitors.value} collectors (planned: ${req.visitors})`)]
      : [];
  },
});

const policy = defineRule({
  id: 'ARREARS.POLICY',
  citation:
    'Arrears policy — holds and debtor preferences recorded on the account; no specific CN rule in the catalogue',
  confidence: 'policy',
  summary:
    'Honour a request to stop, disputes, representation, insolvency, death, agreed deferrals, blocked channels and bands, and a workplace ban.',
  params: {},
  check: (ctx, _p, rule) => [
    ...holdViolations(ctx, rule, ['cease', 'disputed', 'attorney', 'bankruptcy', 'deceased', 'deferral']),
    ...blockedChannelViolations(ctx, rule),
    ...blockedWindowViolations(ctx, rule),
    ...workplaceViolations(ctx, rule),
  ],
});

export const CN_PACK: RulePack = {
  jurisdiction: 'CN',
  version: 'CN-2026.11.1',
  includes: [],
  rules: [hours, attempts, effective, thirdParty, addressBook, prohibited, visit, policy],
  reference: [
    {
      id: 'CN.CRIM.293_1',
      citation: 'Criminal Law Art. 293-1',
      confidence: 'high',
      summary:
        'Violence, coercion, intimidation, stalking or harassment to collect illegal debts is a crime.',
      note: 'The conduct is blocked by CN.PROHIBITED (content) and the frequency and hours rules.',
    },
    {
      id: 'CN.CC.LETTER',
      citation: 'Credit-card rules Arts. 68–69',
      confidence: 'med',
      summary: 'Credit-card collection letters state balance, legal basis, rights, contacts and the seal.',
      note: 'Letter templates.',
    },
    {
      id: 'CN.CC.KPI',
      citation: 'Credit-card rules Art. 66',
      confidence: 'med',
      summary: 'Collectors may not be assessed on amount recovered alone.',
      note: 'Organisational.',
    },
    {
      id: 'CN.VENDOR_REVIEW',
      citation: 'GB/T 45251-2025',
      confidence: 'med-high',
      summary: 'Outsourced agencies evaluated at least yearly.',
      note: 'Agency management.',
    },
    {
      id: 'CN.RATE.PRIVATE',
      citation: 'SPC private-lending provisions Arts. 25, 29',
      confidence: 'high',
      summary: 'Charges above 4 × LPR not supported.',
      note: 'Delinquency engine caps.',
    },
    {
      id: 'CN.RATE.FIN_INST',
      citation: 'SPC 法发〔2017〕22号; practice',
      confidence: 'med',
      summary: 'Charges above 24% reducible; penalty interest on overdue principal only.',
      note: 'Delinquency engine; "penalty on the whole principal" in text is caught as false_amount.',
    },
    {
      id: 'CN.SOL',
      citation: 'Civil Code Art. 188',
      confidence: 'high',
      summary: 'Limitation 3 years, 20-year long stop.',
      note: 'Account-level check.',
    },
    {
      id: 'CN.COMPLAINT',
      citation: '银行业保险业消费投诉处理管理办法',
      confidence: 'med',
      summary: 'Decide complaints within 15 days.',
      note: 'Complaints workflow.',
    },
    {
      id: 'CN.NIFA2018.HOURS',
      citation: 'NIFA 2018',
      confidence: 'unconfirmed',
      summary: 'Older convention hours; sources conflict (08:00–21:00 / 08:00–22:00 / 09:00–17:00).',
      note: 'Not enforced; an operator may narrow CN.HOURS.window with tightenPack.',
    },
  ],
  contentRules: CONTENT_RULES.CN,
};
