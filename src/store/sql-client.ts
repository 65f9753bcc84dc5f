import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PGlite, Transaction as PGliteTransaction } from '@electric-sql/pglite';
import type { Pool, PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/**
 * The one raw interface over a single database connection, implemented for node-postgres and PGlite.
 * Kysely runs on top of it (see kysely-driver.ts) so typed queries and COPY share one transaction.
 */
export interface SqlClient {
  /**
   * `name` makes it a prepared statement on PostgreSQL: parsed and planned once per connection, then only
   * executed — for the hot, fixed-text queries of a request path (the plan of a join over several tables
   * can cost more than running it). Names are global: one name, one text. PGlite ignores it.
   */
  query<R = Record<string, unknown>>(
    text: string,
    params?: readonly unknown[],
    name?: string,
  ): Promise<{ rows: R[]; affected?: number }>;
  /** COPY `payload` (PostgreSQL text format, one row per line) into `table`. */
  /** COPY … FROM STDIN of COPY text, as a string or as its UTF-8 bytes. */
  copyIn(table: string, columns: readonly string[], payload: string | Uint8Array): Promise<void>;
}

const copySql = (table: string, columns: readonly string[], source: string) =>
  `COPY ${table} (${columns.join(', ')}) FROM ${source}`;

async function pgQuery<R>(
  client: PoolClient | Pool,
  text: string,
  params: readonly unknown[],
  name?: string,
) {
  const values = params as unknown[];
  const result = await client.query(name === undefined ? { text, values } : { name, text, values });
  return { rows: result.rows as R[], affected: result.rowCount ?? undefined };
}

export function pgClient(client: PoolClient): SqlClient {
  return {
    query: (text, params = [], name) => pgQuery(client, text, params, name),
    async copyIn(table, columns, payload) {
      if (payload.length === 0) return;
      const stream = client.query(copyFrom(copySql(table, columns, 'STDIN')));
      const chunk =
        typeof payload === 'string' || Buffer.isBuffer(payload)
          ? payload
          : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
      await pipeline(Readable.from([chunk]), stream);
    },
  };
}

/** Each statement on a connection of the pool, in autocommit. */
export function pgPoolClient(pool: Pool): SqlClient {
  return {
    query: (text, params = [], name) => pgQuery(pool, text, params, name),
    async copyIn(table, columns, payload) {
      const client = await pool.connect();
      try {
        await pgClient(client).copyIn(table, columns, payload);
      } finally {
        client.release();
      }
    },
  };
}

export function pgliteClient(db: PGlite | PGliteTransaction): SqlClient {
  return {
    async query<R>(text: string, params: readonly unknown[] = []) {
      const result = await db.query<R>(text, params as unknown[]);
      return { rows: result.rows, affected: result.affectedRows };
    },
    async copyIn(table, columns, payload) {
      if (payload.length === 0) return;
      await db.query(copySql(table, columns, `'/dev/blob'`), [], { blob: new Blob([payload]) });
    },
  };
}
