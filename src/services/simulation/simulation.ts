import { toDay, type DayNumber } from '../../domain/calendar/index.js';
import { ArrearsError } from '../../domain/errors.js';
import { formatAmount, parseAmount } from '../../domain/money/index.js';
import {
  simulate,
  type SimAccount,
  type SimulationGate,
  type SimulationResult,
} from '../../domain/simulation/index.js';
import type { Strategy } from '../../domain/strategy/index.js';
import { generatePortfolio } from '../../demo/generate.js';
import type { CreditorSettingsJson, Store } from '../../store/index.js';
import { validateRecord, type ImportRecord } from '../import/index.js';
import { readOpenAccounts, termsFor } from '../statements/index.js';
import { DEFAULT_STRATEGY_JURISDICTIONS, defaultStrategyFile } from '../strategy/defaults.js';
import { readStrategyFile } from '../strategy/files.js';
import { loadActiveStrategies } from '../strategy/registry.js';

export interface SimulateOptions {
  asOf: string;
  days: number;
  /** At most this many accounts (the first by id, or generated). */
  accounts: number;
  seed: number;
  /** One strategy for every account; default: the active strategies, or when none is, the shipped defaults. */
  strategyFile?: string;
  gate?: { name: string; check: SimulationGate };
}

export interface SimulationReport extends SimulationResult {
  source: 'database' | 'generated';
  strategies: string[];
  /** Which gate judged the planned contacts: 'none' lets every planned contact through. */
  gate: string;
  /** Accounts left out because no strategy applies to their jurisdiction. */
  withoutStrategy: number;
}

/**
 * Runs a strategy over the portfolio in the database (or, when it is empty, a generated one) with the
 * simulated debtor behaviour, and reports recovery, contacts, blocks and cost per arm.
 */
export async function simulatePortfolio(store: Store, options: SimulateOptions): Promise<SimulationReport> {
  if (!Number.isInteger(options.days) || options.days < 1 || options.days > 730) {
    throw new ArrearsError('invalid', `--days must be a whole number from 1 to 730 (got ${options.days})`);
  }
  const start = toDay(options.asOf);
  const strategyFor = await strategies(store, options.strategyFile);
  let accounts = await fromDatabase(store, start, options.accounts);
  const source = accounts.length > 0 ? 'database' : 'generated';
  if (accounts.length === 0) accounts = generated(options.accounts, options.seed, options.asOf);
  const covered = accounts.filter((a) => strategyFor(a) !== null);
  const result = simulate(covered, (a) => strategyFor(a)!, {
    start,
    days: options.days,
    seed: options.seed,
    ...(options.gate ? { gate: options.gate.check } : {}),
  });
  const used = new Set(covered.map((a) => strategyFor(a)!).map((s) => `${s.name}@${s.version}`));
  return {
    ...result,
    source,
    strategies: [...used].sort(),
    gate: options.gate?.name ?? 'none',
    withoutStrategy: accounts.length - covered.length,
  };
}

/** The file's strategy for everyone; else the active strategies; else each jurisdiction's shipped default. */
async function strategies(
  store: Store,
  file: string | undefined,
): Promise<(a: SimAccount) => Strategy | null> {
  if (file) {
    const one = await readStrategyFile(file);
    return () => one;
  }
  const active = await loadActiveStrategies(store);
  if (active.count > 0) return (a) => active.forAccount(a);
  const byJurisdiction = new Map<string, Strategy>();
  for (const j of DEFAULT_STRATEGY_JURISDICTIONS)
    byJurisdiction.set(j, await readStrategyFile(defaultStrategyFile(j)));
  return (a) => byJurisdiction.get(a.jurisdiction) ?? null;
}

