import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { outstandingOf, writeOffParts, writeOffTotal, WRITE_OFF_ORDER } from './index.js';

const minor = fc.integer({ min: 0, max: 10_000_000_000 });
const outstanding = fc.record({ principal: minor, interest: minor, fees: minor, penalty: minor });

describe('settlement write-off parts', () => {
  it('takes the charges first and the principal last', () => {
    const o = { principal: 70_000, interest: 2_000, fees: 500, penalty: 1_200 };
    expect(writeOffParts(o, 3_000)).toEqual({ penalty: 1_200, fees: 500, interest: 1_300, principal: 0 });
    expect(writeOffParts(o, 73_700)).toEqual(o);
    expect(writeOffParts(o, 0)).toEqual({ principal: 0, interest: 0, fees: 0, penalty: 0 });
  });

  it('reads what is outstanding from a statement: overdue charges and all principal left', () => {
    expect(
      outstandingOf({
        overdue: { principal: 100, interest: 20, fees: 3, penalty: 4 },
        outstandingPrincipal: 900,
      }),
    ).toEqual({ principal: 900, interest: 20, fees: 3, penalty: 4 });
  });

  it('refuses to forgive more than is outstanding, or a negative or fractional amount', () => {
    const o = { principal: 10, interest: 0, fees: 0, penalty: 0 };
    expect(() => writeOffParts(o, 11)).toThrow(RangeError);
    expect(() => writeOffParts(o, -1)).toThrow(RangeError);
    expect(() => writeOffParts(o, 1.5)).toThrow(RangeError);
    expect(() => writeOffParts({ ...o, fees: -1 }, 1)).toThrow(RangeError);
  });

  it('always gives parts that add up exactly, none negative and none above what is outstanding', () => {
    fc.assert(
      fc.property(outstanding, fc.double({ min: 0, max: 1, noNaN: true }), (o, share) => {
        const total = o.principal + o.interest + o.fees + o.penalty;
        const forgiven = Math.floor(total * share);
        const parts = writeOffParts(o, forgiven);
        expect(writeOffTotal(parts)).toBe(forgiven);
        for (const c of WRITE_OFF_ORDER) {
          expect(parts[c]).toBeGreaterThanOrEqual(0);
          expect(parts[c]).toBeLessThanOrEqual(o[c]);
          expect(Number.isSafeInteger(parts[c])).toBe(true);
        }
        // A component is touched only once every one before it in the order is used up.
        const firstPartial = WRITE_OFF_ORDER.findIndex((c) => parts[c] < o[c]);
        if (firstPartial >= 0)
          for (const c of WRITE_OFF_ORDER.slice(firstPartial + 1)) expect(parts[c]).toBe(0);
      }),
    );
  });

  it('forgives everything outstanding when asked for the whole', () => {
    fc.assert(
      fc.property(outstanding, (o) => {
        expect(writeOffParts(o, o.principal + o.interest + o.fees + o.penalty)).toEqual(o);
      }),
    );
  });
});
