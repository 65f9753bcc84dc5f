import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkPaymentReference,
  creditorReference,
  creditorReferenceCheckDigits,
  normalizePaymentReference,
  referenceCandidates,
  referencesFound,
} from './index.js';

const values = (text: string) => referenceCandidates(text).map((c) => c.value);

const want18 = () => normalizePaymentReference('RF18 5390 0754 7034');

describe('payment references', () => {
  it('accepts the ISO 11649 examples and stores them without spaces, upper case', () => {
    expect(checkPaymentReference('RF18 5390 0754 7034')).toEqual({ ok: true, value: 'RF18539007547034' });
    expect(checkPaymentReference('rf18539007547034')).toEqual({ ok: true, value: 'RF18539007547034' });
    expect(checkPaymentReference('RF39 ABCD 1234')).toEqual({ ok: true, value: 'RF39ABCD1234' }); // checked independently
    expect(creditorReferenceCheckDigits('539007547034')).toBe('18');
  });

  it('names the right check digits when they are wrong', () => {
    const r = checkPaymentReference('RF19 5390 0754 7034');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toContain('wrong ISO 11649 check digits 19');
    expect(!r.ok && r.message).toContain('RF18539007547034');
  });

  it("accepts a loan system's own reference and refuses other characters or lengths", () => {
    expect(checkPaymentReference(' LN-2024-000123 ')).toEqual({ ok: true, value: 'LN-2024-000123' });
    expect(checkPaymentReference('4711 0815')).toEqual({ ok: true, value: '47110815' });
    expect(checkPaymentReference('RFX-12')).toEqual({ ok: true, value: 'RFX-12' }); // not a creditor reference
    for (const bad of ['', '  ', 'A/B', 'LN_1', 'Ä1', '---', 'RF18-5390', 'RF1', '9'.repeat(36)])
      expect(checkPaymentReference(bad).ok, bad).toBe(false);
    expect(checkPaymentReference(`${'1234 '.repeat(8)}123`).ok).toBe(true); // 35 without the spaces
  });

  it('gives every body a reference that checks, and refuses any other pair of check digits', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Z0-9]{1,21}$/), fc.integer({ min: 0, max: 99 }), (body, digits) => {
        const good = creditorReference(body);
        expect(checkPaymentReference(good)).toEqual({ ok: true, value: good });
        const other = String(digits).padStart(2, '0');
        if (other !== good.slice(2, 4)) expect(checkPaymentReference(`RF${other}${body}`).ok).toBe(false);
      }),
    );
  });

  it('finds a reference in remittance text however the payer spaced it', () => {
    const want = normalizePaymentReference('RF18 5390 0754 7034');
    for (const text of [
      'RF18 5390 0754 7034',
      'Ref: rf18 5390 0754 7034 / June',
      'RF18539007547034',
      'invoice,RF185390 07547034;thanks',
    ])
      expect(values(text), text).toContain(want);
    expect(values('LN-2024-000123 June')).toContain('LN-2024-000123');
    expect(values('RF18 5390 0754 7035')).not.toContain(want);
    expect(values('x'.repeat(40))).toEqual([]);
  });

  it('keeps the longest reference found, not the shorter ones inside it', () => {
    const known = new Set([want18(), '5390', 'LN-7']);
    const found = (text: string) => referencesFound(referenceCandidates(text), (v) => known.has(v));
    expect(found('RF18 5390 0754 7034')).toEqual([want18()]);
    expect(found('5390 and LN-7')).toEqual(['5390', 'LN-7']);
    expect(found('nothing here')).toEqual([]);
  });
});
