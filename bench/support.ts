/**
 * What the benchmarks share: the administrative connection, timers, peak RSS and CPU accounting.
 */
import { readFileSync } from 'node:fs';
import pg from 'pg';

/** The server's maintenance database: benchmarks create and drop their own databases through it. */
export const ADMIN = process.env.ARREARS_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Runs one statement on the maintenance database. */
export async function admin(sql: string): Promise<pg.QueryResult> {
  const c = new pg.Client({ connectionString: ADMIN });
  await c.connect();
  try {
    return await c.query(sql);
  } finally {
    await c.end();
  }
}

/** The URL of database `name` on the benchmark server. */
export function databaseUrl(name: string): string {
  const u = new URL(ADMIN);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * A database for a benchmark run: with `keep`, an existing one holding `accounts` accounts is reused (the
 * import is skipped); otherwise it is dropped and created empty.
 */
export async function benchDatabase(
  name: string,
  options: { keep: boolean; accounts: number },
): Promise<{ url: string; reused: boolean }> {
  const url = databaseUrl(name);
  let reused = false;
  if (options.keep && (await admin(`SELECT 1 FROM pg_database WHERE datname = '${name}'`)).rowCount === 1) {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const n = await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM accounts`).catch(() => null);
    await c.end();
    reused = n?.rows[0]?.n === options.accounts;
  }
  if (!reused) {
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin(`CREATE DATABASE ${name}`);
  }
  return { url, reused };
}

/** Seconds since `t` (a performance.now() reading), as text with two decimals. */
export const seconds = (t: number): string => ((performance.now() - t) / 1000).toFixed(2);

/** This process's peak RSS so far, MiB. */
export const rssMiB = (): string => (process.resourceUsage().maxRSS / 1024).toFixed(0);

/**
 * CPU seconds, which a loaded machine inflates far less than wall time: of this process (all its threads)
 * and of the PostgreSQL backends serving database `db` (from /proc; Linux only). Call it before the
 * measured work and call the returned function after it.
 */
export async function cpuMeter(
  db: string | null,
): Promise<() => Promise<{ node: string; postgres?: string }>> {
  const backends = async () => {
    const out = new Map<number, number>();
    if (db === null) return out;
    const { rows } = await admin(`SELECT pid FROM pg_stat_activity WHERE datname = '${db}'`);
    for (const { pid } of rows as { pid: number }[]) {
      try {
        const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
        out.set(pid, (Number(fields[11]) + Number(fields[12])) / 100); // utime + stime, clock ticks
      } catch {
        // the backend ended meanwhile
      }
    }
    return out;
  };
  const before = await backends();
  // Backends that end before the run does (a worker thread's connections) are sampled while they live.
  const last = new Map(before);
  const sample = async () => {
    for (const [pid, cpu] of await backends()) last.set(pid, cpu);
  };
  const timer = db === null ? null : setInterval(() => void sample().catch(() => undefined), 250);
  const node = process.cpuUsage();
  return async () => {
    const used = process.cpuUsage(node);
    const result: { node: string; postgres?: string } = {
      node: ((used.user + used.system) / 1e6).toFixed(2),
    };
    if (timer !== null) {
      clearInterval(timer);
      await sample();
      let pgCpu = 0;
      for (const [pid, cpu] of last) pgCpu += cpu - (before.get(pid) ?? 0);
      result.postgres = pgCpu.toFixed(2);
    }
    return result;
  };
}
