import type { DayNumber } from '../calendar/index.js';
import { formatDay } from '../calendar/index.js';
import type { Rate } from '../money/index.js';
import {
  addRates,
  compareRates,
  divRoundHalfUp,
  formatAmount,
  minorUnits,
  rateToPercent,
} from '../money/index.js';
import type {
  AccountTerms,
  AdjustmentLine,
  Allocation,
  Bucket,
  Component,
  Components,
  InstallmentInput,
  InstallmentLine,
  InstallmentStatus,
  PaymentInput,
  PaymentLine,
  Statement,
  WriteOffInput,
} from './types.js';
import { DEFAULT_ALLOCATION_ORDER, DEFAULT_BUCKETS } from './types.js';

export interface StatementOptions {
  /** Build the plain-language `formula` lines (default true). The bulk snapshot turns this off for speed. */
  explain?: boolean;
  /**
   * Only the figures — DPD, bucket, overdue, outstanding principal, payoff, credit — with `installments`
   * empty, payments without their `allocations` and no formula (implies `explain: false`): the bulk paths
   * (snapshot, cycle) read nothing else, and the line objects were the statement's largest allocation.
   */
  summary?: boolean;
  /** Settlement write-offs recorded on the account; those after `asOf` are ignored, like payments. */
  writeOffs?: readonly WriteOffInput[];
}

/** Name of the bucket whose inclusive DPD range contains `dpd`. A gap in the configuration is a programming error. */
export function bucketFor(dpd: number, buckets: readonly Bucket[]): string {
  for (let i = 0; i < buckets.length; i++) {
    const b = buckets[i]!;
    if (dpd >= b.minDpd && (b.maxDpd === null || dpd <= b.maxDpd)) return b.name;
  }
  throw new RangeError(`no bucket covers ${dpd} days past due`);
}

/**
 * The statement of one account as of a date: penalty accrued on overdue principal only, payments allocated
 * oldest installment first, caps applied, DPD and bucket, and (unless `explain: false`) the formula lines a
 * debtor can follow. Payments received after `asOf` are ignored. Empty `allocationOrder` or `buckets` mean
 * the defaults.
 */
export function computeStatement(
  terms: AccountTerms,
  installments: readonly InstallmentInput[],
  payments: readonly PaymentInput[],
  asOf: DayNumber,
  options: StatementOptions = {},
): Statement {
  const summary = options.summary ?? false;
  const explain = !summary && (options.explain ?? true);
  const ledger = new Ledger(terms, sortedInstallments(installments), asOf, explain, summary);
  const received = receivedBy(payments, asOf);
  const paymentLines: PaymentLine[] = [];
  const writeOffs = options.writeOffs ?? [];
  if (writeOffs.length === 0) {
    for (let k = 0; k < received.length; k++) paymentLines.push(ledger.pay(received[k]!));
    return ledger.close(asOf, paymentLines, []);
  }
  // A write-off comes after the payments of its day: it forgives what they left.
  const adjustments: AdjustmentLine[] = [];
  const due = writeOffsBy(writeOffs, asOf);
  let w = 0;
  for (let k = 0; k < received.length; k++) {
    while (w < due.length && due[w]!.on < received[k]!.receivedOn)
      adjustments.push(ledger.writeOff(due[w++]!));
    paymentLines.push(ledger.pay(received[k]!));
  }
  while (w < due.length) adjustments.push(ledger.writeOff(due[w++]!));
  return ledger.close(asOf, paymentLines, adjustments);
}

/** Write-offs on or before the as-of date, in date order; amounts must be whole minor units. */
function writeOffsBy(list: readonly WriteOffInput[], asOf: DayNumber): WriteOffInput[] {
  for (const x of list)
    if (![x.principal, x.interest, x.fees, x.penalty].every(isAmount) || !Number.isInteger(x.on))
      throw new RangeError(`write-off ${x.ref}: amounts must be non-negative integers of minor units`);
  return list.filter((x) => x.on <= asOf).sort((a, b) => a.on - b.on);
}

// ---------------------------------------------------------------------------------------------------------

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const DAYS_PER_YEAR = 365n;

/** An annual rate applied per day: value × num / den, with den = 10^scale × 365. */
interface DailyRate {
  readonly rate: Rate;
  readonly num: bigint;
  readonly den: bigint;
  /** num and den as doubles when both are safe integers (fast path); NaN otherwise. */
  readonly numN: number;
  readonly denN: number;
}

