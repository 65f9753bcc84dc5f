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

/** Encodes one value for COPY's text format. */
function copyValue(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'string') return escapeCopy(value);
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 't' : 'f';
  return escapeCopy(JSON.stringify(value));
}

const COPY_SPECIAL = /[\\\t\n\r]/;
function escapeCopy(text: string): string {
  if (!COPY_SPECIAL.test(text)) return text;
  return text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

/** Encodes rows for `SqlClient.copyIn`. Objects are written as JSON (for jsonb columns). */
export function encodeCopyRows(rows: readonly (readonly unknown[])[]): string {
  let out = '';
  for (const row of rows) {
    for (let i = 0; i < row.length; i++) {
      if (i > 0) out += '\t';
      out += copyValue(row[i]);
    }
    out += '\n';
  }
  return out;
}

/** A PostgreSQL array literal of plain scalars (numbers, ISO dates) for COPY. */
export function pgArray(values: readonly (string | number)[]): string {
  return `{${values.join(',')}}`;
}
