/**
 * Property tests of the gate against an independent oracle (Luxon for local time, plain loops for the caps):
 * 1. a contact sequence built only from gate-approved contacts never breaks a frequency cap or a time window;
 * 2. `nextAllowedAt` is the true earliest allowed instant: every minute before it is denied, and it is allowed.
 */
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { evaluateContact } from './gate.js';
import type { Channel, ContactRequest, HistoryEvent, Jurisdiction, Outcome } from './schema.js';

const DAY = 86_400_000;
const MINUTE = 60_000;

/** Local calendar day number and minute of day, computed by Luxon (not by the gate's own clock). */
function localOf(ms: number, zone: string): { day: number; minute: number; weekday: number } {
  const dt = DateTime.fromMillis(ms, { zone });
  const localMs = ms + dt.offset * MINUTE;
  const day = Math.floor(localMs / DAY);
  return { day, minute: dt.hour * 60 + dt.minute, weekday: dt.weekday };
}

interface Scenario {
  jurisdiction: Jurisdiction;
  zones: string[];
  /** First instant of the simulation (around a DST change for US and ES). */
  start: number;
}

const SCENARIOS: Scenario[] = [
  { jurisdiction: 'US', zones: ['America/New_York'], start: Date.parse('2026-03-02T14:00:00Z') },
  {
    jurisdiction: 'US',
    zones: ['America/Los_Angeles', 'America/New_York', 'Pacific/Honolulu'],
    start: Date.parse('2026-10-26T20:00:00Z'),
  },
  { jurisdiction: 'KR', zones: ['Asia/Seoul'], start: Date.parse('2026-03-02T01:00:00Z') },
  { jurisdiction: 'CN', zones: ['Asia/Shanghai'], start: Date.parse('2026-03-02T01:00:00Z') },
  {
    jurisdiction: 'ES',
    zones: ['Europe/Madrid', 'Atlantic/Canary'],
    start: Date.parse('2026-03-25T08:00:00Z'),
  },
];

const HOURS: Record<Jurisdiction, { from: number; to: number; channels: Channel[]; weekdays: number[] }> = {
  US: {
    from: 480,
    to: 1260,
    channels: ['call', 'sms', 'email', 'visit', 'im'],
    weekdays: [1, 2, 3, 4, 5, 6, 7],
  },
  KR: {
    from: 480,
    to: 1260,
    channels: ['call', 'sms', 'email', 'visit', 'im'],
    weekdays: [1, 2, 3, 4, 5, 6, 7],
  },
  CN: {
    from: 480,
    to: 1320,
    channels: ['call', 'sms', 'email', 'visit', 'im'],
    weekdays: [1, 2, 3, 4, 5, 6, 7],
  },
  ES: { from: 540, to: 1260, channels: ['call', 'visit'], weekdays: [1, 2, 3, 4, 5] },
};

const NUMBERS = ['+12125550101', '+12125550102'];

interface Step {
  gapMinutes: number;
  channel: Channel;
  outcome: Outcome;
  debtRef: string;
  number: number;
  consent: boolean;
  /** A debtor-initiated call inserted without asking the gate (debtors may always call in). */
  inbound: boolean;
}

const weighted = <T>(...entries: Array<[T, number]>): fc.Arbitrary<T> =>
  fc.oneof(...entries.map(([value, weight]) => ({ arbitrary: fc.constant(value), weight })));

/** Dense, call-heavy and mostly unanswered, so that every cap is actually reached. */
const stepArb: fc.Arbitrary<Step> = fc.record({
  gapMinutes: fc.oneof(
    { arbitrary: fc.integer({ min: 1, max: 60 }), weight: 4 },
    { arbitrary: fc.integer({ min: 60, max: 2 * 1440 }), weight: 1 },
  ),
  channel: weighted<Channel>(['call', 8], ['sms', 1], ['email', 1], ['letter', 1], ['visit', 1]),
  outcome: weighted<Outcome>(
    ['not_connected', 2],
    ['no_answer', 4],
    ['voicemail', 2],
    ['connected', 3],
    ['conversation', 1],
  ),
  debtRef: weighted(['D-1', 4], ['D-2', 1]),
  number: weighted([0, 3], [1, 1]),
  consent: fc.integer({ min: 0, max: 19 }).map((n) => n === 0),
  inbound: fc.integer({ min: 0, max: 29 }).map((n) => n === 0),
});

function outcomeFor(channel: Channel, outcome: Outcome): Outcome {
  if (channel === 'call') return outcome;
  if (channel === 'visit') return 'visited';
  return 'delivered';
}

