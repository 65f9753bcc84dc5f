import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writePortfolio } from '../src/demo/generate.js';
import { importFile } from '../src/services/import/index.js';
import type { Store } from '../src/store/index.js';
import { backends } from './support/stores.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'arrears-import-test-'));
let n = 0;
function file(lines: (object | string)[], ext = 'ndjson'): string {
  const f = path.join(dir, `f${n++}.${ext}`);
  writeFileSync(f, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');
  return f;
}

const creditor = {
  type: 'creditor',
  ref: 'CR-CN',
  name: 'Example Consumer Finance',
  jurisdiction: 'CN',
  currency: 'CNY',
};
const debtor = {
  type: 'debtor',
  ref: 'D-1',
  name: '王芳',
  locale: 'zh-CN',
  timezone: 'Asia/Shanghai',
  jurisdiction: 'CN',
  phones: [{ number: '+8613800000001', kind: 'mobile' }],
  emails: ['wf@example.cn'],
  contacts: [{ name: '李强', relationship: 'spouse', phone: '+8613900000002', consent: true }],
};
const account = {
  type: 'account',
  ref: 'A-1',
  debtorRef: 'D-1',
  creditorRef: 'CR-CN',
  product: 'consumer_loan',
  currency: 'CNY',
  principal: '2000.00',
  interestRate: '0.18',
  penaltyRate: '0.27',
  openedOn: '2026-09-10',
  installments: [
    { due: '2026-10-10', principal: '1000.00', interest: '30.00' },
    { due: '2026-11-10', principal: '1000.00', interest: '15.00' },
  ],
};
const payment = {
  type: 'payment',
  ref: 'P-1',
  accountRef: 'A-1',
  amount: '600.00',
  receivedOn: '2026-11-01',
  channel: 'bank_transfer',
};
const today = '2026-11-22';

async function counts(store: Store) {
  const one = async (
    t: 'creditors' | 'debtors' | 'accounts' | 'installments' | 'payments' | 'account_events',
  ) =>
    Number(
      (
        await store.db
          .selectFrom(t)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    creditors: await one('creditors'),
    debtors: await one('debtors'),
    accounts: await one('accounts'),
    installments: await one('installments'),
    payments: await one('payments'),
    events: await one('account_events'),
  };
}

describe.each(backends())('import on $name', (backend) => {
  let store: Store;
  beforeAll(async () => {
    store = await backend.open();
  });
  afterAll(() => backend.cleanup());

  it('imports the documented example and stores amounts in minor units', async () => {
    const r = await importFile(store, file([creditor, debtor, account, payment]), { today });
    expect(r.committed).toBe(true);
    expect(r.errors).toEqual([]);
    expect(r.imported).toEqual({ creditors: 1, debtors: 1, accounts: 1, payments: 1 });
    expect(r.created).toEqual({ creditors: 1, debtors: 1, accounts: 1, payments: 1 });
    const a = await store.db
      .selectFrom('accounts')
      .selectAll()
      .where('ref', '=', 'A-1')
      .executeTakeFirstOrThrow();
    expect(a.principal).toBe(200000);
    expect(Number(a.interest_rate)).toBe(0.18);
    const inst = await store.db
      .selectFrom('installments')
      .selectAll()
      .where('account_id', '=', a.id)
      .orderBy('seq')
      .execute();
    expect(inst.map((i) => [i.seq, i.due_on, i.principal, i.interest, i.fees])).toEqual([
      [1, '2026-10-10', 100000, 3000, 0],
      [2, '2026-11-10', 100000, 1500, 0],
    ]);
    const p = await store.db.selectFrom('payments').selectAll().executeTakeFirstOrThrow();
    expect([p.ref, p.amount, p.received_on, p.channel]).toEqual([
      'P-1',
      60000,
      '2026-11-01',
      'bank_transfer',
    ]);
    const d = await store.db.selectFrom('debtors').selectAll().executeTakeFirstOrThrow();
    expect(d.contacts[0]).toMatchObject({ name: '李强', relationship: 'spouse', consent: true });
  });

  it('re-importing the same records is idempotent: nothing created, updated or logged again', async () => {
    const before = await counts(store);
    const r = await importFile(store, file([creditor, debtor, account, payment]), { today });
    expect(r.committed).toBe(true);
    expect(r.created).toEqual({ creditors: 0, debtors: 0, accounts: 0, payments: 0 });
    expect(r.updated).toEqual({ creditors: 0, debtors: 0, accounts: 0, payments: 0 });
    expect(await counts(store)).toEqual(before);
  });

  it('upserts by ref: a changed schedule replaces the installments and logs one event', async () => {
    const before = await counts(store);
    const changed = {
      ...account,
      installments: [{ due: '2026-10-10', principal: '2000.00', interest: '30.00', fees: '5.00' }],
    };
    const r = await importFile(store, file([changed]), { today });
    expect(r.updated.accounts).toBe(1);
    const after = await counts(store);
    expect(after.installments).toBe(before.installments - 1);
    expect(after.events).toBe(before.events + 1);
    await importFile(store, file([account]), { today }); // restore
  });

  it('rejects the whole file when any record is bad, reporting every error by line and field', async () => {
    const before = await counts(store);
    const lines = [
      { ...creditor, ref: 'CR-NEW' },
      { ...debtor, ref: 'D-2', timezone: 'Mars/Olympus' },
      '{"type":"account", broken',
      { ...account, ref: 'A-2', principal: '-5', openedOn: '2026-02-30' },
      { ...account, ref: 'A-3', debtorRef: 'D-404' },
      { ...account, ref: 'A-4', currency: 'XYZ' },
      { ...account, ref: 'A-5', principal: '1999.00' },
      { ...payment, ref: 'P-9', accountRef: 'A-404' },
      { ...payment, ref: 'P-10', amount: '1.001' },
      { ...payment, ref: 'P-11', channel: 'cash' },
      {
        ...debtor,
        ref: 'D-3',
        contacts: [
          {
            name: 'X',
            relationship: 'friend',
            phone: '+8613900000003',
            consent: false,
            source: 'address_book',
          },
        ],
      },
      { ...account, ref: 'A-6', debtorRef: 'D-2' },
      { ...account, ref: 'A-1', product: 'dup-1' },
      { ...account, ref: 'A-1', product: 'dup-2' },
    ];
    const r = await importFile(store, file(lines), { today });
    expect(r.committed).toBe(false);
    const has = (line: number, field: string, message: RegExp) =>
      expect(r.errors).toContainEqual(
        expect.objectContaining({ line, field, message: expect.stringMatching(message) }),
      );
    has(2, 'timezone', /IANA time zone/);
    has(3, '(record)', /invalid JSON/);
    has(4, 'principal', /negative/);
    has(4, 'openedOn', /real date/);
    has(5, 'debtorRef', /unknown debtor ref "D-404"/);
    has(6, 'currency', /ISO 4217/);
    has(7, 'installments', /sum to 2000\.00 but principal is 1999\.00/);
    has(8, 'accountRef', /unknown account ref "A-404"/);
    has(9, 'amount', /more than 2 decimals for CNY/);
    has(10, 'channel', /cash is not accepted/);
    has(11, 'contacts.0.source', /address_book/);
    has(12, 'debtorRef', /debtor "D-2" was rejected \(line 2\)/);
    has(14, 'ref', /duplicate account ref "A-1" \(first at line 13\)/);
    expect(r.rejected).toBe(12);
    expect(r.imported.creditors).toBe(1);
    expect(await counts(store)).toEqual(before);
  });

  it('with skipInvalid writes the valid records and a rejects file with every bad line', async () => {
    const rejects = path.join(dir, 'rejects.ndjson');
    const lines = [
      { ...debtor, ref: 'D-7' },
      { ...account, ref: 'A-7', debtorRef: 'D-7' },
      { ...account, ref: 'A-8', penaltyRate: 'high' },
      { ...payment, ref: 'P-8', accountRef: 'A-8' },
      { ...payment, ref: 'P-7', accountRef: 'A-7', receivedOn: '2027-01-01' },
      { ...payment, ref: 'P-7b', accountRef: 'A-7' },
    ];
    const r = await importFile(store, file(lines), { today, skipInvalid: true, rejectsFile: rejects });
    expect(r.committed).toBe(true);
    expect(r.imported).toEqual({ creditors: 0, debtors: 1, accounts: 1, payments: 1 });
    const rejected = readFileSync(rejects, 'utf8')
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as { line: number; errors: { field: string; message: string }[]; record: string },
      );
    expect(rejected.map((x) => x.line)).toEqual([3, 4, 5]);
    expect(rejected[1]!.errors[0]!.message).toMatch(/account "A-8" was rejected \(line 3\)/);
    expect(rejected[2]!.errors[0]!.message).toMatch(/in the future/);
    expect(JSON.parse(rejected[0]!.record)).toMatchObject({ ref: 'A-8' });
    const refs = (await store.db.selectFrom('accounts').select('ref').orderBy('ref').execute()).map(
      (x) => x.ref,
    );
    expect(refs).toContain('A-7');
    expect(refs).not.toContain('A-8');
  });

  it('reports the same errors whether new records are written as they are read or only after the checks', async () => {
    // Without skipInvalid, records with new refs reach the real tables while the file is read (and are rolled
    // back on any error); with it, nothing is written before the checks. The checks must not see the difference.
    const rows = (tag: string) => [
      { ...account, ref: `A-${tag}1`, paymentReference: `PR-${tag}` },
      { ...account, ref: `A-${tag}2`, paymentReference: `PR-${tag}` }, // already given to A-…1
      { ...payment, ref: `P-${tag}1`, accountRef: `A-${tag}2` }, // its account was rejected
      { ...account, ref: `A-${tag}3` },
      { ...account, ref: `A-${tag}3`, currency: 'USD', principal: '2000.00' }, // twice; no currency change
      { ...payment, ref: `P-${tag}3`, accountRef: `A-${tag}3`, currency: 'USD' },
      {
        ...account,
        ref: 'A-1',
        currency: 'KRW',
        principal: '2000',
        installments: [{ due: '2026-10-10', principal: '2000', interest: '0' }],
      },
      { ...account, ref: `A-${tag}4`, debtorRef: `D-${tag}` }, // its debtor comes later
      { ...debtor, ref: `D-${tag}` },
      { ...debtor, ref: `D-${tag}`, name: 'Twice' },
    ];
    const before = await counts(store);
    const early = await importFile(store, file(rows('E')), { today });
    expect(early.committed).toBe(false);
    expect(await counts(store)).toEqual(before);
    const late = await importFile(store, file(rows('E')), { today, skipInvalid: true });
    expect(late.committed).toBe(true);
    expect(early.errors).toEqual(late.errors);
    expect(early.errors.map((e) => [e.line, e.field])).toEqual([
      [2, 'paymentReference'],
      [3, 'accountRef'],
      [5, 'ref'],
      [6, 'currency'], // the payment's, against the first A-E3
      [7, 'currency'],
      [10, 'ref'],
    ]);
    expect(early.errors[1]!.message).toMatch(/account "A-E2" was rejected \(line 2\)/);
    expect(late.created.accounts).toBe(3);
  });

  it('stores text as given whatever its characters (quotes, backslashes, braces, commas, "NULL")', async () => {
    const odd = ['O"Brien \\ {a,b}', 'NULL', '\\N', 'tab\there', 'line\nbreak', '"', '{}', 'a , b'];
    const lines = odd.map((name, i) => ({
      ...debtor,
      ref: `D-ODD-${i}`,
      name: `${name} ${i}`,
      addresses: [{ kind: 'home', line1: `${name}`.trim() || 'x', city: 'Madrid', country: 'ES' }],
    }));
    const r = await importFile(store, file(lines), { today });
    expect(r.errors).toEqual([]);
    const stored = await store.db
      .selectFrom('debtors')
      .select(['ref', 'name', 'addresses'])
      .where('ref', 'like', 'D-ODD-%')
      .orderBy('ref')
      .execute();
    expect(stored.map((d) => [d.ref, d.name, (d.addresses as { line1: string }[])[0]!.line1])).toEqual(
      lines.map((l) => [l.ref, l.name, l.addresses[0]!.line1]),
    );
  });

  it('refuses to change a posted payment', async () => {
    const r = await importFile(store, file([{ ...payment, amount: '700.00' }]), { today });
    expect(r.committed).toBe(false);
    expect(r.errors[0]).toMatchObject({
      line: 1,
      field: 'ref',
      message: expect.stringMatching(/already recorded with amount 600\.00/),
    });
  });

  it('imports CSV with JSON cells and reports CSV lines', async () => {
    const csv = [
      'type,ref,name,jurisdiction,currency,locale,timezone,phones,emails,debtorRef,creditorRef,product,principal,interestRate,penaltyRate,openedOn,installments,accountRef,amount,receivedOn,channel',
      'creditor,CR-KR,한국소비자금융,KR,KRW,,,,,,,,,,,,,,,,',
      'debtor,D-KR,김민준,KR,,ko,Asia/Seoul,"[{""number"":""+821012345678"",""kind"":""mobile""}]",mj@example.kr;mj2@example.kr,,,,,,,,,,,,',
      'account,A-KR,,,KRW,,,,,D-KR,CR-KR,personal_loan,1000000,0.15,0.2,2026-06-01,"[{""due"":""2026-07-01"",""principal"":""1000000"",""interest"":""12500""}]",,,,',
      'payment,P-KR,,,,,,,,,,,,,,,,A-KR,10.5,2026-07-02,bank_transfer',
    ];
    const r = await importFile(store, file(csv, 'csv'), { today });
    expect(r.errors).toEqual([
      expect.objectContaining({
        line: 5,
        field: 'amount',
        message: expect.stringMatching(/more than 0 decimals for KRW/),
      }),
    ]);
    csv[4] = 'payment,P-KR,,,,,,,,,,,,,,,,A-KR,10500,2026-07-02,bank_transfer';
    const ok = await importFile(store, file(csv, 'csv'), { today });
    expect(ok.committed).toBe(true);
    expect(ok.created).toMatchObject({ creditors: 1, debtors: 1, accounts: 1, payments: 1 });
    const d = await store.db
      .selectFrom('debtors')
      .selectAll()
      .where('ref', '=', 'D-KR')
      .executeTakeFirstOrThrow();
    expect(d.emails).toEqual(['mj@example.kr', 'mj2@example.kr']);
  });

  it('reports a line that is not UTF-8 instead of importing replacement characters', async () => {
    const f = path.join(dir, 'latin1.ndjson');
    const good = JSON.stringify({ ...debtor, ref: 'D-L1' });
    const bad = Buffer.from(
      JSON.stringify({ ...debtor, ref: 'D-L2', name: 'Peña' }).replace('Peña', 'Pe\u00f1a'),
      'latin1',
    );
    writeFileSync(f, Buffer.concat([Buffer.from(good + '\n'), bad, Buffer.from('\n')]));
    const r = await importFile(store, f, { today });
    expect(r.committed).toBe(false);
    expect(r.errors).toEqual([{ line: 2, field: '(record)', message: 'the line is not valid UTF-8 text' }]);
    const csv = path.join(dir, 'latin1.csv');
    writeFileSync(
      csv,
      Buffer.concat([
        Buffer.from('type,ref,name,jurisdiction,currency\ncreditor,CR-L,'),
        Buffer.from('Financiera Peña', 'latin1'),
        Buffer.from(',ES,EUR\n'),
      ]),
    );
    const c = await importFile(store, csv, { today });
    expect(c.errors).toEqual([{ line: 2, field: '(record)', message: 'column name: not valid UTF-8 text' }]);
  });

  it('says clearly when the file cannot be read', async () => {
    await expect(importFile(store, path.join(dir, 'missing.ndjson'), { today })).rejects.toThrow(
      /cannot read import file .*missing\.ndjson: ENOENT/,
    );
    await expect(importFile(store, dir, { today })).rejects.toThrow(/not a file/);
  });

  it('keeps the account event log append-only', async () => {
    await expect(store.db.deleteFrom('account_events').execute()).rejects.toThrow(/append-only/);
    await expect(store.db.updateTable('account_events').set({ kind: 'x' }).execute()).rejects.toThrow(
      /append-only/,
    );
  });

  it('stages big files in worker threads with the same checks and line numbers', async () => {
    const big = path.join(dir, 'workers.ndjson');
    await writePortfolio(big, { accounts: 1500, seed: 7, asOf: today, installmentsPerAccount: 12 });
    const generated = readFileSync(big, 'utf8').trim().split('\n');
    expect(readFileSync(big).length).toBeGreaterThan(3 << 20); // several 1 MiB batches
    const bad = generated.length + 2; // after one blank line
    writeFileSync(
      big,
      generated.join('\n') + '\n\n' + JSON.stringify({ ...payment, ref: 'P-W', amount: '-1' }) + '\n',
    );
    const kinds = generated.map((l) => (JSON.parse(l) as { type: string }).type);
    const count = (k: string) => kinds.filter((t) => t === k).length;

    const refused = await importFile(store, big, { today, workers: 2 });
    expect(refused.committed).toBe(false);
    expect(refused.errors).toEqual([{ line: bad, field: 'amount', message: 'amount "-1" is negative' }]);

    const r = await importFile(store, big, { today, workers: 2, skipInvalid: true });
    expect(r.committed).toBe(true);
    expect(r.imported).toEqual({
      creditors: count('creditor'),
      debtors: count('debtor'),
      accounts: count('account'),
      payments: count('payment'),
    });
    expect(r.rejected).toBe(1);
  });
});
