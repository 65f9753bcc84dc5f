import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { addMonths, formatDay, toDay } from '../domain/calendar/index.js';
import { parseAmount } from '../domain/money/index.js';
import { validateRecord } from '../services/import/records.js';
import { generatePortfolio, writePortfolio, type GenerateOptions } from './generate.js';

type Rec = Record<string, unknown>;
interface Installment {
  due: string;
  principal: string;
  interest: string;
}
interface Account {
  type: 'account';
  ref: string;
  debtorRef: string;
  creditorRef: string;
  product: string;
  currency: string;
  principal: string;
  interestRate: string;
  penaltyRate: string;
  openedOn: string;
  installments: Installment[];
}
interface Payment {
  type: 'payment';
  ref: string;
  accountRef: string;
  amount: string;
  receivedOn: string;
  channel: string;
}
interface Contact {
  name: string;
  relationship: string;
  phone?: string;
  email?: string;
  consent: boolean;
  source: string;
}
interface Debtor {
  type: 'debtor';
  ref: string;
  name: string;
  locale: string;
  timezone: string;
  jurisdiction: string;
  phones: { number: string; kind: string }[];
  emails: string[];
  addresses: { kind: string; line1: string; city: string; postalCode: string; country: string }[];
  contacts: Contact[];
}
interface Creditor {
  type: 'creditor';
  ref: string;
  jurisdiction: string;
  currency: string;
  settings?: { caps?: Record<string, string> };
}

const AS_OF = '2026-05-15';
const asOf = toDay(AS_OF);

function split(records: Rec[]) {
  const creditors = records.filter((r): r is Rec & Creditor => r.type === 'creditor');
  const debtors = records.filter((r): r is Rec & Debtor => r.type === 'debtor');
  const accounts = records.filter((r): r is Rec & Account => r.type === 'account');
  const payments = records.filter((r): r is Rec & Payment => r.type === 'payment');
  const paymentsOf = new Map<string, Payment[]>();
  for (const p of payments) {
    const list = paymentsOf.get(p.accountRef) ?? [];
    list.push(p);
    paymentsOf.set(p.accountRef, list);
  }
  const creditorByRef = new Map(creditors.map((c) => [c.ref, c]));
  const debtorByRef = new Map(debtors.map((d) => [d.ref, d]));
  return { creditors, debtors, accounts, payments, paymentsOf, creditorByRef, debtorByRef };
}

const minor = (text: string, currency: string): number => {
  const r = parseAmount(text, currency);
  if (!r.ok) throw new Error(r.message);
  return r.value;
};

/** DPD, simply: the oldest installment due before asOf that the payments (oldest first) have not covered. */
function dpdOf(account: Account, payments: Payment[]): number {
  let paid = payments.reduce((sum, p) => sum + minor(p.amount, account.currency), 0);
  for (const inst of account.installments) {
    const owed = minor(inst.principal, account.currency) + minor(inst.interest, account.currency);
    if (paid >= owed) {
      paid -= owed;
      continue;
    }
    const due = toDay(inst.due);
    return due < asOf ? asOf - due : 0;
  }
  return 0;
}

const base: GenerateOptions = { accounts: 2_000, seed: 7, asOf: AS_OF };
const portfolio = [...generatePortfolio(base)];
const p = split(portfolio);