const denominators: bigint[] = [];

function dailyRate(rate: Rate): DailyRate {
  const den = (denominators[rate.scale] ??= 10n ** BigInt(rate.scale) * DAYS_PER_YEAR);
  const fast = rate.num <= MAX_SAFE && den * 2n <= MAX_SAFE;
  return { rate, num: rate.num, den, numN: fast ? Number(rate.num) : NaN, denN: fast ? Number(den) : NaN };
}

/**
 * Exact sums of amount × days. A slot stays a double while it is a safe integer (exact, and far cheaper than
 * bigint over a million accounts) and spills into a bigint once it would not be.
 */
class ExactSums {
  private readonly small: number[];
  private big: bigint[] | null = null;

  constructor(size: number) {
    this.small = new Array<number>(size).fill(0);
  }

  add(slot: number, amount: number, days: number): void {
    const sum = this.small[slot]! + amount * days;
    if (Number.isSafeInteger(sum)) {
      this.small[slot] = sum;
      return;
    }
    const big = (this.big ??= new Array<bigint>(this.small.length).fill(0n));
    big[slot] = big[slot]! + BigInt(this.small[slot]!) + BigInt(amount) * BigInt(days);
    this.small[slot] = 0;
  }

  /** round half-up (sum × rate / 365) in minor units. */
  apply(slot: number, rate: DailyRate): number {
    const small = this.small[slot]!;
    const big = this.big === null ? 0n : this.big[slot]!;
    if (big === 0n) {
      const x = small * rate.numN;
      if (Number.isSafeInteger(x)) {
        const rest = x % rate.denN;
        const q = (x - rest) / rate.denN;
        return rest * 2 >= rate.denN ? q + 1 : q;
      }
    }
    return Number(divRoundHalfUp((BigInt(small) + big) * rate.num, rate.den));
  }
}

function sortedInstallments(list: readonly InstallmentInput[]): readonly InstallmentInput[] {
  for (let i = 0; i < list.length; i++) {
    const x = list[i]!;
    if (!isAmount(x.principal) || !isAmount(x.interest) || !isAmount(x.fees) || !Number.isInteger(x.due)) {
      throw new RangeError(`installment ${x.seq}: amounts must be non-negative integers of minor units`);
    }
  }
  for (let i = 1; i < list.length; i++) {
    const a = list[i - 1]!;
    const b = list[i]!;
    if (a.due > b.due || (a.due === b.due && a.seq > b.seq)) {
      return [...list].sort((x, y) => x.due - y.due || x.seq - y.seq);
    }
  }
  return list;
}

/** Payments on or before the as-of date, ordered by receipt date (the sort is stable, keeping input order). */
function receivedBy(list: readonly PaymentInput[], asOf: DayNumber): readonly PaymentInput[] {
  let sorted = true;
  let all = true;
  for (let i = 0; i < list.length; i++) {
    const p = list[i]!;
    if (!isAmount(p.amount) || p.amount === 0 || !Number.isInteger(p.receivedOn)) {
      throw new RangeError(`payment ${p.ref}: amount must be a positive integer of minor units`);
    }
    if (p.receivedOn > asOf) all = false;
    if (i > 0 && list[i - 1]!.receivedOn > p.receivedOn) sorted = false;
  }
  const kept = all ? list : list.filter((p) => p.receivedOn <= asOf);
  return sorted ? kept : [...kept].sort((a, b) => a.receivedOn - b.receivedOn);
}

function isAmount(x: number): boolean {
  return Number.isSafeInteger(x) && x >= 0;
}

const COMPONENT_BIT: Record<Component, number> = { fees: 1, penalty: 2, interest: 4, principal: 8 };

function allocationOrder(order: readonly Component[]): readonly Component[] {
  if (order.length === 0) return DEFAULT_ALLOCATION_ORDER;
  let seen = 0;
  for (let i = 0; i < order.length; i++) seen |= COMPONENT_BIT[order[i]!] ?? 16;
  if (order.length !== 4 || seen !== 15) {
    throw new RangeError(`allocation order must list fees, penalty, interest and principal once each`);
  }
  return order;
}

interface PenaltyRate {
  rate: Rate;
  /** Set when a cap lowered the contract rate: the reason, for the formula. */
  lowered: string | null;
}

