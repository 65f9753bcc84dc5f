import type { DayNumber } from '../calendar/index.js';
import {
  computeStatement,
  type AccountTerms,
  type InstallmentInput,
  type PaymentInput,
} from '../delinquency/index.js';
import { Rng } from '../random/index.js';
import {
  CHANNELS,
  planAccount,
  type AccountFacts,
  type Channel,
  type PastAction,
  type PlannedStep,
  type Strategy,
} from '../strategy/index.js';

/** One account as the simulator sees it: the contract and what was paid before the first simulated day. */
export interface SimAccount {
  ref: string;
  jurisdiction: string;
  creditor: string;
  product: string;
  terms: AccountTerms;
  installments: InstallmentInput[];
  payments: PaymentInput[];
  contactable: boolean;
  score: number | null;
  /** The debtor's IANA time zone and phone (E.164), for the gate. */
  timezone: string;
  phone: string | null;
}

/**
 * How simulated debtors respond. Probabilities per day; a contact lifts the chance of paying for a few days.
 * The defaults are round, plausible figures for comparing strategies with each other, not a forecast.
 */
export interface BehaviourModel {
  /** Chance per day that a debtor in this bucket pays without having been contacted recently. */
  dailyPayChance: Record<string, number>;
  /** Multiplier on that chance for `liftDays` days after a contact through the channel reached the debtor. */
  lift: Record<Channel, number>;
  liftDays: number;
  /** Chance that a contact through the channel reaches the debtor (a call connects, a letter is read). */
  reach: Record<Channel, number>;
  /** Chance that a reached call or visit ends in a promise to pay within `promiseDays`. */
  promiseChance: number;
  promiseDays: number;
  promiseKeepChance: number;
  /** Share of payments that clear the whole overdue amount; the others pay `partialShare` of it. */
  fullPaymentShare: number;
  partialShare: number;
  /** Cost of one contact through the channel, in an arbitrary unit (say, US cents). */
  cost: Record<Channel, number>;
}

export const DEFAULT_BEHAVIOUR: BehaviourModel = {
  dailyPayChance: { M0: 0, M1: 0.02, M2: 0.012, M3: 0.008, M4: 0.005, M5: 0.004, M6: 0.003, 'M7+': 0.002 },
  lift: { sms: 1.8, email: 1.4, letter: 1.6, call: 3, visit: 4 },
  liftDays: 3,
  reach: { sms: 0.9, email: 0.6, letter: 0.8, call: 0.35, visit: 0.5 },
  promiseChance: 0.3,
  promiseDays: 7,
  promiseKeepChance: 0.6,
  fullPaymentShare: 0.6,
  partialShare: 0.4,
  cost: { sms: 5, email: 1, letter: 90, call: 150, visit: 2500 },
};

/** Whether a planned contact may happen, and which rules refused it. The compliance gate plugs in here. */
export type SimulationGate = (
  account: SimAccount,
  action: PlannedStep,
  day: DayNumber,
  history: readonly SimContact[],
) => { allowed: boolean; rules: string[] };

export interface SimContact {
  channel: Channel;
  day: DayNumber;
  reached: boolean;
}

export interface ArmReport {
  /** `strategy/segment/arm` (arm `-` when the segment does not split) where the account was first treated. */
  arm: string;
  accounts: number;
  /** Overdue when each account entered the arm, and recovered since, per currency, in minor units. */
  overdueAtStart: Record<string, number>;
  recovered: Record<string, number>;
  /** Share of that overdue recovered by each simulated day (with several currencies, the mean of their shares). */
  curve: number[];
  contacts: Record<Channel, number>;
  blocked: Record<string, number>;
  promises: { made: number; kept: number };
  cost: number;
}

export interface SimulationResult {
  start: DayNumber;
  days: number;
  accounts: number;
  arms: ArmReport[];
}

