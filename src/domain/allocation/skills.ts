import { minorUnits } from '../money/index.js';

/** Overdue balance from which a case needs the `high_balance` skill, in major units of its currency. */
export const HIGH_BALANCE_MAJOR: Readonly<Record<string, number>> = {
  USD: 5_000,
  EUR: 5_000,
  CNY: 35_000,
  KRW: 7_000_000,
};
const DEFAULT_HIGH_BALANCE_MAJOR = 5_000;

/**
 * The skills a case needs from whoever works it: `legal` for a case in legal, `dispute` for a disputed one,
 * `high_balance` from the currency's threshold above. Other skills (e.g. `hardship`) are matched when a
 * later source (plans, hardship flags) asks for them.
 */
export function requiredSkills(c: { caseStatus: string; overdueMinor: number; currency: string }): string[] {
  const out: string[] = [];
  if (c.caseStatus === 'legal') out.push('legal');
  if (c.caseStatus === 'dispute') out.push('dispute');
  const major = HIGH_BALANCE_MAJOR[c.currency] ?? DEFAULT_HIGH_BALANCE_MAJOR;
  if (c.overdueMinor >= major * 10 ** minorUnits(c.currency)) out.push('high_balance');
  return out;
}