function effectivePenaltyRate(terms: AccountTerms): PenaltyRate {
  const { penaltyRateMax, penaltyMarginMax } = terms.caps;
  let rate = terms.penaltyRate;
  let lowered: string | null = null;
  if (penaltyRateMax && compareRates(penaltyRateMax, rate) < 0) {
    rate = penaltyRateMax;
    lowered = `the cap of ${rateToPercent(penaltyRateMax)}`;
  }
  if (penaltyMarginMax) {
    const ceiling = addRates(terms.interestRate, penaltyMarginMax);
    if (compareRates(ceiling, rate) < 0) {
      rate = ceiling;
      lowered =
        `the contract interest rate ${rateToPercent(terms.interestRate)} + ` +
        `${rateToPercent(penaltyMarginMax).slice(0, -1)} percentage points = ${rateToPercent(ceiling)}`;
    }
  }
  return { rate, lowered };
}

const WAIVER_ORDER = ['penalty', 'fees', 'interest'] as const;

/** The running state of one account, advanced payment by payment to the as-of date. */
class Ledger {
  private readonly inst: readonly InstallmentInput[];
  private readonly n: number;
  private readonly order: readonly Component[];
  private readonly penaltyOnInterest: boolean;
  private readonly penaltyRate: PenaltyRate;
  private readonly daily: DailyRate;

  private readonly paidP: number[];
  private readonly paidI: number[];
  private readonly paidF: number[];
  private readonly paidN: number[];
  /** Σ overdue base × days per installment, and its rounded value (recomputed only when `stale`). */
  private readonly accrual: ExactSums;
  private readonly accrued: number[];
  private readonly stale: boolean[];
  private accruedThrough = Number.NEGATIVE_INFINITY;
  /** Installments before this one have nothing left that can bear penalty. */
  private firstLive = 0;
  private principalLeft = 0;
  private readonly principalTotal: number;

  // Settlement write-offs (null until the first): what was forgiven per installment and component, and the
  // day the contract ended (no charge falls due after it beyond what was paid).
  private woP: number[] | null = null;
  private woI: number[] | null = null;
  private woF: number[] | null = null;
  private woN: number[] | null = null;
  private settledOn = Number.POSITIVE_INFINITY;

  // Annual cost cap (null when not configured).
  private readonly cap: DailyRate | null;
  private readonly allowance: ExactSums | null;
  private allowanceThrough: number;
  private readonly waivedN: number[] | null;
  private readonly waivedF: number[] | null;
  private readonly waivedI: number[] | null;
  private waived = 0;
  private charges = 0;
  private allowed = 0;
  /** How much more a payment may pay of charges not yet fallen due without breaking the cap. */
  private headroom = Number.POSITIVE_INFINITY;

  // Explanation (null when explain is off).
  private readonly currency: string;
  private readonly lines: string[] | null;
  /** Per installment: flat [base, from, to, …] segments with a constant penalty base. */
  private readonly segments: number[][] | null;
  private readonly allowanceSegments: number[] | null;
  private readonly capRule: string;

  constructor(
    private readonly terms: AccountTerms,
    inst: readonly InstallmentInput[],
    asOf: DayNumber,
    explain: boolean,
    /** Only the figures: no installment lines (see StatementOptions.summary). */
    private readonly summary = false,
  ) {
    const n = inst.length;
    this.inst = inst;
    this.n = n;
    this.currency = terms.currency;
    minorUnits(terms.currency); // throws on an unknown currency even when nothing is formatted
    this.order = allocationOrder(terms.allocationOrder);
    this.penaltyOnInterest = terms.penaltyOnInterest;
    this.penaltyRate = effectivePenaltyRate(terms);
    this.daily = dailyRate(this.penaltyRate.rate);
    this.paidP = new Array<number>(n).fill(0);
    this.paidI = new Array<number>(n).fill(0);
    this.paidF = new Array<number>(n).fill(0);
    this.paidN = new Array<number>(n).fill(0);
    this.accrual = new ExactSums(n);
    this.accrued = new Array<number>(n).fill(0);
    this.stale = new Array<boolean>(n).fill(false);
    let total = 0;
    for (let i = 0; i < n; i++) total += inst[i]!.principal;
    this.principalTotal = total;
    this.principalLeft = total;

    const capRate = terms.caps.annualCostRateMax;
    this.cap = capRate ? dailyRate(capRate) : null;
    this.allowance = capRate ? new ExactSums(1) : null;
    this.allowanceThrough = terms.openedOn;
    this.waivedN = capRate ? new Array<number>(n).fill(0) : null;
    this.waivedF = capRate ? new Array<number>(n).fill(0) : null;
    this.waivedI = capRate ? new Array<number>(n).fill(0) : null;
    this.capRule = terms.caps.source ?? 'annual cost cap';

    this.lines = explain ? [] : null;
    this.segments = explain ? Array.from({ length: n }, () => []) : null;
    this.allowanceSegments = explain && capRate ? [] : null;
    if (this.lines) this.lines.push(...this.rateLines(asOf));
  }

