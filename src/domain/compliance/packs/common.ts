/**
 * Building blocks shared by the packs. Each returns the violations of ONE rule (the caller's id and citation), so a
 * pack reads as a list of cited rules and the same mechanics (local hours, calendar-day caps, holds, third parties)
 * are implemented once.
 */
import type { Channel, ContactRequest, HistoryEvent } from '../schema.js';
import {
  DAY_MS,
  formatDay,
  formatMinutes,
  MINUTE_MS,
  parseHhMm,
  weekdayOf,
  type ZoneClock,
} from '../time/clock.js';
import { mentionsDebt } from '../lint/phrases.js';
import type { LintCategory } from '../lint/categories.js';
import type { Facts } from './facts.js';
import type { RuleContext, RuleMeta, Violation } from './types.js';

export const deny = (rule: RuleMeta, message: string, retryAt: number | null = null): Violation => ({
  rule: rule.id,
  message,
  retryAt,
});

export const insufficient = (rule: RuleMeta, what: string): Violation =>
  deny(rule, `insufficient_data: ${what}`);

export const ALL_CHANNELS: readonly Channel[] = ['call', 'sms', 'email', 'letter', 'visit', 'im'];
/** A letter's moment of arrival is not the collector's to choose, so hour rules leave letters out. */
export const TIMED_CHANNELS: readonly Channel[] = ['call', 'sms', 'email', 'visit', 'im'];
export const ALL_WEEKDAYS: readonly number[] = [1, 2, 3, 4, 5, 6, 7];
const WEEKDAY_NAMES = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** The insufficient_data violation of a rule that needs the debtor's local time when no zone is known. */
export function noZone(rule: RuleMeta): Violation {
  return insufficient(
    rule,
    "the debtor's local time zone is unknown (give debtor.timezone, debtor.possibleTimezones, or a debtor.phone whose country code is known)",
  );
}

const minuteCache = new Map<string, number>();
export function minutesOf(hhmm: string): number {
  let minutes = minuteCache.get(hhmm);
  if (minutes === undefined) {
    minutes = parseHhMm(hhmm);
    minuteCache.set(hhmm, minutes);
  }
  return minutes;
}

/** from < to: [from, to); from > to: wraps midnight; from = to: empty. */
export function inBand(minute: number, from: number, to: number): boolean {
  if (from < to) return minute >= from && minute < to;
  if (from > to) return minute >= from || minute < to;
  return false;
}

function localParts(clock: ZoneClock, t: number): { day: number; minute: number; local: number } {
  const local = clock.localMs(t);
  const day = Math.floor(local / DAY_MS);
  return { day, minute: Math.floor((local - day * DAY_MS) / MINUTE_MS), local };
}

/**
 * Earliest instant ≥ t at which `ok(minuteOfDay, isoWeekday)` holds in this zone, or null within `days` days.
 * `boundaries` are the minutes of the day where `ok` may change (sorted); the answer is always one of them.
 */
export function earliestOk(
  clock: ZoneClock,
  t: number,
  ok: (minute: number, weekday: number) => boolean,
  boundaries: readonly number[],
  days = 8,
): number | null {
  const { day, minute, local } = localParts(clock, t);
  if (ok(minute, weekdayOf(day))) return t;
  for (let k = 0; k <= days; k++) {
    const d = day + k;
    const weekday = weekdayOf(d);
    for (const b of boundaries) {
      const candidate = d * DAY_MS + b * MINUTE_MS;
      if (candidate <= local || !ok(b, weekday)) continue;
      const ms = clock.instantOfLocal(candidate);
      // In a fall-back hour the first occurrence of a wall time may lie before t; take the one after.
      return ms >= t ? ms : candidate - clock.offsetMs(t);
    }
  }
  return null;
}

export function boundariesOf(minutes: readonly number[]): number[] {
  return [...new Set([0, ...minutes.map((m) => m % 1440)])].sort((a, b) => a - b);
}

// A pack's bands are few and fixed, and every contact is judged against them: their boundaries once each.
const bandBoundaries = new Map<number, readonly number[]>();
function boundariesOfBand(from: number, to: number): readonly number[] {
  const key = from * 2048 + to;
  let bounds = bandBoundaries.get(key);
  if (bounds === undefined) bandBoundaries.set(key, (bounds = boundariesOf([from, to])));
  return bounds;
}

export function describeLocal(clock: ZoneClock, t: number): string {
  const { day, minute } = localParts(clock, t);
  return `${WEEKDAY_NAMES[weekdayOf(day)]} ${formatMinutes(minute)} in ${clock.zone}`;
}

