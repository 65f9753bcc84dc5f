import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { generatePortfolio } from '../../demo/generate.js';
import { fastAccount, fastDebtor, fastInstallments, installmentSchema, validateWithZod } from './records.js';

const schedule = z.array(installmentSchema).min(1).max(600);

const nearlyValid = fc.record(
  {
    due: fc.oneof(
      fc.constantFrom('2026-01-31', '2026-02-29', '2024-02-29', '2026-13-01', '2026-1-01', ''),
      fc.integer(),
    ),
    principal: fc.oneof(fc.constantFrom('100.00', '0', '1.5', '-1', '1e3', '.5', '12.', ' 1'), fc.double()),
    interest: fc.constantFrom('0.00', '3', 'x'),
    fees: fc.constantFrom('0', '1.25', '-2', null),
    extra: fc.string(),
  },
  { requiredKeys: ['due', 'principal'] },
);

describe('the schedule fast path', () => {
  it('accepts exactly what the Zod schema accepts, with the same result', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.array(nearlyValid, { maxLength: 4 }),
          fc.anything(),
          fc.array(fc.anything(), { maxLength: 3 }),
        ),
        (value) => {
          const zod = schedule.safeParse(value);
          const fast = fastInstallments(value);
          expect(fast !== null).toBe(zod.success);
          if (zod.success) expect(fast).toEqual(zod.data);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

/** Mostly the first value (so whole records are often valid), sometimes one of the others. */
const mostly = <T>(valid: T, ...others: unknown[]) =>
  fc.oneof(
    { arbitrary: fc.constant(valid), weight: 20 },
    { arbitrary: fc.constantFrom(...others), weight: 1 },
  );

const trimmedRef = (valid: string) =>
  mostly(valid, ` ${valid} `, '', '   ', 'x'.repeat(100), ` ${'x'.repeat(100)} `, 'x'.repeat(101), 5, null);
const amounts = fc.constantFrom(
  '100.00',
  '100',
  '0.50',
  '007.10',
  '100.001',
  '1e3',
  '-1',
  '.5',
  '12.',
  ' 1',
  '90071992547409.91',
  '90071992547409.92',
  '999999999999999',
  '9999999999999999',
  '1000000000000000',
  '0000000000000001',
);
const day = fc.constantFrom(
  '2025-12-31',
  '2026-01-31',
  '2026-02-28',
  '2026-03-31',
  '2026-02-30',
  '2026-1-01',
);
const installment = fc.record(
  {
    due: day,
    principal: fc.oneof({ arbitrary: fc.constantFrom('100.00', '100'), weight: 10 }, amounts),
    interest: fc.oneof({ arbitrary: fc.constant('1.50'), weight: 10 }, amounts),
    fees: fc.oneof({ arbitrary: fc.constant('0'), weight: 10 }, amounts, fc.constant(null)),
  },
  { requiredKeys: ['due', 'principal', 'interest'] },
);
const nearlyValidAccount = fc
  .record(
    {
      type: fc.constant('account'),
      ref: trimmedRef('A-1'),
      debtorRef: trimmedRef('D-1'),
      creditorRef: trimmedRef('CR-1'),
      product: mostly('bnpl', ' card ', '', 'p'.repeat(50), 'p'.repeat(51)),
      currency: mostly('USD', 'KRW', 'BHD', 'CLF', 'XYZ', 'usd', 1),
      principal: fc.oneof(amounts, fc.constant(100)),
      interestRate: mostly('0.18', '0', '1.000000000001', '1.0000000000001', '-0.1', '1234567', 0.18),
      penaltyRate: mostly('0.27', '123456.5', ' 0.2'),
      penaltyOnInterest: mostly(true, false, null, 'true'),
      openedOn: mostly('2025-11-30', '2026-02-30', '2026-1-1', 20260101, '2026-01-31'),
      paymentReference: mostly('RF18539007547034', 'RF19539007547034', 'ab-12 3', '', ' ', null, 'a_b'),
      installments: fc.oneof(
        // Due dates in order (as a valid schedule has them), or as they come, or anything at all.
        {
          arbitrary: fc
            .array(installment, { minLength: 1, maxLength: 3 })
            .map((list) => [...list].sort((x, y) => (x.due < y.due ? -1 : 1))),
          weight: 10,
        },
        fc.array(installment, { maxLength: 3 }),
        fc.anything(),
      ),
      extra: fc.string(),
    },
    {
      requiredKeys: [
        'type',
        'ref',
        'debtorRef',
        'creditorRef',
        'product',
        'currency',
        'principal',
        'interestRate',
        'penaltyRate',
        'openedOn',
        'installments',
      ],
    },
  )
  // Mostly make the principal the schedule's sum, or that rule fails before all others.
  .chain((a) =>
    fc.integer({ min: 0, max: 3 }).map((k) => {
      if (k === 0 || !Array.isArray(a.installments)) return a;
      const total = (a.installments as unknown[]).reduce<number>(
        (t, i) => t + (isRecord(i) && typeof i.principal === 'string' ? Number(i.principal) : NaN),
        0,
      );
      return { ...a, principal: a.currency === 'KRW' ? total.toFixed(0) : total.toFixed(2) };
    }),
  );

const phone = fc.record(
  {
    number: mostly('+12125550100', '12125550100', '+0123456789', '+1212'),
    kind: mostly('mobile', 'pager', 'home', null),
    x: fc.string(),
  },
  { requiredKeys: ['number', 'kind'] },
);
const email = mostly('a@example.com', 'a.b+c@mail.example.cn', 'bad', 'a@b.c', ' a@example.com', 3);
const address = fc.record(
  {
    kind: mostly('home', 'work', 'moon'),
    line1: mostly('1 Main St', ' 2 Side St ', '', 'l'.repeat(201), 'l'.repeat(200)),
    line2: mostly('Apt 1', ' ', 'l'.repeat(201), null),
    city: mostly('Seoul', ' Madrid', ''),
    region: mostly('NY', 'r'.repeat(101), 'r'.repeat(100)),
    postalCode: mostly('10001', '1'.repeat(21)),
    country: mostly('US', 'KR', 'us', 'ZZ', 'XX'),
  },
  { requiredKeys: ['kind', 'line1', 'city', 'country'] },
);
const contact = fc.record(
  {
    name: mostly('Li Qiang', ' 李强 ', ''),
    relationship: mostly('spouse', 'friend', 'neighbour'),
    phone: mostly('+8613900000002', '13900000002'),
    email,
    consent: mostly(true, false, 'yes'),
    source: mostly('debtor_provided', 'address_book', null),
  },
  { requiredKeys: ['name', 'relationship', 'consent'] },
);
const nearlyValidDebtor = fc.record(
  {
    type: fc.constant('debtor'),
    ref: trimmedRef('D-1'),
    name: mostly('James Harris', ' 王芳 ', '', 'n'.repeat(201)),
    locale: mostly('en', 'es-ES', 'zh-CN', 'zh-Hant', 'fr', 'en-us', 'ko'),
    timezone: mostly('Asia/Seoul', 'America/New_York', 'UTC', 'Mars/Olympus', '+09:00'),
    jurisdiction: mostly('CN', 'US', 'KR', 'us', 'ZZ'),
    phones: fc.oneof({ arbitrary: fc.array(phone, { maxLength: 3 }), weight: 10 }, fc.constant(null)),
    emails: fc.oneof(
      { arbitrary: fc.array(email, { maxLength: 3 }), weight: 10 },
      fc.constant('a@example.com'),
      fc.array(fc.constant('a@example.com'), { minLength: 11, maxLength: 11 }),
    ),
    addresses: fc.array(address, { maxLength: 2 }),
    contacts: fc.oneof({ arbitrary: fc.array(contact, { maxLength: 3 }), weight: 10 }, fc.anything()),
    extra: fc.anything(),
  },
  { requiredKeys: ['type', 'ref', 'name', 'locale', 'timezone', 'jurisdiction'] },
);

describe('the debtor and account fast paths', () => {
  it('accept only what the full validation accepts, and return the same record', () => {
    let fastAccepted = 0;
    let accAccepted = 0;
    fc.assert(
      fc.property(fc.oneof(nearlyValidAccount, nearlyValidDebtor, fc.anything()), (value) => {
        const full = validateWithZod(value, 7);
        const fast = isRecord(value)
          ? value.type === 'debtor'
            ? fastDebtor(value)
            : fastAccount(value, 7)
          : null;
        if (fast === null) return;
        fastAccepted++;
        if (isRecord(value) && value.type === 'account') accAccepted++;
        expect(full.ok).toBe(true);
        if (full.ok) expect({ line: 7, ...fast }).toEqual(full.record);
      }),
      { numRuns: 5000 },
    );
    // The generators must reach the accepting case, or the property says nothing.
    expect(fastAccepted).toBeGreaterThan(300);
    expect(accAccepted).toBeGreaterThan(100);
  });

  it('take every debtor and account the demo portfolio generator writes', () => {
    let n = 0;
    for (const record of generatePortfolio({ accounts: 300, seed: 11, asOf: '2026-11-22' })) {
      if (record.type === 'debtor') expect(fastDebtor(record)).not.toBeNull();
      if (record.type === 'account') expect(fastAccount(record, 1)).not.toBeNull();
      n++;
    }
    expect(n).toBeGreaterThan(600);
  });
});

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
