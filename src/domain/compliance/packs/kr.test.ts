import { describe, expect } from 'vitest';
import { evaluateContact } from '../gate.js';
import type { HistoryEvent } from '../schema.js';
import { aRequest, anEvent, local, ruleTests, rulesOf } from '../test-builders.js';
import { KR_PACK } from './kr.js';
import { tightenPack } from './tighten.js';

const rule = ruleTests(KR_PACK);
const seoul = (wall: string): string => local('Asia/Seoul', wall);
const kr = (overrides: Parameters<typeof aRequest>[0] = {}) =>
  aRequest({
    jurisdiction: 'KR',
    at: seoul('2026-03-09 12:00'),
    ...overrides,
    debtor: { timezone: 'Asia/Seoul', ...overrides.debtor },
  });
const thirdParty = {
  role: 'third_party' as const,
  relationship: 'parent' as const,
  designated: true,
  source: 'debtor_provided' as const,
};

/** One contact a day on 2–8 March 2026 through every channel in turn, visits included. */
const weekOfContacts: HistoryEvent[] = (
  ['call', 'sms', 'email', 'visit', 'letter', 'call', 'im'] as const
).map((channel, i) =>
  anEvent(seoul(`2026-03-0${2 + i} 10:00`), {
    channel,
    outcome: channel === 'call' ? 'no_answer' : 'delivered',
  }),
);