/** Allowed local band (and weekdays) in every plausible zone. */
export function hoursViolations(
  ctx: RuleContext,
  rule: RuleMeta,
  band: { from: string; to: string },
  weekdays: readonly number[],
): Violation[] {
  const clocks = ctx.facts.clocks;
  if (clocks.length === 0) return [noZone(rule)];
  const from = minutesOf(band.from);
  const to = minutesOf(band.to);
  const allDays = weekdays.length === 7;
  const ok = (m: number, wd: number): boolean => inBand(m, from, to) && (allDays || weekdays.includes(wd));
  const bounds = boundariesOfBand(from, to);
  const failing: string[] = [];
  let retry: number | null = ctx.t;
  for (const clock of clocks) {
    const next = earliestOk(clock, ctx.t, ok, bounds);
    if (next === ctx.t) continue;
    failing.push(describeLocal(clock, ctx.t));
    retry = next === null || retry === null ? null : Math.max(retry, next);
  }
  if (failing.length === 0) return [];
  const days = allDays ? '' : ` on ${weekdays.map((d) => WEEKDAY_NAMES[d]).join('/')}`;
  return [
    deny(
      rule,
      `outside the allowed local hours ${band.from}–${band.to}${days}: it is ${failing.join('; ')}`,
      retry,
    ),
  ];
}

/** The debtor's blocked weekly bands (weekday of the band's start; a band past midnight runs into the next day). */
export function blockedWindowViolations(ctx: RuleContext, rule: RuleMeta): Violation[] {
  const blocks = ctx.facts.request.debtor.blockedWindows;
  if (!blocks || blocks.length === 0) return [];
  const clocks = ctx.facts.clocks;
  if (clocks.length === 0) return [noZone(rule)];
  const parsed = blocks.map((b) => ({ weekday: b.weekday, from: minutesOf(b.from), to: minutesOf(b.to) }));
  const blocked = (m: number, wd: number): boolean =>
    parsed.some((b) =>
      b.from < b.to
        ? wd === b.weekday && m >= b.from && m < b.to
        : b.from > b.to && ((wd === b.weekday && m >= b.from) || (wd === (b.weekday % 7) + 1 && m < b.to)),
    );
  const ok = (m: number, wd: number): boolean => !blocked(m, wd);
  const bounds = boundariesOf(parsed.flatMap((b) => [b.from, b.to]));
  const failing: string[] = [];
  let retry: number | null = ctx.t;
  for (const clock of clocks) {
    const next = earliestOk(clock, ctx.t, ok, bounds);
    if (next === ctx.t) continue;
    failing.push(describeLocal(clock, ctx.t));
    retry = next === null || retry === null ? null : Math.max(retry, next);
  }
  if (failing.length === 0) return [];
  return [deny(rule, `inside a time band the debtor blocked: it is ${failing.join('; ')}`, retry)];
}

export function blockedChannelViolations(ctx: RuleContext, rule: RuleMeta): Violation[] {
  const { channel, debtor } = ctx.facts.request;
  return debtor.blockedChannels?.includes(channel)
    ? [deny(rule, `the debtor asked not to be contacted by ${channel}`)]
    : [];
}

export function workplaceViolations(ctx: RuleContext, rule: RuleMeta): Violation[] {
  const req = ctx.facts.request;
  if (!req.debtor.flags?.workplaceContactProhibited || req.recipient.role === 'attorney') return [];
  const dest = req.destination;
  const atWork = req.channel === 'email' ? (dest?.employerEmail ?? dest?.workplace) : dest?.workplace;
  if (atWork === undefined) {
    return [
      insufficient(
        rule,
        'workplace contact is prohibited for this debtor but the request does not say whether this contact reaches the workplace (destination.workplace)',
      ),
    ];
  }
  return atWork ? [deny(rule, 'the debtor’s employer prohibits contact at the place of employment')] : [];
}

// ---- calendar-day caps -------------------------------------------------------------------------------------------

export interface CapOptions {
  /** Memo key: must change whenever `select`, `exemptBy` or `exemptDays` would. */
  readonly key: string;
  readonly max: number | null;
  readonly windowDays: number;
  /** Does the proposed contact count toward the cap? */
  readonly applies: boolean;
  /** Does history event i count? */
  select(e: HistoryEvent, req: ContactRequest): boolean;
  /** Events after which contacts within `exemptDays` local days (that day = day 1) are not counted. */
  exemptBy?: (e: HistoryEvent, req: ContactRequest) => boolean;
  readonly exemptDays: number;
  /** "calls", "contacts", … */
  readonly unit: string;
}

/** Counts per local day over [firstDay, firstDay + counts.length). */
interface DayTable {
  readonly firstDay: number;
  readonly counts: Int32Array;
  readonly lastDay: number;
  /** Local day → earliest exempting event on that day. */
  readonly exempt: ExemptDays;
}

