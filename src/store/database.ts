import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { Kysely, Migrator, PostgresDialect, sql as rawSql, type Migration } from 'kysely';
import pg from 'pg';
import { ArrearsError } from '../domain/errors.js';
import { singleClientDialect } from './kysely-driver.js';
import { statements as foundation } from './migrations/20261122_0001_foundation.js';
import { statements as compliance } from './migrations/20261122_0002_compliance.js';
import type { Schema } from './schema.js';
import { pgClient, pgliteClient, type SqlClient } from './sql-client.js';

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
// int8 holds minor units and ids, all within 2^53; dates stay civil 'YYYY-MM-DD' strings, never Date objects.
pg.types.setTypeParser(INT8, (v) => Number(v));
pg.types.setTypeParser(DATE, (v) => v);

const migrations: Record<string, string[]> = {
  '20261122_0001_foundation': foundation,
  '20261122_0002_compliance': compliance,
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
  const migrator = new Migrator({ db, provider: migrationProvider() });
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
  return {
    kind: 'postgres',
    location: maskUrl(url),
    db,
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
}

async function openPglite(dataDir: string): Promise<Store> {
  const inMemory = dataDir.startsWith('memory://');
  const location = inMemory ? dataDir : path.resolve(dataDir, 'pglite');
  if (!inMemory) mkdirSync(location, { recursive: true });
  const pglite = await PGlite.create(inMemory ? undefined : location, {
    parsers: { [pgliteTypes.INT8]: (v: string) => Number(v), [pgliteTypes.DATE]: (v: string) => v },
  });
  const sql = pgliteClient(pglite);
  const db = new Kysely<Schema>({ dialect: singleClientDialect(sql) });
  return {
    kind: 'pglite',
    location,
    db,
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
