import {
  CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryResult,
} from 'kysely';
import type { SqlClient } from './sql-client.js';

class ClientConnection implements DatabaseConnection {
  constructor(private readonly client: SqlClient) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const { rows, affected } = await this.client.query<R>(compiled.sql, compiled.parameters);
    return { rows, numAffectedRows: affected === undefined ? undefined : BigInt(affected) };
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming is done with keyset pages in repositories, not Kysely streams');
  }
}

/**
 * A Kysely driver over one SqlClient that is already inside a transaction (or is PGlite's single
 * connection). Kysely's own PostgresDialect hides its client, and COPY needs it, so a transaction's
 * typed queries and its bulk COPY must go through the same SqlClient.
 */
class SingleClientDriver implements Driver {
  private readonly connection: ClientConnection;
  constructor(client: SqlClient) {
    this.connection = new ClientConnection(client);
  }
  async init() {}
  async acquireConnection() {
    return this.connection;
  }
  async beginTransaction(conn: DatabaseConnection) {
    await conn.executeQuery(CompiledQuery.raw('BEGIN'));
  }
  async commitTransaction(conn: DatabaseConnection) {
    await conn.executeQuery(CompiledQuery.raw('COMMIT'));
  }
  async rollbackTransaction(conn: DatabaseConnection) {
    await conn.executeQuery(CompiledQuery.raw('ROLLBACK'));
  }
  async releaseConnection() {}
  async destroy() {}
}

export function singleClientDialect(client: SqlClient): Dialect {
  return {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new SingleClientDriver(client),
    createIntrospector: (db: Kysely<unknown>) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  };
}
