/** Builders for compliance tests: requests and history events with sensible defaults, and local-time helpers. */
import { DateTime } from 'luxon';
import { expect, it } from 'vitest';
import { evaluateContact, type EvaluateOptions, type Decision } from './gate.js';
import type { RulePack } from './packs/types.js';
import type { ContactRequest, HistoryEvent } from './schema.js';

/** The UTC ISO instant of a wall-clock time ("2026-03-08 08:30") in a zone, computed by Luxon (not by the gate). */
export function local(zone: string, wall: string): string {
  const dt = DateTime.fromFormat(wall, 'yyyy-MM-dd HH:mm', { zone });
  if (!dt.isValid) throw new Error(`bad wall time ${wall} in ${zone}`);
  return dt.toUTC().toISO();
}

export const ny = (wall: string): string => local('America/New_York', wall);

type RequestOverrides = Omit<Partial<ContactRequest>, 'debtor' | 'recipient'> & {
  debtor?: Partial<ContactRequest['debtor']>;
  recipient?: Partial<ContactRequest['recipient']>;
};

/** A US call to the debtor in New York at 12:00 local on Monday 2026-03-09, no history. */
export function aRequest(overrides: RequestOverrides = {}): ContactRequest {
  const { debtor, recipient, ...rest } = overrides;
  return {
    jurisdiction: 'US',
    channel: 'call',
    at: ny('2026-03-09 12:00'),
    debtRef: 'D-1',
    history: [],
    ...rest,
    recipient: { role: 'debtor', ...recipient },
    debtor: { timezone: 'America/New_York', ...debtor },
  };
}

/** An outbound call to the debtor about D-1 that rang unanswered. */
export function anEvent(at: string, overrides: Partial<HistoryEvent> = {}): HistoryEvent {
  return {
    channel: 'call',
    at,
    direction: 'outbound',
    outcome: 'no_answer',
    debtRef: 'D-1',
    recipient: 'debtor',
    ...overrides,
  };
}

export const rulesOf = (decision: Decision): string[] => decision.violations.map((v) => v.rule);

/** Registers a test named "<rule id> [<citation>] — title" and records the id, for `everyRuleTested`. */
export function ruleTests(pack: RulePack) {
  const tested = new Set<string>();
  const title = (id: string): string => {
    const rule = pack.rules.find((r) => r.id === id) ?? pack.reference.find((r) => r.id === id);
    if (!rule) throw new Error(`${id} is not in ${pack.version}`);
    return `${id} [${rule.citation}]`;
  };
  return {
    it(id: string, name: string, fn: () => void): void {
      tested.add(id);
      it(`${title(id)} — ${name}`, fn);
    },
    everyRuleTested(): void {
      it(`every rule of ${pack.version} has a test`, () => {
        expect(pack.rules.map((r) => r.id).filter((id) => !tested.has(id))).toEqual([]);
      });
    },
  };
}

/** evaluateContact with the pack passed explicitly (so tests of tightened packs read the same). */
export const decide = (request: ContactRequest, options?: EvaluateOptions): Decision =>
  evaluateContact(request, options);
