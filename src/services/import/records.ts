import { z } from 'zod';
import { isTimeZone, parseCivilDate, type DayNumber } from '../../domain/calendar/index.js';
import type { FieldIssue } from '../../domain/errors.js';
import {
  formatAmount,
  isCurrency,
  isRateText,
  minorUnits,
  parseAmount,
  parseRate,
} from '../../domain/money/index.js';
import { checkPaymentReference } from '../../domain/references/index.js';

/**
 * The bulk import format (docs/import-format.md): one record per line, `type` one of creditor, debtor,
 * account, payment; external refs link them; amounts are decimal strings in major units; dates YYYY-MM-DD;
 * rates annual decimal fractions. These schemas are the contract; validation reports every problem of a
 * record at once with its field path.
 */

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });
const regions = new Set<string>();
/** Known regions are remembered (a few hundred at most); asking Intl for every debtor and address was costly. */
function isRegion(code: string): boolean {
  if (regions.has(code)) return true;
  const known = /^[A-Z]{2}$/.test(code) && regionNames.of(code) !== code;
  if (known) regions.add(code);
  return known;
}

const ref = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');
const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);
const jurisdiction = z.string().refine(isRegion, 'must be an ISO 3166-1 alpha-2 country code such as "US"');
const currency = z.string().refine(isCurrency, 'must be an ISO 4217 currency code such as "USD"');
const date = z.string().refine((v) => parseCivilDate(v) !== null, 'must be a real date written YYYY-MM-DD');
const amount = z.string().superRefine((v, ctx) => {
  if (/^\d+(\.\d+)?$/.test(v)) return;
  ctx.addIssue({
    code: 'custom',
    message: /^-\d+(\.\d+)?$/.test(v)
      ? `amount "${v}" is negative`
      : `amount "${v}" is not a decimal string in major units such as "1234.50"`,
  });
});
const rate = z
  .string()
  .refine((v) => parseRate(v).ok, 'must be an annual rate as a decimal fraction such as "0.18"');
const E164 = /^\+[1-9]\d{6,14}$/;
const e164 = z.string().regex(E164, 'must be an E.164 phone number such as "+8613800000001"');

export const SUPPORTED_LOCALES = ['en', 'es', 'ko', 'zh-CN', 'zh-TW'] as const;
const LOCALE = /^(en|es|ko)(-[A-Z]{2})?$|^zh-(CN|TW|HK|SG|Hans|Hant)$/;
const locale = z
  .string()
  .regex(LOCALE, 'must be one of en, es, ko, zh-CN, zh-TW (optionally with a region, e.g. es-ES)');

const component = z.enum(['fees', 'penalty', 'interest', 'principal']);
const capsSchema = z
  .object({
    penaltyRateMax: rate.optional(),
    penaltyMarginMax: rate.optional(),
    annualCostRateMax: rate.optional(),
    source: z.string().max(200).optional(),
  })
  .strict();

const settingsSchema = z
  .object({
    buckets: z
      .array(
        z.object({
          name: text(20),
          minDpd: z.number().int().min(0),
          maxDpd: z.number().int().min(0).nullable(),
        }),
      )
      .min(1)
      .optional(),
    allocationOrder: z.array(component).length(4).optional(),
    caps: capsSchema.optional(),
    productCaps: z.record(z.string(), capsSchema).optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.allocationOrder && new Set(s.allocationOrder).size !== 4) {
      ctx.addIssue({
        code: 'custom',
        path: ['allocationOrder'],
        message: 'must list fees, penalty, interest and principal once each',
      });
    }
    if (s.buckets) {
      let next = 0;
      s.buckets.forEach((b, i) => {
        if (b.minDpd !== next) {
          ctx.addIssue({
            code: 'custom',
            path: ['buckets', i, 'minDpd'],
            message: `must be ${next} so buckets leave no gap or overlap`,
          });
        }
        if (b.maxDpd !== null && b.maxDpd < b.minDpd) {
          ctx.addIssue({
            code: 'custom',
            path: ['buckets', i, 'maxDpd'],
            message: 'must not be below minDpd',
          });
        }
        next = b.maxDpd === null ? Number.NaN : b.maxDpd + 1;
      });
      if (s.buckets.at(-1)?.maxDpd !== null) {
        ctx.addIssue({
          code: 'custom',
          path: ['buckets', s.buckets.length - 1, 'maxDpd'],
          message: 'the last bucket must be open-ended (null)',
        });
      }
    }
  });

