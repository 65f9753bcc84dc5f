import { DateTime } from 'luxon';
import { formatDay } from '../../domain/calendar/index.js';
import {
  evaluateContact,
  JURISDICTIONS,
  PACK_VERSIONS,
  parseContactRequest,
  type Channel,
  type Jurisdiction,
  type Outcome,
} from '../../domain/compliance/index.js';
import type { SimContact, SimulationGate } from '../../domain/simulation/index.js';

/** When the simulator sends a planned contact: mid-morning in the debtor's zone. */
const SEND_HOUR = 10;

const outcomeOf = (c: SimContact): Outcome => {
  switch (c.channel) {
    case 'call':
      return c.reached ? 'connected' : 'not_connected';
    case 'visit':
      return 'visited';
    case 'sms':
    case 'email':
    case 'letter':
      return 'sent';
  }
};

/**
 * The compliance gate for `arrears simulate`: each planned contact is checked at 10:00 in the debtor's zone on
 * its day, against the account's simulated contacts. Same rule packs and same function as at send time.
 */
export const simulationGate: { name: string; check: SimulationGate } = {
  name: `compliance (${Object.values(PACK_VERSIONS).join(', ')})`,
  check: (account, action, day, history) => {
    if (!(JURISDICTIONS as readonly string[]).includes(account.jurisdiction)) {
      return { allowed: false, rules: ['ARREARS.NO_PACK'] };
    }
    const at = DateTime.fromISO(`${formatDay(day)}T${String(SEND_HOUR).padStart(2, '0')}:00`, {
      zone: account.timezone,
    });
    const parsed = parseContactRequest({
      jurisdiction: account.jurisdiction as Jurisdiction,
      channel: action.channel as Channel,
      at: at.toUTC().toISO(),
      debtRef: account.ref,
      recipient: { role: 'debtor' },
      debtor: { timezone: account.timezone, ...(account.phone ? { phone: account.phone } : {}) },
      history: history.map((c) => ({
        channel: c.channel,
        at: DateTime.fromISO(`${formatDay(c.day)}T${String(SEND_HOUR).padStart(2, '0')}:00`, {
          zone: account.timezone,
        })
          .toUTC()
          .toISO(),
        direction: 'outbound' as const,
        outcome: outcomeOf(c),
        debtRef: account.ref,
        recipient: 'debtor' as const,
      })),
    });
    if (!parsed.ok) return { allowed: false, rules: ['ARREARS.INSUFFICIENT_DATA'] };
    const d = evaluateContact(parsed.value);
    return { allowed: d.allowed, rules: [...new Set(d.violations.map((v) => v.rule))] };
  },
};