  pay(payment: PaymentInput): PaymentLine {
    const day = payment.receivedOn;
    this.accrueTo(day);
    if (this.cap) this.applyCap(day, `before allocating payment ${payment.ref}`);
    if (this.lines) this.explainPenaltiesAt(day);

    const inst = this.inst;
    const order = this.order;
    const allocations: Allocation[] = [];
    const parts: string[] | null = this.lines ? [] : null;
    let left = payment.amount;
    for (let i = 0; i < this.n && left > 0; i++) {
      const x = inst[i]!;
      const notDue = x.due > day;
      const start = allocations.length;
      for (let c = 0; c < 4 && left > 0; c++) {
        const component = order[c]!;
        let owed = this.owed(i, component);
        if (owed <= 0) continue;
        const limited = notDue && this.cap !== null && (component === 'interest' || component === 'fees');
        if (limited && owed > this.headroom) owed = this.headroom;
        const amount = owed < left ? owed : left;
        if (amount <= 0) continue;
        this.record(i, component, amount);
        if (limited) this.headroom -= amount;
        left -= amount;
        if (!this.summary) allocations.push({ seq: x.seq, component, amount });
      }
      if (parts && allocations.length > start) {
        const what = allocations.slice(start).map((a) => `${this.fmt(a.amount)} ${a.component}`);
        parts.push(`${what.join(', ')} to installment ${x.seq}`);
      }
    }
    while (this.firstLive < this.n && this.base(this.firstLive) === 0) this.firstLive++;

    if (this.lines && parts) {
      if (left > 0) parts.push(`${this.fmt(left)} unapplied (credit)`);
      this.lines.push(
        `Payment ${payment.ref} of ${this.fmt(payment.amount)} on ${formatDay(day)}: ` +
          (parts.length > 0 ? parts.join('; ') : 'nothing owed'),
      );
    }
    return { ref: payment.ref, receivedOn: day, amount: payment.amount, allocations, unapplied: left };
  }

  /**
   * Forgives the recorded amounts, component by component, oldest installment first — interest and fees
   * only where they have fallen due, principal wherever it is left — and ends the contract on that day.
   */
  writeOff(w: WriteOffInput): AdjustmentLine {
    const day = w.on;
    this.accrueTo(day);
    if (this.cap) this.applyCap(day, `before the write-off ${w.ref}`);
    const n = this.n;
    const woP = (this.woP ??= new Array<number>(n).fill(0));
    const woI = (this.woI ??= new Array<number>(n).fill(0));
    const woF = (this.woF ??= new Array<number>(n).fill(0));
    const woN = (this.woN ??= new Array<number>(n).fill(0));
    let unapplied = 0;
    for (const component of ['penalty', 'fees', 'interest', 'principal'] as const) {
      let left = w[component];
      const into =
        component === 'principal' ? woP : component === 'interest' ? woI : component === 'fees' ? woF : woN;
      for (let i = 0; i < n && left > 0; i++) {
        if (component !== 'principal' && this.inst[i]!.due > day) break;
        const take = Math.min(this.owed(i, component), left);
        if (take <= 0) continue;
        into[i] = into[i]! + take;
        if (component === 'principal') this.principalLeft -= take;
        left -= take;
      }
      unapplied += left;
    }
    this.settledOn = Math.min(this.settledOn, day);
    while (this.firstLive < n && this.base(this.firstLive) === 0) this.firstLive++;
    const amounts = { principal: w.principal, interest: w.interest, fees: w.fees, penalty: w.penalty };
    const total = w.principal + w.interest + w.fees + w.penalty;
    if (this.lines) {
      const f = (x: number) => this.fmt(x);
      this.lines.push(
        `Settlement write-off ${w.ref} on ${formatDay(day)}: the creditor forgave penalty ${f(w.penalty)} + ` +
          `fees ${f(w.fees)} + interest ${f(w.interest)} + principal ${f(w.principal)} = ${f(total)}` +
          (unapplied > 0 ? ` (${f(unapplied)} of it found nothing outstanding)` : '') +
          `; the contract ended that day, so nothing accrues after it and installments due later are not ` +
          `charged interest or fees beyond what was paid`,
      );
    }
    return { kind: 'settlement_write_off', ref: w.ref, on: day, amounts, total, unapplied };
  }

