import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openStore, type Store } from '../../src/store/index.js';

/**
 * The two storage backends every storage test runs on. PostgreSQL: a fresh database per suite on the
 * server at ARREARS_TEST_PG_URL (default the local server). In CI a missing server fails the run;
 * on a developer machine that half is skipped with a visible message.
 */
export interface Backend {
  name: 'pglite' | 'postgres';
  open(): Promise<Store>;
  /** Drops what open() created. */
  cleanup(): Promise<void>;
  /** PostgreSQL only: the suite's database, for tests that start another process on it. */
  databaseUrl?: string;
}

const ADMIN_URL = process.env.ARREARS_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

const pgAvailable = await postgresReachable();
if (!pgAvailable) {
  if (process.env.CI)
    throw new Error(`CI requires PostgreSQL at ${ADMIN_URL} for the storage tests, and it is not reachable`);
  console.warn(
    `\n⚠ PostgreSQL is not reachable at ${ADMIN_URL}: the PostgreSQL half of the storage tests is SKIPPED.\n`,
  );
}

function postgresBackend(): Backend {
  const dbName = `arrears_test_${randomBytes(6).toString('hex')}`;
  const stores: Store[] = [];
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: ADMIN_URL });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  let created = false;
  const url = new URL(ADMIN_URL);
  url.pathname = `/${dbName}`;
  return {
    name: 'postgres',
    databaseUrl: url.toString(),
    async open() {
      if (!created) {
        await admin(`CREATE DATABASE ${dbName}`);
        created = true;
      }
      const store = await openStore({ databaseUrl: url.toString() });
      stores.push(store);
      return store;
    },
    async cleanup() {
      for (const s of stores.splice(0)) await s.close();
      if (created) await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    },
  };
}

function pgliteBackend(): Backend {
  const stores: Store[] = [];
  return {
    name: 'pglite',
    async open() {
      const store = await openStore({ dataDir: 'memory://' });
      stores.push(store);
      return store;
    },
    async cleanup() {
      for (const s of stores.splice(0)) await s.close();
    },
  };
}

/** Backends for `describe.each`: PGlite always, PostgreSQL when reachable. */
export function backends(): Backend[] {
  return pgAvailable ? [pgliteBackend(), postgresBackend()] : [pgliteBackend()];
}

export { pgAvailable };