function request(s: Scenario, at: number, step: Step, history: HistoryEvent[]): ContactRequest {
  return {
    jurisdiction: s.jurisdiction,
    channel: step.channel,
    at: new Date(at).toISOString(),
    debtRef: step.debtRef,
    recipient: { role: 'debtor' },
    destination: { phone: NUMBERS[step.number]! },
    visitors: 2,
    debtor:
      s.zones.length === 1
        ? { timezone: s.zones[0]!, phone: NUMBERS[0]! }
        : { possibleTimezones: s.zones, phone: NUMBERS[0]! },
    history,
  };
}

interface Approved {
  ms: number;
  event: HistoryEvent;
}

/** Every violated invariant, as text (empty = the sequence is lawful). */
function oracle(s: Scenario, history: HistoryEvent[], approved: Approved[]): string[] {
  const problems: string[] = [];
  const times = history.map((e) => Date.parse(e.at));
  const h = HOURS[s.jurisdiction];
  for (const { ms, event } of approved) {
    for (const zone of s.zones) {
      const { minute, weekday } = localOf(ms, zone);
      if (
        h.channels.includes(event.channel) &&
        !(minute >= h.from && minute < h.to && h.weekdays.includes(weekday))
      )
        problems.push(`${event.channel} at ${event.at} outside hours in ${zone}`);
    }
  }
  /** For each approved event, each window of `w` local days containing it must hold ≤ max counted events. */
  const capCheck = (
    name: string,
    w: number,
    max: number,
    counted: (e: HistoryEvent, i: number, zone: string) => boolean,
    applies: (e: HistoryEvent) => boolean,
  ) => {
    for (const zone of s.zones) {
      const days = history.map((_, i) => localOf(times[i]!, zone).day);
      for (const { ms, event } of approved) {
        if (!applies(event)) continue;
        const d = localOf(ms, zone).day;
        for (let start = d - w + 1; start <= d; start++) {
          let n = 0;
          for (let i = 0; i < history.length; i++) {
            if (days[i]! >= start && days[i]! < start + w && counted(history[i]!, i, zone)) n++;
          }
          if (n > max) problems.push(`${name}: ${n} > ${max} in ${w} days from day ${start} (${zone})`);
        }
      }
    }
  };
  const consentCovers = (ms: number, debtRef: string, zone: string): boolean =>
    history.some(
      (c, j) =>
        c.consentGiven === true &&
        c.debtRef === debtRef &&
        times[j]! < ms &&
        localOf(ms, zone).day - localOf(times[j]!, zone).day < 7,
    );
  switch (s.jurisdiction) {
    case 'US': {
      for (const debt of ['D-1', 'D-2']) {
        capCheck(
          `US 7-in-7 ${debt}`,
          7,
          7,
          (e, i, zone) =>
            e.channel === 'call' &&
            e.direction === 'outbound' &&
            e.debtRef === debt &&
            e.outcome !== 'not_connected' &&
            !consentCovers(times[i]!, debt, zone),
          (e) => e.channel === 'call' && e.debtRef === debt,
        );
      }
      for (const { ms, event } of approved) {
        if (event.channel !== 'call') continue;
        for (const zone of s.zones) {
          if (consentCovers(ms, event.debtRef, zone)) continue;
          const d = localOf(ms, zone).day;
          history.forEach((c, j) => {
            if (c.outcome === 'conversation' && c.debtRef === event.debtRef && times[j]! < ms) {
              if (d - localOf(times[j]!, zone).day < 7)
                problems.push(`US call at ${event.at} within 7 days of ${c.at}`);
            }
          });
        }
      }
      break;
    }
    case 'KR': {
      const exempt = (i: number, zone: string) =>
        history.some(
          (r, j) =>
            r.direction === 'inbound' &&
            r.debtRef === history[i]!.debtRef &&
            times[j]! < times[i]! &&
            localOf(times[j]!, zone).day === localOf(times[i]!, zone).day,
        );
      for (const debt of ['D-1', 'D-2']) {
        const counted = (e: HistoryEvent, i: number, zone: string) =>
          e.direction === 'outbound' && e.debtRef === debt && !exempt(i, zone);
        const applies = (e: HistoryEvent) => e.debtRef === debt;
        capCheck(`KR 7-in-7 ${debt}`, 7, 7, counted, applies);
        capCheck(`KR 2 a day ${debt}`, 1, 2, counted, applies);
      }
      break;
    }
    case 'CN': {
      for (const number of NUMBERS) {
        capCheck(
          `CN 6 unanswered ${number}`,
          1,
          6,
          (e) =>
            e.channel === 'call' &&
            e.direction === 'outbound' &&
            e.phone === number &&
            ['not_connected', 'no_answer', 'voicemail'].includes(e.outcome),
          (e) => e.channel === 'call' && e.phone === number,
        );
      }
      capCheck(
        'CN 3 connected',
        1,
        3,
        (e) =>
          e.channel === 'call' &&
          e.direction === 'outbound' &&
          (e.outcome === 'connected' || e.outcome === 'conversation'),
        (e) => e.channel === 'call',
      );
      break;
    }
    case 'ES':
      break;
  }
  return problems;
}

