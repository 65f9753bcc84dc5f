import type { Components } from '../delinquency/index.js';

/**
 * The order in which a settlement's forgiven amount is taken from what is outstanding: the costs first
 * (penalty, fees, interest), the capital last — the reverse of how a payment is applied, so what the
 * debtor paid is taken to have paid the principal first and the creditor forgives the charges first.
 */
export const WRITE_OFF_ORDER = ['penalty', 'fees', 'interest', 'principal'] as const;

/** The forgiven amount by component, in minor units; the four always add up to the amount forgiven. */
export type WriteOffParts = Components;

/** What a statement says is outstanding today, by component: the overdue charges and all principal left. */
export function outstandingOf(s: { overdue: Components; outstandingPrincipal: number }): Components {
  return {
    principal: s.outstandingPrincipal,
    interest: s.overdue.interest,
    fees: s.overdue.fees,
    penalty: s.overdue.penalty,
  };
}

/**
 * Splits `forgiven` over what is outstanding, component by component in `WRITE_OFF_ORDER`: no part is
 * negative, none exceeds what is outstanding of it, and the parts add up to `forgiven` exactly (integer
 * minor units, nothing rounded). Forgiving everything gives the outstanding amounts themselves.
 *
 * @example writeOffParts({ principal: 70_000, interest: 2_000, fees: 500, penalty: 1_200 }, 3_000)
 *   // { penalty: 1_200, fees: 500, interest: 1_300, principal: 0 }
 */
export function writeOffParts(outstanding: Components, forgiven: number): WriteOffParts {
  for (const c of WRITE_OFF_ORDER)
    if (!Number.isSafeInteger(outstanding[c]) || outstanding[c] < 0)
      throw new RangeError(`outstanding ${c} must be a whole number of minor units, not ${outstanding[c]}`);
  const total = WRITE_OFF_ORDER.reduce((sum, c) => sum + outstanding[c], 0);
  if (!Number.isSafeInteger(forgiven) || forgiven < 0 || forgiven > total)
    throw new RangeError(
      `the amount forgiven must be between 0 and the ${total} outstanding, not ${forgiven}`,
    );
  const parts: WriteOffParts = { principal: 0, interest: 0, fees: 0, penalty: 0 };
  let left = forgiven;
  for (const c of WRITE_OFF_ORDER) {
    const take = Math.min(outstanding[c], left);
    parts[c] = take;
    left -= take;
  }
  return parts;
}

/** The sum of the parts. */
export const writeOffTotal = (p: WriteOffParts) => p.principal + p.interest + p.fees + p.penalty;
