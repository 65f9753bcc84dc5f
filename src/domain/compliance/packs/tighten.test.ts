import { describe, expect, it } from 'vitest';
import { evaluateContact } from '../gate.js';
import { aRequest, anEvent, ny, rulesOf } from '../test-builders.js';
import { CN_PACK } from './cn.js';
import { PACK_VERSIONS, PACKS } from './index.js';
import { tightenPack } from './tighten.js';
import { US_PACK } from './us.js';

describe('tightenPack', () => {
  it('accepts stricter parameters and versions the pack', () => {
    const result = tightenPack(US_PACK, {
      'US.REGF.CALL_FREQ_7IN7': { maxCalls: 5 },
      'US.FDCPA.HOURS': {
        window: { from: '09:00', to: '20:00' },
        channels: ['call', 'sms', 'email', 'visit', 'im', 'letter'],
      },
      'US.REGF.CALL_WAIT_7D': { waitDays: 10 },
    });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.override).toBeNull();
    expect(result.pack.version).toMatch(/^US-2026\.11\.1\+t\.[0-9a-f]{8}$/);
    expect(result.changes.map((c) => `${c.rule}.${c.param}:${c.direction}`)).toEqual([
      'US.REGF.CALL_FREQ_7IN7.maxCalls:stricter',
      'US.FDCPA.HOURS.window:stricter',
      'US.FDCPA.HOURS.channels:stricter',
      'US.REGF.CALL_WAIT_7D.waitDays:stricter',
    ]);
    const history = [2, 3, 4, 5, 6].map((d) => anEvent(ny(`2026-03-0${d} 10:00`)));
    const sixth = evaluateContact(aRequest({ at: ny('2026-03-06 15:00'), history }), {
      packs: { US: result.pack },
    });
    expect(rulesOf(sixth)).toEqual(['US.REGF.CALL_FREQ_7IN7']);
    expect(sixth.packVersion).toBe(result.pack.version);
    const evening = evaluateContact(aRequest({ at: ny('2026-03-09 20:30') }), { packs: { US: result.pack } });
    expect(rulesOf(evening)).toEqual(['US.FDCPA.HOURS']);
    // The built-in pack is untouched.
    expect(evaluateContact(aRequest({ at: ny('2026-03-09 20:30') })).packVersion).toBe(PACK_VERSIONS.US);
    expect(PACKS.US).toBe(US_PACK);
  });

  it('refuses every loosening and every bad field at once, with paths', () => {
    const result = tightenPack(US_PACK, {
      'US.REGF.CALL_FREQ_7IN7': { maxCalls: 10, windowDays: 5, bogus: 1 },
      'US.FDCPA.HOURS': { window: { from: '07:00', to: '21:00' } },
      'US.FDCPA.THIRD_PARTY': { requireDesignated: false },
      'US.FDCPA.LOCATION_CONTACT': { maxPerThirdParty: null },
      'US.REGF.CALL_WAIT_7D': { waitDays: -1 },
      'US.NOPE': { x: 1 },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => `${e.path}:${e.code}`)).toEqual([
      'US.REGF.CALL_FREQ_7IN7.maxCalls:loosening',
      'US.REGF.CALL_FREQ_7IN7.windowDays:loosening',
      'US.REGF.CALL_FREQ_7IN7.bogus:unknown_param',
      'US.FDCPA.HOURS.window:loosening',
      'US.FDCPA.THIRD_PARTY.requireDesignated:loosening',
      'US.FDCPA.LOCATION_CONTACT.maxPerThirdParty:loosening',
      'US.REGF.CALL_WAIT_7D.waitDays:invalid_value',
      'US.NOPE:unknown_rule',
    ]);
  });

  it('a window that wraps midnight or only shifts is not narrower', () => {
    const wrapped = tightenPack(CN_PACK, { 'CN.HOURS': { window: { from: '21:00', to: '09:00' } } });
    const shifted = tightenPack(CN_PACK, { 'CN.HOURS': { window: { from: '07:30', to: '21:00' } } });
    const narrower = tightenPack(CN_PACK, { 'CN.HOURS': { window: { from: '09:00', to: '21:00' } } });
    expect(wrapped.ok).toBe(false);
    expect(shifted.ok).toBe(false);
    expect(narrower.ok).toBe(true);
  });

  it('an explicit, audited approval lets a loosening through and returns the override record', () => {
    const approval = {
      loosen: true as const,
      reason: 'court order permits 09:00 start',
      approvedBy: 'counsel@example.com',
    };
    const result = tightenPack(
      US_PACK,
      { 'US.REGF.CALL_FREQ_7IN7': { maxCalls: 9, windowDays: 7 } },
      approval,
    );
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.pack.version).toMatch(/^US-2026\.11\.1\+o\.[0-9a-f]{8}$/);
    expect(result.override).toMatchObject({
      basePackVersion: 'US-2026.11.1',
      packVersion: result.pack.version,
      reason: approval.reason,
      approvedBy: approval.approvedBy,
      loosened: [{ rule: 'US.REGF.CALL_FREQ_7IN7', param: 'maxCalls', direction: 'looser' }],
    });
  });

  it('an approval must say why and who', () => {
    const result = tightenPack(
      US_PACK,
      { 'US.REGF.CALL_FREQ_7IN7': { maxCalls: 9 } },
      {
        loosen: true,
        reason: ' ',
        approvedBy: '',
      },
    );
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.errors.map((e) => e.path)).toEqual(['approval.reason', 'approval.approvedBy']);
  });

  it('no effective change keeps the pack and its version', () => {
    const result = tightenPack(US_PACK, { 'US.REGF.CALL_FREQ_7IN7': { maxCalls: 7 } });
    expect(result.ok && result.pack).toBe(US_PACK);
  });

  it('every rule carries an id, a citation, a confidence and typed parameters', () => {
    for (const pack of Object.values(PACKS)) {
      for (const rule of [...pack.rules, ...pack.reference]) {
        expect(rule.id).toMatch(/^[A-Z]+\.[A-Z0-9_.]+|^EU\.CCD2 \/ EU\.CSD$/);
        expect(rule.citation.length).toBeGreaterThan(3);
        expect(['high', 'med-high', 'med', 'low', 'unconfirmed', 'policy']).toContain(rule.confidence);
      }
      expect(new Set(pack.rules.map((r) => r.id)).size).toBe(pack.rules.length);
    }
  });
});
