/**
 * Folds a message into the form the lexicons are written against, keeping for every folded character the span of
 * original text it came from, so findings point at what the collector actually wrote.
 *
 * Steps, per code point: drop zero-width/format characters and stray combining marks; NFKC (full-width, circled,
 * mathematical letters); lower case; strip Latin diacritics; map Cyrillic/Greek look-alikes to Latin; traditional →
 * simplified Chinese for the characters the lexicons use. Then digits and symbols standing for letters inside Latin
 * words (pr1s0n, @rrest, $ue) become letters; separators inserted between CJK/Hangul characters or inside a Latin word
 * vanish; a sentence break becomes "."; runs of three or more single Latin letters ("p r i s o n") are joined and remembered, because inside such a
 * run word boundaries mean nothing.
 */
import { toSimplified } from './chinese.js';

export interface Normalized {
  /** The folded text: Latin words separated by single spaces, CJK/Hangul with no spaces, "." between sentences. */
  readonly text: string;
  /** Original UTF-16 offsets [start, end) of each folded character. */
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  /** Ranges [start, end) of the folded text that were spelt out letter by letter. */
  readonly joinedRuns: ReadonlyArray<readonly [number, number]>;
  readonly hasHangul: boolean;
  readonly hasHan: boolean;
  readonly hasLatin: boolean;
}

const enum Cls {
  Sep = 0,
  Latin = 1,
  Cjk = 2,
  Digit = 3,
  Space = 4,
}

const HOMOGLYPHS: Record<string, string> = {
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  ѕ: 's',
  і: 'i',
  ї: 'i',
  ј: 'j',
  ԁ: 'd',
  һ: 'h',
  ӏ: 'l',
  ԛ: 'q',
  ԝ: 'w',
  ɡ: 'g',
  α: 'a',
  β: 'b',
  ε: 'e',
  η: 'n',
  ι: 'i',
  κ: 'k',
  μ: 'u',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  ω: 'w',
  ς: 's',
  ı: 'i',
  ł: 'l',
  ø: 'o',
  đ: 'd',
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
};

/** Characters that stand for letters when they touch a Latin letter. */
const LEET: Record<string, string> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '8': 'b',
  '9': 'g',
  '@': 'a',
  $: 's',
  '€': 'e',
  '!': 'i',
  '|': 'i',
};
/** These need a letter on both sides ("pr!son"); alone they are punctuation ("now!"). */
const LEET_INFIX = new Set(['!', '|']);

/** Zero-width, bidi, variation-selector and other invisible format characters (as code point ranges). */
const IGNORABLE_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x00ad, 0x00ad],
  [0x034f, 0x034f],
  [0x061c, 0x061c],
  [0x115f, 0x1160],
  [0x17b4, 0x17b5],
  [0x180b, 0x180f],
  [0x200b, 0x200f],
  [0x202a, 0x202e],
  [0x2060, 0x206f],
  [0x3164, 0x3164],
  [0xfe00, 0xfe0f],
  [0xfeff, 0xfeff],
  [0xffa0, 0xffa0],
  [0x1bca0, 0x1bca3],
  [0xe0000, 0xe0fff],
];
const isIgnorable = (code: number): boolean => IGNORABLE_RANGES.some(([a, b]) => code >= a && code <= b);
const MARK = /^\p{M}$/u;
const CJK = /^[\p{Script=Han}\p{Script=Hangul}\p{Script=Hiragana}\p{Script=Katakana}]$/u;
const HANGUL = /^\p{Script=Hangul}$/u;
const HAN = /^\p{Script=Han}$/u;
const LETTER = /^\p{L}$/u;
const SPACE = /^\s$/u;
const SENTENCE_END = /[。！？；\n]/;
const SENTENCE_PUNCT = /[.!?;]/;

interface Folded {
  chars: string[];
  classes: Cls[];
  hangul: boolean;
}

const foldCache = new Map<string, Folded | null>();

