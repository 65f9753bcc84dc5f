import { DateTime } from 'luxon';
import { ArrearsError } from '../../domain/errors.js';
import { isTimeZone } from '../../domain/calendar/index.js';

/** `HH:MM` (24 h) as minutes after midnight, or an `invalid` error naming the option. */
export function parseTimeOfDay(text: string, option = '--cycle-at'): number {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  if (!m) throw new ArrearsError('invalid', `${option} must be a time as HH:MM, 00:00–23:59 (got "${text}")`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/**
 * The cycle day that is due at `now`: today (in `zone`) once the local time has reached `at`, otherwise
 * yesterday — so a worker started before the day's time still finishes a cycle that did not end yesterday.
 *
 * @example cycleDayDue(new Date('2026-11-23T05:00:00Z'), 6 * 60, 'UTC') // '2026-11-22'
 */
export function cycleDayDue(now: Date, atMinutes: number, zone: string): string {
  if (!isTimeZone(zone)) throw new ArrearsError('invalid', `"${zone}" is not an IANA time zone`);
  const local = DateTime.fromJSDate(now, { zone });
  const minutes = local.hour * 60 + local.minute;
  return (minutes >= atMinutes ? local : local.minus({ days: 1 })).toISODate()!;
}