  close(asOf: DayNumber, payments: PaymentLine[], adjustments: AdjustmentLine[]): Statement {
    this.accrueTo(asOf);
    if (this.cap) this.applyCap(asOf, null);

    const inst = this.inst;
    const lines: InstallmentLine[] = [];
    const overdue = { principal: 0, interest: 0, fees: 0, penalty: 0, total: 0 };
    let notDuePrincipal = 0;
    let outstandingPrincipal = 0;
    let dpd = 0;
    let oldestUnpaid = -1;
    const woP = this.woP;
    for (let i = 0; i < this.n; i++) {
      const x = inst[i]!;
      const lapsed = x.due > this.settledOn;
      // Scalars first: a summary (the bulk paths) needs no objects per installment.
      const chargedI = lapsed ? this.paidI[i]! : x.interest - (this.waivedI?.[i] ?? 0);
      const chargedF = lapsed ? this.paidF[i]! : x.fees - (this.waivedF?.[i] ?? 0);
      const chargedN = this.penaltyAccrued(i) - (this.waivedN?.[i] ?? 0);
      const outP = x.principal - this.paidP[i]! - (woP ? woP[i]! : 0);
      const outI = chargedI - this.paidI[i]! - (woP ? this.woI![i]! : 0);
      const outF = chargedF - this.paidF[i]! - (woP ? this.woF![i]! : 0);
      const outN = chargedN - this.paidN[i]! - (woP ? this.woN![i]! : 0);
      const unpaid = outP + outI + outF + outN;
      let status: InstallmentStatus;
      if (unpaid === 0) status = 'paid';
      else if (x.due < asOf) status = 'overdue';
      else if (x.due === asOf) status = 'due_today';
      else status = 'not_due';
      const daysPastDue = status === 'overdue' ? asOf - x.due : 0;
      if (unpaid > 0 && oldestUnpaid < 0) {
        oldestUnpaid = i;
        dpd = daysPastDue;
      }
      if (x.due <= asOf) {
        overdue.principal += outP;
        overdue.interest += outI;
        overdue.fees += outF;
        overdue.penalty += outN;
      } else {
        notDuePrincipal += outP;
      }
      outstandingPrincipal += outP;
      if (this.summary) continue;
      const charged: Components = {
        principal: x.principal,
        interest: chargedI,
        fees: chargedF,
        penalty: chargedN,
      };
      const paid: Components = {
        principal: this.paidP[i]!,
        interest: this.paidI[i]!,
        fees: this.paidF[i]!,
        penalty: this.paidN[i]!,
      };
      const outstanding: Components = { principal: outP, interest: outI, fees: outF, penalty: outN };
      lines.push(
        woP
          ? {
              seq: x.seq,
              due: x.due,
              charged,
              paid,
              writtenOff: {
                principal: woP[i]!,
                interest: this.woI![i]!,
                fees: this.woF![i]!,
                penalty: this.woN![i]!,
              },
              outstanding,
              status,
              daysPastDue,
            }
          : { seq: x.seq, due: x.due, charged, paid, outstanding, status, daysPastDue },
      );
    }
    overdue.total = overdue.principal + overdue.interest + overdue.fees + overdue.penalty;
    let credit = 0;
    for (let k = 0; k < payments.length; k++) credit += payments[k]!.unapplied;
    const buckets = this.terms.buckets.length > 0 ? this.terms.buckets : DEFAULT_BUCKETS;
    const bucket = bucketFor(dpd, buckets);
    const payoff = overdue.total + notDuePrincipal;

    const formula = this.lines ?? [];
    if (this.lines) {
      const f = (x: number) => this.fmt(x);
      for (let i = 0; i < this.n; i++) formula.push(this.penaltyLine(i, asOf, lines[i]!));
      if (this.cap) formula.push(this.capLine(asOf, null));
      formula.push(
        `Overdue (installments due on or before ${formatDay(asOf)}): principal ${f(overdue.principal)} + ` +
          `interest ${f(overdue.interest)} + fees ${f(overdue.fees)} + penalty ${f(overdue.penalty)} = ${f(overdue.total)}`,
        this.woP
          ? `Principal not yet repaid = ${f(this.principalTotal)} scheduled − ` +
              `${f(this.paidP.reduce((a, b) => a + b, 0))} repaid − ${f(this.woP.reduce((a, b) => a + b, 0))} ` +
              `written off = ${f(outstandingPrincipal)}`
          : `Principal not yet repaid = ${f(this.principalTotal)} scheduled − ` +
              `${f(this.principalTotal - outstandingPrincipal)} repaid = ${f(outstandingPrincipal)}`,
        `Payoff today = overdue ${f(overdue.total)} + principal not yet due ${f(notDuePrincipal)} = ${f(payoff)}` +
          ` (interest of installments not yet due is not owed early)`,
      );
      if (credit > 0)
        formula.push(`Credit from overpayment = ${f(credit)}, held for the debtor and not applied`);
      if (dpd > 0) {
        const due = inst[oldestUnpaid]!.due;
        formula.push(
          `Days past due = ${formatDay(asOf)} − ${formatDay(due)} (due date of installment ` +
            `${inst[oldestUnpaid]!.seq}, the oldest unpaid) = ${dpd}`,
        );
      } else if (oldestUnpaid >= 0) {
        formula.push(
          `Days past due = 0 (the oldest unpaid installment, ${inst[oldestUnpaid]!.seq}, is not past due)`,
        );
      } else {
        formula.push(`Days past due = 0 (nothing unpaid)`);
      }
      formula.push(`Bucket = ${bucket} (${describeBucket(buckets.find((b) => b.name === bucket)!)})`);
    }

    return {
      asOf,
      currency: this.currency,
      dpd,
      bucket,
      overdue,
      outstandingPrincipal,
      payoff,
      credit,
      installments: lines,
      payments,
      adjustments,
      capReduction: this.waived > 0 ? { amount: this.waived, rule: this.capRule } : null,
      formula,
    };
  }

