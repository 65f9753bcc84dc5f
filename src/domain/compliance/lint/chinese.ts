/**
 * Traditional → simplified Chinese, one character at a time (OpenCC's tables via opencc-js), so the lexicon is written
 * once in simplified characters and every folded character still maps back to one original character. Taiwan and
 * Hong Kong variant forms are folded too.
 */
import { Converter } from 'opencc-js/t2cn';

const fromTaiwan = Converter({ from: 'tw', to: 'cn' });
const fromHongKong = Converter({ from: 'hk', to: 'cn' });
const fromTraditional = Converter({ from: 't', to: 'cn' });

/** The simplified form of one Han character, or the character itself when it has none. */
export function toSimplified(ch: string): string {
  for (const convert of [fromTraditional, fromTaiwan, fromHongKong]) {
    const out = convert(ch);
    // A phrase table could in principle lengthen a single character; keep only one-to-one mappings.
    if (out !== ch && [...out].length === 1) return out;
  }
  return ch;
}
