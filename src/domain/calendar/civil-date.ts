/**
 * Civil (calendar) dates with no time zone, as in a loan schedule. Internally a day number
 * (days since 1970-01-01) so that date arithmetic over a portfolio is integer arithmetic.
 */

export type DayNumber = number;

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const MS_PER_DAY = 86_400_000;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil); pure arithmetic, no Date. */
/** The day number of a civil date given as numbers (no checks: for dates already known valid). */
export function daysFromCivil(year: number, month: number, day: number): DayNumber {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Parses `YYYY-MM-DD`; returns null for malformed or impossible dates (2026-02-30). Hot in bulk import. */
export function parseCivilDate(text: string): DayNumber | null {
  if (text.length !== 10 || !DATE_RE.test(text)) return null;
  const year = +text.slice(0, 4);
  const month = +text.slice(5, 7);
  const day = +text.slice(8, 10);
  if (month < 1 || month > 12 || day < 1 || year < 1900 || year > 2200) return null;
  const maxDay = month === 2 && isLeap(year) ? 29 : DAYS_IN_MONTH[month - 1]!;
  if (day > maxDay) return null;
  return daysFromCivil(year, month, day);
}

/** Like parseCivilDate but throws RangeError; for values already validated at the boundary. */
export function toDay(text: string): DayNumber {
  const day = parseCivilDate(text);
  if (day === null) throw new RangeError(`invalid date "${text}" (expected YYYY-MM-DD)`);
  return day;
}

export function formatDay(day: DayNumber): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Today's civil date in the given IANA time zone (default UTC). */
export function todayIn(timeZone = 'UTC', now: Date = new Date()): DayNumber {
  return toDay(dayFormat(timeZone).format(now));
}

// Building an Intl.DateTimeFormat costs far more than using one (it dominated the payment API's CPU
// profile), and there are only a few hundred IANA zones: keep one per zone.
const dayFormats = new Map<string, Intl.DateTimeFormat>();
function dayFormat(timeZone: string): Intl.DateTimeFormat {
  let f = dayFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone, f);
  }
  return f;
}

/** Adds whole calendar months, clamping to the month's last day (Jan 31 + 1 month = Feb 28/29). */
export function addMonths(day: DayNumber, months: number): DayNumber {
  const d = new Date(day * MS_PER_DAY);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), lastDay));
  return target.getTime() / MS_PER_DAY;
}
