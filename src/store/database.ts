import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, Migrator, PostgresDialect, sql as rawSql, type Migration } from 'kysely';
import pg from 'pg';
import { ArrearsError } from '../domain/errors.js';
import { singleClientDialect } from './kysely-driver.js';
import { statements as foundation } from './migrations/20261122_0001_foundation.js';
import { statements as compliance } from './migrations/20261122_0002_compliance.js';
import { statements as server } from './migrations/20261122_0003_server.js';
import { statements as notices } from './migrations/20261122_0004_notices.js';
import { statements as strategies } from './migrations/20261122_0005_strategies.js';
import { statements as cycle } from './migrations/20261123_0006_cycle.js';
import { statements as queues } from './migrations/20261123_0009_queues.js';
import { statements as negotiation } from './migrations/20261123_0008_negotiation.js';
import { statements as contacts } from './migrations/20261123_0007_contacts.js';
import { statements as integrations } from './migrations/20261123_0010_integrations.js';
import { statements as referencesSettlements } from './migrations/20261123_0011_references_settlements.js';
import { statements as debtorHolds } from './migrations/20261123_0012_debtor_holds.js';
import { statements as paymentReferenceExclusion } from './migrations/20261123_0013_payment_reference_exclusion.js';
import { statements as outboxStrategyIndex } from './migrations/20261202_0014_outbox_strategy_index.js';
import type { Schema } from './schema.js';
import { pgClient, pgliteClient, pgPoolClient, type SqlClient } from './sql-client.js';

/** A transaction: typed queries (Kysely) and raw SQL/COPY on the same connection. */
export interface Tx {
  readonly db: Kysely<Schema>;
  readonly sql: SqlClient;
}

export interface Store {
  readonly kind: 'postgres' | 'pglite';
  /** Where the data lives, for messages: a masked URL or the data folder. */
  readonly location: string;
  /** For reads and single statements outside a transaction. */
  readonly db: Kysely<Schema>;
  /** The same, raw (each statement on its own, in autocommit; inside `boundStore`, the transaction's). */
  readonly sql: SqlClient;
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface StoreConfig {
  /** postgres://… — when absent, the embedded database in `dataDir` is used. */
  databaseUrl?: string | undefined;
  /** Folder of the embedded database; `memory://` keeps it in memory (tests). */
  dataDir?: string | undefined;
}

/** Reads DATABASE_URL and ARREARS_DATA_DIR (default ./.arrears). */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): StoreConfig {
  return { databaseUrl: env.DATABASE_URL || undefined, dataDir: env.ARREARS_DATA_DIR || './.arrears' };
}

const INT8 = 20;
const DATE = 1082;
const INT8_ARRAY = 1016;
const DATE_ARRAY = 1182;
// int8 holds minor units and ids, all within 2^53; dates stay civil 'YYYY-MM-DD' strings, never Date objects.
// Arrays of them (the schedule columns) never contain quoted elements, so a split is their whole grammar.
const splitArray = (v: string) => (v === '{}' ? [] : v.slice(1, -1).split(','));
const PARSERS: Record<number, (v: string) => unknown> = {
  [INT8]: (v) => Number(v),
  [DATE]: (v) => v,
  [INT8_ARRAY]: (v) => splitArray(v).map((x) => (x === 'NULL' ? null : Number(x))),
  [DATE_ARRAY]: (v) => splitArray(v).map((x) => (x === 'NULL' ? null : x)),
};
for (const [oid, parse] of Object.entries(PARSERS)) pg.types.setTypeParser(Number(oid), parse);

const migrations: Record<string, string[]> = {
  '20261122_0001_foundation': foundation,
  '20261122_0002_compliance': compliance,
  '20261122_0003_server': server,
  '20261122_0004_notices': notices,
  '20261122_0005_strategies': strategies,
  '20261123_0006_cycle': cycle,
  '20261123_0009_queues': queues,
  '20261123_0008_negotiation': negotiation,
  '20261123_0007_contacts': contacts,
  '20261123_0010_integrations': integrations,
  '20261123_0011_references_settlements': referencesSettlements,
  '20261123_0012_debtor_holds': debtorHolds,
  '20261123_0013_payment_reference_exclusion': paymentReferenceExclusion,
  '20261202_0014_outbox_strategy_index': outboxStrategyIndex,
};

function migrationProvider() {
  return {
    getMigrations: async () => {
      const out: Record<string, Migration> = {};
      for (const [name, sqls] of Object.entries(migrations)) {
        out[name] = {
          up: async (db) => {
            for (const text of sqls) await rawSql.raw(text).execute(db);
          },
        };
      }
      return out;
    },
  };
}