interface State {
  account: SimAccount;
  payments: PaymentInput[];
  actions: PastAction[];
  contacts: SimContact[];
  lastReachedOn: DayNumber | null;
  liftChannel: Channel | null;
  promise: { due: DayNumber; amount: number; keep: boolean } | null;
  promiseState: AccountFacts['promise'];
  lastKeptPromiseOn: DayNumber | null;
  report: ArmReport | null;
}

/**
 * Runs strategies over accounts day by day: each day every account's statement is computed with the real
 * engine, the strategy plans with the real `planAccount`, each action passes the gate, and the behaviour
 * model decides who is reached, who promises and who pays. Deterministic for a seed.
 */
export function simulate(
  accounts: readonly SimAccount[],
  strategyFor: (account: SimAccount) => Strategy,
  options: {
    start: DayNumber;
    days: number;
    seed?: number;
    behaviour?: BehaviourModel;
    gate?: SimulationGate;
  },
): SimulationResult {
  const model = options.behaviour ?? DEFAULT_BEHAVIOUR;
  const rng = new Rng(options.seed ?? 1);
  const reports = new Map<string, ArmReport>();
  const states: State[] = accounts.map((account) => ({
    account,
    payments: [...account.payments],
    actions: [],
    contacts: [],
    lastReachedOn: null,
    liftChannel: null,
    promise: null,
    promiseState: 'none',
    lastKeptPromiseOn: null,
    report: null,
  }));
  const seenOverdue = new Set<State>();
  for (let d = 0; d < options.days; d++) {
    const day = options.start + d;
    for (const s of states)
      simulateDay(s, day, d, strategyFor(s.account), model, rng, options.gate, reports, seenOverdue);
  }
  for (const r of reports.values()) {
    // Days before an arm's first account arrived carry the share forward from zero.
    for (let d = 0; d < options.days; d++) r.curve[d] ??= d > 0 ? (r.curve[d - 1] ?? 0) : 0;
  }
  return {
    start: options.start,
    days: options.days,
    accounts: accounts.length,
    arms: [...reports.values()].sort((a, b) => a.arm.localeCompare(b.arm)),
  };
}

function simulateDay(
  s: State,
  day: DayNumber,
  index: number,
  strategy: Strategy,
  model: BehaviourModel,
  rng: Rng,
  gate: SimulationGate | undefined,
  reports: Map<string, ArmReport>,
  seenOverdue: Set<State>,
) {
  const a = s.account;
  const st = computeStatement(a.terms, a.installments, s.payments, day, { summary: true });
  const overdue = st.overdue.total;
  settlePromise(s, day, overdue);
  const plan = planAccount(strategy, facts(s, st.dpd, st.bucket, overdue), s.actions, day);
  if (!s.report && plan.segment !== null && st.dpd > 0) {
    const key = `${plan.strategy}/${plan.segment}/${plan.arm ?? '-'}`;
    let r = reports.get(key);
    if (!r) reports.set(key, (r = emptyReport(key)));
    r.accounts++;
    s.report = r;
  }
  const r = s.report;
  if (r && !seenOverdue.has(s)) {
    seenOverdue.add(s);
    r.overdueAtStart[a.terms.currency] = (r.overdueAtStart[a.terms.currency] ?? 0) + overdue;
  }
  for (const action of plan.actions) {
    const decision = gate ? gate(a, action, day, s.contacts) : { allowed: true, rules: [] };
    if (!decision.allowed) {
      if (r) for (const rule of decision.rules) r.blocked[rule] = (r.blocked[rule] ?? 0) + 1;
      continue;
    }
    s.actions.push({ segment: plan.segment!, arm: plan.arm, step: action.step, on: day });
    const reached = rng.chance(model.reach[action.channel]);
    s.contacts.push({ channel: action.channel, day, reached });
    if (r) {
      r.contacts[action.channel]++;
      r.cost += model.cost[action.channel];
    }
    if (!reached) continue;
    s.lastReachedOn = day;
    s.liftChannel = action.channel;
    if (
      (action.channel === 'call' || action.channel === 'visit') &&
      !s.promise &&
      rng.chance(model.promiseChance)
    ) {
      const amount = Math.max(
        1,
        Math.round(overdue * (rng.chance(model.fullPaymentShare) ? 1 : model.partialShare)),
      );
      s.promise = { due: day + model.promiseDays, amount, keep: rng.chance(model.promiseKeepChance) };
      s.promiseState = 'active';
      if (r) r.promises.made++;
    }
  }
  if (overdue > 0) pay(s, day, overdue, st.bucket, model, rng);
  if (r) r.curve[index] = recoveredShare(r);
}

