/**
 * Zone offsets without Luxon in the hot path. A zone's UTC offset is computed with Intl once per 8-day bucket
 * (plus a binary search to the second when the offset changes inside the bucket) and cached for the process,
 * so turning 1,000 history instants into local days costs two comparisons each once the cache is warm.
 */

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;
const BUCKET_MS = 8 * DAY_MS;

interface Bucket {
  /** First instant with the `after` offset; Infinity when the offset is constant over the bucket. */
  transition: number;
  before: number;
  after: number;
}

export class ZoneClock {
  private readonly format: Intl.DateTimeFormat;
  /** Bucket index → bucket; a sparse array is faster than a Map for these small dense integer keys. */
  private readonly buckets: Bucket[] = [];
  private readonly edges = new Map<number, number>();
  private lastKey = Number.NaN;
  private last: Bucket = { transition: Infinity, before: 0, after: 0 };

  constructor(readonly zone: string) {
    this.format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  /** Offset of local time from UTC at this instant, in milliseconds (New York in winter: -18,000,000). */
  offsetMs(ms: number): number {
    const key = Math.floor(ms / BUCKET_MS);
    let bucket: Bucket;
    if (key === this.lastKey) {
      bucket = this.last;
    } else {
      bucket = (key >= 0 ? this.buckets[key] : undefined) ?? this.computeBucket(key);
      this.lastKey = key;
      this.last = bucket;
    }
    return ms < bucket.transition ? bucket.before : bucket.after;
  }

  /** Wall-clock time as if it were UTC milliseconds: local day = floor(localMs / DAY_MS). */
  localMs(ms: number): number {
    return ms + this.offsetMs(ms);
  }

  localDay(ms: number): number {
    return Math.floor(this.localMs(ms) / DAY_MS);
  }

  /**
   * The earliest instant whose wall-clock time is `local`. In a fall-back overlap that is the first occurrence;
   * in a spring-forward gap (the wall time never happens) it is the transition instant, the first later wall time.
   */
  instantOfLocal(local: number): number {
    const early = this.offsetMs(local - DAY_MS);
    const late = this.offsetMs(local + DAY_MS);
    let best = Infinity;
    if (this.offsetMs(local - early) === early) best = local - early;
    if (late !== early && this.offsetMs(local - late) === late) best = Math.min(best, local - late);
    if (best !== Infinity) return best;
    let lo = local - Math.max(early, late);
    let hi = local - Math.min(early, late);
    while (hi - lo > 1000) {
      const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
      if (mid + this.offsetMs(mid) >= local) hi = mid;
      else lo = mid;
    }
    return hi;
  }

  private rawOffset(ms: number): number {
    let year = 0;
    let month = 0;
    let day = 0;
    let hour = 0;
    let minute = 0;
    let second = 0;
    for (const part of this.format.formatToParts(ms)) {
      const value = Number(part.value);
      if (part.type === 'year') year = value;
      else if (part.type === 'month') month = value;
      else if (part.type === 'day') day = value;
      else if (part.type === 'hour') hour = value;
      else if (part.type === 'minute') minute = value;
      else if (part.type === 'second') second = value;
    }
    const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
    return asUtc - Math.floor(ms / 1000) * 1000;
  }

  private edgeOffset(key: number): number {
    let offset = this.edges.get(key);
    if (offset === undefined) {
      offset = this.rawOffset(key * BUCKET_MS);
      this.edges.set(key, offset);
    }
    return offset;
  }

  private computeBucket(key: number): Bucket {
    const before = this.edgeOffset(key);
    const after = this.edgeOffset(key + 1);
    let transition = Infinity;
    if (before !== after) {
      let lo = key * BUCKET_MS;
      let hi = lo + BUCKET_MS;
      while (hi - lo > 1000) {
        const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
        if (this.rawOffset(mid) === after) hi = mid;
        else lo = mid;
      }
      transition = hi;
    }
    const bucket = { transition, before, after };
    if (key >= 0) this.buckets[key] = bucket;
    return bucket;
  }
}

const clocks = new Map<string, ZoneClock | null>();

/** The cached clock for an IANA zone, or null when the runtime does not know the zone. */
export function clockFor(zone: string): ZoneClock | null {
  let clock = clocks.get(zone);
  if (clock === undefined) {
    try {
      clock = new ZoneClock(zone);
    } catch {
      clock = null;
    }
    clocks.set(zone, clock);
  }
  return clock;
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a day number (days since 1970-01-01, a Thursday). */
export function weekdayOf(day: number): number {
  return (((day % 7) + 10) % 7) + 1;
}

export function formatDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** "HH:mm" (00:00–24:00) → minutes of the day, or NaN. */
export function parseHhMm(text: string): number {
  const m = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(text);
  if (!m) return Number.NaN;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  return minutes > 1440 ? Number.NaN : minutes;
}

export function formatMinutes(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** Two ASCII digits at i as a number; negative when either is not a digit. */
function two(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = (((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) | 0) + d - 1;
  const doe = yoe * 365 + ((yoe / 4) | 0) - ((yoe / 100) | 0) + doy;
  return era * 146097 + doe - 719468;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Parses an ISO 8601 instant with an explicit offset (`2026-03-08T07:00:00-05:00`, `…Z`, fraction optional)
 * into epoch milliseconds; NaN when malformed or lacking an offset. About ten times faster than Date.parse,
 * which matters with 1,000 history events per decision.
 */
export function parseInstant(s: string): number {
  const n = s.length;
  if (n < 17 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(13) !== 58)
    return Number.NaN;
  const sep = s.charCodeAt(10);
  if (sep !== 84 && sep !== 116) return Number.NaN;
  const hi = two(s, 0);
  const lo = two(s, 2);
  const month = two(s, 5);
  const day = two(s, 8);
  const hour = two(s, 11);
  const minute = two(s, 14);
  if (
    hi < 0 ||
    lo < 0 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    hour < 0 ||
    hour > 23 ||
    minute < 0 ||
    minute > 59
  ) {
    return Number.NaN;
  }
  const year = hi * 100 + lo;
  if (day > daysInMonth(year, month)) return Number.NaN;
  let i = 16;
  let second = 0;
  let millis = 0;
  if (s.charCodeAt(i) === 58) {
    second = two(s, i + 1);
    if (second < 0 || second > 59) return Number.NaN;
    i += 3;
    const dot = s.charCodeAt(i);
    if (dot === 46 || dot === 44) {
      i++;
      const start = i;
      let scale = 100;
      for (; i < n; i++) {
        const d = s.charCodeAt(i) - 48;
        if (d < 0 || d > 9) break;
        millis += d * scale;
        scale /= 10;
      }
      if (i === start) return Number.NaN;
      millis = Math.floor(millis);
    }
  }
  let offset = 0;
  const c = s.charCodeAt(i);
  if (c === 90 || c === 122) {
    if (i !== n - 1) return Number.NaN;
  } else if (c === 43 || c === 45) {
    const oh = two(s, i + 1);
    let om = 0;
    if (i + 3 === n) om = 0;
    else if (s.charCodeAt(i + 3) === 58 && i + 6 === n) om = two(s, i + 4);
    else if (i + 5 === n) om = two(s, i + 3);
    else return Number.NaN;
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return Number.NaN;
    offset = (c === 45 ? -1 : 1) * (oh * 60 + om) * MINUTE_MS;
  } else {
    return Number.NaN;
  }
  return (
    daysFromCivil(year, month, day) * DAY_MS +
    hour * 3_600_000 +
    minute * MINUTE_MS +
    second * 1000 +
    millis -
    offset
  );
}
