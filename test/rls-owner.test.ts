import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { addAgency, placeAccounts } from '../src/services/agencies/index.js';
import { importFile } from '../src/services/import/index.js';
import { openStore, scoped, type Store } from '../src/store/index.js';
import { pgAvailable } from './support/stores.js';

const ADMIN_URL = process.env.ARREARS_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const suffix = randomBytes(5).toString('hex');
const appRole = `arrears_app_${suffix}`;
const dbName = `arrears_owner_${suffix}`;

async function admin(sql: string) {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

describe.skipIf(!pgAvailable)('agency isolation when the application is not a superuser (PostgreSQL)', () => {
  let store: Store | undefined;
  afterAll(async () => {
    await store?.close();
    await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin(`DROP ROLE IF EXISTS ${appRole}`);
  });

  it('migrates as the database owner and confines agency requests with SET ROLE', async () => {
    // What a DBA does once: a login role owning the database, and membership in arrears_agency.
    await admin(`DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'arrears_agency') THEN
                   CREATE ROLE arrears_agency NOLOGIN; END IF; EXCEPTION WHEN duplicate_object THEN NULL; END $$`);
    await admin(`CREATE ROLE ${appRole} LOGIN NOSUPERUSER NOCREATEROLE`);
    await admin(`GRANT arrears_agency TO ${appRole}`);
    await admin(`CREATE DATABASE ${dbName} OWNER ${appRole}`);
    const url = new URL(ADMIN_URL);
    url.username = appRole;
    url.pathname = `/${dbName}`;
    store = await openStore({ databaseUrl: url.toString() });
    const result = await importFile(store, 'docs/examples/portfolio.ndjson', { today: '2026-11-22' });
    expect(result.committed).toBe(true);
    await addAgency(store, null, { ref: 'AG-A', name: 'A' });
    await addAgency(store, null, { ref: 'AG-B', name: 'B' });
    await placeAccounts(store, null, 'AG-A', ['A-1']);
    const ids = await store.db.selectFrom('agencies').select(['id', 'ref']).orderBy('ref').execute();
    const count = (agencyId: number) =>
      scoped(store!, agencyId, (s) =>
        s.transaction(async ({ sql }) => ({
          user: (await sql.query<{ u: string }>('SELECT current_user AS u')).rows[0]!.u,
          accounts: (await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM accounts')).rows[0]!.n,
        })),
      );
    expect(await count(ids[0]!.id)).toEqual({ user: 'arrears_agency', accounts: 1 });
    expect(await count(ids[1]!.id)).toEqual({ user: 'arrears_agency', accounts: 0 });
    const all = await store.db.selectFrom('accounts').select('ref').execute();
    expect(all.length).toBe(1);
  });
});
