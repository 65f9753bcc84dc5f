import type { Jurisdiction, Locale } from '../schema.js';
import { CONTENT_RULES, LINT_CATEGORIES, type LintCategory } from './categories.js';
import { LEXICONS, type Lexicon, type LexiconName } from './lexicon.js';
import { normalize, type Normalized } from './normalize.js';

export interface LintFinding {
  category: LintCategory;
  /** The original text of the finding (`text.slice(start, end)`), disguise included. */
  match: string;
  /** UTF-16 offsets into the original text. */
  start: number;
  end: number;
  /** The jurisdiction's rule id, when a jurisdiction was given. */
  rule?: string;
}

export interface LintResult {
  findings: LintFinding[];
}

export interface LintOptions {
  /** Fills `rule` on each finding with this jurisdiction's rule id for the category. */
  jurisdiction?: Jurisdiction;
}

interface Compiled {
  readonly lexicon: Lexicon;
  /** One regex per category over the whole folded text. */
  readonly bounded: ReadonlyArray<readonly [LintCategory, RegExp]>;
  /** Latin only: the same patterns without word boundaries or spaces, for letter-by-letter runs. */
  readonly dense: ReadonlyArray<readonly [LintCategory, RegExp]> | null;
}

function compile(lexicon: Lexicon): Compiled {
  const bounded: Array<readonly [LintCategory, RegExp]> = [];
  const dense: Array<readonly [LintCategory, RegExp]> = [];
  for (const category of LINT_CATEGORIES) {
    const patterns = lexicon.patterns[category];
    if (patterns.length === 0) continue;
    const source = patterns.map((p) => `(?:${p})`).join('|');
    bounded.push([category, new RegExp(source, 'gu')]);
    if (lexicon.script === 'latin') {
      dense.push([category, new RegExp(source.replace(/\\b/g, '').replace(/ /g, ''), 'gu')]);
    }
  }
  return { lexicon, bounded, dense: lexicon.script === 'latin' ? dense : null };
}

const COMPILED: Readonly<Record<LexiconName, Compiled>> = {
  en: compile(LEXICONS.en),
  es: compile(LEXICONS.es),
  ko: compile(LEXICONS.ko),
  zh: compile(LEXICONS.zh),
};

const LOCALE_LEXICON: Readonly<Record<Locale, LexiconName>> = {
  en: 'en',
  es: 'es',
  ko: 'ko',
  'zh-CN': 'zh',
  'zh-TW': 'zh',
};

function negated(lexicon: Lexicon, text: string, start: number, end: number): boolean {
  const negation = lexicon.negation;
  switch (negation.kind) {
    case 'words-before': {
      const before = text.slice(Math.max(0, start - 80), start);
      const sentence = before.slice(before.lastIndexOf('.') + 1);
      const words = sentence.split(' ').filter((w) => w.length > 0);
      const first = text.slice(start, end).split(/[ .]/)[0] ?? '';
      const window = words.slice(-negation.window);
      for (let k = 0; k < window.length; k++) {
        const next = k + 1 < window.length ? window[k + 1]! : first;
        // "if you do not pay …" is the condition of a threat, not a denial of it.
        if (negation.words.has(window[k]!) && !negation.conditions.has(next)) return true;
      }
      return false;
    }
    case 'text-after': {
      const after = text.slice(end, end + negation.window);
      const stop = after.indexOf('.');
      return negation.pattern.test(stop < 0 ? after : after.slice(0, stop));
    }
    case 'text-before': {
      const before = text.slice(Math.max(0, start - negation.window), start);
      return negation.pattern.test(before.slice(before.lastIndexOf('.') + 1));
    }
  }
}

interface Hit {
  category: LintCategory;
  from: number;
  to: number;
}

function scan(
  compiled: Compiled,
  regexes: ReadonlyArray<readonly [LintCategory, RegExp]>,
  text: string,
  offset: number,
  fullText: string,
  hits: Hit[],
): void {
  for (const [category, regex] of regexes) {
    regex.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = regex.exec(text)) !== null) {
      if (m[0].length === 0) {
        regex.lastIndex++;
        continue;
      }
      const from = offset + m.index;
      const to = from + m[0].length;
      if (compiled.lexicon.unnegatable.includes(category) || !negated(compiled.lexicon, fullText, from, to)) {
        hits.push({ category, from, to });
      }
    }
  }
}

/** Lexicons to run: the locale's own, plus any whose script appears in the text (mislabelled locales still lint). */
function lexiconsFor(locale: Locale, n: Normalized): Compiled[] {
  const names = new Set<LexiconName>([LOCALE_LEXICON[locale]]);
  if (n.hasLatin) {
    names.add('en');
    names.add('es');
  }
  if (n.hasHangul) names.add('ko');
  if (n.hasHan) names.add('zh');
  return [...names].map((name) => COMPILED[name]);
}

/**
 * Finds coercive or deceptive wording in a message, template or collector's note, even when disguised.
 *
 * @example lintMessage('You will be a r r e s t e d tomorrow', 'en').findings[0]?.category // 'false_legal_action'
 */
export function lintMessage(text: string, locale: Locale, options: LintOptions = {}): LintResult {
  const n = normalize(text);
  const hits: Hit[] = [];
  for (const compiled of lexiconsFor(locale, n)) {
    scan(compiled, compiled.bounded, n.text, 0, n.text, hits);
    if (compiled.dense) {
      for (const [a, b] of n.joinedRuns) scan(compiled, compiled.dense, n.text.slice(a, b), a, n.text, hits);
    }
  }
  hits.sort((x, y) => x.from - y.from || y.to - x.to);
  const findings: LintFinding[] = [];
  const kept: Hit[] = [];
  for (const hit of hits) {
    if (kept.some((k) => k.category === hit.category && hit.from < k.to && k.from < hit.to)) continue;
    kept.push(hit);
    const start = n.starts[hit.from]!;
    const end = n.ends[hit.to - 1]!;
    const finding: LintFinding = { category: hit.category, match: text.slice(start, end), start, end };
    if (options.jurisdiction) finding.rule = CONTENT_RULES[options.jurisdiction][hit.category];
    findings.push(finding);
  }
  return { findings };
}