const creditorSchema = z.object({
  type: z.literal('creditor'),
  ref,
  name: text(200),
  jurisdiction,
  currency,
  settings: settingsSchema.optional(),
});

const RELATIONSHIPS = [
  'spouse',
  'parent',
  'child',
  'sibling',
  'relative',
  'friend',
  'employer',
  'colleague',
  'guarantor',
  'other',
] as const;

const contactSchema = z
  .object({
    name: text(200),
    relationship: z.enum(RELATIONSHIPS),
    phone: e164.optional(),
    email: z.email().optional(),
    consent: z.boolean(),
    source: z.string().optional(),
  })
  .superRefine((c, ctx) => {
    // Seeds 000/002 and CN.ADDRESS_BOOK, US.FDCPA.THIRD_PARTY: only people the debtor designated, never a harvested address book.
    if (c.source !== undefined && c.source !== 'debtor_provided') {
      ctx.addIssue({
        code: 'custom',
        path: ['source'],
        message: `contacts from "${c.source}" are refused: only contact persons the debtor designated ("debtor_provided") may be stored (CN.ADDRESS_BOOK, US.FDCPA.THIRD_PARTY)`,
      });
    }
    if (!c.phone && !c.email)
      ctx.addIssue({
        code: 'custom',
        path: ['phone'],
        message: 'a contact person needs a phone or an e-mail',
      });
  });

const PHONE_KINDS = ['mobile', 'home', 'work', 'other'] as const;
const ADDRESS_KINDS = ['home', 'work', 'other'] as const;

const debtorSchema = z
  .object({
    type: z.literal('debtor'),
    ref,
    name: text(200),
    locale,
    timezone: z.string().refine(isTimeZone, 'must be an IANA time zone such as "Asia/Shanghai"'),
    jurisdiction,
    phones: z
      .array(z.object({ number: e164, kind: z.enum(PHONE_KINDS) }))
      .max(10)
      .default([]),
    emails: z.array(z.email()).max(10).default([]),
    addresses: z
      .array(
        z.object({
          kind: z.enum(ADDRESS_KINDS),
          line1: text(200),
          line2: z.string().max(200).optional(),
          city: text(100),
          region: z.string().max(100).optional(),
          postalCode: z.string().max(20).optional(),
          country: jurisdiction,
        }),
      )
      .max(10)
      .default([]),
    contacts: z.array(contactSchema).max(10).default([]),
  })
  .superRefine((d, ctx) => {
    if (d.jurisdiction === 'CN' && d.contacts.length > 2) {
      ctx.addIssue({
        code: 'custom',
        path: ['contacts'],
        message: 'at most 2 designated contact persons in CN (CN.ADDRESS_BOOK)',
      });
    }
  });

export const installmentSchema = z.object({
  due: date,
  principal: amount,
  interest: amount,
  fees: amount.optional(),
});

const accountSchema = z.object({
  type: z.literal('account'),
  ref,
  debtorRef: ref,
  creditorRef: ref,
  product: text(50),
  currency,
  principal: amount,
  interestRate: rate,
  penaltyRate: rate,
  penaltyOnInterest: z.boolean().default(false),
  openedOn: date,
  installments: z.array(installmentSchema).min(1, 'must have at least one installment').max(600),
  /** The reference the payer quotes (ISO 11649 "RF…" or the lender's own); checked in checkAccount. */
  paymentReference: z.string().optional(),
});

/** The account fields other than the schedule, for the fast path below. */
const accountHead = accountSchema.omit({ installments: true });

const AMOUNT_TEXT = /^\d+(\.\d+)?$/;
const isAmountText = (v: unknown): v is string => typeof v === 'string' && AMOUNT_TEXT.test(v);

/**
 * The common case of a schedule, checked without Zod: it accepts exactly what `installmentSchema`
 * accepts (strings, real dates, unsigned decimals) and returns the same shape, or null for anything
 * else, which then goes through Zod for its full error report. Twelve installments per account made
 * Zod's per-field work the largest part of a million-account import.
 */
