import { describe, expect, it } from 'vitest';
import { defaultTemplates } from './defaults.js';
import { LOCALES, normalizeLocale } from './locales.js';
import { addBusinessDays, renderMessage } from './render.js';
import { REQUIRED_RULES, requiredRules } from './required.js';
import { sampleContext } from './sample.js';

const ok = () => ({ ok: true });

describe('templates', () => {
  it('ship every required text in all five locales', () => {
    for (const rule of REQUIRED_RULES)
      for (const l of LOCALES) expect(rule.text[l], `${rule.id}/${l}`).toMatch(/\S/);
  });

  it('render every shipped template in every jurisdiction with the texts that jurisdiction requires', async () => {
    for (const tpl of defaultTemplates()) {
      for (const j of ['US', 'KR', 'CN', 'ES']) {
        const r = await renderMessage({ ...tpl, version: 1 }, sampleContext({ ...tpl, version: 1 }, j), ok);
        expect(r.required).toEqual(requiredRules(j, tpl.channel, tpl.name).map((x) => x.id));
        expect(r.text).not.toMatch(/\{\{|\}\}|\{%/);
      }
    }
  });

  it('pick the required texts by jurisdiction, channel and template', () => {
    const ids = (j: string, c: Parameters<typeof requiredRules>[1], t: string) =>
      requiredRules(j, c, t).map((r) => r.id);
    expect(ids('US', 'email', 'notice')).toEqual([
      'verify_line',
      'mini_miranda',
      'opt_out_email',
      'us_validation',
    ]);
    expect(ids('US', 'sms', 'reminder')).toEqual(['verify_line', 'mini_miranda', 'opt_out_sms']);
    expect(ids('KR', 'letter', 'notice')).toEqual(['verify_line', 'kr_start_notice']);
    expect(ids('CN', 'letter', 'reminder')).toEqual(['verify_line', 'cn_letter']);
    expect(ids('ES', 'email', 'reminder')).toEqual(['verify_line']);
    expect(ids('US', 'call', 'reminder')).toEqual([]);
  });

  it('put the itemised figures, formatted for the locale, into the message', async () => {
    const tpl = {
      ...defaultTemplates().find((t) => t.name === 'reminder' && t.channel === 'email' && t.locale === 'ko')!,
      version: 1,
    };
    const r = await renderMessage(tpl, sampleContext(tpl, 'KR'), ok);
    // Sample: overdue 104,734 minor units of KRW (no minor unit) → ₩104,734; penalty 1,234.
    expect(r.subject).toBe('납부 안내: 계좌 A-SAMPLE 연체 금액 ₩104,734');
    expect(r.text).toContain('연체이자 (연체 원금에만 부과): ₩1,234');
  });

  it('state the US validation figures consistently and date the KR arrears from the first missed payment', async () => {
    const us = {
      ...defaultTemplates().find((t) => t.name === 'notice' && t.channel === 'letter' && t.locale === 'en')!,
      version: 1,
    };
    const text = (await renderMessage(us, sampleContext(us, 'US'), ok)).text;
    expect(text).toContain('As of November 22, 2025, you owed: $1,047.34.');
    expect(text).toContain('interest $0.00, fees $0.00, penalty $0.00, payments and credits applied $0.00.');
    expect(text).toContain('Total amount of the debt now: $1,047.34.');
    // Notice on Saturday 2025-11-22: receipt assumed Friday 11-28 (5 business days), then 30 days.
    expect(text).toContain('by December 28, 2025 to dispute');
    const kr = {
      ...defaultTemplates().find((t) => t.name === 'notice' && t.channel === 'letter' && t.locale === 'ko')!,
      version: 1,
    };
    const ko = (await renderMessage(kr, sampleContext(kr, 'KR'), ok)).text;
    expect(ko).toContain('연체 기간: 43일 (2025년 10월 10일 부터)');
    expect(ko).toContain('추심 착수 예정일: 2025년 11월 27일');
  });

  it('refuse a message without a required text, with an unknown variable, or that the content check refuses', async () => {
    const base = {
      name: 'reminder',
      channel: 'email' as const,
      locale: 'en' as const,
      version: 7,
      subject: 'Hi',
    };
    await expect(
      renderMessage(
        { ...base, body: 'Pay now. {{ required.verify_line }}' },
        sampleContext({ ...base, body: '' }, 'US'),
        ok,
      ),
    ).rejects.toMatchObject({
      kind: 'invalid',
      message: expect.stringMatching(
        /template reminder\/email\/en v7 leaves out required text mini_miranda .*opt_out_email/,
      ),
    });
    await expect(
      renderMessage({ ...base, body: '{{ debtor.ssn }}' }, sampleContext({ ...base, body: '' }, 'ES'), ok),
    ).rejects.toMatchObject({
      kind: 'invalid',
      message: expect.stringMatching(/ssn/),
    });
    await expect(
      renderMessage(
        { ...base, body: '{{ required_texts | join: " " }}' },
        sampleContext({ ...base, body: '' }, 'ES'),
        () => ({
          ok: false,
          findings: [{ rule: 'X', message: 'threat' }],
        }),
      ),
    ).rejects.toMatchObject({ kind: 'contact_not_allowed', details: { findings: [{ rule: 'X' }] } });
  });

  it('normalise locales and count business days', () => {
    expect(normalizeLocale('es-ES')).toBe('es');
    expect(normalizeLocale('zh-Hant-TW')).toBe('zh-TW');
    expect(normalizeLocale('zh')).toBe('zh-CN');
    expect(() => normalizeLocale('fr', 'debtor.locale')).toThrow(/debtor.locale "fr" is not supported/);
    // 2026-11-20 is a Friday: +1 business day is Monday 11-23.
    const fri = Date.UTC(2026, 10, 20) / 86_400_000;
    expect(addBusinessDays(fri, 1)).toBe(fri + 3);
    expect(addBusinessDays(fri, 5)).toBe(fri + 7);
  });
});
