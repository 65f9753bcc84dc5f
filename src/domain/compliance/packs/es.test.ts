import { describe, expect } from 'vitest';
import { evaluateContact } from '../gate.js';
import { aRequest, anEvent, local, ruleTests, rulesOf } from '../test-builders.js';
import { ES_PACK } from './es.js';
import { tightenPack } from './tighten.js';

const rule = ruleTests(ES_PACK);
const madrid = (wall: string): string => local('Europe/Madrid', wall);
const es = (overrides: Parameters<typeof aRequest>[0] = {}) =>
  aRequest({
    jurisdiction: 'ES',
    at: madrid('2026-03-09 12:00'),
    ...overrides,
    debtor: { timezone: 'Europe/Madrid', ...overrides.debtor },
  });
const relative = {
  role: 'third_party' as const,
  relationship: 'sibling' as const,
  designated: true,
  source: 'debtor_provided' as const,
};

describe('ES pack (with EU rules)', () => {
  rule.it('ES.HOURS', 'low confidence reference: calls and visits 09:00–21:00 on weekdays only', () => {
    expect(evaluateContact(es({ at: madrid('2026-03-09 09:00') })).allowed).toBe(true);
    const saturday = evaluateContact(es({ at: madrid('2026-03-07 12:00') }));
    expect(rulesOf(saturday)).toEqual(['ES.HOURS']);
    expect(saturday.nextAllowedAt).toBe(madrid('2026-03-09 09:00'));
    expect(evaluateContact(es({ channel: 'sms', at: madrid('2026-03-07 12:00') })).allowed).toBe(true);
  });

  rule.it('ES.FREQ', 'low confidence: no statutory cap; an operator may set one', () => {
    const history = [2, 3, 4, 5, 6].map((d) => anEvent(madrid(`2026-03-0${d} 10:00`)));
    expect(evaluateContact(es({ history })).allowed).toBe(true);
    const tightened = tightenPack(ES_PACK, { 'ES.FREQ': { maxContacts: 3 } });
    if (!tightened.ok) throw new Error('a cap where there was none is stricter');
    const decision = evaluateContact(es({ history }), { packs: { ES: tightened.pack } });
    expect(rulesOf(decision)).toEqual(['ES.FREQ']);
    expect(decision.packVersion).toMatch(/^ES-2026\.11\.1\+t\.[0-9a-f]{8}$/);
    expect(decision.nextAllowedAt).toBe(madrid('2026-03-11 09:00'));
  });

  rule.it(
    'ES.THIRD_PARTY',
    'relatives only to locate, no debt wording, no shared or work inboxes, no address books',
    () => {
      expect(evaluateContact(es({ purpose: 'location', recipient: relative })).allowed).toBe(true);
      const shared = es({ channel: 'email', destination: { sharedInbox: true } });
      expect(rulesOf(evaluateContact(shared))).toEqual(['ES.THIRD_PARTY']);
      expect(
        rulesOf(
          evaluateContact(es({ purpose: 'location', recipient: { ...relative, source: 'address_book' } })),
        ),
      ).toEqual(['ES.THIRD_PARTY']);
      const telling = es({
        channel: 'email',
        purpose: 'location',
        recipient: relative,
        content: { text: 'Su hermano tiene una deuda con nosotros, dígale que pague.', locale: 'es' },
      });
      expect(new Set(rulesOf(evaluateContact(telling)))).toEqual(new Set(['ES.THIRD_PARTY']));
    },
  );

  rule.it(
    'EU.UCPD.AGGRESSIVE',
    'harassment and coercion in content; unwanted contact after a stop request',
    () => {
      const threat = evaluateContact(
        es({ channel: 'sms', content: { text: 'Si no paga hoy, mañana irá a la cárcel.', locale: 'es' } }),
      );
      expect(rulesOf(threat)).toEqual(['EU.UCPD.AGGRESSIVE']);
      expect(rulesOf(evaluateContact(es({ debtor: { flags: { ceaseRequested: true } } })))).toEqual([
        'EU.UCPD.AGGRESSIVE',
      ]);
      expect(rulesOf(evaluateContact(es({ debtor: { blockedChannels: ['call'] } })))).toEqual([
        'EU.UCPD.AGGRESSIVE',
      ]);
    },
  );

  rule.it('ARREARS.POLICY', 'disputed, represented, insolvent, deceased and deferred debtors', () => {
    for (const flags of [
      { disputed: true },
      { attorneyRepresented: true },
      { bankruptcy: true },
      { deceased: true },
    ]) {
      expect(rulesOf(evaluateContact(es({ debtor: { flags } })))).toEqual(['ARREARS.POLICY']);
    }
  });

  rule.everyRuleTested();
});