export function fastInstallments(value: unknown): z.infer<typeof installmentSchema>[] | null {
  if (!Array.isArray(value) || value.length < 1 || value.length > 600) return null;
  const out: z.infer<typeof installmentSchema>[] = [];
  for (let i = 0; i < value.length; i++) {
    const v: unknown = value[i];
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
    const { due, principal, interest, fees } = v as Record<string, unknown>;
    if (typeof due !== 'string' || parseCivilDate(due) === null) return null;
    if (!isAmountText(principal) || !isAmountText(interest)) return null;
    if (fees !== undefined && !isAmountText(fees)) return null;
    out.push(fees === undefined ? { due, principal, interest } : { due, principal, interest, fees });
  }
  return out;
}

export const PAYMENT_CHANNELS = [
  'bank_transfer',
  'card',
  'direct_debit',
  'online',
  'cheque',
  'agency',
  'other',
] as const;

const paymentSchema = z.object({
  type: z.literal('payment'),
  ref,
  accountRef: ref,
  amount,
  currency: currency.optional(),
  receivedOn: date,
  channel: z.string().refine((c) => (PAYMENT_CHANNELS as readonly string[]).includes(c), {
    error: (issue) =>
      issue.input === 'cash'
        ? 'cash is not accepted: payments must come through a recorded channel (seed 002: never take cash)'
        : `must be one of ${PAYMENT_CHANNELS.join(', ')}`,
  }),
});

export interface CreditorRecord {
  type: 'creditor';
  line: number;
  ref: string;
  name: string;
  jurisdiction: string;
  currency: string;
  settings: z.infer<typeof settingsSchema>;
}
export type DebtorRecord = z.infer<typeof debtorSchema> & { line: number };
export interface AccountRecord {
  type: 'account';
  line: number;
  ref: string;
  debtorRef: string;
  creditorRef: string;
  product: string;
  currency: string;
  principal: number;
  interestRate: string;
  penaltyRate: string;
  penaltyOnInterest: boolean;
  openedOn: string;
  installments: { due: string; principal: number; interest: number; fees: number }[];
  /** Normalised (no spaces, upper case); unique per creditor. */
  paymentReference: string | null;
}
export interface PaymentRecord {
  type: 'payment';
  line: number;
  ref: string;
  accountRef: string;
  /** Decimal text; converted with the account's currency, which may be known only in the database. */
  amount: string;
  currency: string | undefined;
  receivedOn: string;
  channel: string;
}
export type ImportRecord = CreditorRecord | DebtorRecord | AccountRecord | PaymentRecord;
export type RecordKind = ImportRecord['type'];

export type ValidationResult =
  { ok: true; record: ImportRecord } | { ok: false; issues: FieldIssue[]; kind?: RecordKind; ref?: string };

/*
 * Fast paths for the two records a portfolio is made of. Each returns exactly what the Zod path returns for
 * the plain, valid case and null for anything else, which then goes through Zod for its full error report
 * (property-tested in records.test.ts). Zod's per-field work was the largest part of staging a
 * million-account file after JSON.parse. Module-level helpers only: no closures per record (see
 * ARCHITECTURE.md on esbuild's keepNames).
 */

/** A string that `z.string().trim().min(1).max(max)` accepts, trimmed; null otherwise. */
function trimmedText(value: unknown, max: number): string | null {
  if (typeof value !== 'string') return null;
  const t = value.trim();
  return t.length >= 1 && t.length <= max ? t : null;
}

const optionalText = (value: unknown, max: number): boolean =>
  value === undefined || (typeof value === 'string' && value.length <= max);

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isEmail = (value: unknown): value is string => typeof value === 'string' && z.regexes.email.test(value);
const isE164 = (value: unknown): value is string => typeof value === 'string' && E164.test(value);
const isRegionText = (value: unknown): value is string => typeof value === 'string' && isRegion(value);
const oneOf = <T extends string>(list: readonly T[], value: unknown): value is T =>
  typeof value === 'string' && (list as readonly string[]).includes(value);

type Debtor = z.infer<typeof debtorSchema>;

