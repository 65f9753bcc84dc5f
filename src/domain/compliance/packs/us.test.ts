import { describe, expect } from 'vitest';
import { evaluateContact } from '../gate.js';
import { aRequest, anEvent, ny, ruleTests, rulesOf } from '../test-builders.js';
import { US_PACK } from './us.js';

const rule = ruleTests(US_PACK);
const MIRANDA =
  'This is an attempt to collect a debt and any information obtained will be used for that purpose.';
const thirdParty = {
  role: 'third_party' as const,
  relationship: 'sibling' as const,
  designated: true,
  source: 'debtor_provided' as const,
  ref: 'TP-1',
};

/** One unanswered call a day at 10:00 New York time on each of the given March 2026 days. */
const dailyCalls = (days: number[]) =>
  days.map((d) => anEvent(ny(`2026-03-${String(d).padStart(2, '0')} 10:00`)));

describe('US pack', () => {
  rule.it('US.FDCPA.HOURS', '08:00 ≤ local time < 21:00 in the debtor’s zone', () => {
    expect(evaluateContact(aRequest({ at: ny('2026-03-09 08:00') })).allowed).toBe(true);
    expect(evaluateContact(aRequest({ at: ny('2026-03-09 20:59') })).allowed).toBe(true);
    const early = evaluateContact(aRequest({ at: ny('2026-03-09 07:59') }));
    expect(rulesOf(early)).toEqual(['US.FDCPA.HOURS']);
    expect(early.nextAllowedAt).toBe(ny('2026-03-09 08:00'));
    const late = evaluateContact(aRequest({ at: ny('2026-03-09 21:00') }));
    expect(rulesOf(late)).toEqual(['US.FDCPA.HOURS']);
    expect(late.nextAllowedAt).toBe(ny('2026-03-10 08:00'));
  });

  rule.it('US.FDCPA.HOURS', 'letters are not timed; e-mails and texts are', () => {
    expect(evaluateContact(aRequest({ channel: 'letter', at: ny('2026-03-09 23:00') })).allowed).toBe(true);
    expect(rulesOf(evaluateContact(aRequest({ channel: 'email', at: ny('2026-03-09 23:00') })))).toEqual([
      'US.FDCPA.HOURS',
    ]);
  });

  rule.it('US.FDCPA.HOURS', 'a band the debtor blocked is a time known to be inconvenient', () => {
    const request = aRequest({
      at: ny('2026-03-09 12:30'),
      debtor: { blockedWindows: [{ weekday: 1, from: '12:00', to: '14:00' }] },
    });
    const decision = evaluateContact(request);
    expect(rulesOf(decision)).toEqual(['US.FDCPA.HOURS']);
    expect(decision.violations[0]!.message).toContain('blocked');
    expect(decision.nextAllowedAt).toBe(ny('2026-03-09 14:00'));
  });

  rule.it(
    'US.FDCPA.WORKPLACE',
    'no contact at work when the employer prohibits it; unknown destination denies',
    () => {
      const flags = { workplaceContactProhibited: true };
      const atWork = evaluateContact(aRequest({ debtor: { flags }, destination: { workplace: true } }));
      expect(rulesOf(atWork)).toEqual(['US.FDCPA.WORKPLACE']);
      expect(atWork.nextAllowedAt).toBeNull();
      expect(
        evaluateContact(aRequest({ debtor: { flags }, destination: { workplace: false } })).allowed,
      ).toBe(true);
      const unknown = evaluateContact(aRequest({ debtor: { flags } }));
      expect(unknown.violations[0]!.message).toMatch(/^insufficient_data:/);
    },
  );

  rule.it(
    'US.REGF.CALL_FREQ_7IN7',
    'worked example: calls on seven consecutive days — the eighth waits for day 8',
    () => {
      const history = dailyCalls([2, 3, 4, 5, 6, 7, 8]);
      const eighth = evaluateContact(aRequest({ at: ny('2026-03-08 15:00'), history }));
      expect(rulesOf(eighth)).toEqual(['US.REGF.CALL_FREQ_7IN7']);
      // Monday 9 March: the 7-day period 3–9 March holds six calls.
      expect(eighth.nextAllowedAt).toBe(ny('2026-03-09 08:00'));
      expect(evaluateContact(aRequest({ at: ny('2026-03-09 12:00'), history })).allowed).toBe(true);
    },
  );

  rule.it('US.REGF.CALL_FREQ_7IN7', 'seven calls on one day block the next six days', () => {
    const history = [9, 10, 11, 12, 13, 14, 15].map((h) =>
      anEvent(ny(`2026-03-03 ${String(h).padStart(2, '0')}:00`)),
    );
    const decision = evaluateContact(aRequest({ at: ny('2026-03-05 12:00'), history }));
    expect(rulesOf(decision)).toEqual(['US.REGF.CALL_FREQ_7IN7']);
    expect(decision.nextAllowedAt).toBe(ny('2026-03-10 08:00'));
  });

  rule.it(
    'US.REGF.CALL_FREQ_7IN7',
    'counts per person per debt: other debts, texts and third-party calls do not count',
    () => {
      const history = [
        ...dailyCalls([2, 3, 4]).map((e) => ({ ...e, debtRef: 'D-2' })),
        ...dailyCalls([5, 6]).map((e) => ({ ...e, recipient: 'third_party' as const })),
        ...dailyCalls([7, 8]).map((e) => ({ ...e, channel: 'sms' as const, outcome: 'delivered' as const })),
      ];
      expect(evaluateContact(aRequest({ at: ny('2026-03-08 15:00'), history })).allowed).toBe(true);
    },
  );

  rule.it('US.REGF.CALL_EXCLUSIONS', 'calls that do not connect are not counted; voicemails are', () => {
    const notConnected = dailyCalls([2, 3, 4, 5, 6, 7, 8]).map((e) => ({
      ...e,
      outcome: 'not_connected' as const,
    }));
    expect(evaluateContact(aRequest({ at: ny('2026-03-08 15:00'), history: notConnected })).allowed).toBe(
      true,
    );
    const voicemails = dailyCalls([2, 3, 4, 5, 6, 7, 8]).map((e) => ({
      ...e,
      outcome: 'voicemail' as const,
    }));
    expect(rulesOf(evaluateContact(aRequest({ at: ny('2026-03-08 15:00'), history: voicemails })))).toEqual([
      'US.REGF.CALL_FREQ_7IN7',
    ]);
  });

  rule.it('US.REGF.CALL_EXCLUSIONS', 'calls the debtor makes are not placed calls', () => {
    const inbound = dailyCalls([2, 3, 4, 5, 6, 7, 8]).map((e) => ({ ...e, direction: 'inbound' as const }));
    expect(evaluateContact(aRequest({ at: ny('2026-03-08 15:00'), history: inbound })).allowed).toBe(true);
  });

  rule.it(
    'US.REGF.CALL_EXCLUSIONS',
    'consent given directly within the last 7 days (consent day = day 1) excludes the call',
    () => {
      const calls = dailyCalls([2, 3, 4, 5, 6, 7, 8]);
      const consentToday = anEvent(ny('2026-03-08 11:00'), {
        direction: 'inbound',
        outcome: 'conversation',
        consentGiven: true,
      });
      // The conversation would also start the 7-day wait; consent excludes the call from both presumptions.
      expect(
        evaluateContact(aRequest({ at: ny('2026-03-08 15:00'), history: [...calls, consentToday] })).allowed,
      ).toBe(true);
      // Seven calls on Sunday 8 March, then an eighth: covered by consent given on 2 March (8 March = day 7) …
      const sunday = [8, 9, 10, 11, 12, 13, 14].map((h) =>
        anEvent(ny(`2026-03-08 ${String(h).padStart(2, '0')}:00`)),
      );
      const consent = (wall: string) =>
        anEvent(ny(wall), { direction: 'inbound', outcome: 'sent', consentGiven: true });
      const covered = aRequest({
        at: ny('2026-03-08 15:00'),
        history: [consent('2026-03-02 07:00'), ...sunday],
      });
      expect(evaluateContact(covered).allowed).toBe(true);
      // … but not by consent given on 1 March (8 March = day 8): all eight calls count.
      const expired = aRequest({
        at: ny('2026-03-08 15:00'),
        history: [consent('2026-03-01 07:00'), ...sunday],
      });
      expect(rulesOf(evaluateContact(expired))).toEqual(['US.REGF.CALL_FREQ_7IN7']);
    },
  );

  rule.it(
    'US.REGF.CALL_WAIT_7D',
    'worked example: a conversation on Tuesday 3 March (day 1) blocks calls until Tuesday 10 March',
    () => {
      const history = [anEvent(ny('2026-03-03 10:00'), { outcome: 'conversation' })];
      expect(rulesOf(evaluateContact(aRequest({ at: ny('2026-03-03 15:00'), history })))).toEqual([
        'US.REGF.CALL_WAIT_7D',
      ]);
      const day7 = evaluateContact(aRequest({ at: ny('2026-03-09 12:00'), history }));
      expect(rulesOf(day7)).toEqual(['US.REGF.CALL_WAIT_7D']);
      expect(day7.nextAllowedAt).toBe(ny('2026-03-10 08:00'));
      expect(evaluateContact(aRequest({ at: ny('2026-03-10 08:00'), history })).allowed).toBe(true);
    },
  );

  rule.it(
    'US.REGF.CALL_WAIT_7D',
    'a conversation the debtor started also starts the wait; texts are not calls',
    () => {
      const history = [anEvent(ny('2026-03-03 10:00'), { direction: 'inbound', outcome: 'conversation' })];
      expect(rulesOf(evaluateContact(aRequest({ at: ny('2026-03-05 12:00'), history })))).toEqual([
        'US.REGF.CALL_WAIT_7D',
      ]);
      expect(evaluateContact(aRequest({ channel: 'sms', at: ny('2026-03-05 12:00'), history })).allowed).toBe(
        true,
      );
    },
  );

  rule.it(
    'US.REGF.CALL_WAIT_7D',
    'worked example: the consumer asks to be called back on Wednesday — that call is excluded',
    () => {
      const history = [anEvent(ny('2026-03-02 10:00'), { outcome: 'conversation', consentGiven: true })];
      expect(evaluateContact(aRequest({ at: ny('2026-03-04 10:00'), history })).allowed).toBe(true);
    },
  );

  rule.it('US.REGF.MEDIUM_BLOCK', 'no communication through a medium the person opted out of', () => {
    const decision = evaluateContact(aRequest({ channel: 'sms', debtor: { blockedChannels: ['sms'] } }));
    expect(rulesOf(decision)).toEqual(['US.REGF.MEDIUM_BLOCK']);
    expect(decision.nextAllowedAt).toBeNull();
    expect(evaluateContact(aRequest({ channel: 'call', debtor: { blockedChannels: ['sms'] } })).allowed).toBe(
      true,
    );
  });

  rule.it('US.REGF.EOPTOUT', 'every e-mail and text carries an opt-out instruction', () => {
    const without = evaluateContact(aRequest({ channel: 'sms', content: { text: MIRANDA, locale: 'en' } }));
    expect(rulesOf(without)).toEqual(['US.REGF.EOPTOUT']);
    const withOptOut = aRequest({
      channel: 'sms',
      content: { text: `${MIRANDA} Reply STOP to opt out.`, locale: 'en' },
    });
    expect(evaluateContact(withOptOut).allowed).toBe(true);
  });

  rule.it(
    'US.REGF.NO_SOCIAL_PUBLIC',
    'no publicly visible social-media message; visibility must be known',
    () => {
      expect(
        rulesOf(evaluateContact(aRequest({ channel: 'im', destination: { publicVisible: true } }))),
      ).toEqual(['US.REGF.NO_SOCIAL_PUBLIC']);
      expect(
        evaluateContact(aRequest({ channel: 'im', destination: { publicVisible: false } })).allowed,
      ).toBe(true);
      const unknown = evaluateContact(aRequest({ channel: 'im' }));
      expect(unknown.violations[0]).toMatchObject({ rule: 'US.REGF.NO_SOCIAL_PUBLIC' });
      expect(unknown.violations[0]!.message).toMatch(/^insufficient_data:/);
    },
  );

  rule.it('US.REGF.NO_EMPLOYER_EMAIL', 'no e-mail to an employer-provided address', () => {
    expect(
      rulesOf(evaluateContact(aRequest({ channel: 'email', destination: { employerEmail: true } }))),
    ).toEqual(['US.REGF.NO_EMPLOYER_EMAIL']);
    expect(
      evaluateContact(aRequest({ channel: 'email', destination: { employerEmail: false } })).allowed,
    ).toBe(true);
  });

  rule.it('US.FDCPA.ATTORNEY', 'a represented debtor is reached through the attorney only', () => {
    const flags = { attorneyRepresented: true };
    expect(rulesOf(evaluateContact(aRequest({ debtor: { flags } })))).toEqual(['US.FDCPA.ATTORNEY']);
    expect(evaluateContact(aRequest({ debtor: { flags }, recipient: { role: 'attorney' } })).allowed).toBe(
      true,
    );
  });

  rule.it('US.FDCPA.CEASE', 'after a written cease request no time helps', () => {
    const decision = evaluateContact(aRequest({ debtor: { flags: { ceaseRequested: true } } }));
    expect(rulesOf(decision)).toEqual(['US.FDCPA.CEASE']);
    expect(decision.nextAllowedAt).toBeNull();
  });

  rule.it('US.REGF.DISPUTE_HALT', 'a disputed debt is not collected until verified', () => {
    expect(rulesOf(evaluateContact(aRequest({ debtor: { flags: { disputed: true } } })))).toEqual([
      'US.REGF.DISPUTE_HALT',
    ]);
  });

  rule.it('US.FDCPA.THIRD_PARTY', 'address-book contacts are always refused, even designated ones', () => {
    const decision = evaluateContact(
      aRequest({ purpose: 'location', recipient: { ...thirdParty, source: 'address_book' } }),
    );
    expect(rulesOf(decision)).toEqual(['US.FDCPA.THIRD_PARTY']);
    expect(decision.nextAllowedAt).toBeNull();
  });

  rule.it('US.FDCPA.THIRD_PARTY', 'only designated contacts; never a word about the debt', () => {
    expect(evaluateContact(aRequest({ purpose: 'location', recipient: thirdParty })).allowed).toBe(true);
    const undesignated = evaluateContact(
      aRequest({ purpose: 'location', recipient: { ...thirdParty, designated: false } }),
    );
    expect(rulesOf(undesignated)).toEqual(['US.FDCPA.THIRD_PARTY']);
    const disclosing = evaluateContact(
      aRequest({
        channel: 'email',
        purpose: 'location',
        recipient: thirdParty,
        content: {
          text: 'Please ask Ana to call us about her overdue loan. Reply STOP to opt out.',
          locale: 'en',
        },
      }),
    );
    expect(rulesOf(disclosing)).toContain('US.FDCPA.THIRD_PARTY');
    const noSource = evaluateContact(
      aRequest({ purpose: 'location', recipient: { ...thirdParty, source: undefined } }),
    );
    expect(noSource.violations[0]!.message).toMatch(/^insufficient_data:/);
  });

  rule.it('US.FDCPA.LOCATION_CONTACT', 'location purpose only, once per third party', () => {
    expect(rulesOf(evaluateContact(aRequest({ purpose: 'collection', recipient: thirdParty })))).toEqual([
      'US.FDCPA.LOCATION_CONTACT',
    ]);
    const earlier = anEvent(ny('2026-03-02 10:00'), {
      recipient: 'third_party',
      recipientRef: 'TP-1',
      outcome: 'connected',
    });
    expect(
      rulesOf(evaluateContact(aRequest({ purpose: 'location', recipient: thirdParty, history: [earlier] }))),
    ).toEqual(['US.FDCPA.LOCATION_CONTACT']);
    const other = { ...thirdParty, ref: 'TP-2' };
    expect(
      evaluateContact(aRequest({ purpose: 'location', recipient: other, history: [earlier] })).allowed,
    ).toBe(true);
    const anonymous = { ...thirdParty, ref: undefined };
    const unknown = evaluateContact(
      aRequest({ purpose: 'location', recipient: anonymous, history: [earlier] }),
    );
    expect(unknown.violations[0]!.message).toMatch(/^insufficient_data:/);
  });

  rule.it('US.FDCPA.ABUSE', 'threats of violence and obscenity in content', () => {
    const decision = evaluateContact(
      aRequest({
        channel: 'letter',
        content: { text: `${MIRANDA} We know where you live, you deadbeat.`, locale: 'en' },
      }),
    );
    expect(rulesOf(decision)).toEqual(['US.FDCPA.ABUSE', 'US.FDCPA.ABUSE']);
    expect(decision.violations[0]!.message).toContain('threat_violence');
    expect(decision.nextAllowedAt).toBeNull();
  });

  rule.it('US.FDCPA.FALSE_REP', 'threat of arrest and impersonated police in content', () => {
    const decision = evaluateContact(
      aRequest({
        channel: 'letter',
        content: { text: `${MIRANDA} This is the police: pay or you will be arrested.`, locale: 'en' },
      }),
    );
    expect(decision.violations.map((v) => v.message.split(' — ')[0])).toEqual([
      'content: impersonation',
      'content: false_legal_action',
    ]);
    expect(new Set(rulesOf(decision))).toEqual(new Set(['US.FDCPA.FALSE_REP']));
  });

  rule.it(
    'US.FDCPA.MINI_MIRANDA',
    'first communication needs the full disclosure, later ones "from a debt collector"',
    () => {
      const letter = (text: string, history = [] as ReturnType<typeof anEvent>[]) =>
        evaluateContact(aRequest({ channel: 'letter', content: { text, locale: 'en' }, history }));
      expect(rulesOf(letter('Your payment of $120 is overdue.'))).toEqual(['US.FDCPA.MINI_MIRANDA']);
      expect(letter(`${MIRANDA} Your payment of $120 is overdue.`).allowed).toBe(true);
      const earlier = [anEvent(ny('2026-03-02 10:00'), { channel: 'letter', outcome: 'delivered' })];
      expect(rulesOf(letter('Your payment of $120 is overdue.', earlier))).toEqual(['US.FDCPA.MINI_MIRANDA']);
      expect(
        letter('This communication is from a debt collector. Your payment is overdue.', earlier).allowed,
      ).toBe(true);
      const korean = evaluateContact(
        aRequest({ channel: 'letter', content: { text: '연체 안내', locale: 'ko' } }),
      );
      expect(korean.violations[0]!.message).toMatch(/^insufficient_data:/);
    },
  );

  rule.it('ARREARS.POLICY', 'bankruptcy stay, deceased debtor, agreed deferral', () => {
    expect(rulesOf(evaluateContact(aRequest({ debtor: { flags: { bankruptcy: true } } })))).toEqual([
      'ARREARS.POLICY',
    ]);
    expect(rulesOf(evaluateContact(aRequest({ debtor: { flags: { deceased: true } } })))).toEqual([
      'ARREARS.POLICY',
    ]);
    const deferred = evaluateContact(
      aRequest({ debtor: { flags: { deferredUntil: ny('2026-04-01 00:00') } } }),
    );
    expect(rulesOf(deferred)).toEqual(['ARREARS.POLICY']);
    expect(deferred.nextAllowedAt).toBe(ny('2026-04-01 08:00'));
  });

  rule.everyRuleTested();
});
