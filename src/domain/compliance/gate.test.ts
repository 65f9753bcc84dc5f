import { describe, expect, it } from 'vitest';
import { evaluateContact } from './gate.js';
import { contactRequestSchema, parseContactRequest } from './schema.js';
import { aRequest, anEvent, local, ny, rulesOf } from './test-builders.js';

const la = (wall: string): string => local('America/Los_Angeles', wall);
const madrid = (wall: string): string => local('Europe/Madrid', wall);

describe('evaluateContact — decision shape and fail-closed cases', () => {
  it('returns exactly the documented JSON; an allowed contact is allowed at `at`', () => {
    const decision = evaluateContact(aRequest());
    expect(Object.keys(decision).sort()).toEqual(['allowed', 'nextAllowedAt', 'packVersion', 'violations']);
    expect(decision).toEqual({
      allowed: true,
      violations: [],
      nextAllowedAt: ny('2026-03-09 12:00'),
      packVersion: 'US-2026.11.1',
    });
  });

  it('an unknown jurisdiction is denied', () => {
    const decision = evaluateContact({ ...aRequest(), jurisdiction: 'FR' as 'US' });
    expect(decision).toMatchObject({ allowed: false, nextAllowedAt: null, packVersion: 'none' });
    expect(decision.violations[0]!.message).toMatch(/^insufficient_data:/);
  });

  it('no zone, no possible zones and no phone: every time-dependent rule denies with insufficient_data', () => {
    const decision = evaluateContact(aRequest({ debtor: { timezone: undefined } }));
    expect(decision.allowed).toBe(false);
    expect(decision.nextAllowedAt).toBeNull();
    expect(rulesOf(decision)).toEqual(['US.FDCPA.HOURS', 'US.REGF.CALL_FREQ_7IN7', 'US.REGF.CALL_WAIT_7D']);
    for (const v of decision.violations) expect(v.message).toMatch(/^insufficient_data:/);
  });

  it('a phone with an unknown country code is no hint', () => {
    const decision = evaluateContact(aRequest({ debtor: { timezone: undefined, phone: '+99912345678' } }));
    expect(decision.violations[0]!.message).toMatch(/^insufficient_data:/);
  });

  it('content violations make time irrelevant', () => {
    const decision = evaluateContact(
      aRequest({
        channel: 'letter',
        at: ny('2026-03-09 23:00'),
        content: { text: 'You will be arrested.', locale: 'en' },
      }),
    );
    expect(decision.nextAllowedAt).toBeNull();
  });
});

describe('contactRequestSchema', () => {
  it('accepts the documented request', () => {
    const request = aRequest({
      history: [anEvent(ny('2026-03-02 10:00'))],
      content: { text: 'hi', locale: 'en' },
    });
    expect(contactRequestSchema.safeParse(request).success).toBe(true);
  });

  it('reports every error at once, each with its field path', () => {
    const result = parseContactRequest({
      jurisdiction: 'US',
      channel: 'fax',
      at: '2026-03-09 12:00',
      debtRef: 'D-1',
      recipient: { role: 'debtor', sorce: 'debtor_provided' },
      debtor: {
        timezone: 'EST',
        phone: '5550123',
        blockedWindows: [{ weekday: 8, from: '25:00', to: '10:00' }],
        flags: { cease_requested: true },
      },
      history: [
        {
          channel: 'call',
          at: 'yesterday',
          direction: 'outbound',
          outcome: 'no_answer',
          debtRef: 'D-1',
          recipient: 'debtor',
        },
      ],
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => i.field).sort()).toEqual(
      [
        'at',
        'channel',
        'debtor.blockedWindows.0.from',
        'debtor.blockedWindows.0.weekday',
        'debtor.flags.cease_requested',
        'debtor.phone',
        'debtor.timezone',
        'history.0.at',
        'recipient.sorce',
      ].sort(),
    );
  });
});