describe('generatePortfolio', () => {
  it('is deterministic: same options, same records; another seed, another portfolio', () => {
    const opts = { accounts: 500, seed: 42, asOf: AS_OF };
    const a = [...generatePortfolio(opts)].map((r) => JSON.stringify(r));
    const b = [...generatePortfolio(opts)].map((r) => JSON.stringify(r));
    expect(b).toEqual(a);
    const c = [...generatePortfolio({ ...opts, seed: 43 })].map((r) => JSON.stringify(r));
    expect(c).not.toEqual(a);
    // the default seed is 1, as the demo command's
    expect([...generatePortfolio({ accounts: 50, asOf: AS_OF })]).toEqual([
      ...generatePortfolio({ accounts: 50, seed: 1, asOf: AS_OF }),
    ]);
  });

  it('emits only records that pass validateRecord', () => {
    const failures = portfolio
      .map((record, i) => ({ record, result: validateRecord(record, i + 1) }))
      .filter((x) => !x.result.ok);
    expect(failures.slice(0, 3)).toEqual([]);
  });

  it('orders records: creditors first, then each debtor before its accounts, each account before its payments', () => {
    expect(portfolio.slice(0, 8).every((r) => r.type === 'creditor')).toBe(true);
    expect(p.creditors.map((c) => c.ref)).toEqual([
      'CR-US-1',
      'CR-US-2',
      'CR-CN-1',
      'CR-CN-2',
      'CR-KR-1',
      'CR-KR-2',
      'CR-ES-1',
      'CR-ES-2',
    ]);
    const seen = new Set<string>();
    let lastDebtor = '';
    let lastAccount = '';
    for (const r of portfolio.slice(8)) {
      if (r.type === 'debtor') lastDebtor = r.ref as string;
      if (r.type === 'account') {
        expect(r.debtorRef).toBe(lastDebtor);
        lastAccount = r.ref as string;
      }
      if (r.type === 'payment') expect(r.accountRef).toBe(lastAccount);
      expect(r.type).not.toBe('creditor');
      const key = `${r.type as string}:${r.ref as string}`;
      expect(seen.has(key)).toBe(false);
      seen.add(key);
    }
  });

  it('numbers refs zero-padded to the width of the account count, and links them', () => {
    expect(p.accounts).toHaveLength(2_000);
    expect(p.accounts[0]!.ref).toBe('A-0001');
    expect(p.accounts.at(-1)!.ref).toBe('A-2000');
    expect(p.debtors[0]!.ref).toBe('D-0001');
    p.debtors.forEach((d, i) => expect(d.ref).toBe(`D-${String(i + 1).padStart(4, '0')}`));
    // ~10% of debtors have two accounts
    const perAccount = p.accounts.length / p.debtors.length;
    expect(perAccount).toBeGreaterThan(1.05);
    expect(perAccount).toBeLessThan(1.15);
    for (const a of p.accounts) {
      const debtor = p.debtorByRef.get(a.debtorRef)!;
      const creditor = p.creditorByRef.get(a.creditorRef)!;
      expect(creditor.jurisdiction).toBe(debtor.jurisdiction);
      expect(a.currency).toBe(creditor.currency);
    }
    const big = [...generatePortfolio({ accounts: 10_000, seed: 1, asOf: AS_OF, withPayments: false })];
    expect(big.find((r) => r.type === 'account')!.ref).toBe('A-00001');
  });

  it('gives every creditor caps showing its law (one US lender has none)', () => {
    const caps = Object.fromEntries(p.creditors.map((c) => [c.ref, c.settings?.caps]));
    expect(caps['CR-US-1']).toEqual({ annualCostRateMax: '0.36', source: 'State usury cap (36% APR)' });
    expect(caps['CR-US-2']).toBeUndefined();
    for (const ref of ['CR-CN-1', 'CR-CN-2']) {
      expect(caps[ref]).toEqual({ penaltyRateMax: '0.24', source: 'CN.RATE.FIN_INST (24%)' });
    }
    for (const ref of ['CR-KR-1', 'CR-KR-2']) {
      expect(caps[ref]).toEqual({
        penaltyRateMax: '0.20',
        source: 'KR.RATE_CAP Interest Limitation Act (20%)',
      });
    }
    for (const ref of ['CR-ES-1', 'CR-ES-2']) {
      expect(caps[ref]).toEqual({
        penaltyMarginMax: '0.02',
        source: 'ES.LATE_INTEREST STS 265/2015 (+2 pp)',
      });
    }
    expect(Object.fromEntries(p.creditors.map((c) => [c.jurisdiction, c.currency]))).toEqual({
      US: 'USD',
      CN: 'CNY',
      KR: 'KRW',
      ES: 'EUR',
    });
  });

  it('spreads debtors over the four jurisdictions and five locales with matching zones, phones and addresses', () => {
    expect(new Set(p.debtors.map((d) => d.jurisdiction))).toEqual(new Set(['US', 'CN', 'KR', 'ES']));
    expect(new Set(p.debtors.map((d) => d.locale))).toEqual(new Set(['en', 'es', 'ko', 'zh-CN', 'zh-TW']));
    const zones: Record<string, RegExp> = {
      US: /^(America\/(New_York|Chicago|Denver|Los_Angeles|Phoenix)|Pacific\/Honolulu)$/,
      CN: /^Asia\/Shanghai$/,
      KR: /^Asia\/Seoul$/,
      ES: /^(Europe\/Madrid|Atlantic\/Canary)$/,
    };
    const phone: Record<string, RegExp> = {
      US: /^\+1[2-9]\d{2}55501\d{2}$/,
      CN: /^\+86(1[3-9]\d{9}|[1-9]\d{9,10})$/,
      KR: /^\+82(10\d{8}|[2-6]\d{8,9})$/,
      ES: /^\+34[679]\d{8}$/,
    };
    const locales: Record<string, string[]> = {
      US: ['en', 'es', 'zh-TW'],
      CN: ['zh-CN'],
      KR: ['ko'],
      ES: ['es'],
    };
    let withContacts = 0;
    for (const d of p.debtors) {
      expect(locales[d.jurisdiction]).toContain(d.locale);
      expect(d.timezone).toMatch(zones[d.jurisdiction]!);
      if (d.locale === 'zh-TW') expect(d.timezone).toBe('America/Los_Angeles');
      expect(d.phones[0]!.kind).toBe('mobile');
      for (const ph of d.phones) expect(ph.number).toMatch(phone[d.jurisdiction]!);
      for (const e of d.emails) expect(e).toMatch(/^[a-z0-9.]+@example\.(com|net|org)$/);
      expect(d.addresses).toHaveLength(1);
      expect(d.addresses[0]!.country).toBe(d.jurisdiction);
      expect(d.contacts.length).toBeLessThanOrEqual(2);
      for (const c of d.contacts) {
        expect(c.consent).toBe(true);
        expect(c.source).toBe('debtor_provided');
        expect(c.phone).toMatch(phone[d.jurisdiction]!);
      }
      if (d.contacts.length > 0) withContacts++;
      if (d.locale === 'zh-CN' || d.locale === 'zh-TW' || d.locale === 'ko')
        expect(d.name).not.toMatch(/[ A-Za-z]/);
      if (d.jurisdiction === 'ES') expect(d.name.split(' ')).toHaveLength(3); // given name and two surnames
    }
    expect(withContacts / p.debtors.length).toBeGreaterThan(0.5);
    expect(withContacts / p.debtors.length).toBeLessThan(0.7);
    expect(p.debtors.some((d) => d.timezone === 'Atlantic/Canary')).toBe(true);
    expect(p.debtors.some((d) => d.jurisdiction === 'US' && d.locale === 'es')).toBe(true);
    expect(new Set(p.debtors.filter((d) => d.jurisdiction === 'US').map((d) => d.timezone)).size).toBe(6);
  });

  it('builds schedules whose principals sum exactly, with monthly due dates and declining-balance interest', () => {
    for (const a of p.accounts) {
      const principal = minor(a.principal, a.currency);
      const parts = a.installments.map((i) => minor(i.principal, a.currency));
      expect(parts.reduce((x, y) => x + y, 0)).toBe(principal);
      // equal split, the remainder in the last installment
      const share = Math.floor(principal / parts.length);
      expect(parts.slice(0, -1).every((x) => x === share)).toBe(true);
      expect(parts.at(-1)).toBe(principal - share * (parts.length - 1));
      const opened = toDay(a.openedOn);
      expect(opened).toBeLessThanOrEqual(asOf);
      const rateNum = BigInt(Math.round(Number(a.interestRate) * 10_000));
      let balance = BigInt(principal);
      a.installments.forEach((inst, i) => {
        expect(inst.due).toBe(formatDay(addMonths(opened, i + 1)));
        // balance × rate / 12, half up, in minor units
        const expected = (balance * rateNum * 2n + 120_000n) / 240_000n;
        expect(BigInt(minor(inst.interest, a.currency))).toBe(expected);
        balance -= BigInt(parts[i]!);
      });
    }
  });

  it('uses realistic products, principals and rates per jurisdiction, with penalty rates the caps must cut', () => {
    const ranges: Record<string, { principal: [number, number]; rate: [number, number] }> = {
      USD: { principal: [500, 15_000], rate: [0.12, 0.3] },
      CNY: { principal: [1_000, 50_000], rate: [0.1, 0.24] },
      KRW: { principal: [500_000, 30_000_000], rate: [0.08, 0.19] },
      EUR: { principal: [600, 12_000], rate: [0.07, 0.2] },
    };
    const products = new Set(['consumer_loan', 'credit_card_installment', 'personal_loan', 'bnpl']);
    const overCap: Record<string, number> = { CNY: 0, KRW: 0 };
    const counts = new Set<number>();
    for (const a of p.accounts) {
      const r = ranges[a.currency]!;
      expect(products.has(a.product)).toBe(true);
      expect(Number(a.principal)).toBeGreaterThanOrEqual(r.principal[0]);
      expect(Number(a.principal)).toBeLessThanOrEqual(r.principal[1]);
      const rate = Number(a.interestRate);
      expect(rate).toBeGreaterThanOrEqual(r.rate[0]);
      expect(rate).toBeLessThanOrEqual(r.rate[1]);
      const ratio = Number(a.penaltyRate) / rate;
      expect(ratio).toBeGreaterThan(1.28);
      expect(ratio).toBeLessThan(1.52);
      if (a.currency === 'CNY' && Number(a.penaltyRate) > 0.24) overCap.CNY!++;
      if (a.currency === 'KRW' && Number(a.penaltyRate) > 0.2) overCap.KRW!++;
      expect(a.installments.length).toBeGreaterThanOrEqual(3);
      expect(a.installments.length).toBeLessThanOrEqual(24);
      counts.add(a.installments.length);
    }
    expect(overCap.CNY).toBeGreaterThan(0);
    expect(overCap.KRW).toBeGreaterThan(0);
    expect(counts.size).toBeGreaterThan(4);
    expect(new Set(p.accounts.map((a) => a.product))).toEqual(products);
  });

  it('writes amounts with exactly the currency’s decimals: none for KRW', () => {
    const currencyOf = new Map(p.accounts.map((a) => [a.ref, a.currency]));
    const check = (text: string, currency: string) =>
      expect(text).toMatch(currency === 'KRW' ? /^[1-9]\d*$/ : /^(0|[1-9]\d*)\.\d{2}$/);
    for (const a of p.accounts) {
      check(a.principal, a.currency);
      for (const i of a.installments) {
        check(i.principal, a.currency);
        expect(i.interest).toMatch(a.currency === 'KRW' ? /^\d+$/ : /^\d+\.\d{2}$/);
      }
    }
    for (const pay of p.payments) check(pay.amount, currencyOf.get(pay.accountRef)!);
    expect(p.accounts.some((a) => a.currency === 'KRW')).toBe(true);
  });

  it('dates payments between openedOn and asOf, through recorded channels, with unique sequential refs', () => {
    const accountByRef = new Map(p.accounts.map((a) => [a.ref, a]));
    const channels = new Set(['bank_transfer', 'card', 'direct_debit', 'online']);
    for (const [ref, list] of p.paymentsOf) {
      const account = accountByRef.get(ref)!;
      list.forEach((pay, i) => {
        expect(pay.ref).toBe(`P-${ref}-${i + 1}`);
        expect(pay.receivedOn <= AS_OF).toBe(true);
        expect(pay.receivedOn >= account.openedOn).toBe(true);
        expect(channels.has(pay.channel)).toBe(true);
        expect(minor(pay.amount, account.currency)).toBeGreaterThan(0);
      });
    }
    expect(new Set(p.payments.map((x) => x.channel))).toEqual(channels);
    expect(p.payments.length).toBeGreaterThan(p.accounts.length);
  });

  it('has a realistic delinquency spread as of asOf', () => {
    const big = split([...generatePortfolio({ accounts: 20_000, seed: 3, asOf: AS_OF })]);
    const bounds = [0, 1, 31, 61, 91, 181];
    const counts = [0, 0, 0, 0, 0, 0];
    let max = 0;
    for (const a of big.accounts) {
      const dpd = dpdOf(a, big.paymentsOf.get(a.ref) ?? []);
      max = Math.max(max, dpd);
      let b = bounds.length - 1;
      while (dpd < bounds[b]!) b--;
      counts[b]!++;
    }
    const shares = counts.map((c) => c / big.accounts.length);
    const [current, m1, m2, m3, m4to6, tail] = shares as [number, number, number, number, number, number];
    expect(current).toBeGreaterThan(0.3);
    expect(current).toBeLessThan(0.4);
    expect(m1).toBeGreaterThan(0.18);
    expect(m1).toBeLessThan(current);
    expect(m2).toBeGreaterThan(0.1);
    expect(m2).toBeLessThan(m1);
    expect(m3).toBeGreaterThan(0.06);
    expect(m3).toBeLessThan(m2);
    expect(m4to6).toBeGreaterThan(0.05);
    expect(m4to6).toBeLessThan(m3);
    expect(tail).toBeGreaterThan(0.04);
    expect(tail).toBeLessThan(0.12);
    expect(max).toBeGreaterThan(365);
    expect(max).toBeLessThanOrEqual(735);
  });

  it('gives exactly installmentsPerAccount installments when asked, and no payments when withPayments is false', () => {
    const records = [
      ...generatePortfolio({ accounts: 300, seed: 5, asOf: AS_OF, installmentsPerAccount: 12 }),
    ];
    const accounts = records.filter((r): r is Rec & Account => r.type === 'account');
    expect(accounts.every((a) => a.installments.length === 12)).toBe(true);
    records.forEach((r, i) => expect(validateRecord(r, i + 1).ok).toBe(true));
    const one = [...generatePortfolio({ accounts: 50, asOf: AS_OF, installmentsPerAccount: 1 })];
    one.forEach((r, i) => expect(validateRecord(r, i + 1).ok).toBe(true));
    const bare = [...generatePortfolio({ accounts: 300, seed: 5, asOf: AS_OF, withPayments: false })];
    expect(bare.some((r) => r.type === 'payment')).toBe(false);
    expect(bare.filter((r) => r.type === 'account')).toHaveLength(300);
  });

  it('refuses bad options', () => {
    const run = (opts: GenerateOptions) => () => [...generatePortfolio(opts)];
    expect(run({ accounts: -1, asOf: AS_OF })).toThrow(/accounts/);
    expect(run({ accounts: 1.5, asOf: AS_OF })).toThrow(/accounts/);
    expect(run({ accounts: 1, asOf: '2026-02-30' })).toThrow(/asOf/);
    expect(run({ accounts: 1, asOf: AS_OF, seed: Number.NaN })).toThrow(/seed/);
    expect(run({ accounts: 1, asOf: AS_OF, installmentsPerAccount: 0 })).toThrow(/installmentsPerAccount/);
    expect(run({ accounts: 1, asOf: AS_OF, installmentsPerAccount: 601 })).toThrow(/installmentsPerAccount/);
    expect([...generatePortfolio({ accounts: 0, asOf: AS_OF })]).toHaveLength(8);
  });
});