  /** Penalty base of installment i: unpaid principal, plus unpaid interest when the contract says so. */
  private base(i: number): number {
    const x = this.inst[i]!;
    const principal = x.principal - this.paidP[i]! - (this.woP?.[i] ?? 0);
    if (!this.penaltyOnInterest) return principal;
    // Interest of an installment that lapsed with a settlement bears no penalty.
    if (x.due > this.settledOn) return principal;
    return principal + x.interest - this.paidI[i]! - (this.woI?.[i] ?? 0);
  }

  /** Accrues penalty for days (accruedThrough, day], each on the balance left at the end of the previous day. */
  private accrueTo(to: DayNumber): void {
    // Nothing accrues after a settlement write-off: the contract ended that day.
    const day = to > this.settledOn ? this.settledOn : to;
    if (day > this.accruedThrough) {
      const inst = this.inst;
      for (let i = this.firstLive; i < this.n; i++) {
        const due = inst[i]!.due;
        if (due >= day) break;
        const from = this.accruedThrough > due ? this.accruedThrough : due;
        const base = this.base(i);
        if (base <= 0) continue;
        this.accrual.add(i, base, day - from);
        this.stale[i] = true;
        if (this.segments) pushSegment(this.segments[i]!, base, from + 1, day);
      }
      this.accruedThrough = day;
    }
    if (this.allowance && day > this.allowanceThrough) {
      const from = this.allowanceThrough;
      this.allowance.add(0, this.principalLeft, day - from);
      if (this.allowanceSegments) pushSegment(this.allowanceSegments, this.principalLeft, from + 1, day);
      this.allowanceThrough = day;
    }
  }

  /** Rounded penalty accrued so far on installment i (before any cap waiver). */
  private penaltyAccrued(i: number): number {
    if (this.stale[i]) {
      this.accrued[i] = this.accrual.apply(i, this.daily);
      this.stale[i] = false;
    }
    return this.accrued[i]!;
  }

  private owed(i: number, component: Component): number {
    const x = this.inst[i]!;
    // After a settlement write-off, the interest and fees of installments due later are never charged.
    const lapsed = x.due > this.settledOn;
    switch (component) {
      case 'principal':
        return x.principal - this.paidP[i]! - (this.woP?.[i] ?? 0);
      case 'interest':
        return lapsed ? 0 : x.interest - (this.waivedI?.[i] ?? 0) - this.paidI[i]! - (this.woI?.[i] ?? 0);
      case 'fees':
        return lapsed ? 0 : x.fees - (this.waivedF?.[i] ?? 0) - this.paidF[i]! - (this.woF?.[i] ?? 0);
      case 'penalty':
        return this.penaltyAccrued(i) - (this.waivedN?.[i] ?? 0) - this.paidN[i]! - (this.woN?.[i] ?? 0);
    }
  }

