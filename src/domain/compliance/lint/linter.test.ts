import { describe, expect, it } from 'vitest';
import { LOCALES } from '../schema.js';
import { ABUSIVE, LAWFUL } from './corpus.js';
import { LINT_CATEGORIES, lintMessage } from './index.js';
import { normalize } from './normalize.js';

describe('content linter corpus', () => {
  it('has at least 40 abusive (disguised included) and 40 lawful messages across the five languages', () => {
    expect(ABUSIVE.length).toBeGreaterThanOrEqual(40);
    expect(LAWFUL.length).toBeGreaterThanOrEqual(40);
    expect(ABUSIVE.filter((s) => s.disguise).length).toBeGreaterThanOrEqual(10);
    for (const locale of LOCALES) {
      expect(ABUSIVE.some((s) => s.locale === locale)).toBe(true);
      expect(LAWFUL.some((s) => s.locale === locale)).toBe(true);
    }
    expect(new Set(ABUSIVE.map((s) => s.category))).toEqual(new Set(LINT_CATEGORIES));
  });

  it('recall ≥ 95% on abusive messages and false-positive rate ≤ 5% on lawful ones (printed)', () => {
    const missed = ABUSIVE.filter(
      (s) => !lintMessage(s.text, s.locale).findings.some((f) => f.category === s.category),
    );
    const flagged = LAWFUL.filter((s) => lintMessage(s.text, s.locale).findings.length > 0);
    const recall = 1 - missed.length / ABUSIVE.length;
    const fpr = flagged.length / LAWFUL.length;
    console.log(
      `linter corpus: ${ABUSIVE.length} abusive, recall ${(recall * 100).toFixed(1)}%; ` +
        `${LAWFUL.length} lawful, false-positive rate ${(fpr * 100).toFixed(1)}%`,
    );
    expect(missed.map((s) => `${s.locale}: ${s.text}`)).toEqual([]);
    expect(recall).toBeGreaterThanOrEqual(0.95);
    expect(flagged.map((s) => `${s.locale}: ${s.text}`)).toEqual([]);
    expect(fpr).toBeLessThanOrEqual(0.05);
  });
});

describe('normalisation and offsets', () => {
  it('offsets point into the original text, through zero-width characters', () => {
    const text = 'Hello. You will be arr\u200best\u200bed tonight.';
    const [finding] = lintMessage(text, 'en').findings;
    expect(finding).toMatchObject({ category: 'false_legal_action', start: 19 });
    expect(text.slice(finding!.start, finding!.end)).toBe(finding!.match);
    expect(finding!.match).toBe('arr\u200best\u200bed');
  });

  it('spaced and dotted letters, full-width forms and Cyrillic look-alikes are seen through', () => {
    const spaced = 'pay or go to p r i s o n';
    const f1 = lintMessage(spaced, 'en').findings[0]!;
    expect(f1.category).toBe('false_legal_action');
    expect(spaced.slice(f1.start, f1.end)).toBe('p r i s o n');
    const wide = 'Ｗｅ ｗｉｌｌ ｓｅｉｚｅ ｙｏｕｒ ｈｏｕｓｅ';
    const f2 = lintMessage(wide, 'en').findings[0]!;
    expect(wide.slice(f2.start, f2.end)).toBe(f2.match);
    expect(f2.match).toContain('ｓｅｉｚｅ');
    expect(lintMessage('You will go to рrisоn', 'en').findings.map((f) => f.category)).toEqual([
      'false_legal_action',
    ]);
  });

  it('traditional and simplified Chinese match the same lexicon, with original offsets', () => {
    const traditional = '您好，再不還款就讓你坐牢';
    const simplified = '您好，再不还款就让你坐牢';
    const t = lintMessage(traditional, 'zh-TW').findings;
    const s = lintMessage(simplified, 'zh-CN').findings;
    expect(t.map((f) => [f.category, f.start, f.end])).toEqual(s.map((f) => [f.category, f.start, f.end]));
    expect(t[0]!.match).toBe('坐牢');
    expect(normalize('債務黑名單').text).toBe('债务黑名单');
    const spacedTrad = '列 入 黑 名 單';
    const f = lintMessage(spacedTrad, 'zh-TW').findings[0]!;
    expect(f).toMatchObject({ category: 'false_credit_consequence', match: '黑 名 單', start: 4, end: 9 });
  });

  it('a mislabelled locale still lints by script, and rule ids follow the jurisdiction', () => {
    const findings = lintMessage('Pay today or you will be arrested.', 'es', { jurisdiction: 'US' }).findings;
    expect(findings).toEqual([
      { category: 'false_legal_action', match: 'arrested', start: 25, end: 33, rule: 'US.FDCPA.FALSE_REP' },
    ]);
    expect(lintMessage('坐牢', 'ko', { jurisdiction: 'CN' }).findings[0]?.rule).toBe('CN.PROHIBITED');
  });

  it('rights notices that name forbidden tactics are not flagged', () => {
    expect(lintMessage('Collectors may not threaten you with arrest or jail.', 'en').findings).toEqual([]);
    expect(lintMessage('催收人员不得以坐牢相威胁。', 'zh-CN').findings).toEqual([]);
    expect(lintMessage('체포나 구속을 언급할 수 없습니다.', 'ko').findings).toEqual([]);
  });
});