describe('writePortfolio', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'arrears-demo-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('streams exactly the generated records as NDJSON, across many chunks', async () => {
    const opts: GenerateOptions = { accounts: 6_000, seed: 11, asOf: AS_OF };
    const file = path.join(dir, 'portfolio.ndjson');
    const result = await writePortfolio(file, opts);
    const expected = [...generatePortfolio(opts)].map((r) => JSON.stringify(r) + '\n').join('');
    const written = readFileSync(file, 'utf8');
    expect(Buffer.byteLength(written)).toBeGreaterThan(2 * (1 << 20)); // more than one 1 MB chunk
    expect(written).toBe(expected);
    expect(result).toEqual({ records: expected.split('\n').length - 1, accounts: 6_000 });
  });

  it('rejects when the file cannot be written, and refuses bad options before creating it', async () => {
    await expect(
      writePortfolio(path.join(dir, 'missing', 'x.ndjson'), { accounts: 10, asOf: AS_OF }),
    ).rejects.toThrow(/ENOENT/);
    await expect(
      writePortfolio(path.join(dir, 'bad.ndjson'), { accounts: 10, asOf: 'today' }),
    ).rejects.toThrow(/asOf/);
    expect(() => readFileSync(path.join(dir, 'bad.ndjson'))).toThrow(/ENOENT/);
  });
});