async function migrate(db: Kysely<Schema>): Promise<void> {
  // Branches land migrations out of name order (0004 before 0002/0003): each runs once, whatever the order.
  const migrator = new Migrator({ db, provider: migrationProvider(), allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new ArrearsError(
      'unavailable',
      `database migration ${failed} failed: ${error instanceof Error ? error.message : JSON.stringify(error)}`,
    );
  }
}

export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparseable URL)';
  }
}

/** Opens (and migrates) the configured database. */
export async function openStore(config: StoreConfig = configFromEnv()): Promise<Store> {
  const store = config.databaseUrl
    ? await openPostgres(config.databaseUrl)
    : await openPglite(config.dataDir ?? './.arrears');
  await migrate(store.db);
  return store;
}

async function openPostgres(url: string): Promise<Store> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle pooled connection that the server ends (restart, failover, DROP DATABASE … FORCE) emits
  // 'error' on the pool; unhandled, that would crash the process. The pool drops that client by itself
  // and the next query opens a new one, so there is nothing else to do here.
  pool.on('error', () => undefined);
  try {
    const c = await pool.connect();
    c.release();
  } catch (e) {
    await pool.end();
    throw new ArrearsError(
      'unavailable',
      `cannot connect to PostgreSQL at ${maskUrl(url)}: ${(e as Error).message}`,
    );
  }
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  const store: Store = {
    kind: 'postgres',
    location: maskUrl(url),
    db,
    sql: pgPoolClient(pool),
    async transaction(fn) {
      const client = await pool.connect();
      const sql = pgClient(client);
      const txDb = new Kysely<Schema>({ dialect: singleClientDialect(sql) });
      try {
        await client.query('BEGIN');
        const result = await fn({ db: txDb, sql });
        await client.query('COMMIT');
        return result;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        client.release();
      }
    },
    async close() {
      await db.destroy();
    },
  };
  connectionUrls.set(store, url);
  return store;
}

// Kept beside the store, never on it: a store object that ends up in a log or an error does not carry the secret.
const connectionUrls = new WeakMap<Store, string>();

/**
 * The connection URL a PostgreSQL store was opened with — for worker threads that open their own connections
 * to the same database; null for the embedded database (one connection, in this thread). Never log it.
 */
export function connectionUrlOf(store: Store): string | null {
  return connectionUrls.get(store) ?? null;
}

async function openPglite(dataDir: string): Promise<Store> {
  const inMemory = dataDir.startsWith('memory://');
  const location = inMemory ? dataDir : path.resolve(dataDir, 'pglite');
  if (!inMemory) mkdirSync(location, { recursive: true });
  const pglite = await PGlite.create(inMemory ? undefined : location, {
    parsers: PARSERS,
  });
  const sql = pgliteClient(pglite);
  const db = new Kysely<Schema>({ dialect: singleClientDialect(sql) });
  return {
    kind: 'pglite',
    location,
    db,
    sql,
    transaction(fn) {
      // PGlite has one connection: its transaction() holds it, so other queries wait rather than interleave.
      return pglite.transaction(async (t) => {
        const txSql = pgliteClient(t);
        return fn({ db: new Kysely<Schema>({ dialect: singleClientDialect(txSql) }), sql: txSql });
      });
    },
    async close() {
      await pglite.close();
    },
  };
}

/**
 * A Store view of one open transaction: its queries run on that transaction, and a service that calls
 * `transaction()` on it simply joins it. Lets services that take a Store run inside a caller's scope.
 */
export function boundStore(parent: Pick<Store, 'kind' | 'location'>, tx: Tx): Store {
  return {
    kind: parent.kind,
    location: parent.location,
    db: tx.db,
    sql: tx.sql,
    transaction: (fn) => fn(tx),
    close: async () => undefined,
  };
}

/**
 * Settings for a transaction that reads or writes pages of thousands of rows (the cycle, the snapshot): no
 * JIT compilation (on a 10,000-row page its compile time costs more than it saves) and room to sort and
 * hash in memory. PostgreSQL only; PGlite has neither knob to turn.
 */
export async function useBatchSettings(store: Pick<Store, 'kind'>, sql: SqlClient): Promise<void> {
  if (store.kind === 'postgres') await sql.query(`SET LOCAL jit = off; SET LOCAL work_mem = '64MB'`);
}

/**
 * Runs `fn` confined to one agency: in a transaction with the non-owner role `arrears_agency` and the
 * agency id set for the row-level security policies (migration 0003), so no query inside it — however
 * written — sees another agency's or an unplaced account. `agencyId` null runs `fn` on the store as is.
 */
export async function scoped<T>(
  store: Store,
  agencyId: number | null,
  fn: (store: Store) => Promise<T>,
): Promise<T> {
  if (agencyId === null) return fn(store);
  return store.transaction(async (tx) => {
    await tx.sql.query(`SELECT set_config('arrears.agency_id', $1, true)`, [String(agencyId)]);
    await tx.sql.query('SET LOCAL ROLE arrears_agency');
    return fn(boundStore(store, tx));
  });
}
