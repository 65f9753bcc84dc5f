import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../src/services/import/index.js';
import { reconcileStatement, runLines } from '../src/services/reconciliation/index.js';
import type { Store } from '../src/store/index.js';
import { backends } from './support/stores.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'arrears-payref-'));
let n = 0;
function file(lines: object[], ext = 'ndjson'): string {
  const f = path.join(dir, `f${n++}.${ext}`);
  writeFileSync(f, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  return f;
}

const today = '2026-11-22';
const creditor = (ref: string) => ({
  type: 'creditor',
  ref,
  name: `Lender ${ref}`,
  jurisdiction: 'ES',
  currency: 'EUR',
});
const debtor = {
  type: 'debtor',
  ref: 'D-1',
  name: 'Lucía García',
  locale: 'es',
  timezone: 'Europe/Madrid',
  jurisdiction: 'ES',
  emails: ['lucia@example.es'],
};
const account = (ref: string, paymentReference?: string, creditorRef = 'CR-1') => ({
  type: 'account',
  ref,
  debtorRef: 'D-1',
  creditorRef,
  product: 'personal_loan',
  currency: 'EUR',
  principal: '1000.00',
  interestRate: '0.10',
  penaltyRate: '0.12',
  openedOn: '2026-08-01',
  installments: [
    { due: '2026-09-01', principal: '500.00', interest: '8.00' },
    { due: '2026-10-01', principal: '500.00', interest: '4.00' },
  ],
  ...(paymentReference === undefined ? {} : { paymentReference }),
});

describe.each(backends())('payment references on $name', (backend) => {
  let store: Store;
  beforeAll(async () => {
    store = await backend.open();
  });
  afterAll(() => backend.cleanup());

  const stored = async () =>
    Object.fromEntries(
      (
        await store.db.selectFrom('accounts').select(['ref', 'payment_reference']).orderBy('ref').execute()
      ).map((a) => [a.ref, a.payment_reference]),
    );

  it('stores references normalised and refuses bad ones by line and field, writing nothing', async () => {
    const bad = await importFile(
      store,
      file([
        creditor('CR-1'),
        debtor,
        account('L-1', 'RF19 5390 0754 7034'),
        account('L-2', 'LN/2024'),
        account('L-3', 'X'.repeat(36)),
        account('L-4', 'ln-4711'),
      ]),
      { today },
    );
    expect(bad.committed).toBe(false);
    expect(bad.errors).toEqual([
      {
        line: 3,
        field: 'paymentReference',
        message: expect.stringContaining('wrong ISO 11649 check digits 19') as string,
      },
      { line: 4, field: 'paymentReference', message: expect.stringContaining('only letters') as string },
      { line: 5, field: 'paymentReference', message: expect.stringContaining('at most 35') as string },
    ]);
    expect(await stored()).toEqual({});

    const ok = await importFile(
      store,
      file([
        creditor('CR-1'),
        creditor('CR-2'),
        debtor,
        account('L-1', 'rf18 5390 0754 7034'),
        account('L-2', 'LN-4711'),
        account('L-3'),
        // Another creditor may use the same reference.
        account('L-9', 'LN-4711', 'CR-2'),
      ]),
      { today },
    );
    expect(ok.errors).toEqual([]);
    expect(await stored()).toEqual({
      'L-1': 'RF18539007547034',
      'L-2': 'LN-4711',
      'L-3': null,
      'L-9': 'LN-4711',
    });
  });

  it('keeps a reference unique per creditor, in the file and against the database', async () => {
    const twice = await importFile(store, file([account('L-4', 'PR 77'), account('L-5', 'pr77')]), { today });
    expect(twice.errors).toEqual([
      {
        line: 2,
        field: 'paymentReference',
        message: 'payment reference "PR77" of creditor "CR-1" is already given to account "L-4" (line 1)',
      },
    ]);
    const taken = await importFile(store, file([account('L-6', 'ln-4711')]), { today });
    expect(taken.errors).toEqual([
      {
        line: 1,
        field: 'paymentReference',
        message: 'payment reference "LN-4711" of creditor "CR-1" already belongs to account "L-2"',
      },
    ]);
    // Two accounts may swap references in one file: checked at the commit, not row by row.
    const swap = await importFile(
      store,
      file([account('L-1', 'LN-4711'), account('L-2', 'RF18539007547034')]),
      { today },
    );
    expect(swap.errors).toEqual([]);
    expect(await stored()).toMatchObject({ 'L-1': 'LN-4711', 'L-2': 'RF18539007547034' });
    // And back, so the tests below read as the first import left them.
    await importFile(store, file([account('L-1', 'RF18539007547034'), account('L-2', 'LN-4711')]), {
      today,
    });
  });

  it('has the database refuse a reference twice per creditor at the commit, whatever wrote it', async () => {
    const give = (ref: string, reference: string | null) =>
      store.transaction(({ sql }) =>
        sql.query(`UPDATE accounts SET payment_reference = $2 WHERE ref = $1`, [ref, reference]),
      );
    await expect(give('L-3', 'LN-4711')).rejects.toThrow(/accounts_payment_reference_key/);
    // Another creditor's account, and accounts without a reference, are no conflict.
    expect(await stored()).toMatchObject({ 'L-3': null, 'L-9': 'LN-4711' });
    await give('L-3', 'LN-4712');
    await give('L-3', null);
  });

  it('matches a statement line by payment reference first, then by account ref, and records which', async () => {
    const csv = [
      'date,amount,currency,reference,transaction_id',
      // The structured reference as the payer spaced it, in lower case.
      '2026-11-20,100,EUR,Cuota rf18 5390 0754 7034 noviembre,T-1',
      // The lender's own reference; the account-ref pattern would find "LN-4711" too, as no account.
      '2026-11-20,50,EUR,pago LN-4711,T-2',
      // No payment reference: the account ref in the text.
      '2026-11-20,25,EUR,cuenta L-3,T-3',
      // A payment reference wins over an account ref of another account in the same text.
      '2026-11-21,10,EUR,L-3 RF18539007547034,T-4',
      '2026-11-21,10,EUR,sin referencia,T-5',
    ].join('\n');
    const report = await reconcileStatement(store, null, { name: 'nov.csv', bytes: Buffer.from(csv) });
    expect(report.outcomes.map((o) => [o.line, o.status, o.account, o.matchedBy])).toEqual([
      [2, 'posted', 'L-1', 'payment_reference'],
      // "LN-4711" is a reference of CR-1 (L-2) and of CR-2 (L-9): two accounts, a person decides.
      [3, 'ambiguous', null, null],
      [4, 'posted', 'L-3', 'account_ref'],
      [5, 'posted', 'L-1', 'payment_reference'],
      [6, 'unmatched', null, null],
    ]);
    expect(report.outcomes[1]!.reason).toContain('L-2, L-9');
    const lines = await runLines(store, report.run!);
    expect(lines.items.map((l) => [l.line, l.matchedBy])).toEqual([
      [2, 'payment_reference'],
      [3, null],
      [4, 'account_ref'],
      [5, 'payment_reference'],
      [6, null],
    ]);
    // A re-import knows how each transaction was matched the first time.
    const again = await reconcileStatement(store, null, { name: 'nov.csv', bytes: Buffer.from(csv) });
    expect(again.outcomes[0]).toMatchObject({ status: 'already_posted', matchedBy: 'payment_reference' });
  });
});
