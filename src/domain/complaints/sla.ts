import { ArrearsError } from '../errors.js';
import { todayIn, type DayNumber } from '../calendar/index.js';

/** One deadline of a complaint: answered (`respond`) or closed (`resolve`) within so many days. */
export interface SlaStep {
  name: 'respond' | 'resolve';
  days: number;
  unit: 'calendar' | 'business';
}

export interface ComplaintSla {
  /** The rule id in the catalog (../shared/regulations.md). */
  rule: string;
  jurisdiction: string;
  steps: SlaStep[];
  source: string;
  confidence: 'high' | 'med-high' | 'med' | 'low' | 'unconfirmed';
}

/** Complaint-handling deadlines by jurisdiction. Where a source is missing the shorter, safer deadline is used. */
export const COMPLAINT_SLAS: Record<string, ComplaintSla> = {
  US: {
    rule: 'US.CFPB.COMPLAINT_SLA',
    jurisdiction: 'US',
    steps: [
      { name: 'respond', days: 15, unit: 'calendar' },
      { name: 'resolve', days: 60, unit: 'calendar' },
    ],
    source: 'CFPB guidance (practice, not statute)',
    confidence: 'med',
  },
  CN: {
    rule: 'CN.COMPLAINT',
    jurisdiction: 'CN',
    steps: [{ name: 'resolve', days: 15, unit: 'calendar' }],
    source: '银行业保险业消费投诉处理管理办法',
    confidence: 'med',
  },
  ES: {
    rule: 'ES.COMPLAINT',
    jurisdiction: 'ES',
    steps: [{ name: 'resolve', days: 15, unit: 'business' }],
    source: 'Ley 10/2025',
    confidence: 'med-high',
  },
  KR: {
    // Not in the rule catalog: about two weeks is the practice the product brief names; review with counsel.
    rule: 'KR.COMPLAINT',
    jurisdiction: 'KR',
    steps: [{ name: 'resolve', days: 14, unit: 'calendar' }],
    source: 'not in the rule catalog (product brief: about 14 days); confirm with counsel',
    confidence: 'unconfirmed',
  },
};

export interface ComplaintDeadline {
  name: SlaStep['name'];
  /** The last local day on which the step is on time. */
  due: DayNumber;
}

/**
 * The deadlines of a complaint received at `receivedAt`, counted from the next local day in `timeZone`
 * (the day of receipt is day 0). Business days skip Saturdays, Sundays and the given holidays.
 * An unknown jurisdiction is an error, never a default.
 *
 * @example complaintDeadlines('ES', new Date('2026-11-20T10:00:00Z'), 'Europe/Madrid').deadlines
 */
export function complaintDeadlines(
  jurisdiction: string,
  receivedAt: Date,
  timeZone: string,
  holidays: readonly DayNumber[] = [],
): { sla: ComplaintSla; deadlines: ComplaintDeadline[] } {
  const sla = COMPLAINT_SLAS[jurisdiction];
  if (!sla)
    throw new ArrearsError('invalid', `no complaint deadline is known for jurisdiction "${jurisdiction}"`);
  const received = todayIn(timeZone, receivedAt);
  const off = new Set(holidays);
  return {
    sla,
    deadlines: sla.steps.map((step) => ({
      name: step.name,
      due: step.unit === 'calendar' ? received + step.days : addBusinessDays(received, step.days, off),
    })),
  };
}

/** `day` + n business days: Monday to Friday, holidays excluded. Day 0 (1970-01-01) was a Thursday. */
export function addBusinessDays(
  day: DayNumber,
  n: number,
  holidays: ReadonlySet<DayNumber> = new Set(),
): DayNumber {
  let d = day;
  for (let left = n; left > 0;) {
    d++;
    const weekday = (((d + 3) % 7) + 7) % 7; // 0 = Monday … 6 = Sunday
    if (weekday < 5 && !holidays.has(d)) left--;
  }
  return d;
}
