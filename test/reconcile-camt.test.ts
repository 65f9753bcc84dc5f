import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type ArrearsApp } from '../src/http/index.js';
import { importFile } from '../src/services/import/index.js';
import { addUser, createApiToken } from '../src/services/users/index.js';
import { openStore, type Store } from '../src/store/index.js';
import { backends } from './support/stores.js';

const FIXTURES = path.join(import.meta.dirname, 'fixtures', 'camt053');
const V02 = path.join(FIXTURES, 'statement-001.02.xml');
const V08 = path.join(FIXTURES, 'statement-001.08.xml');
const dir = mkdtempSync(path.join(os.tmpdir(), 'arrears-camt-'));
const run = promisify(execFile);

const account = (ref: string, paymentReference?: string) => ({
  type: 'account',
  ref,
  debtorRef: 'D-1',
  creditorRef: 'CR-ES',
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
  ...(paymentReference ? { paymentReference } : {}),
});

/** A lender with three accounts in EUR; L-102 carries the structured creditor reference of the fixtures. */
async function seed(store: Store): Promise<string> {
  const file = path.join(dir, `portfolio-${Math.random().toString(36).slice(2)}.ndjson`);
  const records = [
    {
      type: 'creditor',
      ref: 'CR-ES',
      name: 'Example Consumer Finance SA',
      jurisdiction: 'ES',
      currency: 'EUR',
    },
    {
      type: 'debtor',
      ref: 'D-1',
      name: 'Lucía García López',
      locale: 'es',
      timezone: 'Europe/Madrid',
      jurisdiction: 'ES',
      emails: ['lucia@example.es'],
    },
    account('L-100'),
    account('L-101'),
    account('L-102', 'RF18 5390 0754 7034'),
  ];
  writeFileSync(file, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const r = await importFile(store, file, { today: '2026-11-22' });
  if (!r.committed) throw new Error(JSON.stringify(r.errors));
  await addUser(store, null, { username: 'mona', role: 'manager', password: 'correct horse battery' });
  return (await createApiToken(store, null, 'mona', 'test')).token;
}

/** What the 001.02 fixture gives, line by line: [line, position, status, account, matchedBy]. */
const EXPECTED_V02 = [
  [1, 'Stmt[1]/Ntry[1]', 'posted', 'L-100', 'account_ref'],
  [2, 'Stmt[1]/Ntry[2]/TxDtls[1]', 'posted', 'L-102', 'payment_reference'],
  [3, 'Stmt[1]/Ntry[2]/TxDtls[2]', 'posted', 'L-101', 'account_ref'],
  [4, 'Stmt[1]/Ntry[3]', 'invalid', null, null],
  [5, 'Stmt[1]/Ntry[4]', 'posted', 'L-102', 'payment_reference'],
  [6, 'Stmt[1]/Ntry[5]', 'unmatched', null, null],
  [7, 'Stmt[1]/Ntry[6]', 'invalid', null, null],
];

interface Outcome {
  line: number;
  position: string | null;
  status: string;
  account: string | null;
  matchedBy: string | null;
  reason: string | null;
  transactionId: string;
  amount: string;
  bookedOn: string;
  reference: string;
}
interface Report {
  run: number | null;
  lines: number;
  posted: number;
  alreadyPosted: number;
  unmatched: number;
  outcomes: Outcome[];
}
const rows = (r: Report) => r.outcomes.map((o) => [o.line, o.position, o.status, o.account, o.matchedBy]);

const bankPayments = (store: Store) =>
  store.db
    .selectFrom('payments as p')
    .innerJoin('accounts as a', 'a.id', 'p.account_id')
    .select(['a.ref as account', 'p.ref', 'p.amount', 'p.received_on'])
    .where('p.ref', 'like', 'bank-%')
    .orderBy('p.ref')
    .execute();

/** The fixture with defects: a batch transaction without an amount, a bad currency, an id used twice. */
function broken(): string {
  return readFileSync(V02, 'utf8')
    .replace('<Amt Ccy="EUR">30.00</Amt>', '')
    .replace('<Amt Ccy="EUR">25.00</Amt>', '<Amt Ccy="EU">25,00</Amt>')
    .replace('<AcctSvcrRef>2026112000060001</AcctSvcrRef>', '<AcctSvcrRef>2026111800017781</AcctSvcrRef>');
}

describe.each(backends())('camt.053 statements over HTTP on $name', (backend) => {
  let store: Store;
  let server: ArrearsApp;
  let token: string;

  beforeAll(async () => {
    store = await backend.open();
    token = await seed(store);
    server = await buildApp(store, { logLevel: false });
  });
  afterAll(async () => {
    await server?.app.close();
    await backend.cleanup();
  });

  const upload = (body: string, query = '', type = 'application/xml') =>
    server.app.inject({
      method: 'POST',
      url: `/api/v1/reconciliations${query}`,
      headers: { authorization: `Bearer ${token}`, 'content-type': type },
      payload: body,
    });

  it('refuses a defective file as a whole, naming entry and field, and stores nothing', async () => {
    const res = await upload(broken());
    expect(res.statusCode).toBe(400);
    const issues = res.json<{ error: { details: { issues: { field: string; message: string }[] } } }>().error
      .details.issues;
    expect(issues.map((i) => i.field)).toEqual([
      'Stmt[1]/Ntry[2]/TxDtls[2]/Amt',
      'Stmt[1]/Ntry[4]/Amt',
      'Stmt[1]/Ntry[4]/Amt/@Ccy',
      'Stmt[1]/Ntry[6]/AcctSvcrRef',
    ]);
    expect(issues[3]!.message).toContain('also that of Stmt[1]/Ntry[1]');
    const malformed = await upload('<Document><BkToCstmrStmt><Stmt></BkToCstmrStmt></Document>');
    expect(malformed.statusCode).toBe(400);
    expect(
      malformed.json<{ error: { details: { issues: { line: number }[] } } }>().error.details.issues[0],
    ).toMatchObject({ line: 1, field: 'file' });
    const notCamt = await upload('<Document><BkToCstmrDbtCdtNtfctn/></Document>');
    expect(notCamt.statusCode).toBe(400);
    expect(notCamt.body).toContain('BkToCstmrStmt');
    expect(await bankPayments(store)).toEqual([]);
    expect(await store.db.selectFrom('reconciliation_runs').select('id').execute()).toEqual([]);
  });

  it('posts each booked credit (each transaction of a batch) once, matched by payment reference or account ref', async () => {
    const xml = readFileSync(V02, 'utf8');
    const first = await upload(xml, '?file=stmt-20261120.xml');
    expect(first.statusCode, first.body).toBe(200);
    const r1 = first.json<Report>();
    expect(rows(r1)).toEqual(EXPECTED_V02);
    expect([r1.lines, r1.posted, r1.alreadyPosted, r1.unmatched]).toEqual([7, 4, 0, 3]);
    expect(r1.outcomes[3]).toMatchObject({
      amount: '-2.50',
      reason: expect.stringContaining('not a credit'),
    });
    expect(r1.outcomes[6]!.reason).toContain('not booked (status PDNG)');
    expect(r1.outcomes[5]).toMatchObject({
      transactionId: '2026112000050001',
      bookedOn: '2026-11-20',
      reference: 'Transferencia de Pedro & Maria, gracias',
    });
    expect(await bankPayments(store)).toEqual([
      { account: 'L-100', ref: 'bank-2026111800017781', amount: 12000, received_on: '2026-11-18' },
      { account: 'L-102', ref: 'bank-2026111900020001-1', amount: 5000, received_on: '2026-11-19' },
      { account: 'L-102', ref: 'bank-2026112000040001', amount: 2500, received_on: '2026-11-20' },
      { account: 'L-101', ref: 'bank-E2E-AM-7790', amount: 3000, received_on: '2026-11-19' },
    ]);
    const run = await store.db
      .selectFrom('reconciliation_runs')
      .select(['format', 'lines'])
      .where('id', '=', r1.run!)
      .executeTakeFirstOrThrow();
    expect(run).toEqual({ format: 'camt053', lines: 7 });

    // The same statement again (query format, text/xml): nothing posted twice.
    const again = await upload(xml, '?format=camt053', 'text/xml');
    expect(again.json<Report>()).toMatchObject({ posted: 0, alreadyPosted: 4 });

    // The stored lines keep their positions; an unmatched one is matched by hand.
    const open = await server.app.inject({
      url: `/api/v1/reconciliations/${r1.run}/lines?open=true`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(open.json<{ items: Outcome[] }>().items.map((l) => [l.line, l.position, l.status])).toEqual([
      [6, 'Stmt[1]/Ntry[5]', 'unmatched'],
    ]);
    const match = await server.app.inject({
      method: 'POST',
      url: `/api/v1/reconciliations/${r1.run}/lines/6/match`,
      headers: { authorization: `Bearer ${token}` },
      payload: { account: 'L-101' },
    });
    expect(match.statusCode, match.body).toBe(200);
    expect(match.json()).toMatchObject({ matchedBy: 'manual', amount: '40.00' });
  });

  it('reads camt.053.001.08 with a namespace prefix and structured statuses', async () => {
    const res = await upload(readFileSync(V08, 'utf8'), '?dryRun=true');
    expect(res.statusCode, res.body).toBe(200);
    expect(rows(res.json<Report>())).toEqual([
      [1, 'Stmt[1]/Ntry[1]/TxDtls[1]', 'would_post', 'L-100', 'account_ref'],
      [2, 'Stmt[1]/Ntry[1]/TxDtls[2]', 'would_post', 'L-102', 'payment_reference'],
    ]);
    expect(res.json<Report>().outcomes[0]!.bookedOn).toBe('2026-11-21');
  });
});

describe.each(backends())('arrears reconcile --format camt053 on $name', (backend) => {
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    if (backend.name === 'postgres') {
      const store = await backend.open();
      await seed(store);
      env = { ...process.env, DATABASE_URL: backend.databaseUrl! };
    } else {
      const dataDir = mkdtempSync(path.join(dir, 'data-'));
      const store = await openStore({ dataDir });
      await seed(store);
      await store.close();
      env = { ...process.env, ARREARS_DATA_DIR: dataDir, DATABASE_URL: '' };
    }
  });
  afterAll(() => backend.cleanup());

  const arrears = async (...args: string[]) => {
    try {
      const { stdout, stderr } = await run(process.execPath, ['bin/arrears.mjs', ...args], { env });
      return { code: 0, stdout, stderr };
    } catch (e) {
      const err = e as { code: number; stdout: string; stderr: string };
      return { code: err.code, stdout: err.stdout, stderr: err.stderr };
    }
  };

  it(
    'refuses a defective file with the positions, then imports the statement once',
    { timeout: 180_000 },
    async () => {
      const bad = path.join(dir, `broken-${backend.name}.xml`);
      writeFileSync(bad, broken());
      const refused = await arrears('reconcile', bad, '--json');
      expect(refused.code).toBe(1);
      expect(refused.stdout).toContain('Stmt[1]/Ntry[2]/TxDtls[2]/Amt');

      const first = await arrears('reconcile', V02, '--format', 'camt053', '--json');
      expect(first.code, first.stderr).toBe(0);
      const report = JSON.parse(first.stdout) as Report;
      expect(rows(report)).toEqual(EXPECTED_V02);

      const again = await arrears('reconcile', V02);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toContain('0 posted, 4 already posted, 3 to review');
      expect(again.stdout).toContain('Stmt[1]/Ntry[5]');
    },
  );
});
