import { formatDay, localInstant, type DayNumber } from '../../domain/calendar/index.js';
import { computeStatement } from '../../domain/delinquency/index.js';
import { judgePromise, type PromiseTerms } from '../../domain/promises/index.js';
import { propensityOf } from '../../domain/scoring/index.js';
import {
  planAccount,
  type AccountFacts,
  type AccountPlan,
  type EscalationTarget,
  type PastAction,
  type Strategy,
} from '../../domain/strategy/index.js';
import type { ChannelName } from '../../store/index.js';
import type { GateFacts } from '../compliance/index.js';
import {
  toOpenAccount,
  type AccountRangeRow,
  type CreditorRow,
  type PageDebtor,
} from '../statements/accounts.js';

/** Mid-morning in the debtor's zone: when the cycle plans a contact, and when the gate first judges it. */
export const SEND_HOUR = 10;

/** Facts the page query reads beside the statement: holds, promises, plans. */
export interface PageExtras {
  history: Map<number, PastAction[]>;
  promises: Map<number, PromiseTerms[]>;
  plans: Map<number, AccountFacts['plan']>;
  holds: Map<number, { disputed: boolean; ceaseRequested: boolean }>;
}

/** One action the strategy wants today, before the gate has seen it. */
export interface Candidate {
  accountId: number;
  ref: string;
  channel: ChannelName;
  template: string;
  segment: string;
  arm: string | null;
  step: string;
  reason: string;
  strategy: string;
  version: number;
  /** 10:00 in the debtor's zone on the cycle day; null when the zone is unknown (the gate refuses it). */
  at: Date | null;
  idempotencyKey: string;
}

export interface EscalationCandidate {
  accountId: number;
  target: EscalationTarget;
  reason: string;
  strategy: string;
  version: number;
  segment: string;
}

export interface PagePlan {
  evaluated: number;
  /** Accounts with no treatment today, by reason. */
  suppressed: Record<string, number>;
  candidates: Candidate[];
  escalations: EscalationCandidate[];
}

/**
 * Plans one page of accounts: the statement engine gives DPD, bucket and the overdue amount, the scorecard
 * (src/domain/scoring) the propensity the strategy's `score` conditions read; the account's
 * strategy (creditor > jurisdiction > default) decides the steps due today from the account's path history.
 * Pure CPU work on rows already read.
 */