describe('KR pack', () => {
  rule.it('KR.FDCA.NIGHT', 'no calls, texts or visits 21:00–08:00', () => {
    expect(evaluateContact(kr({ at: seoul('2026-03-09 08:00') })).allowed).toBe(true);
    expect(evaluateContact(kr({ at: seoul('2026-03-09 20:59') })).allowed).toBe(true);
    const visit = evaluateContact(kr({ channel: 'visit', at: seoul('2026-03-09 21:00') }));
    expect(rulesOf(visit)).toEqual(['KR.FDCA.NIGHT']);
    expect(visit.nextAllowedAt).toBe(seoul('2026-03-10 08:00'));
    expect(evaluateContact(kr({ channel: 'letter', at: seoul('2026-03-09 23:00') })).allowed).toBe(true);
  });

  rule.it(
    'KR.IDPA.CONTACT_7IN7',
    '7 contacts per debt in 7 days across every channel, visits included',
    () => {
      const eighth = evaluateContact(
        kr({ channel: 'sms', at: seoul('2026-03-08 15:00'), history: weekOfContacts }),
      );
      expect(rulesOf(eighth)).toEqual(['KR.IDPA.CONTACT_7IN7']);
      expect(eighth.nextAllowedAt).toBe(seoul('2026-03-09 08:00'));
      const otherDebt = weekOfContacts.map((e) => ({ ...e, debtRef: 'D-2' }));
      expect(evaluateContact(kr({ at: seoul('2026-03-08 15:00'), history: otherDebt })).allowed).toBe(true);
    },
  );

  rule.it('KR.IDPA.CONTACT_7IN7', 'a same-day reply to the debtor’s own request is exempt', () => {
    const request = anEvent(seoul('2026-03-08 11:00'), { direction: 'inbound', outcome: 'conversation' });
    expect(
      evaluateContact(kr({ at: seoul('2026-03-08 15:00'), history: [...weekOfContacts, request] })).allowed,
    ).toBe(true);
    // The exemption is the same day only.
    const yesterday = { ...request, at: seoul('2026-03-07 11:00') };
    expect(
      rulesOf(
        evaluateContact(kr({ at: seoul('2026-03-08 15:00'), history: [...weekOfContacts, yesterday] })),
      ),
    ).toEqual(['KR.IDPA.CONTACT_7IN7']);
  });

  rule.it(
    'KR.FSS.LEGACY_2_PER_DAY',
    'a third contact on one day is refused unless the operator loosens with approval',
    () => {
      const history = [
        anEvent(seoul('2026-03-09 09:00')),
        anEvent(seoul('2026-03-09 10:00'), { channel: 'sms', outcome: 'sent' }),
      ];
      const third = evaluateContact(kr({ history }));
      expect(rulesOf(third)).toEqual(['KR.FSS.LEGACY_2_PER_DAY']);
      expect(third.nextAllowedAt).toBe(seoul('2026-03-10 08:00'));
      const loosened = tightenPack(
        KR_PACK,
        { 'KR.FSS.LEGACY_2_PER_DAY': { maxPerDay: null } },
        { loosen: true, reason: 'counsel: superseded by the IDPA', approvedBy: 'compliance@example.com' },
      );
      if (!loosened.ok) throw new Error('expected the approved override to apply');
      expect(evaluateContact(kr({ history }), { packs: { KR: loosened.pack } }).allowed).toBe(true);
    },
  );

  rule.it(
    'KR.IDPA.CONTACT_RESTRICT',
    'blocked bands and means, a stop request and a workplace ban are honoured',
    () => {
      expect(
        rulesOf(evaluateContact(kr({ channel: 'visit', debtor: { blockedChannels: ['visit'] } }))),
      ).toEqual(['KR.IDPA.CONTACT_RESTRICT']);
      const band = evaluateContact(
        kr({ debtor: { blockedWindows: [{ weekday: 1, from: '11:00', to: '13:00' }] } }),
      );
      expect(rulesOf(band)).toEqual(['KR.IDPA.CONTACT_RESTRICT']);
      expect(band.nextAllowedAt).toBe(seoul('2026-03-09 13:00'));
      expect(rulesOf(evaluateContact(kr({ debtor: { flags: { ceaseRequested: true } } })))).toEqual([
        'KR.IDPA.CONTACT_RESTRICT',
      ]);
      const work = kr({
        debtor: { flags: { workplaceContactProhibited: true } },
        destination: { workplace: true },
      });
      expect(rulesOf(evaluateContact(work))).toEqual(['KR.IDPA.CONTACT_RESTRICT']);
    },
  );

  rule.it('KR.IDPA.DEFERRAL', 'collection pauses until the deferral ends', () => {
    const decision = evaluateContact(kr({ debtor: { flags: { deferredUntil: seoul('2026-06-09 00:00') } } }));
    expect(rulesOf(decision)).toEqual(['KR.IDPA.DEFERRAL']);
    expect(decision.nextAllowedAt).toBe(seoul('2026-06-09 08:00'));
  });

  rule.it('KR.FDCA.ATTORNEY_AGENT', 'no direct contact once a lawyer is appointed', () => {
    const flags = { attorneyRepresented: true };
    expect(rulesOf(evaluateContact(kr({ debtor: { flags } })))).toEqual(['KR.FDCA.ATTORNEY_AGENT']);
    expect(evaluateContact(kr({ debtor: { flags }, recipient: { role: 'attorney' } })).allowed).toBe(true);
  });

  rule.it(
    'KR.COLLECTION_BAR',
    'no collection under a rehabilitation stay, on an unsettled inheritance or a contested debt',
    () => {
      for (const flags of [{ bankruptcy: true }, { deceased: true }, { disputed: true }]) {
        const decision = evaluateContact(kr({ debtor: { flags } }));
        expect(rulesOf(decision)).toEqual(['KR.COLLECTION_BAR']);
        expect(decision.nextAllowedAt).toBeNull();
      }
    },
  );

  rule.it(
    'KR.THIRD_PARTY',
    'family only to locate the debtor, never told of the debt; no address books',
    () => {
      expect(evaluateContact(kr({ purpose: 'location', recipient: thirdParty })).allowed).toBe(true);
      expect(rulesOf(evaluateContact(kr({ purpose: 'collection', recipient: thirdParty })))).toEqual([
        'KR.THIRD_PARTY',
      ]);
      expect(
        rulesOf(
          evaluateContact(kr({ purpose: 'location', recipient: { ...thirdParty, source: 'address_book' } })),
        ),
      ).toEqual(['KR.THIRD_PARTY']);
      const telling = kr({
        channel: 'sms',
        purpose: 'location',
        recipient: thirdParty,
        content: { text: '아드님의 대출이 연체되었습니다. 대신 갚아 주세요.', locale: 'ko' },
      });
      expect(new Set(rulesOf(evaluateContact(telling)))).toEqual(new Set(['KR.THIRD_PARTY']));
    },
  );

  rule.it('KR.PROHIBITED', 'threats, false legal claims and false promises in content', () => {
    const decision = evaluateContact(
      kr({
        channel: 'sms',
        content: { text: '오늘까지 입금하지 않으면 즉시 소송하고 블 랙 리 스 트에 올립니다.', locale: 'ko' },
      }),
    );
    expect(new Set(rulesOf(decision))).toEqual(new Set(['KR.PROHIBITED']));
    expect(decision.violations.map((v) => v.message.split(' — ')[0])).toEqual([
      'content: false_legal_action',
      'content: false_credit_consequence',
    ]);
  });

  rule.everyRuleTested();
});
