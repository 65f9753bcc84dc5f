import { ROLES, type Role } from '../domain/access/index.js';
import { ArrearsError } from '../domain/errors.js';
import { addAgency, placeAccounts } from '../services/agencies/index.js';
import { addUser } from '../services/users/index.js';
import type { Store } from '../store/index.js';

export const DEMO_PASSWORD = 'arrears-demo';
export const DEMO_AGENCIES = [
  { ref: 'AG-NORTH', name: 'Northwind Recovery' },
  { ref: 'AG-SOUTH', name: 'Southbank Collections' },
] as const;

export const demoUsername = (role: Role) => role.replace('_', '-');

/**
 * Demo users (one per role, password DEMO_PASSWORD), two agencies, and the accounts more than 90 days
 * past due on `asOf` placed with them alternately. Safe to run again: users are reset, agencies kept.
 */
export async function setUpDemoAccess(store: Store, asOf: string) {
  for (const a of DEMO_AGENCIES) {
    await addAgency(store, null, a).catch((e: unknown) => {
      if (!(e instanceof ArrearsError && e.kind === 'conflict')) throw e;
    });
  }
  for (const role of ROLES)
    await addUser(
      store,
      null,
      {
        username: demoUsername(role),
        displayName: `Demo ${role.replace('_', ' ')}`,
        role,
        agency: role === 'agency_user' ? DEMO_AGENCIES[0].ref : undefined,
        password: DEMO_PASSWORD,
      },
      { replace: true },
    );
  const { rows } = await store.transaction(({ sql }) =>
    sql.query<{ ref: string }>(
      `SELECT a.ref FROM delinquency_snapshots s JOIN accounts a ON a.id = s.account_id
       WHERE s.as_of = $1 AND s.dpd > 90 ORDER BY a.id`,
      [asOf],
    ),
  );
  const refs = rows.map((r) => r.ref);
  const placed = {
    [DEMO_AGENCIES[0].ref]: refs.filter((_, i) => i % 2 === 0),
    [DEMO_AGENCIES[1].ref]: refs.filter((_, i) => i % 2 === 1),
  };
  for (const [agency, accounts] of Object.entries(placed))
    if (accounts.length > 0) await placeAccounts(store, null, agency, accounts);
  return { users: ROLES.map((role) => ({ role, username: demoUsername(role) })), placed: refs.length };
}
