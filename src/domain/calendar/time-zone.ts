import { DateTime } from 'luxon';
import type { DayNumber } from './civil-date.js';

const validZones = new Map<string, boolean>();

/** True when the runtime knows this IANA zone name ("Asia/Seoul"); offsets and abbreviations are refused. */
export function isTimeZone(name: string): boolean {
  let valid = validZones.get(name);
  if (valid === undefined) {
    valid = /^[A-Za-z_]+(?:\/[A-Za-z0-9_+-]+)+$|^UTC$/.test(name);
    if (valid) {
      try {
        new Intl.DateTimeFormat('en', { timeZone: name });
      } catch {
        valid = false;
      }
    }
    validZones.set(name, valid);
  }
  return valid;
}

/**
 * The instant at `hour`:00 local time on a civil day in an IANA zone (a DST gap moves it forward, as clocks do).
 * Null when the zone is unknown.
 *
 * @example localInstant(toDay('2026-11-23'), 10, 'Asia/Seoul')?.toISOString() // '2026-11-23T01:00:00.000Z'
 */
export function localInstant(day: DayNumber, hour: number, zone: string): Date | null {
  const key = `${zone} ${day} ${hour}`;
  let at = instants.get(key);
  if (at === undefined) {
    // Luxon's zone arithmetic costs about a hundred microseconds; a portfolio has few zones and days.
    if (instants.size > 100_000) instants.clear();
    const local = isTimeZone(zone)
      ? DateTime.fromObject({ year: 1970, month: 1, day: 1, hour }, { zone }).plus({ days: day })
      : null;
    at = local?.isValid ? local.toMillis() : null;
    instants.set(key, at);
  }
  return at === null ? null : new Date(at);
}
const instants = new Map<string, number | null>();
