import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addMonths, formatDay, parseCivilDate, toDay } from './civil-date.js';

describe('civil dates', () => {
  it('parses real dates and refuses impossible or malformed ones', () => {
    expect(parseCivilDate('1970-01-01')).toBe(0);
    expect(parseCivilDate('2026-11-22')).toBe(Date.UTC(2026, 10, 22) / 86_400_000);
    expect(parseCivilDate('2024-02-29')).not.toBeNull();
    for (const bad of [
      '2026-02-29',
      '2026-02-30',
      '2026-13-01',
      '2026-00-10',
      '2026-04-31',
      '1900-02-29',
      '26-1-1',
      '2026-1-01',
      ' 2026-01-01',
      '2026-01-01T00:00',
    ]) {
      expect(parseCivilDate(bad), bad).toBeNull();
    }
    expect(parseCivilDate('2000-02-29')).not.toBeNull();
  });

  it('round-trips every day between 1900 and 2200 and agrees with Date.UTC', () => {
    fc.assert(
      fc.property(fc.integer({ min: toDay('1900-01-01'), max: toDay('2200-12-31') }), (day) => {
        const text = formatDay(day);
        expect(parseCivilDate(text)).toBe(day);
        const [y, m, d] = text.split('-').map(Number) as [number, number, number];
        expect(Date.UTC(y, m - 1, d) / 86_400_000).toBe(day);
      }),
    );
  });

  it('adds months clamping to the end of the month', () => {
    expect(formatDay(addMonths(toDay('2026-01-31'), 1))).toBe('2026-02-28');
    expect(formatDay(addMonths(toDay('2024-01-31'), 1))).toBe('2024-02-29');
    expect(formatDay(addMonths(toDay('2026-11-15'), 3))).toBe('2027-02-15');
  });
});
