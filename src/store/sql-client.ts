import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PGlite, Transaction as PGliteTransaction } from '@electric-sql/pglite';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/**
 * The one raw interface over a single database connection, implemented for node-postgres and PGlite.
 * Kysely runs on top of it (see kysely-driver.ts) so typed queries and COPY share one transaction.
 */
export interface SqlClient {
  query<R = Record<string, unknown>>(
    text: string,
    params?: readonly unknown[],
  ): Promise<{ rows: R[]; affected?: number }>;
  /** COPY `payload` (PostgreSQL text format, one row per line) into `table`. */
  copyIn(table: string, columns: readonly string[], payload: string): Promise<void>;
}

const copySql = (table: string, columns: readonly string[], source: string) =>
  `COPY ${table} (${columns.join(', ')}) FROM ${source}`;

export function pgClient(client: PoolClient): SqlClient {
  return {
    async query<R>(text: string, params: readonly unknown[] = []) {
      const result = await client.query(text, params as unknown[]);
      return { rows: result.rows as R[], affected: result.rowCount ?? undefined };
    },
    async copyIn(table, columns, payload) {
      if (payload.length === 0) return;
      const stream = client.query(copyFrom(copySql(table, columns, 'STDIN')));
      await pipeline(Readable.from([payload]), stream);
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