function fastPhones(value: unknown): Debtor['phones'] | null {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > 10) return null;
  const out: Debtor['phones'] = [];
  for (let i = 0; i < value.length; i++) {
    const p: unknown = value[i];
    if (!isPlainObject(p) || !isE164(p.number) || !oneOf(PHONE_KINDS, p.kind)) return null;
    out.push({ number: p.number, kind: p.kind });
  }
  return out;
}

function fastEmails(value: unknown): string[] | null {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > 10) return null;
  for (let i = 0; i < value.length; i++) if (!isEmail(value[i])) return null;
  return value as string[];
}

function fastAddresses(value: unknown): Debtor['addresses'] | null {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > 10) return null;
  const out: Debtor['addresses'] = [];
  for (let i = 0; i < value.length; i++) {
    const a: unknown = value[i];
    if (!isPlainObject(a) || !oneOf(ADDRESS_KINDS, a.kind)) return null;
    const line1 = trimmedText(a.line1, 200);
    const city = trimmedText(a.city, 100);
    if (line1 === null || city === null || !isRegionText(a.country)) return null;
    const { line2, region, postalCode } = a;
    if (!optionalText(line2, 200) || !optionalText(region, 100) || !optionalText(postalCode, 20)) return null;
    const address: Debtor['addresses'][number] = { kind: a.kind, line1, city, country: a.country };
    if (line2 !== undefined) address.line2 = line2 as string;
    if (region !== undefined) address.region = region as string;
    if (postalCode !== undefined) address.postalCode = postalCode as string;
    out.push(address);
  }
  return out;
}

function fastContacts(value: unknown): Debtor['contacts'] | null {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > 10) return null;
  const out: Debtor['contacts'] = [];
  for (let i = 0; i < value.length; i++) {
    const c: unknown = value[i];
    if (!isPlainObject(c) || !oneOf(RELATIONSHIPS, c.relationship) || typeof c.consent !== 'boolean')
      return null;
    const name = trimmedText(c.name, 200);
    const { phone, email, source } = c;
    if (name === null || (phone === undefined && email === undefined)) return null;
    if ((phone !== undefined && !isE164(phone)) || (email !== undefined && !isEmail(email))) return null;
    if (source !== undefined && source !== 'debtor_provided') return null;
    const contact: Debtor['contacts'][number] = { name, relationship: c.relationship, consent: c.consent };
    if (phone !== undefined) contact.phone = phone;
    if (email !== undefined) contact.email = email;
    if (source !== undefined) contact.source = source;
    out.push(contact);
  }
  return out;
}

/** `debtorSchema` for the plain, valid case; null for anything else. */
export function fastDebtor(input: Record<string, unknown>): Debtor | null {
  if (input.type !== 'debtor') return null;
  const ref = trimmedText(input.ref, 100);
  const name = trimmedText(input.name, 200);
  const { locale, timezone, jurisdiction } = input;
  if (ref === null || name === null || typeof locale !== 'string' || !LOCALE.test(locale)) return null;
  if (typeof timezone !== 'string' || !isTimeZone(timezone) || !isRegionText(jurisdiction)) return null;
  const phones = fastPhones(input.phones);
  const emails = fastEmails(input.emails);
  const addresses = fastAddresses(input.addresses);
  const contacts = fastContacts(input.contacts);
  if (phones === null || emails === null || addresses === null || contacts === null) return null;
  if (jurisdiction === 'CN' && contacts.length > 2) return null;
  return { type: 'debtor', ref, name, locale, timezone, jurisdiction, phones, emails, addresses, contacts };
}

/**
 * Minor units of a plain decimal amount that `parseAmount` accepts ("1234.50" with at most `digits`
 * decimals, at most 15 integer digits, a safe integer), or -1 for anything else. Digit by digit: while
 * the true value stays below 2^53 every step is exact, and a larger one never comes out safe.
 */
function plainMinor(text: unknown, digits: number): number {
  if (typeof text !== 'string') return -1;
  const n = text.length;
  let v = 0;
  let i = 0;
  for (; i < n; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) break;
    v = v * 10 + d;
  }
  if (i === 0 || i > 15) return -1;
  let decimals = 0;
  if (i < n) {
    if (text.charCodeAt(i) !== 46) return -1;
    const start = ++i;
    for (; i < n; i++) {
      const d = text.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return -1;
      v = v * 10 + d;
    }
    decimals = i - start;
    if (decimals === 0 || decimals > digits) return -1;
  }
  for (; decimals < digits; decimals++) v *= 10;
  return Number.isSafeInteger(v) ? v : -1;
}

