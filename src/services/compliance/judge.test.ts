import { describe, expect, it } from 'vitest';
import { parseContactRequest } from '../../domain/compliance/index.js';
import {
  encodeDecisions,
  judgeContacts,
  restoreDecision,
  type GateFacts,
  type ProposedContact,
} from './gate.js';

const facts = (over: Partial<GateFacts> = {}): GateFacts => ({
  accountId: 1,
  ref: 'A-1',
  jurisdiction: 'US',
  timezone: 'America/New_York',
  phones: [{ number: '+12125550123', kind: 'mobile' }],
  history: [],
  ...over,
});

const at = new Date('2026-11-23T15:00:00Z'); // 10:00 in New York
const proposals: ProposedContact[] = [
  { accountId: 1, channel: 'email', at },
  { accountId: 1, channel: 'call', at },
  { accountId: 1, channel: 'sms', at: new Date('2026-11-23T16:00:00Z') },
];

describe('judgeContacts over several contacts of one account', () => {
  it('judges each later contact on exactly the request a full validation gives', () => {
    const { outcomes, decisions } = judgeContacts(proposals, new Map([[1, facts()]]));
    expect(outcomes.map((o) => o.allowed)).toEqual([true, true, true]);
    expect(decisions).toHaveLength(3);
    // The second and third were not parsed again: their requests are still what parsing gives.
    for (const d of decisions) {
      const parsed = parseContactRequest(JSON.parse(JSON.stringify(d.request)));
      expect(parsed).toEqual({ ok: true, value: d.request });
    }
    // Each later request counts the contacts allowed before it.
    expect(decisions.map((d) => d.request.history.length)).toEqual([0, 1, 2]);
  });

  it('refuses every contact when the facts do not validate (nothing is carried over from a failed check)', () => {
    for (const bad of [
      facts({ timezone: 'Mars/Olympus_Mons' }),
      facts({ phones: [{ number: '555-0123', kind: 'mobile' }] }),
    ]) {
      const { outcomes, decisions } = judgeContacts(proposals, new Map([[1, bad]]));
      expect(outcomes.map((o) => [o.allowed, o.rules])).toEqual([
        [false, ['insufficient_data']],
        [false, ['insufficient_data']],
        [false, ['insufficient_data']],
      ]);
      expect(decisions).toEqual([]);
    }
  });

  it('validates a contact that says more than a plain one (another number) in full', () => {
    const { outcomes } = judgeContacts(
      [proposals[0]!, { accountId: 1, channel: 'call', at, phone: 'not a number' }],
      new Map([[1, facts()]]),
    );
    expect(outcomes.map((o) => [o.allowed, o.rules])).toEqual([
      [true, []],
      [false, ['insufficient_data']],
    ]);
  });
});

describe('the decision log row', () => {
  it('is stored without what its columns hold, and restored whole — rows stored whole before read the same', () => {
    const { decisions } = judgeContacts(
      [{ accountId: 1, channel: 'call', at: new Date('2026-11-23T03:00:00Z') }], // 22:00 in New York
      new Map([[1, facts()]]),
    );
    const { request, decision } = decisions[0]!;
    expect(decision.allowed).toBe(false);
    const [line] = new TextDecoder().decode(encodeDecisions(decisions)).split('\n');
    const f = line!.split('\t');
    const columns = {
      contact_at: f[1]!,
      jurisdiction: f[2]!,
      channel: f[3]!,
      allowed: f[4] === 't',
      pack_version: f[6]!,
      next_allowed_at: f[7] === '\\N' ? null : f[7]!,
    };
    const stored = { request: JSON.parse(f[8]!) as object, decision: JSON.parse(f[9]!) as object };
    expect(stored.request).not.toHaveProperty('jurisdiction');
    expect(stored.request).not.toHaveProperty('channel');
    expect(stored.decision).toEqual({ violations: decision.violations });
    expect(restoreDecision({ ...columns, ...stored })).toEqual({ request, decision });
    // A row written before (the whole request and decision in its JSON).
    expect(restoreDecision({ ...columns, request: JSON.stringify(request), decision: decision })).toEqual({
      request,
      decision,
    });
  });
});