const countOn = (table: DayTable, day: number): number => {
  const i = day - table.firstDay;
  return i >= 0 && i < table.counts.length ? table.counts[i]! : 0;
};

export type ExemptDays = ReadonlyMap<number, number>;

/** Whether a contact at `ms` (local `day`) follows an exempting event within `span` days (its day = day 1). */
export function covered(exempt: ExemptDays, ms: number, day: number, span: number): boolean {
  if (exempt.size === 0) return false;
  for (let d = day - span + 1; d <= day; d++) {
    const first = exempt.get(d);
    if (first !== undefined && first < ms) return true;
  }
  return false;
}

export function addExempt(exempt: Map<number, number>, day: number, ms: number): void {
  const first = exempt.get(day);
  if (first === undefined || ms < first) exempt.set(day, ms);
}

function buildTable(facts: Facts, clock: ZoneClock, opts: CapOptions): DayTable {
  const { history } = facts.request;
  const { times } = facts;
  const exempt = new Map<number, number>();
  if (opts.exemptBy) {
    for (let i = 0; i < history.length; i++) {
      if (opts.exemptBy(history[i]!, facts.request)) addExempt(exempt, clock.localDay(times[i]!), times[i]!);
    }
  }
  const days = new Int32Array(history.length);
  let n = 0;
  let firstDay = Infinity;
  let lastDay = -Infinity;
  for (let i = 0; i < history.length; i++) {
    if (!opts.select(history[i]!, facts.request)) continue;
    const ms = times[i]!;
    const day = clock.localDay(ms);
    if (covered(exempt, ms, day, opts.exemptDays)) continue;
    days[n++] = day;
    if (day < firstDay) firstDay = day;
    if (day > lastDay) lastDay = day;
  }
  const counts = new Int32Array(n > 0 ? lastDay - firstDay + 1 : 0);
  for (let k = 0; k < n; k++) counts[days[k]! - firstDay]!++;
  return { firstDay: n > 0 ? firstDay : 0, counts, lastDay, exempt };
}

/** The first window of `w` consecutive days containing `day` that one more contact would push over `max`. */
function overflow(
  table: DayTable,
  day: number,
  w: number,
  max: number,
): { start: number; count: number } | null {
  let sum = 0;
  for (let d = day - w + 1; d <= day; d++) sum += countOn(table, d);
  for (let start = day - w + 1; start <= day; start++) {
    if (sum + 1 > max) return { start, count: sum };
    sum += countOn(table, start + w) - countOn(table, start);
  }
  return null;
}

/** A cap of `max` per `windowDays` consecutive local calendar days, in every plausible zone. */
export function capViolations(ctx: RuleContext, rule: RuleMeta, opts: CapOptions): Violation[] {
  if (!opts.applies || opts.max === null) return [];
  const clocks = ctx.facts.clocks;
  if (clocks.length === 0) return [noZone(rule)];
  const w = opts.windowDays;
  const failing: string[] = [];
  let retry = ctx.t;
  for (const clock of clocks) {
    const table = ctx.facts.memo(`${opts.key}:${clock.zone}`, () => buildTable(ctx.facts, clock, opts));
    const day = clock.localDay(ctx.t);
    if (covered(table.exempt, ctx.t, day, opts.exemptDays)) continue;
    const over = overflow(table, day, w, opts.max);
    if (!over) continue;
    let next = day + 1;
    const limit = Math.max(day, table.lastDay) + w;
    while (next <= limit && overflow(table, next, w, opts.max)) next++;
    retry = Math.max(retry, clock.instantOfLocal(next * DAY_MS));
    const span =
      w === 1 ? formatDay(over.start) : `${formatDay(over.start)}…${formatDay(over.start + w - 1)}`;
    failing.push(`${over.count} ${opts.unit} already on ${span} (${clock.zone})`);
  }
  if (failing.length === 0) return [];
  const per = w === 1 ? 'a day' : `${w} consecutive days`;
  return [deny(rule, `the cap is ${opts.max} ${opts.unit} per ${per}: ${failing.join('; ')}`, retry)];
}

// ---- holds -------------------------------------------------------------------------------------------------------

export type Hold = 'cease' | 'disputed' | 'attorney' | 'bankruptcy' | 'deceased' | 'deferral';

const HOLD_TEXT: Record<Exclude<Hold, 'deferral'>, string> = {
  cease: 'the debtor asked in writing that communication cease',
  disputed: 'the debt is disputed; collection is halted until the dispute is resolved',
  attorney: 'the debtor is represented by an attorney; contact the attorney instead',
  bankruptcy: 'the debtor is in bankruptcy or a debt-adjustment stay',
  deceased: 'the debtor is deceased; deal only with the estate’s representative',
};