function pay(s: State, day: DayNumber, overdue: number, bucket: string, model: BehaviourModel, rng: Rng) {
  let amount = 0;
  if (s.promise?.keep && day >= s.promise.due - 1 && rng.chance(0.5)) {
    amount = Math.min(s.promise.amount, overdue);
  } else {
    const lifted = s.lastReachedOn !== null && day - s.lastReachedOn < model.liftDays && s.liftChannel;
    const chance = (model.dailyPayChance[bucket] ?? 0) * (lifted ? model.lift[lifted] : 1);
    if (rng.chance(chance))
      amount = rng.chance(model.fullPaymentShare) ? overdue : Math.round(overdue * model.partialShare);
  }
  if (amount <= 0) return;
  s.payments.push({ ref: `SIM-${day}`, receivedOn: day, amount });
  if (s.report) {
    const cur = s.account.terms.currency;
    s.report.recovered[cur] = (s.report.recovered[cur] ?? 0) + amount;
  }
}

/** A promise is judged on its due day: kept when the promised amount arrived since it was made. */
function settlePromise(s: State, day: DayNumber, overdue: number) {
  const p = s.promise;
  if (!p || day <= p.due) return;
  const paid = s.payments
    .filter((x) => x.receivedOn > p.due - 7 && x.receivedOn <= p.due)
    .reduce((t, x) => t + x.amount, 0);
  const kept = paid >= p.amount || overdue === 0;
  s.promiseState = kept ? 'kept' : 'broken';
  if (kept) {
    s.lastKeptPromiseOn = day;
    if (s.report) s.report.promises.kept++;
  }
  s.promise = null;
}

function facts(s: State, dpd: number, bucket: string, overdue: number): AccountFacts {
  const a = s.account;
  let lastPaymentOn: DayNumber | null = null;
  for (const p of s.payments)
    if (lastPaymentOn === null || p.receivedOn > lastPaymentOn) lastPaymentOn = p.receivedOn;
  return {
    ref: a.ref,
    jurisdiction: a.jurisdiction,
    creditor: a.creditor,
    product: a.product,
    currency: a.terms.currency,
    bucket,
    dpd,
    overdue,
    score: a.score,
    contactable: a.contactable,
    promise: s.promiseState,
    plan: 'none',
    disputed: false,
    ceaseRequested: false,
    lastPaymentOn,
    lastKeptPromiseOn: s.lastKeptPromiseOn,
  };
}

function emptyReport(arm: string): ArmReport {
  return {
    arm,
    accounts: 0,
    overdueAtStart: {},
    recovered: {},
    curve: [],
    contacts: Object.fromEntries(CHANNELS.map((c) => [c, 0])) as Record<Channel, number>,
    blocked: {},
    promises: { made: 0, kept: 0 },
    cost: 0,
  };
}

/** Recovered over starting overdue; with several currencies, the mean of each currency's share (no FX). */
function recoveredShare(r: ArmReport): number {
  const shares = Object.entries(r.overdueAtStart)
    .filter(([, start]) => start > 0)
    .map(([cur, start]) => (r.recovered[cur] ?? 0) / start);
  return shares.length === 0 ? 0 : shares.reduce((t, x) => t + x, 0) / shares.length;
}