function classify(ch: string): Cls {
  if (ch >= 'a' && ch <= 'z') return Cls.Latin;
  if (ch >= '0' && ch <= '9') return Cls.Digit;
  if (SPACE.test(ch)) return Cls.Space;
  if (CJK.test(ch)) return Cls.Cjk;
  if (LETTER.test(ch)) return Cls.Latin;
  return Cls.Sep;
}

function stripLatinMarks(ch: string): string {
  const code = ch.codePointAt(0)!;
  const latinish = (code >= 0xc0 && code < 0x1100) || (code >= 0x1e00 && code < 0x2000);
  return latinish ? ch.normalize('NFD').replace(/\p{M}/gu, '') : ch;
}

/** Folds one code point; null = ignorable (dropped). Cached: messages reuse few distinct characters. */
function fold(cp: string): Folded | null {
  let folded = foldCache.get(cp);
  if (folded !== undefined) return folded;
  if (isIgnorable(cp.codePointAt(0)!) || MARK.test(cp)) {
    folded = null;
  } else {
    const chars: string[] = [];
    const classes: Cls[] = [];
    let hangul = false;
    for (const c of cp.normalize('NFKC').toLowerCase()) {
      if (MARK.test(c)) continue;
      for (const d of stripLatinMarks(c)) {
        const mapped = HOMOGLYPHS[d] ?? (HAN.test(d) ? toSimplified(d) : d);
        for (const e of mapped) {
          chars.push(e);
          classes.push(classify(e));
          if (HANGUL.test(e)) hangul = true;
        }
      }
    }
    folded = { chars, classes, hangul };
  }
  foldCache.set(cp, folded);
  return folded;
}

const ASCII_FOLD: Folded[] = [];
for (let code = 0; code < 128; code++) {
  const ch = String.fromCharCode(code).toLowerCase();
  ASCII_FOLD.push({ chars: [ch], classes: [classify(ch)], hangul: false });
}