export function planPage(
  rows: readonly AccountRangeRow[],
  gateFacts: ReadonlyMap<number, GateFacts>,
  creditors: ReadonlyMap<number, CreditorRow>,
  extras: PageExtras,
  strategyFor: (a: { creditor: string; jurisdiction: string }) => Strategy | null,
  asOf: DayNumber,
): PagePlan {
  const out: PagePlan = { evaluated: 0, suppressed: {}, candidates: [], escalations: [] };
  const day = formatDay(asOf);
  const suppress = (reason: string) => (out.suppressed[reason] = (out.suppressed[reason] ?? 0) + 1);
  for (const row of rows) {
    out.evaluated++;
    const debtor = debtorOf(gateFacts.get(row.id));
    const a = toOpenAccount(row, creditors.get(row.creditor_id)!, debtor);
    const strategy = strategyFor({ creditor: a.creditor.ref, jurisdiction: a.jurisdiction });
    if (!strategy) {
      suppress('no active strategy for the account');
      continue;
    }
    const st = computeStatement(a.terms, a.installments, a.payments, asOf, { summary: true });
    const promise = promiseFacts(extras.promises.get(a.id), a.payments, asOf);
    const propensity = propensityOf({
      dpd: st.dpd,
      paymentsLast90Days: a.payments.filter((p) => p.receivedOn > asOf - 90).length,
      promisesKept: promise.kept,
      promisesBroken: promise.broken,
      hasPhone: a.phone !== null,
      hasEmail: debtor.has_email,
    });
    const hold = extras.holds.get(a.id);
    const facts: AccountFacts = {
      ref: a.ref,
      jurisdiction: a.jurisdiction,
      creditor: a.creditor.ref,
      product: a.product,
      currency: a.terms.currency,
      bucket: st.bucket,
      dpd: st.dpd,
      overdue: st.overdue.total,
      score: propensity,
      contactable: a.contactable,
      promise: promise.state,
      plan: extras.plans.get(a.id) ?? 'none',
      disputed: hold?.disputed ?? false,
      ceaseRequested: hold?.ceaseRequested ?? false,
      lastPaymentOn: a.payments.reduce<DayNumber | null>(
        (m, p) => (m === null || p.receivedOn > m ? p.receivedOn : m),
        null,
      ),
      lastKeptPromiseOn: promise.lastKeptOn,
    };
    const plan: AccountPlan = planAccount(strategy, facts, extras.history.get(a.id) ?? [], asOf);
    if (plan.segment !== null) {
      for (const e of plan.escalations) {
        out.escalations.push({
          accountId: a.id,
          target: e.to,
          reason: e.reason,
          strategy: plan.strategy,
          version: plan.version,
          segment: plan.segment,
        });
      }
    }
    if (plan.suppressed !== null) {
      suppress(plan.suppressed);
      continue;
    }
    if (plan.actions.length === 0) {
      suppress('no step due today');
      continue;
    }
    const at = localInstant(asOf, SEND_HOUR, a.timezone);
    for (const s of plan.actions) {
      out.candidates.push({
        accountId: a.id,
        ref: a.ref,
        channel: s.channel,
        template: s.template,
        segment: plan.segment!,
        arm: plan.arm,
        step: s.step,
        reason: s.reason,
        strategy: plan.strategy,
        version: plan.version,
        at,
        // One action per account, day and step, whatever strategy version is active when the cycle reruns.
        idempotencyKey: `cycle:${day}:${plan.segment}:${s.step}`,
      });
    }
  }
  return out;
}

/**
 * The debtor as the page needs it, from the gate's facts (read in the same transaction as the accounts, so
 * every open account has them; without, the account is planned as having no zone, which the gate refuses).
 */
function debtorOf(f: GateFacts | undefined): PageDebtor {
  const phone = f?.phones[0]?.number ?? null;
  const hasEmail = f?.hasEmail === true;
  return {
    jurisdiction: f?.jurisdiction ?? '',
    timezone: f?.timezone ?? '',
    phone,
    has_email: hasEmail,
    contactable: (f?.phones.length ?? 0) > 0 || hasEmail,
  };
}

/**
 * The strategy's promise fact from the account's promises: the newest one decides (pending → active, kept,
 * broken; partially kept counts as broken), and the day the last kept promise was kept (its last payment).
 */
function promiseFacts(
  promises: readonly PromiseTerms[] | undefined,
  payments: readonly { receivedOn: DayNumber; amount: number }[],
  asOf: DayNumber,
): { state: AccountFacts['promise']; lastKeptOn: DayNumber | null; kept: number; broken: number } {
  if (!promises || promises.length === 0) return { state: 'none', lastKeptOn: null, kept: 0, broken: 0 };
  let state: AccountFacts['promise'] = 'none';
  let lastKeptOn: DayNumber | null = null;
  let kept = 0;
  let broken = 0;
  for (const p of promises) {
    const j = judgePromise(p, payments, asOf);
    state = j.status === 'pending' ? 'active' : j.status === 'kept' ? 'kept' : 'broken';
    if (state === 'broken') broken++;
    if (j.status !== 'kept') continue;
    kept++;
    // Kept on the day of the last payment that counted towards it.
    const last = Math.min(j.deadline, asOf);
    for (const pay of payments)
      if (
        pay.receivedOn >= p.madeOn &&
        pay.receivedOn <= last &&
        (lastKeptOn === null || pay.receivedOn > lastKeptOn)
      )
        lastKeptOn = pay.receivedOn;
  }
  return { state, lastKeptOn, kept, broken };
}
