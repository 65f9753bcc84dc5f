/**
 * Daily cycle benchmark (issue: 1,000,000 delinquent accounts on local PostgreSQL in ≤ 30 s wall and ≤ 1 GiB
 * RSS; PGlite beside it; the floor: PostgreSQL COPYing the same accounts out and the same number of actions in).
 * Deterministic data from the demo generator (with payment history; the foundation benchmark's `--payments` file is reused when present), the
 * shipped default strategy of each jurisdiction activated.
 *
 *   npm run bench:cycle -- --accounts 1000000 --backend postgres [--keep] [--once] [--batch N] [--workers N]
 *   npm run bench:cycle -- --accounts 100000 --backend pglite
 *
 * `--keep` keeps the imported PostgreSQL database (arrears_bench_cycle) and reuses it on the next run: the
 * cycle's outbox and run rows are emptied first, so every run plans the same day from scratch. `--once` runs
 * the cycle only (no rerun, no floor: for profiling); `--batch` and `--workers` are passed to the cycle.
 */
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { writePortfolio } from '../src/demo/generate.js';
import { runCycle } from '../src/services/cycle/index.js';
import { importFile } from '../src/services/import/index.js';
import {
  activateStrategy,
  DEFAULT_STRATEGY_JURISDICTIONS,
  defaultStrategyFile,
  saveStrategy,
} from '../src/services/strategy/index.js';
import { openStore, type Store } from '../src/store/index.js';
import { admin, benchDatabase, cpuMeter, rssMiB, seconds } from './support.js';

const { values } = parseArgs({
  options: {
    accounts: { type: 'string', default: '100000' },
    backend: { type: 'string', default: 'postgres' },
    'as-of': { type: 'string', default: '2026-11-22' },
    keep: { type: 'boolean', default: false },
    // Only the first cycle: no rerun, no floor (for profiling one run).
    once: { type: 'boolean', default: false },
    batch: { type: 'string', default: '10000' },
    // Worker threads (default: the cycle's own choice — one per core from 50,000 accounts on PostgreSQL).
    workers: { type: 'string' },
  },
});
const accounts = Number(values.accounts);
const asOf = values['as-of'];
const backend = values.backend as 'postgres' | 'pglite';
const DB = 'arrears_bench_cycle';

