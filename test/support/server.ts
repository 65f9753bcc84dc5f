import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROLES, type Role } from '../../src/domain/access/index.js';
import { writePortfolio } from '../../src/demo/generate.js';
import { addAgency, placeAccounts } from '../../src/services/agencies/index.js';
import { importFile } from '../../src/services/import/index.js';
import { addUser, createApiToken } from '../../src/services/users/index.js';
import type { Store } from '../../src/store/index.js';

export const AS_OF = '2026-11-22';
export const PASSWORD = 'correct horse battery';

export interface Seeded {
  /** One API token per role; `agency_user` belongs to AG-1. */
  tokens: Record<Role, string>;
  /** A second agency's user (AG-2). */
  otherAgencyToken: string;
  /** Account refs by where they are placed. */
  refs: { ag1: string[]; ag2: string[]; unplaced: string[] };
}

export const accountRef = (n: number, total: number) => `A-${String(n).padStart(String(total).length, '0')}`;

/**
 * A generated portfolio (deterministic), two agencies with ten placed accounts each, and one user with
 * an API token for every role (usernames are the role names with "-" for "_").
 */
export async function seed(store: Store, accounts = 30): Promise<Seeded> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'arrears-http-'));
  const file = path.join(dir, 'portfolio.ndjson');
  await writePortfolio(file, { accounts, seed: 7, asOf: AS_OF });
  const result = await importFile(store, file, { today: AS_OF });
  if (!result.committed) throw new Error(`seed import failed: ${JSON.stringify(result.errors.slice(0, 3))}`);
  await addAgency(store, null, { ref: 'AG-1', name: 'First Recovery' });
  await addAgency(store, null, { ref: 'AG-2', name: 'Second Recovery' });
  const refs = {
    ag1: Array.from({ length: 10 }, (_, i) => accountRef(i + 1, accounts)),
    ag2: Array.from({ length: 10 }, (_, i) => accountRef(i + 11, accounts)),
    unplaced: Array.from({ length: accounts - 20 }, (_, i) => accountRef(i + 21, accounts)),
  };
  await placeAccounts(store, null, 'AG-1', refs.ag1);
  await placeAccounts(store, null, 'AG-2', refs.ag2);
  const tokens = {} as Record<Role, string>;
  for (const role of ROLES) {
    const username = role.replace('_', '-');
    await addUser(store, null, {
      username,
      role,
      password: PASSWORD,
      agency: role === 'agency_user' ? 'AG-1' : undefined,
    });
    tokens[role] = (await createApiToken(store, null, username, 'test')).token;
  }
  await addUser(store, null, {
    username: 'agency-two',
    role: 'agency_user',
    password: PASSWORD,
    agency: 'AG-2',
  });
  const otherAgencyToken = (await createApiToken(store, null, 'agency-two', 'test')).token;
  return { tokens, otherAgencyToken, refs };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
