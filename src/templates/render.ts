import { Liquid, type Template } from 'liquidjs';
import { formatDay, toDay, type DayNumber } from '../domain/calendar/index.js';
import type { Statement } from '../domain/delinquency/index.js';
import { ArrearsError } from '../domain/errors.js';
import { formatAmount } from '../domain/money/index.js';
import type { ChannelName } from '../store/index.js';
import type { Locale } from './locales.js';
import { requiredRules } from './required.js';

/**
 * The content linter's signature (the real one lives in the compliance module and is injected where the
 * dispatcher is built). It sees every rendered message before it is signed and sent.
 */
export type ContentCheck = (text: string, locale: Locale) => ContentCheckResult | Promise<ContentCheckResult>;
export interface ContentCheckResult {
  ok: boolean;
  findings?: { rule: string; message: string }[];
}

/** Who the debtor deals with: printed in required texts (contacts, dispute address, payment account). */
export interface SenderProfile {
  name: string;
  phone: string;
  email: string;
  address: string;
  paymentAccount: string;
}

export interface MessageContext {
  template: string;
  channel: ChannelName;
  locale: Locale;
  jurisdiction: string;
  debtor: { name: string };
  account: { ref: string; product: string };
  creditor: { ref: string; name: string };
  statement: Statement;
  notice: { code: string; verifyUrl: string; date: DayNumber };
  contact: SenderProfile;
  /** Extra variables from the planned action, under `vars`. */
  vars?: Record<string, unknown>;
}

export interface RenderedMessage {
  subject: string;
  text: string;
  /** Ids of the required texts the message carries. */
  required: string[];
}

// Liquid runs no code; strict variables and filters turn a typo in a template into an error, not a blank.
const engine = new Liquid({
  strictVariables: true,
  strictFilters: true,
  ownPropertyOnly: true,
  cache: false,
});
const parsed = new Map<string, Template[]>();

/** Parses (cached by source) or reports the syntax error with the template's name. */
export function parseTemplate(source: string, where: string): Template[] {
  let t = parsed.get(source);
  if (!t) {
    try {
      t = engine.parse(source);
    } catch (e) {
      throw new ArrearsError('invalid', `${where}: ${(e as Error).message}`, {
        issues: [{ field: where, message: (e as Error).message }],
      });
    }
    if (parsed.size > 2000) parsed.clear();
    parsed.set(source, t);
  }
  return t;
}

const moneyFormats = new Map<string, Intl.NumberFormat>();
function money(minor: number, currency: string, locale: Locale): string {
  const key = `${locale}|${currency}`;
  let f = moneyFormats.get(key);
  if (!f) moneyFormats.set(key, (f = new Intl.NumberFormat(locale, { style: 'currency', currency })));
  // Decimal strings format exactly (Intl.NumberFormat v3); no float ever holds an amount.
  return f.format(formatAmount(minor, currency) as unknown as number);
}

