/**
 * Plan judging benchmark: one active two-installment plan on every open account of a generated portfolio
 * (made 60 days before the as-of date, first installment due 30 days before it), then `judgePlans` over all
 * of them in one transaction — the step the daily cycle runs. Reports plans judged per second.
 *
 *   npx tsx bench/plans.bench.ts --accounts 20000 --backend postgres
 *   npx tsx bench/plans.bench.ts --accounts 20000 --backend pglite
 *   npx tsx bench/plans.bench.ts --accounts 20000 --judge-as-of 2026-10-13   (nothing due yet: read and judge only)
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { writePortfolio } from '../src/demo/generate.js';
import { verifyAudit } from '../src/services/audit/index.js';
import { importFile } from '../src/services/import/index.js';
import { judgePlans } from '../src/services/negotiation/index.js';
import { openStore, type Store } from '../src/store/index.js';
import { ADMIN, admin } from './support.js';

const { values } = parseArgs({
  options: {
    accounts: { type: 'string', default: '20000' },
    backend: { type: 'string', default: 'postgres' },
    /** Judge on this date instead (e.g. 2026-10-13: before any installment is due, so almost nothing changes). */
    'judge-as-of': { type: 'string' },
  },
});
const accounts = Number(values.accounts);
const AS_OF = '2026-11-22';
const seconds = (t: number) => (performance.now() - t) / 1000;

const resultsDir = path.resolve('bench/results');
mkdirSync(resultsDir, { recursive: true });
const file = path.join(resultsDir, `portfolio-${accounts}-plans.ndjson`);
if (!existsSync(file)) await writePortfolio(file, { accounts, seed: 7, asOf: AS_OF });

const db = `arrears_bench_plans_${process.pid}`;
let store: Store;
if (values.backend === 'postgres') {
  await admin(`CREATE DATABASE ${db}`);
  const url = new URL(ADMIN);
  url.pathname = `/${db}`;
  store = await openStore({ databaseUrl: url.toString() });
} else store = await openStore({ dataDir: 'memory://' });

try {
  const imported = await importFile(store, file, { today: AS_OF });
  if (!imported.committed) throw new Error('import failed');
  // Every open account: half its principal twice; payments since the plan was made decide the outcome.
  const { rows } = await store.transaction(({ sql }) =>
    sql.query<{ n: number }>(
      `WITH ins AS (
         INSERT INTO plans (account_id, kind, status, currency, owed, total, discount, due_dates, amounts, made_on,
                            grace_days, tolerance, required_role, approval_reason, proposed_by_name, proposed_role)
         SELECT id, 'installment', 'active', currency, principal, principal, 0,
                ARRAY[$1::date - 30, $1::date + 30], ARRAY[principal / 2, principal - principal / 2],
                $1::date - 60, 2, 0, 'collector', 'bench', 'bench', 'collector'
         FROM accounts WHERE status = 'open' AND principal >= 2 RETURNING 1)
       SELECT count(*)::int AS n FROM ins`,
      [AS_OF],
    ),
  );
  const planned = rows[0]!.n;
  await store.transaction(({ sql }) => sql.query('ANALYZE plans'));
  const t = performance.now();
  const r = await store.transaction((tx) => judgePlans(tx, values['judge-as-of'] ?? AS_OF));
  const s = seconds(t);
  const audit = await verifyAudit(store);
  if (!audit.ok) throw new Error(`audit chain broken: ${JSON.stringify(audit.firstBroken)}`);
  console.log(
    JSON.stringify({
      backend: values.backend,
      accounts,
      plans: planned,
      ...r,
      seconds: Number(s.toFixed(2)),
      plansPerSecond: Math.round(r.judged / s),
      auditRecordsVerified: audit.records,
    }),
  );
} finally {
  await store.close();
  if (values.backend === 'postgres') await admin(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
}