const dataDir = path.resolve('bench/results');
mkdirSync(dataDir, { recursive: true });
// With payment history (the foundation benchmark's `-payments` file when it exists; without payments every
// account is overdue since its first installment).
const file = path.join(dataDir, `portfolio-${accounts}x12-${asOf}-payments.ndjson`);
if (!existsSync(file)) {
  const t = performance.now();
  await writePortfolio(file, { accounts, seed: 42, asOf, installmentsPerAccount: 12 });
  console.log(
    `generated ${file} (${(statSync(file).size / 2 ** 20).toFixed(0)} MiB) in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );
}

let store: Store;
let dbUrl = '';
let reuse = false;
if (backend === 'postgres') {
  ({ url: dbUrl, reused: reuse } = await benchDatabase(DB, { keep: values.keep, accounts }));
  store = await openStore({ databaseUrl: dbUrl });
} else {
  const dir = path.join(dataDir, 'pglite-bench-cycle');
  rmSync(dir, { recursive: true, force: true });
  store = await openStore({ dataDir: dir });
}

const results: Record<string, string | number> = {
  backend,
  accounts,
  node: process.version,
  cpus: availableParallelism(),
};
if (reuse) {
  await store.transaction(async ({ sql }) => {
    await sql.query(`TRUNCATE outbox, compliance_decisions, escalations, cycle_runs`);
  });
  const c = new pg.Client({ connectionString: dbUrl });
  await c.connect();
  await c.query('VACUUM ANALYZE outbox, compliance_decisions, escalations');
  await c.end();
} else {
  const t = performance.now();
  const imported = await importFile(store, file, { today: asOf });
  if (!imported.committed) throw new Error(`import failed: ${JSON.stringify(imported.errors.slice(0, 5))}`);
  results.importSeconds = seconds(t);
  for (const j of DEFAULT_STRATEGY_JURISDICTIONS) {
    const { name, version } = await saveStrategy(
      store,
      await readFile(defaultStrategyFile(j), 'utf8'),
      'bench',
    );
    await activateStrategy(store, name, version, `jurisdiction:${j}`, 'bench');
  }
}
const rssBefore = rssMiB();

const cpu = await cpuMeter(backend === 'postgres' ? DB : null);
let t = performance.now();
const batchSize = Number(values.batch);
// The main thread's own heap beside the process's RSS (worker threads' heaps count in RSS only).
const memPeak = { rss: 0, heapTotal: 0, external: 0, arrayBuffers: 0 };
const sampleMemory = () => {
  const m = process.memoryUsage();
  for (const k of Object.keys(memPeak) as (keyof typeof memPeak)[])
    memPeak[k] = Math.max(memPeak[k], Math.round(m[k] / 2 ** 20));
};
// Sampled while the event loop turns (PGlite's work blocks it: then only the end is seen).
const memTimer = setInterval(sampleMemory, 200);
const summary = await runCycle(store, {
  asOf,
  actor: 'bench',
  batchSize,
  ...(values.workers !== undefined ? { workers: Number(values.workers) } : {}),
});
results.cycleSeconds = seconds(t);
results.cycleCpuSeconds = JSON.stringify(await cpu());
results.batch = batchSize;
results.workers = summary.workers;
results.evaluated = summary.evaluated;
results.planned = summary.planned;
results.rescheduled = summary.rescheduled;
results.blocked = summary.blocked;
results.escalated = summary.escalated;
results.byChannel = JSON.stringify(summary.byChannel);
results.byRule = JSON.stringify(summary.byRule);
results.timingsMs = JSON.stringify(summary.timings);
results.peakRssMiBBeforeCycle = rssBefore;
results.peakRssMiB = rssMiB();
clearInterval(memTimer);
sampleMemory();
results.memPeakMiB = JSON.stringify(memPeak);

if (!values.once) {
  t = performance.now();
  const again = await runCycle(store, { asOf, actor: 'bench', batchSize });
  results.rerunSeconds = seconds(t);
  results.rerunPlanned = again.planned;
}
await store.close();

// The floor on PostgreSQL: the accounts (with debtor zone and schedule, as the cycle reads them) copied out
// to the client and discarded, and as many outbox rows as the cycle wrote copied into a table of the same
// shape — what moving the data costs with no engine in between.
if (backend === 'postgres' && !values.once) {
  const c = new pg.Client({ connectionString: dbUrl });
  await c.connect();
  try {
    t = performance.now();
    await pipeline(
      c.query(
        copyTo(`COPY (SELECT a.id, a.ref, a.currency, a.principal, a.interest_rate, a.penalty_rate, a.product,
                  a.creditor_id, a.opened_on, d.jurisdiction, d.timezone, d.phones, a.schedule_due,
                  a.schedule_principal, a.schedule_interest, a.schedule_fees
                FROM accounts a JOIN debtors d ON d.id = a.debtor_id WHERE a.status = 'open') TO STDOUT`),
      ),
      new Writable({ write: (_chunk, _enc, done) => done() }),
    );
    results.floorCopyOutSeconds = seconds(t);
    await c.query(
      `CREATE TEMP TABLE floor_outbox (LIKE outbox INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING IDENTITY)`,
    );
    await c.query(`ALTER TABLE floor_outbox ADD PRIMARY KEY (account_id, id)`);
    const n = summary.planned + summary.blocked;
    const row = (i: number) =>
      `${i}\tcycle:${asOf}:early:email-1\temail\treminder\t${asOf}T15:00:00Z\tdefault-us@1\temail-first\t{"reason":"DPD reached 3"}\tearly\temail-1\t${asOf}\tpending\t${asOf}T15:00:00Z\n`;
    t = performance.now();
    const stream = c.query(
      copyFrom(`COPY floor_outbox (account_id, idempotency_key, channel, template, planned_at, strategy_version,
                 strategy_arm, vars, strategy_segment, strategy_step, planned_on, status, next_attempt_at) FROM STDIN`),
    );
    await pipeline(
      (function* () {
        let chunk = '';
        for (let i = 1; i <= n; i++) {
          chunk += row(i);
          if (chunk.length > 1 << 20) {
            yield chunk;
            chunk = '';
          }
        }
        if (chunk) yield chunk;
      })(),
      stream,
    );
    results.floorCopyInSeconds = seconds(t);
  } finally {
    await c.end();
  }
}
if (backend === 'postgres') {
  if (!values.keep) await admin(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
} else {
  rmSync(path.join(dataDir, 'pglite-bench-cycle'), { recursive: true, force: true });
}
console.log(JSON.stringify(results));
