/** United States: FDCPA (15 U.S.C. 1692) and CFPB Regulation F (12 CFR 1006). */
import { CONTENT_RULES, categoriesOf } from '../lint/categories.js';
import { checkDisclosure, hasOptOut } from '../lint/phrases.js';
import type { ContactRequest, HistoryEvent } from '../schema.js';
import { DAY_MS, formatDay } from '../time/clock.js';
import {
  addExempt,
  addressBookViolations,
  blockedChannelViolations,
  blockedWindowViolations,
  capViolations,
  contentViolations,
  covered,
  deny,
  designatedViolations,
  disclosureViolations,
  holdViolations,
  hoursViolations,
  insufficient,
  isThirdParty,
  noZone,
  publicVisibilityViolations,
  purposeViolations,
  TIMED_CHANNELS,
  ALL_WEEKDAYS,
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

const callToDebtor = (req: ContactRequest): boolean =>
  req.channel === 'call' && req.recipient.role === 'debtor';

/** Calls "placed" to the person about this debt; calls that never connected are excluded (1006.14(b)(3)(ii)). */
const placedCall = (e: HistoryEvent, req: ContactRequest): boolean =>
  e.channel === 'call' &&
  e.direction === 'outbound' &&
  e.recipient === 'debtor' &&
  e.debtRef === req.debtRef &&
  e.outcome !== 'not_connected';

/** The person's direct consent to calls, given during this event (1006.14(b)(3)(i)); its day is day 1. */
const consentEvent = (e: HistoryEvent, req: ContactRequest): boolean =>
  e.consentGiven === true && e.recipient === 'debtor' && e.debtRef === req.debtRef;

/** A telephone conversation about the debt, whoever started it (an inbound one also starts the wait). */
const conversation = (e: HistoryEvent, req: ContactRequest): boolean =>
  e.channel === 'call' &&
  e.outcome === 'conversation' &&
  e.recipient === 'debtor' &&
  e.debtRef === req.debtRef;

const COMMUNICATED = new Set(['conversation', 'connected', 'sent', 'delivered', 'visited']);

const hours = defineRule({
  id: 'US.FDCPA.HOURS',
  citation: '15 U.S.C. 1692c(a)(1); 12 CFR 1006.6(b)(1)(i)',
  confidence: 'high',
  summary:
    'No communication at a time known to be inconvenient; absent knowledge only 08:00–21:00 local is convenient, in every zone the debtor may be in. The debtor’s blocked bands are known-inconvenient times.',
  params: {
    window: windowParam('08:00', '21:00'),
    channels: channelsParam(TIMED_CHANNELS),
  },
  check(ctx, p, rule) {
    if (!p.channels.value.includes(ctx.facts.request.channel)) return [];
    return [...hoursViolations(ctx, rule, p.window, ALL_WEEKDAYS), ...blockedWindowViolations(ctx, rule)];
  },
});

const workplace = defineRule({
  id: 'US.FDCPA.WORKPLACE',
  citation: '15 U.S.C. 1692c(a)(3); 12 CFR 1006.6(b)(1)(iii)',
  confidence: 'high',
  summary: 'No contact at the place of employment when the collector knows the employer prohibits it.',
  params: {},
  check: (ctx, _p, rule) => workplaceViolations(ctx, rule),
});

const callFrequency = defineRule({
  id: 'US.REGF.CALL_FREQ_7IN7',
  citation: '12 CFR 1006.14(b)(2)(i)(A); exclusions 1006.14(b)(3)',
  confidence: 'high',
  summary:
    'More than 7 telephone calls to a person about a particular debt within 7 consecutive days is presumed harassment. Not counted: calls that did not connect, and calls placed within 7 days of the person’s direct consent (consent day = day 1).',
  params: {
    maxCalls: maxParam(7, 'calls'),
    windowDays: minParam(7, 'days'),
    consentDays: maxParam(7, 'days'),
  },
  check(ctx, p, rule) {
    const req = ctx.facts.request;
    return capViolations(ctx, rule, {
      key: `${rule.id}:${p.consentDays.value ?? 0}`,
      max: p.maxCalls.value,
      windowDays: p.windowDays.value,
      applies: callToDebtor(req),
      select: placedCall,
      exemptBy: consentEvent,
      exemptDays: p.consentDays.value ?? 0,
      unit: 'calls',
    });
  },
});

interface WaitTable {
  conversations: Array<{ ms: number; day: number }>;
  consents: Map<number, number>;
}

const callWait = defineRule({
  id: 'US.REGF.CALL_WAIT_7D',
  citation: '12 CFR 1006.14(b)(2)(i)(B); exclusions 1006.14(b)(3)',
  confidence: 'high',
  summary:
    'No call to the person about the debt within 7 consecutive days after a telephone conversation about it; the conversation’s date is day 1. Calls placed with the person’s direct consent given within the last 7 days are excluded.',
  params: {
    waitDays: minParam(7, 'days'),
    consentDays: maxParam(7, 'days'),
  },
  check(ctx, p, rule) {
    const req = ctx.facts.request;
    if (!callToDebtor(req)) return [];
    const clocks = ctx.facts.clocks;
    if (clocks.length === 0) return [noZone(rule)];
    const consentDays = p.consentDays.value ?? 0;
    const failing: string[] = [];
    let retry = ctx.t;
    for (const clock of clocks) {
      const table = ctx.facts.memo<WaitTable>(`${rule.id}:${clock.zone}`, () => {
        const { history } = req;
        const conversations: WaitTable['conversations'] = [];
        const consents = new Map<number, number>();
        for (let i = 0; i < history.length; i++) {
          const e = history[i]!;
          const ms = ctx.facts.times[i]!;
          if (conversation(e, req)) conversations.push({ ms, day: clock.localDay(ms) });
          if (consentEvent(e, req)) addExempt(consents, clock.localDay(ms), ms);
        }
        return { conversations, consents };
      });
      const day = clock.localDay(ctx.t);
      if (covered(table.consents, ctx.t, day, consentDays)) continue;
      let latest = -Infinity;
      for (const c of table.conversations) if (c.ms <= ctx.t && c.day > latest) latest = c.day;
      if (day - latest >= p.waitDays.value) continue;
      retry = Math.max(retry, clock.instantOfLocal((latest + p.waitDays.value) * DAY_MS));
      failing.push(
        `conversation on ${formatDay(latest)} (${clock.zone}), calls allowed from ${formatDay(latest + p.waitDays.value)}`,
      );
    }
    if (failing.length === 0) return [];
    return [
      deny(
        rule,
        `within ${p.waitDays.value} days after a telephone conversation about the debt: ${failing.join('; ')}`,
        retry,
      ),
    ];
  },
});

const mediumBlock = defineRule({
  id: 'US.REGF.MEDIUM_BLOCK',
  citation: '12 CFR 1006.14(h)',
  confidence: 'high',
  summary: 'No communication through a medium the person asked the collector not to use.',
  params: {},
  check: (ctx, _p, rule) => blockedChannelViolations(ctx, rule),
});

const electronicOptOut = defineRule({
  id: 'US.REGF.EOPTOUT',
  citation: '12 CFR 1006.6(e)',
  confidence: 'med',
  summary: 'Every e-mail and text message carries a clear, simple way to opt out of that medium.',
  params: {},
  check(ctx, _p, rule) {
    const req = ctx.facts.request;
    const content = ctx.facts.content;
    if ((req.channel !== 'email' && req.channel !== 'sms') || !content) return [];
    return hasOptOut(content)
      ? []
      : [
          deny(
            rule,
            `the ${req.channel} lacks an opt-out instruction (e.g. "Reply STOP to opt out", "unsubscribe")`,
          ),
        ];
  },
});

const noSocialPublic = defineRule({
  id: 'US.REGF.NO_SOCIAL_PUBLIC',
  citation: '12 CFR 1006.22(f)(4)',
  confidence: 'high',
  summary: 'No message on a social-media platform that the public or the person’s contacts can see.',
  params: {},
  check: (ctx, _p, rule) => publicVisibilityViolations(ctx, rule),
});

const noEmployerEmail = defineRule({
  id: 'US.REGF.NO_EMPLOYER_EMAIL',
  citation: '12 CFR 1006.22(f)(3)',
  confidence: 'med',
  summary: 'No e-mail to an address the collector knows is provided by the debtor’s employer.',
  params: {},
  check(ctx, _p, rule) {
    const req = ctx.facts.request;
    return req.channel === 'email' && req.destination?.employerEmail === true
      ? [deny(rule, 'the e-mail address is provided by the debtor’s employer')]
      : [];
  },
});

const attorney = defineRule({
  id: 'US.FDCPA.ATTORNEY',
  citation: '15 U.S.C. 1692c(a)(2); 12 CFR 1006.6(b)(2)',
  confidence: 'high',
  summary:
    'When the debtor is known to be represented by an attorney about the debt, contact the attorney only.',
  params: {},
  check: (ctx, _p, rule) => holdViolations(ctx, rule, ['attorney']),
});

const cease = defineRule({
  id: 'US.FDCPA.CEASE',
  citation: '15 U.S.C. 1692c(c); 12 CFR 1006.6(c)',
  confidence: 'high',
  summary:
    'After a written refusal to pay or request to cease, stop communicating (the statutory notices excepted).',
  params: {},
  check: (ctx, _p, rule) => holdViolations(ctx, rule, ['cease']),
});

const disputeHalt = defineRule({
  id: 'US.REGF.DISPUTE_HALT',
  citation: '15 U.S.C. 1692g(b); 12 CFR 1006.38',
  confidence: 'high',
  summary: 'A timely written dispute halts collection of the disputed debt until verification is sent.',
  params: {},
  check: (ctx, _p, rule) => holdViolations(ctx, rule, ['disputed']),
});

const thirdParty = defineRule({
  id: 'US.FDCPA.THIRD_PARTY',
  citation: '15 U.S.C. 1692c(b); 12 CFR 1006.6(d)',
  confidence: 'high',
  summary:
    'Without consent or court permission, discuss the debt only with the debtor, their attorney, a credit bureau, the creditor and the attorneys. Arrears also admits only contacts the debtor designated, and never address-book contacts.',
  params: { requireDesignated: requireParam(true) },
  check(ctx, p, rule) {
    return [
      ...addressBookViolations(ctx, rule),
      ...designatedViolations(ctx, rule, p.requireDesignated.value),
      ...disclosureViolations(ctx, rule),
      ...contentViolations(ctx, rule, categoriesOf('US', rule.id)),
    ];
  },
});

const locationContact = defineRule({
  id: 'US.FDCPA.LOCATION_CONTACT',
  citation: '15 U.S.C. 1692b; 12 CFR 1006.10',
  confidence: 'high',
  summary:
    'A third party may be contacted only to acquire location information, never saying the person owes a debt, and only once unless asked or the earlier answer was wrong.',
  params: { maxPerThirdParty: maxParam(1, 'contacts') },
  check(ctx, p, rule) {
    const req = ctx.facts.request;
    if (!isThirdParty(req)) return [];
    const out = purposeViolations(ctx, rule, ['location']);
    const max = p.maxPerThirdParty.value;
    if (max === null) return out;
    const earlier = req.history.filter((e) => e.direction === 'outbound' && e.recipient === 'third_party');
    const ref = req.recipient.ref;
    if (ref === undefined) {
      if (earlier.length > 0) {
        out.push(
          insufficient(
            rule,
            'third parties were contacted before and recipient.ref is missing, so "once per third party" cannot be checked',
          ),
        );
      }
      return out;
    }
    const count = earlier.filter((e) => e.recipientRef === ref).length;
    if (count >= max)
      out.push(deny(rule, `third party ${ref} was already contacted ${count} time(s); the limit is ${max}`));
    return out;
  },
});

const abuse = defineRule({
  id: 'US.FDCPA.ABUSE',
  citation: '15 U.S.C. 1692d; 12 CFR 1006.14',
  confidence: 'high',
  summary: 'No violence or threats of it, no obscene or profane language, no publishing of debtor lists.',
  params: {},
  check: (ctx, _p, rule) => contentViolations(ctx, rule, categoriesOf('US', rule.id)),
});

const falseRep = defineRule({
  id: 'US.FDCPA.FALSE_REP',
  citation: '15 U.S.C. 1692e; 12 CFR 1006.18',
  confidence: 'high',
  summary:
    'No false representation: government affiliation, amount or legal status of the debt, arrest or seizure, actions not intended or lawful, false credit information, simulated legal process.',
  params: {},
  check: (ctx, _p, rule) => contentViolations(ctx, rule, categoriesOf('US', rule.id)),
});

const miniMiranda = defineRule({
  id: 'US.FDCPA.MINI_MIRANDA',
  citation: '15 U.S.C. 1692e(11); 12 CFR 1006.18(e)',
  confidence: 'high',
  summary:
    'The first communication discloses that the collector is attempting to collect a debt and that information will be used for that purpose; each later one that it is from a debt collector.',
  params: {},
  check(ctx, _p, rule) {
    const req = ctx.facts.request;
    const content = ctx.facts.content;
    if (!content || !req.content || req.recipient.role !== 'debtor') return [];
    let first = true;
    for (let i = 0; i < req.history.length && first; i++) {
      const e = req.history[i]!;
      if (
        e.recipient === 'debtor' &&
        e.debtRef === req.debtRef &&
        COMMUNICATED.has(e.outcome) &&
        ctx.facts.times[i]! < ctx.t
      ) {
        first = false;
      }
    }
    const result = checkDisclosure(content, req.content.locale, first);
    if (result === 'unsupported_locale') {
      return [insufficient(rule, `cannot verify the required disclosure in locale ${req.content.locale}`)];
    }
    if (result === 'missing') {
      return [
        deny(
          rule,
          first
            ? 'first communication lacks "this is an attempt to collect a debt and any information obtained will be used for that purpose"'
            : 'communication lacks the statement that it is from a debt collector',
        ),
      ];
    }
    return [];
  },
});

const policy = defineRule({
  id: 'ARREARS.POLICY',
  citation:
    '11 U.S.C. 362(a)(6) (bankruptcy automatic stay); 12 CFR 1006.2(e), 1006.6(a)(4) (deceased consumer: only the estate’s representative); agreed deferral — not in the catalogue',
  confidence: 'policy',
  summary:
    'Holds recorded on the account that the catalogue has no US rule for: bankruptcy, death, an agreed deferral.',
  params: {},
  check: (ctx, _p, rule) => holdViolations(ctx, rule, ['bankruptcy', 'deceased', 'deferral']),
});

export const US_PACK: RulePack = {
  jurisdiction: 'US',
  version: 'US-2026.11.1',
  includes: [],
  rules: [
    hours,
    workplace,
    callFrequency,
    callWait,
    mediumBlock,
    electronicOptOut,
    noSocialPublic,
    noEmployerEmail,
    attorney,
    cease,
    disputeHalt,
    thirdParty,
    locationContact,
    abuse,
    falseRep,
    miniMiranda,
    policy,
  ],
  reference: [
    {
      id: 'US.REGF.CALL_EXCLUSIONS',
      citation: '12 CFR 1006.14(b)(3)',
      confidence: 'high',
      summary:
        'Not counted: calls with prior direct consent given within 7 days (consent day = day 1); calls that do not connect. Calls from the debtor are not placed calls, but a conversation they start starts the wait.',
      note: 'Applied inside US.REGF.CALL_FREQ_7IN7 and US.REGF.CALL_WAIT_7D (parameter consentDays; not_connected outcomes).',
    },
    {
      id: 'US.REGF.CALLER_ID',
      citation: '12 CFR 1006.14(g); 15 U.S.C. 1692d(6)',
      confidence: 'high',
      summary: 'Calls meaningfully disclose the caller’s identity.',
      note: 'Dialler configuration; not visible in a contact request.',
    },
    {
      id: 'US.FDCPA.AMOUNT',
      citation: '15 U.S.C. 1692f',
      confidence: 'high',
      summary: 'No interest, fee or charge unless the agreement or law allows it; post-dated cheque notices.',
      note: 'Amounts are computed by the delinquency engine; invented fees in text are caught as false_amount.',
    },
    {
      id: 'US.REGF.VALIDATION',
      citation: '15 U.S.C. 1692g(a); 12 CFR 1006.34',
      confidence: 'high',
      summary: 'Validation information in, or within 5 days after, the first communication.',
      note: 'Notice generation and tracking; not a per-contact check.',
    },
    {
      id: 'US.REGF.TIME_BARRED',
      citation: '12 CFR 1006.26(b)',
      confidence: 'high',
      summary: 'No suit or threat of suit on a time-barred debt.',
      note: 'Needs state limitation periods; litigation workflow.',
    },
    {
      id: 'US.REGF.PASSIVE_REPORTING',
      citation: '12 CFR 1006.30(a)',
      confidence: 'med',
      summary: 'Before furnishing to a bureau: speak to the debtor, or notify and wait 14 days.',
      note: 'Credit-reporting workflow.',
    },
    {
      id: 'US.REGF.RETENTION',
      citation: '12 CFR 1006.100',
      confidence: 'high',
      summary: 'Keep records 3 years after the last collection activity.',
      note: 'Storage retention policy.',
    },
    {
      id: 'US.CFPB.COMPLAINT_SLA',
      citation: 'CFPB guidance',
      confidence: 'med',
      summary: 'Respond to portal complaints within 15 days, close within 60.',
      note: 'Complaints workflow.',
    },
  ],
  contentRules: CONTENT_RULES.US,
};
