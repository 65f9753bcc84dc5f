import { describe, expect } from 'vitest';
import { evaluateContact } from '../gate.js';
import { aRequest, anEvent, local, ruleTests, rulesOf } from '../test-builders.js';
import { CN_PACK } from './cn.js';

const rule = ruleTests(CN_PACK);
const shanghai = (wall: string): string => local('Asia/Shanghai', wall);
const PHONE = '+8613800138000';
const cn = (overrides: Parameters<typeof aRequest>[0] = {}) =>
  aRequest({
    jurisdiction: 'CN',
    at: shanghai('2026-03-09 12:00'),
    ...overrides,
    debtor: { timezone: 'Asia/Shanghai', phone: PHONE, ...overrides.debtor },
  });
const contact = {
  role: 'third_party' as const,
  relationship: 'friend' as const,
  designated: true,
  source: 'debtor_provided' as const,
};
const failedCalls = ['09:00', '09:30', '10:00'].map((t) =>
  anEvent(shanghai(`2026-03-09 ${t}`), { outcome: 'no_answer' }),
);

describe('CN pack', () => {
  rule.it('CN.HOURS', 'quiet hours 22:00–08:00 wrap midnight', () => {
    expect(evaluateContact(cn({ at: shanghai('2026-03-09 21:59') })).allowed).toBe(true);
    const late = evaluateContact(cn({ at: shanghai('2026-03-09 23:30') }));
    expect(rulesOf(late)).toEqual(['CN.HOURS']);
    expect(late.nextAllowedAt).toBe(shanghai('2026-03-10 08:00'));
    const small = evaluateContact(cn({ at: shanghai('2026-03-10 02:00') }));
    expect(small.nextAllowedAt).toBe(shanghai('2026-03-10 08:00'));
    expect(evaluateContact(cn({ at: shanghai('2026-03-10 08:00') })).allowed).toBe(true);
  });

  rule.it('CN.CALL_ATTEMPTS', 'at most 6 unanswered attempts a day to one number', () => {
    const attempts = [8, 9, 10, 11, 12, 13].map((h) =>
      anEvent(shanghai(`2026-03-09 ${String(h).padStart(2, '0')}:10`), {
        outcome: h % 2 ? 'no_answer' : 'not_connected',
      }),
    );
    const seventh = evaluateContact(cn({ at: shanghai('2026-03-09 14:00'), history: attempts }));
    expect(rulesOf(seventh)).toEqual(['CN.CALL_ATTEMPTS']);
    expect(seventh.nextAllowedAt).toBe(shanghai('2026-03-10 08:00'));
    const otherNumber = cn({
      at: shanghai('2026-03-09 14:00'),
      history: attempts,
      destination: { phone: '+8613900139000' },
    });
    expect(evaluateContact(otherNumber).allowed).toBe(true);
  });

  rule.it('CN.EFFECTIVE_CALLS', 'at most 3 connected calls per debtor per day, across debts', () => {
    const connected = ['09:00', '10:00', '11:00'].map((t, i) =>
      anEvent(shanghai(`2026-03-09 ${t}`), { outcome: 'connected', debtRef: i === 0 ? 'D-2' : 'D-1' }),
    );
    const fourth = evaluateContact(cn({ history: connected }));
    expect(rulesOf(fourth)).toEqual(['CN.EFFECTIVE_CALLS']);
    expect(fourth.nextAllowedAt).toBe(shanghai('2026-03-10 08:00'));
    expect(evaluateContact(cn({ channel: 'sms', history: connected })).allowed).toBe(true);
  });

  rule.it(
    'CN.THIRD_PARTY',
    'only after 3 consecutive failed attempts, only to locate or pass a message, never the debt',
    () => {
      const early = evaluateContact(cn({ purpose: 'message', recipient: contact }));
      expect(rulesOf(early)).toEqual(['CN.THIRD_PARTY']);
      expect(early.nextAllowedAt).toBeNull();
      expect(
        evaluateContact(cn({ purpose: 'message', recipient: contact, history: failedCalls })).allowed,
      ).toBe(true);
      const answered = [...failedCalls, anEvent(shanghai('2026-03-09 11:00'), { outcome: 'connected' })];
      expect(
        rulesOf(evaluateContact(cn({ purpose: 'location', recipient: contact, history: answered }))),
      ).toEqual(['CN.THIRD_PARTY']);
      expect(
        rulesOf(evaluateContact(cn({ purpose: 'collection', recipient: contact, history: failedCalls }))),
      ).toEqual(['CN.THIRD_PARTY']);
      const telling = cn({
        channel: 'sms',
        purpose: 'message',
        recipient: contact,
        history: failedCalls,
        content: { text: '请转告他尽快还款，他已经逾期三个月。', locale: 'zh-CN' },
      });
      expect(new Set(rulesOf(evaluateContact(telling)))).toEqual(new Set(['CN.THIRD_PARTY']));
    },
  );

  rule.it(
    'CN.ADDRESS_BOOK',
    'address-book contacts are refused; a third party’s source must be known',
    () => {
      const harvested = cn({
        purpose: 'message',
        recipient: { ...contact, source: 'address_book' },
        history: failedCalls,
      });
      expect(rulesOf(evaluateContact(harvested))).toEqual(['CN.ADDRESS_BOOK']);
      const unknown = evaluateContact(
        cn({ purpose: 'message', recipient: { ...contact, source: undefined }, history: failedCalls }),
      );
      expect(unknown.violations[0]).toMatchObject({ rule: 'CN.ADDRESS_BOOK' });
      expect(unknown.violations[0]!.message).toMatch(/^insufficient_data:/);
    },
  );

  rule.it('CN.PROHIBITED', 'intimidation, impersonation and public posting', () => {
    const text = '我們是法院工作人員，不還錢就讓你坐牢。';
    const decision = evaluateContact(cn({ channel: 'sms', content: { text, locale: 'zh-TW' } }));
    expect(new Set(rulesOf(decision))).toEqual(new Set(['CN.PROHIBITED']));
    expect(rulesOf(evaluateContact(cn({ channel: 'im', destination: { publicVisible: true } })))).toEqual([
      'CN.PROHIBITED',
    ]);
  });

  rule.it('CN.VISIT', 'field visits need at least 2 collectors and respect quiet hours', () => {
    expect(evaluateContact(cn({ channel: 'visit', visitors: 2 })).allowed).toBe(true);
    expect(rulesOf(evaluateContact(cn({ channel: 'visit', visitors: 1 })))).toEqual(['CN.VISIT']);
    expect(evaluateContact(cn({ channel: 'visit' })).violations[0]!.message).toMatch(/^insufficient_data:/);
    expect(
      rulesOf(evaluateContact(cn({ channel: 'visit', visitors: 2, at: shanghai('2026-03-09 22:30') }))),
    ).toEqual(['CN.HOURS']);
  });

  rule.it('ARREARS.POLICY', 'holds and the debtor’s blocked channels and bands', () => {
    expect(rulesOf(evaluateContact(cn({ debtor: { flags: { ceaseRequested: true } } })))).toEqual([
      'ARREARS.POLICY',
    ]);
    expect(rulesOf(evaluateContact(cn({ debtor: { blockedChannels: ['call'] } })))).toEqual([
      'ARREARS.POLICY',
    ]);
    const band = evaluateContact(
      cn({ debtor: { blockedWindows: [{ weekday: 1, from: '11:30', to: '14:00' }] } }),
    );
    expect(band.nextAllowedAt).toBe(shanghai('2026-03-09 14:00'));
  });

  rule.everyRuleTested();
});
