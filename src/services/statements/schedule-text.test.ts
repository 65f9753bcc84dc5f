import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDay, toDay } from '../../domain/calendar/index.js';
import { parsePayments, schedule } from './accounts.js';

// PostgreSQL's array output of the schedule columns, as the page query reads them.
const arrayText = (xs: readonly (string | number)[]) => `{${xs.join(',')}}`;

describe('schedule decoding from array text', () => {
  it('gives exactly what splitting and parsing each element gives', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            due: fc.integer({ min: toDay('1900-01-01'), max: toDay('2199-12-31') }),
            principal: fc.maxSafeInteger(),
            interest: fc.integer({ min: -1_000_000_000, max: Number.MAX_SAFE_INTEGER }),
            fees: fc.nat(),
          }),
          { minLength: 1, maxLength: 40 },
        ),
        (items) => {
          const row = {
            due: arrayText(items.map((x) => formatDay(x.due))),
            principals: arrayText(items.map((x) => x.principal)),
            interests: arrayText(items.map((x) => x.interest)),
            fees: arrayText(items.map((x) => x.fees)),
          };
          expect(schedule(row)).toEqual(
            items.map((x, i) => ({
              seq: i + 1,
              due: x.due,
              principal: x.principal,
              interest: x.interest,
              fees: x.fees,
            })),
          );
        },
      ),
    );
  });

  it('refuses what is not an ISO date or an integer instead of misreading it', () => {
    const ok = { due: '{2026-01-10}', principals: '{100}', interests: '{0}', fees: '{0}' };
    expect(() => schedule({ ...ok, due: '{01/10/2026}' })).toThrow(/invalid date/);
    expect(() => schedule({ ...ok, fees: '{NULL}' })).toThrow(/not an integer/);
    expect(() => schedule({ ...ok, principals: '{1.5}' })).toThrow(/not an integer/);
  });
});

describe('parsePayments', () => {
  it('reads the page query payment list exactly as splitting it would', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: -40_000, max: 80_000 }), fc.integer({ min: 0, max: 2 ** 52 })), {
          maxLength: 30,
        }),
        (pays) => {
          const text = pays.map(([on, amount]) => `${on},${amount}`).join(';');
          expect(parsePayments(text === '' ? null : text)).toEqual(
            pays.map(([receivedOn, amount]) => ({ ref: '', receivedOn, amount })),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses a list it cannot read', () => {
    for (const bad of ['1', '1,', '1;2', 'x,1', '1,2;', '1,2,3'])
      expect(() => parsePayments(bad), bad).toThrow(RangeError);
  });
});
