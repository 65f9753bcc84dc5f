import { describe, expect, it } from 'vitest';
import { cycleDayDue, parseTimeOfDay } from './schedule.js';

describe('when the daily cycle is due', () => {
  it('is today once the local time has come, yesterday before it', () => {
    const at = parseTimeOfDay('06:00');
    expect(cycleDayDue(new Date('2026-11-23T05:59:00Z'), at, 'UTC')).toBe('2026-11-22');
    expect(cycleDayDue(new Date('2026-11-23T06:00:00Z'), at, 'UTC')).toBe('2026-11-23');
    // 23:30 UTC is already 08:30 the next day in Seoul.
    expect(cycleDayDue(new Date('2026-11-23T23:30:00Z'), at, 'Asia/Seoul')).toBe('2026-11-24');
    // The day clocks go forward in New York: 06:00 local is 10:00 UTC.
    expect(cycleDayDue(new Date('2026-03-08T09:59:00Z'), at, 'America/New_York')).toBe('2026-03-07');
    expect(cycleDayDue(new Date('2026-03-08T10:00:00Z'), at, 'America/New_York')).toBe('2026-03-08');
  });

  it('refuses a bad time or zone with what is wrong', () => {
    expect(() => parseTimeOfDay('6:00')).toThrow(/HH:MM/);
    expect(() => parseTimeOfDay('24:00')).toThrow(/00:00–23:59/);
    expect(() => cycleDayDue(new Date(), 0, 'Mars/Base')).toThrow(/not an IANA time zone/);
  });
});
