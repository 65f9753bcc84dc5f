/**
 * Allocation speed: 100,000 cases to 200 collectors.
 * 1. The pure engine (`allocate`), deterministic generated inputs, median of 5 runs.
 * 2. With `--service`: the whole `allocateCases` on a generated portfolio in embedded PGlite (or DATABASE_URL):
 *    import, snapshot, one open collector_queue escalation per account, 200 collectors with profiles, then one
 *    allocation run (load facts, score, allocate, write assignments, events, escalations, audit) timed.
 * Run: npx tsx bench/allocation.bench.ts [--service] [--accounts N] [--collectors N]
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  allocate,
  type CaseToAllocate,
  type CollectorForAllocation,
} from '../src/domain/allocation/index.js';
import { toDay } from '../src/domain/calendar/index.js';
import { writePortfolio } from '../src/demo/generate.js';
import { importFile } from '../src/services/import/index.js';
import { allocateCases } from '../src/services/queues/index.js';
import { snapshotPortfolio } from '../src/services/statements/index.js';
import { openStore } from '../src/store/index.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
};
const CASES = arg('--accounts', 100_000);
const COLLECTORS = arg('--collectors', 200);
const AS_OF = '2026-11-22';

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = mulberry32(20261123);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const JURIS = [
  ['US', ['en', 'es', 'zh-TW']],
  ['KR', ['ko']],
  ['CN', ['zh-CN']],
  ['ES', ['es']],
] as const;
const BUCKETS = ['1-30', '31-60', '61-90', '91-180', '181+'];

function engine() {
  const cases: CaseToAllocate[] = Array.from({ length: CASES }, (_, i) => {
    const [jurisdiction, locales] = pick(JURIS);
    return {
      accountId: i + 1,
      role: 'collector',
      bucket: pick(BUCKETS),
      locale: pick(locales),
      jurisdiction,
      requiredSkills: rand() < 0.1 ? ['high_balance'] : [],
      expectedRecovery: Math.floor(rand() * 1_000_000),
    };
  });
  const collectors: CollectorForAllocation[] = Array.from({ length: COLLECTORS }, (_, i) => {
    const [jurisdiction, locales] = pick(JURIS);
    return {
      userId: i + 1,
      role: 'collector',
      locales: [...locales],
      jurisdictions: [jurisdiction],
      skills: rand() < 0.3 ? ['high_balance'] : [],
      buckets: rand() < 0.5 ? [] : [pick(BUCKETS), pick(BUCKETS)],
      maxOpenCases: 400 + Math.floor(rand() * 200),
      load: Math.floor(rand() * 100),
    };
  });
  const times: number[] = [];
  let assigned = 0;
  for (let run = 0; run < 5; run++) {
    const t0 = performance.now();
    const { results } = allocate(cases, collectors);
    times.push(performance.now() - t0);
    assigned = results.filter((r) => r.outcome === 'assigned').length;
  }
  times.sort((a, b) => a - b);
  console.log(
    `engine: ${CASES} cases → ${COLLECTORS} collectors: median ${times[2]!.toFixed(1)} ms (min ${times[0]!.toFixed(1)}), ${assigned} assigned`,
  );
}

async function service() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'arrears-alloc-bench-'));
  const file = path.join(dir, 'portfolio.ndjson');
  await writePortfolio(file, { accounts: CASES, seed: 11, asOf: AS_OF });
  const store = await openStore({
    databaseUrl: process.env.DATABASE_URL || undefined,
    dataDir: process.env.DATABASE_URL ? undefined : path.join(dir, 'db'),
  });
  try {
    let t = performance.now();
    const imported = await importFile(store, file, { today: AS_OF });
    if (!imported.committed) throw new Error('import failed');
    console.log(`setup: import ${((performance.now() - t) / 1000).toFixed(1)} s`);
    t = performance.now();
    await snapshotPortfolio(store, toDay(AS_OF));
    console.log(`setup: snapshot ${((performance.now() - t) / 1000).toFixed(1)} s`);
    await store.transaction(async ({ sql }) => {
      await sql.query(
        `INSERT INTO escalations (account_id, target, reason, strategy, strategy_version, segment, raised_on)
         SELECT id, 'collector_queue', 'bench', 'bench', 1, 'all', $1 FROM accounts`,
        [AS_OF],
      );
      // Collectors by SQL (a placeholder hash: these users never sign in), profiles spread over the jurisdictions.
      await sql.query(
        `INSERT INTO users (username, display_name, role, password_hash)
         SELECT 'bench-' || g, 'bench ' || g, 'collector', 'x' FROM generate_series(1, $1) g`,
        [COLLECTORS],
      );
      await sql.query(
        `INSERT INTO collector_profiles (user_id, locales, jurisdictions, skills, buckets, max_open_cases, updated_by)
         SELECT u.id, j.locales, ARRAY[j.code], CASE WHEN u.id % 3 = 0 THEN ARRAY['high_balance'] ELSE '{}' END,
                '{}', 600, 'bench'
         FROM users u
         JOIN (VALUES (0, 'US', ARRAY['en','es','zh-TW']), (1, 'KR', ARRAY['ko']), (2, 'CN', ARRAY['zh-CN']),
                      (3, 'ES', ARRAY['es'])) AS j(n, code, locales) ON j.n = u.id % 4
         WHERE u.username LIKE 'bench-%'`,
      );
    });
    t = performance.now();
    const run = await allocateCases(store, null, AS_OF);
    const s = (performance.now() - t) / 1000;
    console.log(
      `service (${store.kind}): ${run.considered} cases → ${COLLECTORS} collectors in ${s.toFixed(1)} s: ${run.assigned} assigned, ${run.unassigned} unassigned ${JSON.stringify(run.byReason)}`,
    );
  } finally {
    await store.close();
  }
}

engine();
if (process.argv.includes('--service')) await service();
