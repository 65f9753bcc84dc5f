import { randomInt } from 'node:crypto';

/**
 * Verification codes: 10 random characters and one check character from an alphabet with no look-alikes
 * (no 0/O, 1/I/L, nor U), printed in groups as `7KQ2-M9XD-R4F`. About 49 bits of randomness; the check character
 * (Luhn mod 30) catches every single mistyped character and most swaps of neighbours before any lookup.
 *
 * @example const code = newCode(); parseCode(code.toLowerCase()) // → { ok: true, code }
 */
// 30 symbols: an even base makes Luhn mod N's doubling a permutation, so every single typo is caught.
export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
const N = CODE_ALPHABET.length;
const BODY_LENGTH = 10;

function luhnSum(values: readonly number[], startFactor: 1 | 2): number {
  let factor = startFactor;
  let sum = 0;
  for (let i = values.length - 1; i >= 0; i--) {
    const addend = factor * values[i]!;
    sum += Math.floor(addend / N) + (addend % N);
    factor = factor === 2 ? 1 : 2;
  }
  return sum;
}

export function checkCharacter(body: string): string {
  const values = [...body].map((c) => CODE_ALPHABET.indexOf(c));
  if (values.some((v) => v < 0)) throw new RangeError(`"${body}" has characters outside the code alphabet`);
  return CODE_ALPHABET[(N - (luhnSum(values, 2) % N)) % N]!;
}

const group = (raw: string) => `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8)}`;

/** A fresh random code, grouped for printing. */
export function newCode(): string {
  let body = '';
  for (let i = 0; i < BODY_LENGTH; i++) body += CODE_ALPHABET[randomInt(N)];
  return group(body + checkCharacter(body));
}

export type ParsedCode = { ok: true; code: string } | { ok: false; reason: string };

/** Accepts any case, spaces and dashes; returns the canonical grouped code or what is wrong with it. */
export function parseCode(input: string): ParsedCode {
  const raw = input.toUpperCase().replace(/[\s-]/g, '');
  if (raw.length !== BODY_LENGTH + 1)
    return {
      ok: false,
      reason: `a verification code has ${BODY_LENGTH + 1} characters, this one has ${raw.length}`,
    };
  for (let i = 0; i < raw.length; i++) {
    if (!CODE_ALPHABET.includes(raw[i]!)) {
      const hint = /[0O]/.test(raw[i]!)
        ? ' (codes never use 0 or O)'
        : /[1IL]/.test(raw[i]!)
          ? ' (codes never use 1, I or L)'
          : '';
      return {
        ok: false,
        reason: `character ${i + 1} ("${raw[i]}") cannot appear in a verification code${hint}`,
      };
    }
  }
  const values = [...raw].map((c) => CODE_ALPHABET.indexOf(c));
  if (luhnSum(values, 1) % N !== 0)
    return { ok: false, reason: 'the check character does not match: the code was mistyped or made up' };
  return { ok: true, code: group(raw) };
}