  private record(i: number, component: Component, amount: number): void {
    switch (component) {
      case 'principal':
        this.paidP[i] = this.paidP[i]! + amount;
        this.principalLeft -= amount;
        break;
      case 'interest':
        this.paidI[i] = this.paidI[i]! + amount;
        break;
      case 'fees':
        this.paidF[i] = this.paidF[i]! + amount;
        break;
      case 'penalty':
        this.paidN[i] = this.paidN[i]! + amount;
        break;
    }
  }

  /**
   * Waives whatever the charges at `day` exceed the annual-cost allowance by: unpaid penalty first, then fees,
   * then interest, newest installment first. Charges are what has fallen due plus what was paid early on
   * installments not yet due, so everything ever paid stays within the allowance and the waiver always finds
   * enough unpaid charges to take from.
   */
  private applyCap(day: DayNumber, context: string | null): void {
    // A settled contract's charges no longer change: the waiver stays as it was on the settlement day.
    if (this.woP !== null) return;
    const inst = this.inst;
    const waivedN = this.waivedN!;
    const waivedF = this.waivedF!;
    const waivedI = this.waivedI!;
    let charges = 0;
    let lastDue = -1;
    for (let i = 0; i < this.n; i++) {
      const x = inst[i]!;
      waivedN[i] = 0;
      waivedF[i] = 0;
      waivedI[i] = 0;
      if (x.due <= day) {
        charges += x.interest + x.fees + this.penaltyAccrued(i);
        lastDue = i;
      } else {
        charges += this.paidI[i]! + this.paidF[i]!;
      }
    }
    const allowed = this.allowance!.apply(0, this.cap!);
    let excess = charges > allowed ? charges - allowed : 0;
    for (let w = 0; w < WAIVER_ORDER.length && excess > 0; w++) {
      const component = WAIVER_ORDER[w]!;
      const into = component === 'penalty' ? waivedN : component === 'fees' ? waivedF : waivedI;
      for (let i = lastDue; i >= 0 && excess > 0; i--) {
        const take = Math.min(this.owed(i, component), excess);
        if (take > 0) {
          into[i] = take;
          excess -= take;
        }
      }
    }
    const waived = (charges > allowed ? charges - allowed : 0) - excess;
    this.charges = charges;
    this.allowed = allowed;
    this.waived = waived;
    this.headroom = Math.max(0, allowed - (charges - waived));
    if (this.lines && context !== null && waived > 0) this.lines.push(this.capLine(day, context));
  }

  // --- explanation ----------------------------------------------------------------------------------------

  private fmt(minor: number): string {
    return formatAmount(minor, this.currency);
  }

  private rateLines(asOf: DayNumber): string[] {
    const { rate, lowered } = this.penaltyRate;
    const on = this.penaltyOnInterest ? 'overdue principal and overdue interest' : 'overdue principal only';
    const lines = [`Statement as of ${formatDay(asOf)}, amounts in ${this.currency}`];
    if (lowered) {
      lines.push(
        `Penalty rate = ${rateToPercent(rate)} a year: the contract's ${rateToPercent(this.terms.penaltyRate)} ` +
          `is lowered to ${lowered} (${this.terms.caps.source ?? 'configured cap'})`,
      );
    }
    lines.push(
      `Penalty interest: ${rateToPercent(rate)} a year on ${on}, for each day after the due date ` +
        `(principal not yet due bears none); a payment reduces the balance from the day after it is received`,
    );
    return lines;
  }

  /** Penalty owed at a payment date, so the allocation line can be checked. */
  private explainPenaltiesAt(day: DayNumber): void {
    for (let i = 0; i < this.n && this.inst[i]!.due < day; i++) {
      const owed = this.owed(i, 'penalty');
      if (owed <= 0) continue;
      const accrued = this.penaltyAccrued(i);
      const paid = this.paidN[i]!;
      const waived = this.waivedN?.[i] ?? 0;
      let text = `Penalty owed on ${formatDay(day)}, installment ${this.inst[i]!.seq}: ${this.penaltyTerms(i, day)} = ${this.fmt(accrued)}`;
      if (waived > 0) text += ` − ${this.fmt(waived)} waived by the cap`;
      if (paid > 0) text += ` − ${this.fmt(paid)} already paid`;
      if (waived > 0 || paid > 0) text += ` = ${this.fmt(owed)}`;
      this.lines!.push(text);
    }
  }