export function normalize(text: string): Normalized {
  const chars: string[] = [];
  const classes: Cls[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  let hasHangul = false;
  let hasHan = false;
  let hasLatin = false;

  for (let i = 0; i < text.length;) {
    const code = text.codePointAt(i)!;
    const width = code > 0xffff ? 2 : 1;
    const folded = code < 128 ? ASCII_FOLD[code]! : fold(text.slice(i, i + width));
    if (folded === null) {
      // A zero-width or combining character belongs to the character before it.
      if (ends.length > 0) ends[ends.length - 1] = i + width;
    } else {
      for (let k = 0; k < folded.chars.length; k++) {
        const cls = folded.classes[k]!;
        chars.push(folded.chars[k]!);
        classes.push(cls);
        starts.push(i);
        ends.push(i + width);
        if (cls === Cls.Latin) hasLatin = true;
        else if (cls === Cls.Cjk) {
          if (folded.hangul) hasHangul = true;
          else hasHan = true;
        }
      }
    }
    i += width;
  }

  convertLeet(chars, classes);

  // Separator runs: drop between CJK characters (keep a "." at sentence ends) and inside Latin words; else one space.
  const outChars: string[] = [];
  const outStarts: number[] = [];
  const outEnds: number[] = [];
  const n = chars.length;
  let prevCls: Cls | null = null;
  for (let i = 0; i < n;) {
    const cls = classes[i]!;
    if (cls !== Cls.Sep && cls !== Cls.Space) {
      outChars.push(chars[i]!);
      outStarts.push(starts[i]!);
      outEnds.push(ends[i]!);
      prevCls = cls;
      i++;
      continue;
    }
    let j = i;
    let hasSpace = false;
    let sentence = false;
    let punct = false;
    while (j < n && (classes[j] === Cls.Sep || classes[j] === Cls.Space)) {
      const ch = chars[j]!;
      if (classes[j] === Cls.Space) hasSpace = true;
      if (SENTENCE_END.test(ch)) sentence = true;
      if (SENTENCE_PUNCT.test(ch)) punct = true;
      j++;
    }
    const nextCls = j < n ? classes[j]! : null;
    const sentenceBreak = sentence || (punct && hasSpace);
    let emit: string | null;
    if (prevCls === null || nextCls === null) emit = null;
    else if (cjkFlow(prevCls, nextCls)) emit = sentenceBreak ? '.' : null;
    else if (prevCls === Cls.Latin && nextCls === Cls.Latin && !hasSpace && !sentence) emit = null;
    else emit = sentenceBreak ? '.' : ' ';
    if (emit !== null) {
      outChars.push(emit);
      outStarts.push(starts[i]!);
      outEnds.push(ends[j - 1]!);
    }
    i = j;
  }

  const joinedRuns: Array<readonly [number, number]> = [];
  const finalChars = joinSpelledOut(outChars, outStarts, outEnds, joinedRuns);

  return {
    text: finalChars,
    starts: Int32Array.from(outStarts),
    ends: Int32Array.from(outEnds),
    joinedRuns,
    hasHangul,
    hasHan,
    hasLatin,
  };
}

/** Between CJK characters, or a CJK character and a digit ("원금의 20%를"), separators carry no meaning. */
function cjkFlow(a: Cls, b: Cls): boolean {
  return (a === Cls.Cjk && (b === Cls.Cjk || b === Cls.Digit)) || (a === Cls.Digit && b === Cls.Cjk);
}

function isLatinLetter(ch: string | undefined): boolean {
  return ch !== undefined && ch.length === 1 && classify(ch) === Cls.Latin;
}

function convertLeet(chars: string[], classes: Cls[]): void {
  const n = chars.length;
  // Two sweeps so chains like "k111" or "111k" convert from whichever side touches a letter.
  for (let sweep = 0; sweep < 2; sweep++) {
    for (let step = 0; step < n; step++) {
      const i = sweep === 0 ? step : n - 1 - step;
      const letter = LEET[chars[i]!];
      if (letter === undefined) continue;
      const before = i > 0 && classes[i - 1] === Cls.Latin;
      const after = i + 1 < n && classes[i + 1] === Cls.Latin;
      const ok = LEET_INFIX.has(chars[i]!) ? before && after : before || after;
      if (ok) {
        chars[i] = letter;
        classes[i] = Cls.Latin;
      }
    }
  }
}

/** Joins runs of ≥3 one-letter Latin tokens separated by single spaces; mutates the offset arrays in step. */
function joinSpelledOut(
  chars: string[],
  starts: number[],
  ends: number[],
  runs: Array<readonly [number, number]>,
): string {
  const n = chars.length;
  const single = (i: number): boolean =>
    isLatinLetter(chars[i]) && (i === 0 || chars[i - 1] === ' ') && (i === n - 1 || chars[i + 1] === ' ');
  const drop = new Uint8Array(n);
  let anyDrop = false;
  for (let i = 0; i < n;) {
    if (!single(i)) {
      i++;
      continue;
    }
    let j = i;
    let count = 1;
    while (j + 2 < n && chars[j + 1] === ' ' && single(j + 2)) {
      j += 2;
      count++;
    }
    if (count >= 3) {
      for (let k = i + 1; k < j; k += 2) drop[k] = 1;
      anyDrop = true;
      runs.push([i, j + 1]);
    }
    i = j + 1;
  }
  if (!anyDrop) return chars.join('');
  // Compact, re-basing the run ranges onto the compacted text.
  const map = new Int32Array(n + 1);
  let w = 0;
  for (let i = 0; i < n; i++) {
    map[i] = w;
    if (drop[i]) continue;
    chars[w] = chars[i]!;
    starts[w] = starts[i]!;
    ends[w] = ends[i]!;
    w++;
  }
  map[n] = w;
  chars.length = w;
  starts.length = w;
  ends.length = w;
  for (let r = 0; r < runs.length; r++) {
    const [a, b] = runs[r]!;
    runs[r] = [map[a]!, map[b]!];
  }
  return chars.join('');
}
