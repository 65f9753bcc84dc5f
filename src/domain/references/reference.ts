/**
 * Payment references: the reference a lender gives an account for the payer to quote on a transfer — a
 * structured creditor reference (ISO 11649, "RF18 5390 0754 7034") or the loan system's own. Stored and
 * compared normalised: without spaces, upper case.
 */

/** The longest reference stored (normalised): the length of a SEPA remittance reference field. */
export const MAX_PAYMENT_REFERENCE = 35;

/** Letters, digits, spaces and hyphens as given; at least one letter or digit. */
const ALLOWED = /^[A-Za-z0-9 -]+$/;

/** Without spaces, upper case: the form stored and searched for. */
export function normalizePaymentReference(text: string): string {
  return text.replace(/ /g, '').toUpperCase();
}

/** ISO 11649 numeric form: each letter A–Z as 10–35, digits as they are. */
function numeric(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    out += code >= 65 && code <= 90 ? String(code - 55) : ch;
  }
  return out;
}

/** mod 97 of a long decimal string, a few digits at a time (no bigint needed). */
function mod97(digits: string): number {
  let rest = 0;
  for (let i = 0; i < digits.length; i += 7) rest = Number(String(rest) + digits.slice(i, i + 7)) % 97;
  return rest;
}

/**
 * The two check digits ISO 11649 gives `body` (the reference after "RFxx"): 98 − ((body + "RF00") mod 97),
 * written with two digits.
 *
 * @example creditorReferenceCheckDigits('539007547034') // '18'
 */
export function creditorReferenceCheckDigits(body: string): string {
  const check = 98 - mod97(numeric(`${body.toUpperCase()}RF00`));
  return String(check).padStart(2, '0');
}

/** Builds a valid structured creditor reference (normalised) from a body of 1–21 letters and digits. */
export function creditorReference(body: string): string {
  const b = body.toUpperCase();
  return `RF${creditorReferenceCheckDigits(b)}${b}`;
}

/** The reference is an ISO 11649 structured creditor reference: "RF" followed by a digit. */
export const isCreditorReference = (normalised: string) => /^RF\d/.test(normalised);

export type PaymentReferenceCheck = { ok: true; value: string } | { ok: false; message: string };

/**
 * Checks a payment reference as a lender gives it: letters, digits, spaces and hyphens, at most
 * 35 characters without the spaces. One that starts with "RF" and a digit is an ISO 11649 creditor
 * reference and must be one: RF, two check digits, 1–21 letters or digits, and the check digits right
 * (a reference with the wrong ones is refused with the right ones named, so a typo is found at import).
 *
 * @example checkPaymentReference('RF18 5390 0754 7034') // { ok: true, value: 'RF18539007547034' }
 * @example checkPaymentReference('RF19 5390 0754 7034') // { ok: false, message: '… check digits …' }
 */
export function checkPaymentReference(text: string): PaymentReferenceCheck {
  const trimmed = text.trim();
  if (trimmed.length === 0) return { ok: false, message: 'must not be empty' };
  if (!ALLOWED.test(trimmed) || !/[A-Za-z0-9]/.test(trimmed))
    return {
      ok: false,
      message: `"${trimmed}" may contain only letters A–Z, digits, spaces and hyphens`,
    };
  const value = normalizePaymentReference(trimmed);
  if (value.length > MAX_PAYMENT_REFERENCE)
    return {
      ok: false,
      message: `"${trimmed}" is ${value.length} characters without spaces; at most ${MAX_PAYMENT_REFERENCE}`,
    };
  if (!isCreditorReference(value)) return { ok: true, value };
  if (!/^RF\d{2}[A-Z0-9]{1,21}$/.test(value))
    return {
      ok: false,
      message: `"${trimmed}" starts like an ISO 11649 creditor reference but is not one: RF, two check digits, then 1 to 21 letters or digits (no hyphens)`,
    };
  const expected = creditorReferenceCheckDigits(value.slice(4));
  if (value.slice(2, 4) !== expected)
    return {
      ok: false,
      message: `"${trimmed}" has the wrong ISO 11649 check digits ${value.slice(2, 4)}: for ${value.slice(4)} they are ${expected} (RF${expected}${value.slice(4)})`,
    };
  return { ok: true, value };
}

/** A run of words of remittance text written together, and where it lies (word positions, inclusive). */
export interface ReferenceCandidate {
  value: string;
  from: number;
  to: number;
}

/**
 * The normalised strings in remittance text that could be a stored payment reference: the text cut into
 * words at anything other than a letter, digit or hyphen, and every run of consecutive words written
 * together (so "RF18 5390 0754 7034", "rf18539007547034" and "Ref: RF18 5390 0754 7034 / June" all give
 * "RF18539007547034"), up to the longest reference. Matching these against the stored references is an
 * index lookup, not a scan of every reference for every line.
 */
export function referenceCandidates(text: string): ReferenceCandidate[] {
  const words = text
    .toUpperCase()
    .split(/[^A-Z0-9-]+/)
    .filter(Boolean);
  const out: ReferenceCandidate[] = [];
  for (let i = 0; i < words.length; i++) {
    let joined = '';
    for (let j = i; j < words.length; j++) {
      joined += words[j]!;
      if (joined.length > MAX_PAYMENT_REFERENCE) break;
      out.push({ value: joined, from: i, to: j });
    }
  }
  return out;
}

/**
 * The references found in the text: the candidates that are known references, less those lying inside a
 * longer one found ("5390" inside "RF18 5390 0754 7034" is part of that reference, not another one).
 * Each value once, in the order found.
 */
export function referencesFound(
  candidates: readonly ReferenceCandidate[],
  known: (value: string) => boolean,
): string[] {
  const hits = candidates.filter((c) => known(c.value));
  const kept = hits.filter(
    (h) => !hits.some((o) => o !== h && o.from <= h.from && o.to >= h.to && o.to - o.from > h.to - h.from),
  );
  return [...new Set(kept.map((h) => h.value))];
}