  private penaltyLine(i: number, asOf: DayNumber, line: InstallmentLine): string {
    const x = this.inst[i]!;
    const head = `Installment ${x.seq} (due ${formatDay(x.due)}): `;
    if (x.due > asOf) {
      const principal = x.principal - this.paidP[i]!;
      return head + `not yet due, so no penalty on its ${this.fmt(principal)} unpaid principal`;
    }
    if (x.due === asOf) return head + 'due today, no penalty yet';
    if (this.segments![i]!.length === 0)
      return head + `no ${this.baseLabel()} left after the due date, so no penalty`;
    const accrued = this.penaltyAccrued(i);
    let text = head + `penalty = ${this.penaltyTerms(i, asOf)} = ${this.fmt(accrued)}`;
    const waived = this.waivedN?.[i] ?? 0;
    if (waived > 0) text += ` − ${this.fmt(waived)} waived by the cap = ${this.fmt(line.charged.penalty)}`;
    return text + `; ${this.fmt(line.paid.penalty)} paid, ${this.fmt(line.outstanding.penalty)} owed`;
  }

  private baseLabel(): string {
    return this.penaltyOnInterest ? 'unpaid principal and interest' : 'unpaid principal';
  }

  private penaltyTerms(i: number, through: DayNumber): string {
    const label = this.baseLabel();
    const segs = [...this.segments![i]!];
    const end = segs.length > 0 ? segs[segs.length - 1]! : this.inst[i]!.due;
    if (end < through) pushSegment(segs, 0, end + 1, through);
    return this.segmentTerms(segs, label, rateToPercent(this.penaltyRate.rate));
  }

  private segmentTerms(segs: readonly number[], label: string, percent: string): string {
    const parts: string[] = [];
    for (let s = 0; s < segs.length; s += 3) {
      const [base, from, to] = [segs[s]!, segs[s + 1]!, segs[s + 2]!];
      const days = to - from + 1;
      const span = from === to ? formatDay(from) : `${formatDay(from)} to ${formatDay(to)}`;
      parts.push(
        `${this.fmt(base)} ${label} × ${percent} ÷ 365 × ${days} day${days === 1 ? '' : 's'} (${span})`,
      );
    }
    return parts.join(' + ');
  }

  private capLine(day: DayNumber, context: string | null): string {
    const f = (x: number) => this.fmt(x);
    const segs = this.allowanceSegments!;
    const allowance =
      segs.length > 0
        ? `${this.segmentTerms(segs, 'principal outstanding', rateToPercent(this.cap!.rate))} = `
        : '';
    const head =
      `Annual cost cap on ${formatDay(day)} (${this.capRule}): allowance = ${allowance}${f(this.allowed)}; ` +
      `charges fallen due (interest, fees, penalty) = ${f(this.charges)}`;
    if (this.waived === 0) return `${head}, within the allowance`;
    const by: string[] = [];
    for (const [name, arr] of [
      ['penalty', this.waivedN!],
      ['fees', this.waivedF!],
      ['interest', this.waivedI!],
    ] as const) {
      const sum = arr.reduce((a, b) => a + b, 0);
      if (sum > 0) by.push(`${f(sum)} ${name}`);
    }
    return (
      `${head}; excess ${f(this.charges)} − ${f(this.allowed)} = ${f(this.waived)} waived` +
      `${context ? ` ${context}` : ''} (${by.join(', ')})`
    );
  }
}

/** Appends a [base, from, to] segment, extending the previous one when the base did not change. */
function pushSegment(segs: number[], base: number, from: number, to: number): void {
  const n = segs.length;
  if (n > 0 && segs[n - 3] === base && segs[n - 1]! + 1 === from) segs[n - 1] = to;
  else segs.push(base, from, to);
}

function describeBucket(b: Bucket): string {
  if (b.maxDpd === null) return `${b.minDpd} or more days past due`;
  if (b.minDpd === b.maxDpd) return `${b.minDpd} days past due`;
  return `${b.minDpd}–${b.maxDpd} days past due`;
}
