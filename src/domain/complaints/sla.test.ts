import { describe, expect, it } from 'vitest';
import { formatDay, toDay } from '../calendar/index.js';
import { addBusinessDays, complaintDeadlines } from './index.js';

const due = (j: string, at: string, zone: string, holidays: string[] = []) =>
  complaintDeadlines(j, new Date(at), zone, holidays.map(toDay)).deadlines.map((d) => [
    d.name,
    formatDay(d.due),
  ]);

describe('complaint deadlines', () => {
  it('ES.COMPLAINT (Ley 10/2025): 15 business days, skipping weekends and given holidays', () => {
    // Friday 2026-11-20 in Madrid: business days start Monday the 23rd; 15 of them end Friday 2026-12-11.
    expect(due('ES', '2026-11-20T10:00:00Z', 'Europe/Madrid')).toEqual([['resolve', '2026-12-11']]);
    // 8 December (Inmaculada Concepción) as a holiday pushes it to Monday the 14th.
    expect(due('ES', '2026-11-20T10:00:00Z', 'Europe/Madrid', ['2026-12-08'])).toEqual([
      ['resolve', '2026-12-14'],
    ]);
  });

  it('CN.COMPLAINT: 15 calendar days from the local day of receipt', () => {
    // 20:00 UTC on the 20th is already the 21st in Shanghai.
    expect(due('CN', '2026-11-20T20:00:00Z', 'Asia/Shanghai')).toEqual([['resolve', '2026-12-06']]);
  });

  it('US.CFPB.COMPLAINT_SLA: respond in 15 days, close in 60', () => {
    expect(due('US', '2026-11-20T15:00:00Z', 'America/New_York')).toEqual([
      ['respond', '2026-12-05'],
      ['resolve', '2027-01-19'],
    ]);
  });

  it('KR: 14 days, marked unconfirmed', () => {
    const r = complaintDeadlines('KR', new Date('2026-11-20T01:00:00Z'), 'Asia/Seoul');
    expect(r.sla.confidence).toBe('unconfirmed');
    expect(formatDay(r.deadlines[0]!.due)).toBe('2026-12-04');
  });

  it('refuses an unknown jurisdiction instead of guessing', () => {
    expect(() => complaintDeadlines('FR', new Date(), 'Europe/Paris')).toThrow(
      /no complaint deadline is known for jurisdiction "FR"/,
    );
  });

  it('counts business days across weekends', () => {
    expect(formatDay(addBusinessDays(toDay('2026-11-27'), 1))).toBe('2026-11-30'); // Friday → Monday
    expect(formatDay(addBusinessDays(toDay('2026-11-28'), 5))).toBe('2026-12-04'); // Saturday → next Friday
  });
});
