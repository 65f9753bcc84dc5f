import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toDay } from '../src/domain/calendar/index.js';
import { DEFAULT_BUCKETS } from '../src/domain/delinquency/index.js';
import { importFile } from '../src/services/import/index.js';
import {
  getStatement,
  portfolioJson,
  snapshotPortfolio,
  statementJson,
} from '../src/services/statements/index.js';
import type { Store } from '../src/store/index.js';
import { backends } from './support/stores.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'arrears-statement-test-'));
const records = [
  { type: 'creditor', ref: 'CR-PLAIN', name: 'No caps', jurisdiction: 'CN', currency: 'CNY' },
  {
    type: 'creditor',
    ref: 'CR-CAPPED',
    name: 'Capped',
    jurisdiction: 'CN',
    currency: 'CNY',
    settings: { caps: { penaltyRateMax: '0.24', source: 'CN.RATE.FIN_INST' } },
  },
  {
    type: 'debtor',
    ref: 'D-1',
    name: '王芳',
    locale: 'zh-CN',
    timezone: 'Asia/Shanghai',
    jurisdiction: 'CN',
  },
  ...['CR-PLAIN', 'CR-CAPPED'].map((creditorRef) => ({
    type: 'account',
    ref: `A-${creditorRef}`,
    debtorRef: 'D-1',
    creditorRef,
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
  })),
  ...['CR-PLAIN', 'CR-CAPPED'].map((c) => ({
    type: 'payment',
    ref: 'P-1',
    accountRef: `A-${c}`,
    amount: '600.00',
    receivedOn: '2026-11-01',
    channel: 'bank_transfer',
  })),
  {
    type: 'debtor',
    ref: 'D-2',
    name: 'Emma Smith',
    locale: 'en',
    timezone: 'America/New_York',
    jurisdiction: 'US',
  },
  { type: 'creditor', ref: 'CR-US', name: 'Riverside', jurisdiction: 'US', currency: 'USD' },
  {
    type: 'account',
    ref: 'A-CURRENT',
    debtorRef: 'D-2',
    creditorRef: 'CR-US',
    product: 'card',
    currency: 'USD',
    principal: '300.00',
    interestRate: '0.2',
    penaltyRate: '0.25',
    openedOn: '2026-10-01',
    installments: [{ due: '2026-12-01', principal: '300.00', interest: '5.00' }],
  },
];
const file = path.join(dir, 'p.ndjson');
writeFileSync(file, records.map((r) => JSON.stringify(r)).join('\n'));

describe.each(backends())('statements and portfolio on $name', (backend) => {
  let store: Store;
  beforeAll(async () => {
    store = await backend.open();
    const r = await importFile(store, file, { today: '2026-11-22' });
    expect(r.errors).toEqual([]);
  });
  afterAll(() => backend.cleanup());

  it('computes the worked CNY example: penalty only on overdue principal', async () => {
    // Installment 1: 1000.00 × 27% ÷ 365 × 22 days (10-11..11-01) = 16.27 at the payment;
    // P-1 600.00 → 16.27 penalty, 30.00 interest, 553.73 principal; then 446.27 × 27% ÷ 365 × 21 days;
    // exact total 23.2064 → 23.21, of which 6.94 unpaid. Installment 2: 1000.00 × 27% ÷ 365 × 12 = 8.88.
    const s = statementJson(await getStatement(store, 'A-CR-PLAIN', '2026-11-22'));
    expect(s).toMatchObject({
      dpd: 43,
      bucket: 'M2',
      currency: 'CNY',
      outstandingPrincipal: '1446.27',
      payoff: '1477.09',
    });
    expect(s.overdue).toEqual({
      principal: '1446.27',
      interest: '15.00',
      fees: '0.00',
      penalty: '15.82',
      total: '1477.09',
    });
    expect(s.installments.map((i) => i.charged.penalty)).toEqual(['23.21', '8.88']);
    expect(s.payments[0]!.allocations).toEqual([
      { installment: 1, component: 'penalty', amount: '16.27' },
      { installment: 1, component: 'interest', amount: '30.00' },
      { installment: 1, component: 'principal', amount: '553.73' },
    ]);
    expect(s.formula.join('\n')).toMatch(/Days past due = 2026-11-22 − 2026-10-10/);
  });

  it("applies the creditor's configured cap and names it", async () => {
    // 24%: 1000.00 × 24% ÷ 365 × 22 = 14.47 at the payment → 555.53 principal repaid;
    // installment 1: 14.4658 + 444.47 × 24% ÷ 365 × 21 (6.1374) = 20.60, 6.13 unpaid; installment 2: 7.89.
    const s = statementJson(await getStatement(store, 'A-CR-CAPPED', '2026-11-22'));
    expect(s.overdue).toEqual({
      principal: '1444.47',
      interest: '15.00',
      fees: '0.00',
      penalty: '14.02',
      total: '1473.49',
    });
    expect(s.formula.join('\n')).toMatch(/27% is lowered to the cap of 24% \(CN\.RATE\.FIN_INST\)/);
  });

  it('reports a missing account and a bad date as errors', async () => {
    await expect(getStatement(store, 'A-NOPE')).rejects.toMatchObject({ kind: 'not_found' });
    await expect(getStatement(store, 'A-CR-PLAIN', '2026-02-30')).rejects.toMatchObject({ kind: 'invalid' });
  });

  it('snapshots every account with the same engine, idempotently per date', async () => {
    const asOf = toDay('2026-11-22');
    const first = portfolioJson(
      await snapshotPortfolio(store, asOf, { pageSize: 2 }),
      DEFAULT_BUCKETS.map((b) => b.name),
    );
    const again = portfolioJson(
      await snapshotPortfolio(store, asOf),
      DEFAULT_BUCKETS.map((b) => b.name),
    );
    expect(again).toEqual(first);
    const inWorkers = portfolioJson(
      await snapshotPortfolio(store, asOf, { pageSize: 1, workers: 2 }),
      DEFAULT_BUCKETS.map((b) => b.name),
    );
    expect(inWorkers).toEqual(first);
    expect(first).toMatchObject({ asOf: '2026-11-22', accounts: 3, delinquent: 2 });
    expect(first.overdue).toEqual({ CNY: '2950.58', USD: '0.00' });
    expect(first.byBucket.map((b) => [b.bucket, b.accounts])).toEqual([
      ['M0', 1],
      ['M2', 2],
    ]);
    expect(first.byCreditor.map((c) => [c.creditor, c.delinquent])).toEqual([
      ['CR-CAPPED', 1],
      ['CR-PLAIN', 1],
      ['CR-US', 0],
    ]);
    const rows = await store.db
      .selectFrom('delinquency_snapshots')
      .selectAll()
      .orderBy('account_id')
      .execute();
    expect(rows).toHaveLength(3);
    const plain = await store.db
      .selectFrom('accounts')
      .select('id')
      .where('ref', '=', 'A-CR-PLAIN')
      .executeTakeFirstOrThrow();
    expect(rows.find((r) => r.account_id === plain.id)).toMatchObject({
      dpd: 43,
      bucket: 'M2',
      overdue_penalty: 1582,
      overdue_total: 147709,
    });
  });
});