describe('time-zone edges', () => {
  it('US spring-forward (America/New_York, 8 March 2026): 08:00 EDT is 12:00Z, not 13:00Z', () => {
    const night = evaluateContact(aRequest({ at: ny('2026-03-07 21:30') }));
    expect(night.nextAllowedAt).toBe('2026-03-08T12:00:00.000Z');
    expect(rulesOf(evaluateContact(aRequest({ at: '2026-03-08T11:59:00Z' })))).toEqual(['US.FDCPA.HOURS']);
    expect(evaluateContact(aRequest({ at: '2026-03-08T12:00:00Z' })).allowed).toBe(true);
    // 21:00 EDT on the 8th is 01:00Z on the 9th.
    expect(evaluateContact(aRequest({ at: '2026-03-09T00:59:00Z' })).allowed).toBe(true);
    expect(rulesOf(evaluateContact(aRequest({ at: '2026-03-09T01:00:00Z' })))).toEqual(['US.FDCPA.HOURS']);
  });

  it('US fall-back (America/New_York, 1 November 2026): 08:00 EST is 13:00Z; 01:30 happens twice and is night both times', () => {
    const night = evaluateContact(aRequest({ at: ny('2026-10-31 21:30') }));
    expect(night.nextAllowedAt).toBe('2026-11-01T13:00:00.000Z');
    expect(evaluateContact(aRequest({ at: '2026-11-01T05:30:00Z' })).allowed).toBe(false); // 01:30 EDT
    expect(evaluateContact(aRequest({ at: '2026-11-01T06:30:00Z' })).allowed).toBe(false); // 01:30 EST
    expect(evaluateContact(aRequest({ at: '2026-11-01T12:59:00Z' })).allowed).toBe(false);
  });

  it('the 7-day wait counts local dates across the DST change', () => {
    // 23:30 EST on Saturday 7 March is 04:30Z on the 8th: day 1 is the 7th, so calls resume Saturday 14 March.
    const history = [anEvent('2026-03-08T04:30:00Z', { direction: 'inbound', outcome: 'conversation' })];
    const decision = evaluateContact(aRequest({ at: ny('2026-03-13 12:00'), history }));
    expect(decision.nextAllowedAt).toBe(ny('2026-03-14 08:00'));
    expect(decision.nextAllowedAt).toBe('2026-03-14T12:00:00.000Z');
  });

  it('Spain’s DST (Europe/Madrid, 29 March and 25 October 2026) moves the 09:00 opening in UTC', () => {
    const spring = evaluateContact(
      aRequest({ jurisdiction: 'ES', debtor: { timezone: 'Europe/Madrid' }, at: madrid('2026-03-27 21:30') }),
    );
    expect(spring.nextAllowedAt).toBe('2026-03-30T07:00:00.000Z');
    const autumn = evaluateContact(
      aRequest({ jurisdiction: 'ES', debtor: { timezone: 'Europe/Madrid' }, at: madrid('2026-10-23 22:00') }),
    );
    expect(autumn.nextAllowedAt).toBe('2026-10-26T08:00:00.000Z');
    expect(autumn.nextAllowedAt).toBe(madrid('2026-10-26 09:00'));
  });

  it('unknown zone: must be allowed in every possible zone (America/Los_Angeles and America/New_York)', () => {
    const both = { timezone: undefined, possibleTimezones: ['America/Los_Angeles', 'America/New_York'] };
    const morning = evaluateContact(aRequest({ debtor: both, at: ny('2026-03-09 10:59') }));
    expect(rulesOf(morning)).toEqual(['US.FDCPA.HOURS']);
    expect(morning.violations[0]!.message).toContain('America/Los_Angeles');
    expect(morning.violations[0]!.message).not.toContain('America/New_York');
    expect(morning.nextAllowedAt).toBe(la('2026-03-09 08:00'));
    expect(evaluateContact(aRequest({ debtor: both, at: ny('2026-03-09 20:59') })).allowed).toBe(true);
    const evening = evaluateContact(aRequest({ debtor: both, at: ny('2026-03-09 21:00') }));
    expect(evening.violations[0]!.message).toContain('America/New_York');
    expect(evening.nextAllowedAt).toBe(la('2026-03-10 08:00'));
  });

  it('unknown zone with more zones (+ Pacific/Honolulu) narrows the window further', () => {
    const three = {
      timezone: undefined,
      possibleTimezones: ['America/New_York', 'America/Los_Angeles', 'Pacific/Honolulu'],
    };
    const decision = evaluateContact(aRequest({ debtor: three, at: ny('2026-03-09 12:00') }));
    expect(decision.nextAllowedAt).toBe(local('Pacific/Honolulu', '2026-03-09 08:00'));
    expect(evaluateContact(aRequest({ debtor: three, at: decision.nextAllowedAt! })).allowed).toBe(true);
  });

  it('no zone but a phone: the zones of its country code (and NANP area code)', () => {
    // libphonenumber's map narrows +1 212 to New York; a Los Angeles address hint adds the Pacific zone.
    const manhattan = evaluateContact(
      aRequest({ debtor: { timezone: undefined, phone: '+12125550123' }, at: ny('2026-03-09 07:30') }),
    );
    expect(manhattan.nextAllowedAt).toBe(ny('2026-03-09 08:00'));
    const both = { timezone: undefined, phone: '+12125550123', possibleTimezones: ['America/Los_Angeles'] };
    const mainland = evaluateContact(aRequest({ debtor: both, at: ny('2026-03-09 09:00') }));
    expect(mainland.nextAllowedAt).toBe(la('2026-03-09 08:00'));
    const hawaii = evaluateContact(
      aRequest({ debtor: { timezone: undefined, phone: '+18085550123' }, at: ny('2026-03-09 12:00') }),
    );
    expect(hawaii.nextAllowedAt).toBe(local('Pacific/Honolulu', '2026-03-09 08:00'));
    // Spain: a Madrid landline is Madrid; a mobile may be on the peninsula or in the Canaries (one hour behind).
    const landline = evaluateContact(
      aRequest({
        jurisdiction: 'ES',
        debtor: { timezone: undefined, phone: '+34912345678' },
        at: madrid('2026-03-09 09:30'),
      }),
    );
    expect(landline.allowed).toBe(true);
    const spain = evaluateContact(
      aRequest({
        jurisdiction: 'ES',
        debtor: { timezone: undefined, phone: '+34612345678' },
        at: madrid('2026-03-09 09:30'),
      }),
    );
    expect(spain.nextAllowedAt).toBe(local('Atlantic/Canary', '2026-03-09 09:00'));
  });

  it('a known zone wins over the phone', () => {
    const request = aRequest({
      debtor: { timezone: 'America/New_York', phone: '+18085550123' },
      at: ny('2026-03-09 09:00'),
    });
    expect(evaluateContact(request).allowed).toBe(true);
  });

  it('a blocked band that wraps midnight continues into the next weekday', () => {
    const debtor = { blockedWindows: [{ weekday: 5, from: '20:00', to: '09:00' }] };
    expect(rulesOf(evaluateContact(aRequest({ debtor, at: ny('2026-03-13 20:30') })))).toEqual([
      'US.FDCPA.HOURS',
    ]);
    const saturday = evaluateContact(aRequest({ debtor, at: ny('2026-03-14 08:30') }));
    expect(saturday.nextAllowedAt).toBe(ny('2026-03-14 09:00'));
    expect(evaluateContact(aRequest({ debtor, at: ny('2026-03-15 08:30') })).allowed).toBe(true);
  });
});