/** The holds of `kinds` that block this contact. An attorney recipient is not blocked by cease or representation. */
export function holdViolations(ctx: RuleContext, rule: RuleMeta, kinds: readonly Hold[]): Violation[] {
  const req = ctx.facts.request;
  const flags = req.debtor.flags ?? {};
  const toAttorney = req.recipient.role === 'attorney';
  const out: Violation[] = [];
  for (const kind of kinds) {
    switch (kind) {
      case 'cease':
        if (flags.ceaseRequested && !toAttorney) out.push(deny(rule, HOLD_TEXT.cease));
        break;
      case 'attorney':
        if (flags.attorneyRepresented && !toAttorney) out.push(deny(rule, HOLD_TEXT.attorney));
        break;
      case 'disputed':
        if (flags.disputed && !toAttorney) out.push(deny(rule, HOLD_TEXT.disputed));
        break;
      case 'bankruptcy':
        if (flags.bankruptcy && !toAttorney) out.push(deny(rule, HOLD_TEXT.bankruptcy));
        break;
      case 'deceased':
        if (flags.deceased) out.push(deny(rule, HOLD_TEXT.deceased));
        break;
      case 'deferral': {
        const until = ctx.facts.deferredUntil;
        if (!Number.isNaN(until) && ctx.t < until) {
          out.push(deny(rule, `collection is deferred until ${new Date(until).toISOString()}`, until));
        }
        break;
      }
    }
  }
  return out;
}

// ---- third parties -----------------------------------------------------------------------------------------------

export const isThirdParty = (req: ContactRequest): boolean => req.recipient.role === 'third_party';

/** Harvested address books are never a lawful source, whoever the recipient is. */
export function addressBookViolations(ctx: RuleContext, rule: RuleMeta): Violation[] {
  const req = ctx.facts.request;
  if (req.recipient.source === 'address_book') {
    return [deny(rule, 'contacts taken from the debtor’s phone address book may never be used')];
  }
  if (isThirdParty(req) && req.recipient.source === undefined) {
    return [
      insufficient(
        rule,
        'recipient.source is required for a third party (address-book contacts are refused)',
      ),
    ];
  }
  return [];
}

export function designatedViolations(ctx: RuleContext, rule: RuleMeta, required: boolean): Violation[] {
  const req = ctx.facts.request;
  if (!required || !isThirdParty(req)) return [];
  if (req.recipient.designated === undefined) {
    return [insufficient(rule, 'recipient.designated is required for a third party')];
  }
  return req.recipient.designated
    ? []
    : [deny(rule, 'only contacts the debtor designated may be approached')];
}

export function purposeViolations(
  ctx: RuleContext,
  rule: RuleMeta,
  allowed: readonly NonNullable<ContactRequest['purpose']>[],
): Violation[] {
  const req = ctx.facts.request;
  if (!isThirdParty(req)) return [];
  if (req.purpose === undefined) {
    return [insufficient(rule, `purpose is required for a third party (allowed: ${allowed.join(', ')})`)];
  }
  return allowed.includes(req.purpose)
    ? []
    : [deny(rule, `a third party may be contacted only for: ${allowed.join(', ')} (not ${req.purpose})`)];
}

/** Content sent to a third party may not mention the debt at all, nor carry linter findings of disclosure. */
export function disclosureViolations(ctx: RuleContext, rule: RuleMeta): Violation[] {
  const content = ctx.facts.content;
  if (!content || !isThirdParty(ctx.facts.request)) return [];
  return mentionsDebt(content) ? [deny(rule, 'the message would reveal the debt to a third party')] : [];
}

/** Messages the public or the person's contacts can see. */
export function publicVisibilityViolations(ctx: RuleContext, rule: RuleMeta): Violation[] {
  const req = ctx.facts.request;
  if (req.channel !== 'im') return [];
  const visible = req.destination?.publicVisible;
  if (visible === undefined) {
    return [insufficient(rule, 'destination.publicVisible is required for an im message')];
  }
  return visible ? [deny(rule, 'the message would be visible to the public or the person’s contacts')] : [];
}

// ---- content -----------------------------------------------------------------------------------------------------

export function contentViolations(
  ctx: RuleContext,
  rule: RuleMeta,
  categories: readonly LintCategory[],
): Violation[] {
  const out: Violation[] = [];
  for (const f of ctx.facts.lint) {
    if (categories.includes(f.category)) {
      out.push(deny(rule, `content: ${f.category} — "${f.match}" at ${f.start}–${f.end}`));
    }
  }
  return out;
}