/** An account that passes `accountSchema` and `checkAccount`, as `checkAccount` returns it; null for anything else. */
export function fastAccount(input: Record<string, unknown>, line: number): AccountRecord | null {
  if (input.type !== 'account') return null;
  const ref = trimmedText(input.ref, 100);
  const debtorRef = trimmedText(input.debtorRef, 100);
  const creditorRef = trimmedText(input.creditorRef, 100);
  const product = trimmedText(input.product, 50);
  if (ref === null || debtorRef === null || creditorRef === null || product === null) return null;
  const { currency, interestRate, penaltyRate, openedOn, installments: list } = input;
  if (typeof currency !== 'string' || !isCurrency(currency)) return null;
  if (typeof interestRate !== 'string' || !isRateText(interestRate)) return null;
  if (typeof penaltyRate !== 'string' || !isRateText(penaltyRate)) return null;
  const penaltyOnInterest = input.penaltyOnInterest === undefined ? false : input.penaltyOnInterest;
  if (typeof penaltyOnInterest !== 'boolean' || typeof openedOn !== 'string') return null;
  const opened = parseCivilDate(openedOn);
  if (opened === null) return null;
  let paymentReference: string | null = null;
  if (input.paymentReference !== undefined) {
    if (typeof input.paymentReference !== 'string') return null;
    const r = checkPaymentReference(input.paymentReference);
    if (!r.ok) return null;
    paymentReference = r.value;
  }
  const digits = minorUnits(currency);
  const principal = plainMinor(input.principal, digits);
  if (principal < 0 || !Array.isArray(list) || list.length < 1 || list.length > 600) return null;
  const installments: AccountRecord['installments'] = [];
  let previousDue = opened;
  let sum = 0;
  for (let i = 0; i < list.length; i++) {
    const x: unknown = list[i];
    if (!isPlainObject(x) || typeof x.due !== 'string') return null;
    const due = parseCivilDate(x.due);
    if (due === null || due <= previousDue) return null;
    previousDue = due;
    const p = plainMinor(x.principal, digits);
    const interest = plainMinor(x.interest, digits);
    const fees = x.fees === undefined ? 0 : plainMinor(x.fees, digits);
    if (p < 0 || interest < 0 || fees < 0) return null;
    sum += p;
    installments.push({ due: x.due, principal: p, interest, fees });
  }
  if (sum !== principal) return null;
  return {
    type: 'account',
    line,
    ref,
    debtorRef,
    creditorRef,
    product,
    currency,
    principal,
    interestRate,
    penaltyRate,
    penaltyOnInterest,
    openedOn,
    installments,
    paymentReference,
  };
}

function zodIssues(error: z.ZodError, line: number): FieldIssue[] {
  return error.issues.map((issue) => {
    const field = issue.path.map(String).join('.') || '(record)';
    const missing = issue.code === 'invalid_type' && issue.input === undefined;
    return { line, field, message: missing ? 'is required' : issue.message };
  });
}

const schemas = {
  creditor: creditorSchema,
  debtor: debtorSchema,
  account: accountSchema,
  payment: paymentSchema,
} as const;

/** Validates one decoded record (from NDJSON or CSV) and converts it to the typed, minor-unit form. */
export function validateRecord(input: unknown, line: number): ValidationResult {
  if (isPlainObject(input)) {
    if (input.type === 'debtor') {
      const debtor = fastDebtor(input);
      if (debtor) return { ok: true, record: { ...debtor, line } };
    } else if (input.type === 'account') {
      const account = fastAccount(input, line);
      if (account) return { ok: true, record: account };
    }
  }
  return validateWithZod(input, line);
}

