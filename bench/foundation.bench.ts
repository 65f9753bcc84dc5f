/**
 * Foundation benchmarks (issue: import 1M accounts × 12 installments ≤ 60 s and ≤ 1 GiB RSS on PostgreSQL;
 * portfolio snapshot over 1M accounts ≤ 15 s). Deterministic data from the demo generator.
 *
 *   npm run bench -- --accounts 1000000 --backend postgres
 *   npm run bench -- --accounts 100000 --backend pglite
 *
 * `--payments` adds the generated payment history (about 5 payments per account) to the file.
 * Run one backend per process so peak RSS belongs to that run. PostgreSQL: a fresh database
 * `arrears_bench` on ARREARS_BENCH_PG_URL (default the local server) is created and dropped; with `--keep`
 * it is kept, and a later `--keep` run that finds it holding the same number of accounts skips the import
 * (to measure the snapshot alone).
 */
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { toDay } from '../src/domain/calendar/index.js';
import { writePortfolio } from '../src/demo/generate.js';
import { importFile } from '../src/services/import/index.js';
import { snapshotPortfolio } from '../src/services/statements/index.js';
import { openStore, type Store } from '../src/store/index.js';
import { admin, benchDatabase, cpuMeter, rssMiB, seconds } from './support.js';

const { values } = parseArgs({
  options: {
    accounts: { type: 'string', default: '100000' },
    backend: { type: 'string', default: 'postgres' },
    'as-of': { type: 'string', default: '2026-11-22' },
    payments: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
const accounts = Number(values.accounts);
const asOf = values['as-of'];
const backend = values.backend as 'postgres' | 'pglite';

const dataDir = path.resolve('bench/results');
mkdirSync(dataDir, { recursive: true });
const withPayments = values.payments;
const file = path.join(dataDir, `portfolio-${accounts}x12-${asOf}${withPayments ? '-payments' : ''}.ndjson`);
if (!existsSync(file)) {
  const t = performance.now();
  await writePortfolio(file, { accounts, seed: 42, asOf, installmentsPerAccount: 12, withPayments });
  console.log(
    `generated ${file} (${(statSync(file).size / 2 ** 20).toFixed(0)} MiB) in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );
}

let store: Store;
let dbUrl: string | undefined;
let reuse = false;
if (backend === 'postgres') {
  ({ url: dbUrl, reused: reuse } = await benchDatabase('arrears_bench', { keep: values.keep, accounts }));
  store = await openStore({ databaseUrl: dbUrl });
} else {
  // On disk, as the embedded default runs (a data folder), not in memory.
  const pgliteDir = path.join(dataDir, 'pglite-bench');
  rmSync(pgliteDir, { recursive: true, force: true });
  store = await openStore({ dataDir: pgliteDir });
}

const results: Record<string, string | number> = {
  backend,
  accounts,
  installments: accounts * 12,
  node: process.version,
  cpus: availableParallelism(),
};
let t = performance.now();
if (!reuse) {
  const importCpu = await cpuMeter(backend === 'postgres' ? 'arrears_bench' : null);
  const imported = await importFile(store, file, { today: asOf });
  if (!imported.committed) throw new Error(`import failed: ${JSON.stringify(imported.errors.slice(0, 5))}`);
  results.importSeconds = seconds(t);
  results.importCpuSeconds = JSON.stringify(await importCpu());
  results.importPeakRssMiB = rssMiB();
  results.payments = imported.imported.payments;
  console.log('import phases (ms):', JSON.stringify(imported.timings));
}

if (reuse) {
  // As after a fresh import: no earlier snapshot to replace.
  await store.transaction(({ sql }) => sql.query(`TRUNCATE delinquency_snapshots`));
}
const cpu = await cpuMeter(backend === 'postgres' ? 'arrears_bench' : null);
t = performance.now();
const summary = await snapshotPortfolio(store, toDay(asOf));
results.snapshotSeconds = seconds(t);
results.snapshotCpuSeconds = JSON.stringify(await cpu());
results.snapshotAccounts = summary.totals.accounts;
results.peakRssMiB = rssMiB();

// The floor: the same rows (a debtor and an account with a 12-installment schedule per account) written into
// tables of the same shape by PostgreSQL itself, no client in the way
// (ordinary logged tables, as the real ones; the whole database is dropped afterwards).
if (backend === 'postgres' && !reuse) {
  const floor = await store.transaction(async ({ sql }) => {
    await sql.query(`CREATE TABLE floor_debtors (LIKE debtors INCLUDING ALL)`);
    await sql.query(`CREATE TABLE floor_accounts (LIKE accounts INCLUDING ALL)`);
    const s = performance.now();
    await sql.query(
      `INSERT INTO floor_debtors (ref, name, locale, timezone, jurisdiction, phones, emails)
       SELECT 'D-' || g, 'Debtor ' || g, 'en', 'America/New_York', 'US',
              '[{"number":"+12125550100","kind":"mobile"}]', '["d@example.com"]'
       FROM generate_series(1, $1::int) g`,
      [accounts],
    );
    await sql.query(
      `INSERT INTO floor_accounts (ref, debtor_id, creditor_id, product, currency, principal, interest_rate, penalty_rate,
         opened_on, schedule_due, schedule_principal, schedule_interest, schedule_fees)
       SELECT 'A-' || g, g, 1, 'consumer_loan', 'USD', 120000, 0.18, 0.27, DATE '2025-01-01',
              (SELECT array_agg(DATE '2025-01-01' + 30 * s) FROM generate_series(1, 12) s),
              array_fill(10000::bigint, ARRAY[12]), array_fill(1500::bigint, ARRAY[12]), array_fill(0::bigint, ARRAY[12])
       FROM generate_series(1, $1::int) g`,
      [accounts],
    );
    return seconds(s);
  });
  results.floorInsertSeconds = floor;
}
await store.close();
if (backend === 'postgres' && !values.keep) await admin('DROP DATABASE IF EXISTS arrears_bench WITH (FORCE)');
else rmSync(path.join(dataDir, 'pglite-bench'), { recursive: true, force: true });
console.log(JSON.stringify(results));
