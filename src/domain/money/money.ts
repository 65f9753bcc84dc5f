/**
 * Money is an integer count of the currency's minor unit (cents, fen, won…), never a float.
 * Rates are exact decimals held as a bigint numerator over a power of ten.
 */

const minorUnitsCache = new Map<string, number>();
const knownCurrencies = new Set<string>(Intl.supportedValuesOf('currency'));

/** True for an ISO 4217 code the runtime knows (upper case, three letters). */
export function isCurrency(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && knownCurrencies.has(code);
}

/** Number of decimals of the currency's minor unit per ISO 4217 (USD 2, KRW 0, …). */
export function minorUnits(currency: string): number {
  let digits = minorUnitsCache.get(currency);
  if (digits === undefined) {
    if (!isCurrency(currency)) throw new RangeError(`unknown currency "${currency}"`);
    digits =
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
      2;
    minorUnitsCache.set(currency, digits);
  }
  return digits;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; message: string };

const AMOUNT_RE = /^(\d{1,15})(?:\.(\d+))?$/;

/**
 * Parses a non-negative decimal string in major units ("1234.50") into minor units for the currency.
 * More decimals than the currency has are rejected rather than rounded: an import must not invent money.
 */
export function parseAmount(text: string, currency: string): ParseResult<number> {
  const m = AMOUNT_RE.exec(text);
  if (!m) {
    return {
      ok: false,
      message: text.trim().startsWith('-')
        ? `amount "${text}" is negative`
        : `amount "${text}" is not a decimal number like "1234.50"`,
    };
  }
  const digits = minorUnits(currency);
  const fraction = m[2] ?? '';
  if (fraction.length > digits) {
    return { ok: false, message: `amount "${text}" has more than ${digits} decimals for ${currency}` };
  }
  const minor = Number(m[1]! + fraction.padEnd(digits, '0'));
  if (!Number.isSafeInteger(minor)) return { ok: false, message: `amount "${text}" is too large` };
  return { ok: true, value: minor };
}

/** Formats minor units as a decimal string in major units: (123450, 'USD') → "1234.50"; (5000, 'KRW') → "5000". */
export function formatAmount(minor: number, currency: string): string {
  const digits = minorUnits(currency);
  const negative = minor < 0;
  const abs = String(Math.abs(minor));
  if (digits === 0) return (negative ? '-' : '') + abs;
  const padded = abs.padStart(digits + 1, '0');
  return `${negative ? '-' : ''}${padded.slice(0, -digits)}.${padded.slice(-digits)}`;
}

/** An exact decimal rate: value = num / 10^scale. */
export interface Rate {
  readonly num: bigint;
  readonly scale: number;
}

const RATE_RE = /^(\d{1,6})(?:\.(\d{1,12}))?$/;

/** Whether `parseRate` accepts the text, without building the rate. */
export function isRateText(text: string): boolean {
  return RATE_RE.test(text);
}

/** Parses an annual rate given as a decimal fraction ("0.18" = 18 %). */
export function parseRate(text: string): ParseResult<Rate> {
  const m = RATE_RE.exec(text);
  if (!m) {
    return {
      ok: false,
      message: text.trim().startsWith('-')
        ? `rate "${text}" is negative`
        : `rate "${text}" is not a decimal fraction like "0.18"`,
    };
  }
  const fraction = m[2] ?? '';
  return { ok: true, value: { num: BigInt(m[1]! + fraction), scale: fraction.length } };
}

export function rateToString(rate: Rate): string {
  if (rate.scale === 0) return rate.num.toString();
  const padded = rate.num.toString().padStart(rate.scale + 1, '0');
  return `${padded.slice(0, -rate.scale)}.${padded.slice(-rate.scale)}`.replace(/\.?0+$/, '') || '0';
}

/** Percent text for people: {num:18n, scale:2} → "18%", 0.275 → "27.5%". */
export function rateToPercent(rate: Rate): string {
  const asPercent: Rate = { num: rate.num, scale: Math.max(0, rate.scale - 2) };
  const text =
    rate.scale >= 2
      ? rateToString(asPercent)
      : rateToString({ num: rate.num * 10n ** BigInt(2 - rate.scale), scale: 0 });
  return `${text}%`;
}

export function compareRates(a: Rate, b: Rate): number {
  const scale = Math.max(a.scale, b.scale);
  const an = a.num * 10n ** BigInt(scale - a.scale);
  const bn = b.num * 10n ** BigInt(scale - b.scale);
  return an < bn ? -1 : an > bn ? 1 : 0;
}

export function addRates(a: Rate, b: Rate): Rate {
  const scale = Math.max(a.scale, b.scale);
  return { num: a.num * 10n ** BigInt(scale - a.scale) + b.num * 10n ** BigInt(scale - b.scale), scale };
}

/** Integer division of non-negative bigints rounded half-up. */
export function divRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new RangeError('denominator must be positive');
  if (numerator < 0n) return -divRoundHalfUp(-numerator, denominator);
  return (numerator * 2n + denominator) / (denominator * 2n);
}