/** The full validation behind the fast paths: every problem of the record, each with its field. */
export function validateWithZod(input: unknown, line: number): ValidationResult {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, issues: [{ line, field: '(record)', message: 'must be a JSON object' }] };
  }
  const type = (input as { type?: unknown }).type;
  const rawRef = (input as { ref?: unknown }).ref;
  const refHint = typeof rawRef === 'string' ? rawRef.trim() : undefined;
  if (typeof type !== 'string' || !(type in schemas)) {
    return {
      ok: false,
      issues: [
        {
          line,
          field: 'type',
          message: `must be one of creditor, debtor, account, payment${type === undefined ? '' : ` (got ${JSON.stringify(type)})`}`,
        },
      ],
    };
  }
  const kind = type as RecordKind;
  if (kind === 'account') {
    const installments = fastInstallments((input as { installments?: unknown }).installments);
    const head = installments && accountHead.safeParse(input);
    if (installments && head?.success) return checkAccount({ ...head.data, installments }, line);
  }
  const parsed = schemas[kind].safeParse(input);
  if (!parsed.success) return { ok: false, issues: zodIssues(parsed.error, line), kind, ref: refHint };
  switch (parsed.data.type) {
    case 'creditor':
      return { ok: true, record: { ...parsed.data, settings: parsed.data.settings ?? {}, line } };
    case 'debtor':
      return { ok: true, record: { ...parsed.data, line } };
    case 'account':
      return checkAccount(parsed.data, line);
    case 'payment': {
      const p = parsed.data;
      if (/^0+(\.0+)?$/.test(p.amount)) {
        return {
          ok: false,
          kind,
          ref: p.ref,
          issues: [{ line, field: 'amount', message: `amount "${p.amount}" must be greater than zero` }],
        };
      }
      return {
        ok: true,
        record: {
          type: 'payment',
          line,
          ref: p.ref,
          accountRef: p.accountRef,
          amount: p.amount,
          currency: p.currency,
          receivedOn: p.receivedOn,
          channel: p.channel,
        },
      };
    }
  }
}

function checkAccount(a: z.infer<typeof accountSchema>, line: number): ValidationResult {
  const issues: FieldIssue[] = [];
  const money = (value: string, field: string): number => {
    const r = parseAmount(value, a.currency);
    if (!r.ok) {
      issues.push({ line, field, message: r.message });
      return 0;
    }
    return r.value;
  };
  const principal = money(a.principal, 'principal');
  let paymentReference: string | null = null;
  if (a.paymentReference !== undefined) {
    const r = checkPaymentReference(a.paymentReference);
    if (r.ok) paymentReference = r.value;
    else issues.push({ line, field: 'paymentReference', message: r.message });
  }
  const opened = parseCivilDate(a.openedOn) as DayNumber;
  let previousDue = Number.NEGATIVE_INFINITY;
  let sum = 0;
  const installments = a.installments.map((inst, i) => {
    const due = parseCivilDate(inst.due) as DayNumber;
    if (due <= previousDue)
      issues.push({
        line,
        field: `installments.${i}.due`,
        message: `due date ${inst.due} must be after the previous installment's`,
      });
    if (due <= opened)
      issues.push({
        line,
        field: `installments.${i}.due`,
        message: `due date ${inst.due} must be after openedOn ${a.openedOn}`,
      });
    previousDue = due;
    const p = money(inst.principal, `installments.${i}.principal`);
    sum += p;
    return {
      due: inst.due,
      principal: p,
      interest: money(inst.interest, `installments.${i}.interest`),
      fees: inst.fees === undefined ? 0 : money(inst.fees, `installments.${i}.fees`),
    };
  });
  if (issues.length === 0 && sum !== principal) {
    issues.push({
      line,
      field: 'installments',
      message: `installment principals sum to ${formatAmount(sum, a.currency)} but principal is ${a.principal}`,
    });
  }
  if (issues.length > 0) return { ok: false, issues, kind: 'account', ref: a.ref };
  return {
    ok: true,
    record: {
      type: 'account',
      line,
      ref: a.ref,
      debtorRef: a.debtorRef,
      creditorRef: a.creditorRef,
      product: a.product,
      currency: a.currency,
      principal,
      interestRate: a.interestRate,
      penaltyRate: a.penaltyRate,
      penaltyOnInterest: a.penaltyOnInterest,
      openedOn: a.openedOn,
      installments,
      paymentReference,
    },
  };
}