describe('gate properties (fast-check)', () => {
  it('a sequence built only from gate-approved contacts never breaks a cap or a window', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SCENARIOS),
        fc.array(stepArb, { minLength: 0, maxLength: 12 }),
        fc.array(stepArb, { minLength: 40, maxLength: 160 }),
        (scenario, prior, proposals) => {
          const history: HistoryEvent[] = [];
          // A random earlier history, recorded as it happened (it may itself have broken a cap).
          let t = scenario.start - 6 * DAY;
          for (const step of prior) {
            t += step.gapMinutes * MINUTE;
            history.push({
              channel: step.channel,
              at: new Date(t).toISOString(),
              direction: 'outbound',
              outcome: outcomeFor(step.channel, step.outcome),
              debtRef: step.debtRef,
              recipient: 'debtor',
              phone: NUMBERS[step.number]!,
            });
          }
          t = Math.max(t, scenario.start);
          const approved: Approved[] = [];
          for (const step of proposals) {
            t += step.gapMinutes * MINUTE;
            if (step.inbound) {
              history.push({
                channel: 'call',
                at: new Date(t).toISOString(),
                direction: 'inbound',
                outcome: 'conversation',
                debtRef: step.debtRef,
                recipient: 'debtor',
                ...(step.consent ? { consentGiven: true } : {}),
              });
              continue;
            }
            const decision = evaluateContact(request(scenario, t, step, [...history]));
            if (!decision.allowed) continue;
            const event: HistoryEvent = {
              channel: step.channel,
              at: new Date(t).toISOString(),
              direction: 'outbound',
              outcome: outcomeFor(step.channel, step.outcome),
              debtRef: step.debtRef,
              recipient: 'debtor',
              phone: NUMBERS[step.number]!,
              ...(step.consent && step.channel === 'call' ? { consentGiven: true } : {}),
            };
            history.push(event);
            approved.push({ ms: t, event });
          }
          expect(oracle(scenario, history, approved)).toEqual([]);
        },
      ),
      { numRuns: 200, seed: 20261122 },
    );
  });

  it('nextAllowedAt is the earliest allowed instant: every minute before it is denied', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SCENARIOS),
        fc.array(stepArb, { minLength: 5, maxLength: 25 }),
        fc.integer({ min: 0, max: 7 * 1440 }),
        fc.option(
          fc.record({
            weekday: fc.integer({ min: 1, max: 7 }),
            from: fc.integer({ min: 0, max: 95 }),
            length: fc.integer({ min: 1, max: 40 }),
          }),
        ),
        (scenario, prior, offsetMinutes, band) => {
          const history: HistoryEvent[] = [];
          let t = scenario.start - 2 * DAY;
          for (const step of prior) {
            t += Math.min(step.gapMinutes, 300) * MINUTE;
            history.push({
              channel: step.channel === 'letter' ? 'call' : step.channel,
              at: new Date(t).toISOString(),
              direction: 'outbound',
              outcome: outcomeFor(step.channel === 'letter' ? 'call' : step.channel, step.outcome),
              debtRef: 'D-1',
              recipient: 'debtor',
              phone: NUMBERS[0]!,
            });
          }
          const at = Math.ceil((scenario.start + offsetMinutes * MINUTE) / MINUTE) * MINUTE;
          const base = request(scenario, at, { channel: 'call', debtRef: 'D-1', number: 0 } as Step, history);
          if (band) {
            const hhmm = (q: number) =>
              `${String(Math.floor(q / 4)).padStart(2, '0')}:${String((q % 4) * 15).padStart(2, '0')}`;
            base.debtor.blockedWindows = [
              { weekday: band.weekday, from: hhmm(band.from), to: hhmm((band.from + band.length) % 96) },
            ];
          }
          const decision = evaluateContact(base);
          if (decision.allowed) {
            expect(decision.nextAllowedAt).toBe(new Date(at).toISOString());
            return;
          }
          expect(decision.nextAllowedAt).not.toBeNull();
          const next = Date.parse(decision.nextAllowedAt!);
          expect(next).toBeGreaterThan(at);
          expect(evaluateContact({ ...base, at: decision.nextAllowedAt! }).allowed).toBe(true);
          for (let m = at + MINUTE; m < next; m += MINUTE) {
            if (evaluateContact({ ...base, at: new Date(m).toISOString() }).allowed) {
              throw new Error(
                `allowed at ${new Date(m).toISOString()}, before nextAllowedAt ${decision.nextAllowedAt}`,
              );
            }
          }
        },
      ),
      { numRuns: 40, seed: 7 },
    );
  });
});
