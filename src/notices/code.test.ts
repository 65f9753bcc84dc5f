import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CODE_ALPHABET, checkCharacter, newCode, parseCode } from './code.js';

describe('verification codes', () => {
  it('are grouped 4-4-3 from an alphabet without look-alikes, and parse back in any case or spacing', () => {
    expect(CODE_ALPHABET).not.toMatch(/[01ILOU]/);
    for (let i = 0; i < 200; i++) {
      const code = newCode();
      expect(code).toMatch(/^[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{3}$/);
      expect(parseCode(` ${code.toLowerCase().replace(/-/g, ' ')} `)).toEqual({ ok: true, code });
    }
  });

  it('catch every single mistyped character', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: 1, max: CODE_ALPHABET.length - 1 }),
        (pos, shift) => {
          const raw = newCode().replace(/-/g, '');
          const wrong = CODE_ALPHABET[(CODE_ALPHABET.indexOf(raw[pos]!) + shift) % CODE_ALPHABET.length]!;
          const typo = raw.slice(0, pos) + wrong + raw.slice(pos + 1);
          expect(parseCode(typo).ok).toBe(false);
        },
      ),
    );
  });

  it('catch swapped neighbours', () => {
    let caught = 0;
    let swaps = 0;
    for (let i = 0; i < 300; i++) {
      const raw = newCode().replace(/-/g, '');
      const pos = i % 10;
      if (raw[pos] === raw[pos + 1]) continue;
      swaps++;
      const swapped = raw.slice(0, pos) + raw[pos + 1] + raw[pos] + raw.slice(pos + 2);
      if (!parseCode(swapped).ok) caught++;
    }
    // Luhn mod N misses a swap only for one pair of values per position class.
    expect(caught / swaps).toBeGreaterThan(0.95);
  });

  it('explain what is wrong with a bad code', () => {
    expect(parseCode('ABC')).toEqual({
      ok: false,
      reason: 'a verification code has 11 characters, this one has 3',
    });
    expect(parseCode('2345-6789-AB0')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/character 11 \("0"\).*never use 0 or O/),
    });
    const body = '23456789AB';
    expect(parseCode(body + checkCharacter(body)).ok).toBe(true);
    const wrongCheck =
      CODE_ALPHABET[(CODE_ALPHABET.indexOf(checkCharacter(body)) + 1) % CODE_ALPHABET.length];
    expect(parseCode(body + wrongCheck)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/check character/),
    });
  });
});