async function fromDatabase(store: Store, asOf: DayNumber, limit: number): Promise<SimAccount[]> {
  return store.transaction(async ({ sql }) => {
    const out: SimAccount[] = [];
    for await (const page of readOpenAccounts(sql, asOf)) {
      for (const a of page) {
        if (out.length >= limit) return out;
        out.push({
          ref: a.ref,
          jurisdiction: a.jurisdiction,
          creditor: a.creditor.ref,
          product: a.product,
          terms: a.terms,
          installments: a.installments,
          payments: a.payments,
          contactable: a.contactable,
          score: null,
          timezone: a.timezone,
          phone: a.phone,
        });
      }
    }
    return out;
  });
}

/** The demo generator's portfolio, validated by the import's own rules, as simulator accounts. */
function generated(count: number, seed: number, asOf: string): SimAccount[] {
  const creditors = new Map<string, { settings: CreditorSettingsJson }>();
  const debtors = new Map<
    string,
    { jurisdiction: string; contactable: boolean; timezone: string; phone: string | null }
  >();
  const accounts = new Map<string, SimAccount>();
  let line = 0;
  for (const raw of generatePortfolio({ accounts: count, seed, asOf })) {
    const checked = validateRecord(raw, ++line);
    if (!checked.ok) throw new ArrearsError('internal', `generated record ${line} is invalid`, checked);
    const r: ImportRecord = checked.record;
    switch (r.type) {
      case 'creditor':
        creditors.set(r.ref, { settings: r.settings });
        break;
      case 'debtor':
        debtors.set(r.ref, {
          jurisdiction: r.jurisdiction,
          contactable: r.phones.length + r.emails.length > 0,
          timezone: r.timezone,
          phone: r.phones[0]?.number ?? null,
        });
        break;
      case 'account': {
        const d = debtors.get(r.debtorRef)!;
        accounts.set(r.ref, {
          ref: r.ref,
          jurisdiction: d.jurisdiction,
          creditor: r.creditorRef,
          product: r.product,
          terms: termsFor(
            {
              currency: r.currency,
              principal: r.principal,
              interest_rate: r.interestRate,
              penalty_rate: r.penaltyRate,
              penalty_on_interest: r.penaltyOnInterest,
              product: r.product,
            },
            toDay(r.openedOn),
            creditors.get(r.creditorRef)!.settings,
          ),
          installments: r.installments.map((i, k) => ({
            seq: k + 1,
            due: toDay(i.due),
            principal: i.principal,
            interest: i.interest,
            fees: i.fees,
          })),
          payments: [],
          contactable: d.contactable,
          score: null,
          timezone: d.timezone,
          phone: d.phone,
        });
        break;
      }
      case 'payment': {
        const a = accounts.get(r.accountRef)!;
        const amount = parseAmount(r.amount, a.terms.currency);
        if (!amount.ok) throw new ArrearsError('internal', `generated payment ${r.ref}: ${amount.message}`);
        a.payments.push({ ref: r.ref, receivedOn: toDay(r.receivedOn), amount: amount.value });
        break;
      }
    }
  }
  return [...accounts.values()];
}

/** The stable JSON of `arrears simulate --json` (docs/cli.md): amounts as decimal strings per currency. */
export function simulationJson(r: SimulationReport) {
  const money = (m: Record<string, number>) =>
    Object.fromEntries(
      Object.entries(m)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([c, v]) => [c, formatAmount(v, c)]),
    );
  return {
    source: r.source,
    strategies: r.strategies,
    gate: r.gate,
    accounts: r.accounts,
    withoutStrategy: r.withoutStrategy,
    days: r.days,
    arms: r.arms.map((a) => ({
      arm: a.arm,
      accounts: a.accounts,
      overdueAtStart: money(a.overdueAtStart),
      recovered: money(a.recovered),
      recoveredShare: Number((a.curve.at(-1) ?? 0).toFixed(4)),
      curve: a.curve.map((v) => Number(v.toFixed(4))),
      contacts: a.contacts,
      blocked: a.blocked,
      promises: a.promises,
      cost: a.cost,
    })),
  };
}