const dateFormats = new Map<Locale, Intl.DateTimeFormat>();
function longDate(day: DayNumber, locale: Locale): string {
  let f = dateFormats.get(locale);
  if (!f)
    dateFormats.set(locale, (f = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' })));
  return f.format(new Date(day * 86_400_000));
}

/** Adds business days (Saturdays and Sundays skipped; public holidays are not modelled). */
export function addBusinessDays(day: DayNumber, n: number): DayNumber {
  let d = day;
  let left = n;
  while (left > 0) {
    d += 1;
    const weekday = new Date(d * 86_400_000).getUTCDay();
    if (weekday !== 0 && weekday !== 6) left--;
  }
  return d;
}

/** The variables every template sees (documented in docs/notices.md). Amounts are formatted for the locale. */
export function templateVariables(ctx: MessageContext): Record<string, unknown> {
  const st = ctx.statement;
  const m = (minor: number) => money(minor, st.currency, ctx.locale);
  const date = (d: DayNumber) => longDate(d, ctx.locale);
  const o = st.overdue;
  return {
    debtor: { name: ctx.debtor.name },
    account: { ref: ctx.account.ref, product: ctx.account.product },
    creditor: { ref: ctx.creditor.ref, name: ctx.creditor.name },
    contact: { ...ctx.contact },
    statement: {
      asOf: date(st.asOf),
      asOfIso: formatDay(st.asOf),
      currency: st.currency,
      dpd: st.dpd,
      bucket: st.bucket,
      overdue: {
        principal: m(o.principal),
        interest: m(o.interest),
        fees: m(o.fees),
        penalty: m(o.penalty),
        total: m(o.total),
      },
      outstandingPrincipal: m(st.outstandingPrincipal),
      payoff: m(st.payoff),
      credit: m(st.credit),
      capReduction: st.capReduction
        ? { amount: m(st.capReduction.amount), rule: st.capReduction.rule }
        : null,
      installments: st.installments.map((i) => ({
        seq: i.seq,
        due: date(i.due),
        status: i.status,
        daysPastDue: i.daysPastDue,
        outstanding: m(
          i.outstanding.principal + i.outstanding.interest + i.outstanding.fees + i.outstanding.penalty,
        ),
      })),
      formula: st.formula,
    },
    notice: {
      code: ctx.notice.code,
      verifyUrl: ctx.notice.verifyUrl,
      date: date(ctx.notice.date),
      channel: ctx.channel,
    },
    // US: the itemization date is the notice's own statement date (12 CFR 1006.34(b)(3) allows the last
    // statement date), so nothing accrued between it and today. Receipt is assumed 5 business days after
    // sending and the validation period runs 30 days from then (1006.34(b)(5)).
    validation: {
      itemizationDate: date(st.asOf),
      itemizationAmount: m(o.total),
      since: { interest: m(0), fees: m(0), penalty: m(0) },
      paid: m(0),
      endDate: date(addBusinessDays(ctx.notice.date, 5) + 30),
    },
    // KR: the start-of-collection notice goes out at least 3 business days before collection starts.
    kr: { startDate: date(addBusinessDays(ctx.notice.date, 4)), overdueSince: date(st.asOf - st.dpd) },
    vars: ctx.vars ?? {},
    ...(ctx.vars?.agreement !== undefined
      ? { agreement: agreementVariables(ctx.vars.agreement, m, date) }
      : {}),
    ...(ctx.vars?.completion !== undefined
      ? { completion: completionVariables(ctx.vars.completion, m, date) }
      : {}),
  };
}

/**
 * A completed settlement (`vars.completion` of the `settlement_completed` letter, amounts in minor units):
 * the day it was judged complete, what was paid under it and what the creditor wrote off.
 */
export interface CompletionVars {
  completedOn: string;
  paid: number;
  forgiven: number;
}

function completionVariables(raw: unknown, m: (minor: number) => string, date: (d: DayNumber) => string) {
  const c = raw as Partial<CompletionVars> | null;
  const whole = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
  if (
    c === null ||
    typeof c !== 'object' ||
    typeof c.completedOn !== 'string' ||
    !whole(c.paid) ||
    !whole(c.forgiven)
  )
    throw new ArrearsError('invalid', 'vars.completion is not a complete settlement completion');
  return { completedOn: date(toDay(c.completedOn)), paid: m(c.paid!), forgiven: m(c.forgiven!) };
}

/**
 * What a confirmation states (`vars.agreement` of the action, amounts in minor units, dates YYYY-MM-DD),
 * formatted for the locale like the statement: the agreed amount, what was owed and forgiven, each
 * installment, and the last day a payment counts (the last due date + grace).
 */
export interface AgreementVars {
  kind: 'promise' | 'plan' | 'settlement';
  reference: string;
  madeOn: string;
  amount: number;
  owed: number;
  discount: number;
  discountPercent: string;
  graceDays: number;
  tolerance: number;
  installments: { seq: number; dueOn: string; amount: number }[];
}

function agreementVariables(raw: unknown, m: (minor: number) => string, date: (d: DayNumber) => string) {
  const a = raw as Partial<AgreementVars> | null;
  const whole = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
  const ok =
    a !== null &&
    typeof a === 'object' &&
    typeof a.reference === 'string' &&
    typeof a.madeOn === 'string' &&
    [a.amount, a.owed, a.discount, a.graceDays, a.tolerance].every(whole) &&
    Array.isArray(a.installments) &&
    a.installments.length > 0 &&
    a.installments.every((i) => whole(i.seq) && whole(i.amount) && typeof i.dueOn === 'string');
  if (!ok) throw new ArrearsError('invalid', 'vars.agreement is not a complete agreement');
  const v = a as AgreementVars;
  const last = toDay(v.installments.at(-1)!.dueOn);
  return {
    kind: v.kind,
    reference: v.reference,
    madeOn: date(toDay(v.madeOn)),
    amount: m(v.amount),
    owed: m(v.owed),
    discount: m(v.discount),
    discountPercent: v.discountPercent,
    graceDays: v.graceDays,
    tolerance: m(v.tolerance),
    dueOn: date(last),
    deadline: date(last + v.graceDays),
    count: v.installments.length,
    installments: v.installments.map((i) => ({ seq: i.seq, due: date(toDay(i.dueOn)), amount: m(i.amount) })),
  };
}

const squash = (t: string) => t.replace(/\s+/g, '');

export interface TemplateRecord {
  name: string;
  channel: ChannelName;
  locale: Locale;
  version: number;
  subject: string;
  body: string;
}

/**
 * Renders a message: required texts for the jurisdiction first, then the template; refuses a message that
 * leaves out a required text, then runs the injected content check on the result.
 */
export async function renderMessage(
  tpl: TemplateRecord,
  ctx: MessageContext,
  contentCheck: ContentCheck,
): Promise<RenderedMessage> {
  const where = `template ${tpl.name}/${tpl.channel}/${tpl.locale} v${tpl.version}`;
  const vars = templateVariables(ctx);
  const rules = requiredRules(ctx.jurisdiction, ctx.channel, ctx.template);
  const required: Record<string, string> = {};
  const requiredTexts: string[] = [];
  for (const rule of rules) {
    const text = render(
      parseTemplate(rule.text[ctx.locale], `required text ${rule.id}/${ctx.locale}`),
      vars,
      where,
    );
    required[rule.id] = text;
    requiredTexts.push(text);
  }
  const all = { ...vars, required, required_texts: requiredTexts };
  const subject = render(parseTemplate(tpl.subject, `${where} subject`), all, `${where} subject`).trim();
  const text = render(parseTemplate(tpl.body, `${where} body`), all, `${where} body`)
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  const flat = squash(text);
  const missing = rules.filter((r) => !flat.includes(squash(required[r.id]!)));
  if (missing.length > 0)
    throw new ArrearsError(
      'invalid',
      `${where} leaves out required text ${missing.map((r) => `${r.id} (${r.source})`).join(', ')}`,
      {
        issues: missing.map((r) => ({
          field: `${where} body`,
          message: `must include {{ required.${r.id} }}`,
        })),
      },
    );
  const check = await contentCheck(`${subject}\n\n${text}`, ctx.locale);
  if (!check.ok)
    throw new ArrearsError('contact_not_allowed', `${where}: the content check refused the message`, {
      findings: check.findings ?? [],
    });
  return { subject, text, required: rules.map((r) => r.id) };
}

function render(t: Template[], vars: Record<string, unknown>, where: string): string {
  try {
    return engine.renderSync(t, vars) as string;
  } catch (e) {
    throw new ArrearsError('invalid', `${where}: ${(e as Error).message}`, {
      issues: [{ field: where, message: (e as Error).message }],
    });
  }
}
