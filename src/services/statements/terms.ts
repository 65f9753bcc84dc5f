import type { DayNumber } from '../../domain/calendar/index.js';
import {
  DEFAULT_ALLOCATION_ORDER,
  DEFAULT_BUCKETS,
  type AccountTerms,
  type Caps,
} from '../../domain/delinquency/index.js';
import { parseRate, type Rate } from '../../domain/money/index.js';
import type { CapsJson, CreditorSettingsJson } from '../../store/index.js';

// A portfolio has few distinct rates and cap settings: parse each once. Rates and caps are immutable values.
const rates = new Map<string, Rate>();
const parsedCaps = new WeakMap<CapsJson, Caps>();
const NO_CAPS: Caps = Object.freeze({});

function rate(text: string): Rate {
  let value = rates.get(text);
  if (value === undefined) {
    const r = parseRate(text.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, ''));
    if (!r.ok) throw new RangeError(r.message);
    value = r.value;
    if (rates.size >= 10_000) rates.clear();
    rates.set(text, value);
  }
  return value;
}

function caps(json: CapsJson | undefined): Caps {
  if (!json) return NO_CAPS;
  let value = parsedCaps.get(json);
  if (value === undefined) parsedCaps.set(json, (value = parseCaps(json)));
  return value;
}

function parseCaps(json: CapsJson): Caps {
  return {
    ...(json.penaltyRateMax ? { penaltyRateMax: rate(json.penaltyRateMax) } : {}),
    ...(json.penaltyMarginMax ? { penaltyMarginMax: rate(json.penaltyMarginMax) } : {}),
    ...(json.annualCostRateMax ? { annualCostRateMax: rate(json.annualCostRateMax) } : {}),
    ...(json.source ? { source: json.source } : {}),
  };
}

export interface AccountRow {
  currency: string;
  principal: number;
  interest_rate: string;
  penalty_rate: string;
  penalty_on_interest: boolean;
  product: string;
}

/**
 * Combines an account with its creditor's settings: buckets, allocation order and caps (a product's
 * own caps replace the creditor-wide ones). Parsed settings are cached per creditor by the caller.
 */
export function termsFor(
  account: AccountRow,
  openedOn: DayNumber,
  settings: CreditorSettingsJson,
): AccountTerms {
  return {
    currency: account.currency,
    principal: account.principal,
    interestRate: rate(account.interest_rate),
    penaltyRate: rate(account.penalty_rate),
    openedOn,
    penaltyOnInterest: account.penalty_on_interest,
    allocationOrder: settings.allocationOrder ?? DEFAULT_ALLOCATION_ORDER,
    buckets: settings.buckets ?? DEFAULT_BUCKETS,
    caps: caps(settings.productCaps?.[account.product] ?? settings.caps),
  };
}
