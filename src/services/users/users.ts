import { isRole, type Principal, type Role } from '../../domain/access/index.js';
import { ArrearsError } from '../../domain/errors.js';
import type { Store } from '../../store/index.js';
import { appendAudit } from '../audit/index.js';
import { hashPassword, MIN_PASSWORD_LENGTH, newSecret, sha256, verifyPassword } from './passwords.js';

export interface NewUser {
  username: string;
  displayName?: string | undefined;
  role: string;
  /** Agency ref; required for agency_user and refused for every other role. */
  agency?: string | undefined;
  password: string;
}

export interface UserView {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  agency: string | null;
  disabled: boolean;
}

const USERNAME = /^[a-z0-9][a-z0-9._-]{1,63}$/;

async function checkNewUser(store: Store, u: NewUser): Promise<{ role: Role; agencyId: number | null }> {
  const issues: { field: string; message: string }[] = [];
  if (!USERNAME.test(u.username))
    issues.push({ field: 'username', message: '2–64 characters: lower-case letters, digits, ".", "_", "-"' });
  if (!isRole(u.role)) issues.push({ field: 'role', message: `unknown role "${u.role}"` });
  if (u.password.length < MIN_PASSWORD_LENGTH)
    issues.push({ field: 'password', message: `must be at least ${MIN_PASSWORD_LENGTH} characters` });
  if (u.role === 'agency_user' && !u.agency)
    issues.push({ field: 'agency', message: 'an agency user needs the ref of their agency' });
  if (u.role !== 'agency_user' && u.agency)
    issues.push({ field: 'agency', message: 'only agency users belong to an agency' });
  let agencyId: number | null = null;
  if (u.agency) {
    const a = await store.db
      .selectFrom('agencies')
      .select('id')
      .where('ref', '=', u.agency)
      .executeTakeFirst();
    if (!a) issues.push({ field: 'agency', message: `unknown agency "${u.agency}"` });
    else agencyId = a.id;
  }
  if (issues.length > 0) throw new ArrearsError('invalid', 'the user cannot be created as given', { issues });
  return { role: u.role as Role, agencyId };
}

/** Creates a user, or with `replace` resets an existing one's role, agency and password (demo). */
export async function addUser(
  store: Store,
  actor: Principal | null,
  u: NewUser,
  options: { replace?: boolean } = {},
): Promise<UserView> {
  const { role, agencyId } = await checkNewUser(store, u);
  const passwordHash = await hashPassword(u.password);
  const view = await store.transaction(async (tx) => {
    const values = {
      username: u.username,
      display_name: u.displayName ?? u.username,
      role,
      agency_id: agencyId,
      password_hash: passwordHash,
    };
    let q = tx.db.insertInto('users').values(values);
    if (options.replace)
      q = q.onConflict((oc) =>
        oc
          .column('username')
          .doUpdateSet({ ...values, failed_logins: 0, locked_until: null, disabled: false }),
      );
    else q = q.onConflict((oc) => oc.column('username').doNothing());
    const row = await q.returning(['id']).executeTakeFirst();
    if (!row) throw new ArrearsError('conflict', `user "${u.username}" already exists`);
    await appendAudit(tx, actor, {
      action: options.replace ? 'user.upserted' : 'user.created',
      entity: `user:${u.username}`,
      data: { role, agency: u.agency ?? null },
    });
    return {
      id: row.id,
      username: u.username,
      displayName: values.display_name,
      role,
      agency: u.agency ?? null,
      disabled: false,
    };
  });
  // A replaced user's tokens may now carry another role or agency.
  forgetTokenPrincipals();
  return view;
}

export async function listUsers(store: Store): Promise<UserView[]> {
  const rows = await store.db
    .selectFrom('users as u')
    .leftJoin('agencies as a', 'a.id', 'u.agency_id')
    .select(['u.id', 'u.username', 'u.display_name', 'u.role', 'a.ref as agency', 'u.disabled'])
    .orderBy('u.username')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role as Role,
    agency: r.agency,
    disabled: r.disabled,
  }));
}

export const LOCKOUT = { attempts: 5, minutes: 15 };
const SESSION_HOURS = 12;
// Verified against unknown usernames too, so the response time does not tell which usernames exist.
const DUMMY_HASH = await hashPassword(newSecret());

export interface LoginResult {
  user: UserView;
  sessionToken: string;
  csrfToken: string;
  expiresAt: Date;
}

const denied = () => new ArrearsError('unauthenticated', 'wrong username or password');

/**
 * Checks a password and opens a session. Five wrong passwords in a row lock the account for 15 minutes
 * (the lock and every failure are audited); a locked account is refused even with the right password.
 */
export async function login(store: Store, username: string, password: string): Promise<LoginResult> {
  const user = await store.db
    .selectFrom('users as u')
    .leftJoin('agencies as a', 'a.id', 'u.agency_id')
    .select([
      'u.id',
      'u.username',
      'u.display_name',
      'u.role',
      'u.password_hash',
      'u.failed_logins',
      'u.locked_until',
      'u.disabled',
      'a.ref as agency',
    ])
    .where('u.username', '=', username)
    .executeTakeFirst();
  const ok = await verifyPassword(password, user?.password_hash ?? DUMMY_HASH);
  if (!user || user.disabled) throw denied();
  const principal: Principal = {
    userId: user.id,
    username: user.username,
    role: user.role as Role,
    agencyId: null,
    via: 'session',
  };
  if (user.locked_until && new Date(user.locked_until) > new Date())
    throw new ArrearsError(
      'unauthenticated',
      'this user is locked after too many failed logins; try again later',
      {
        lockedUntil: new Date(user.locked_until).toISOString(),
      },
    );
  if (!ok) {
    await store.transaction(async (tx) => {
      const failed = user.failed_logins + 1;
      const lock = failed >= LOCKOUT.attempts;
      await tx.db
        .updateTable('users')
        .set({
          failed_logins: lock ? 0 : failed,
          locked_until: lock ? new Date(Date.now() + LOCKOUT.minutes * 60_000) : null,
        })
        .where('id', '=', user.id)
        .execute();
      await appendAudit(tx, principal, {
        action: lock ? 'user.locked' : 'user.login_failed',
        entity: `user:${user.username}`,
        data: { failedLogins: failed },
      });
    });
    throw denied();
  }
  const sessionToken = newSecret();
  const csrfToken = newSecret();
  const expiresAt = new Date(Date.now() + SESSION_HOURS * 3_600_000);
  await store.transaction(async (tx) => {
    await tx.db
      .updateTable('users')
      .set({ failed_logins: 0, locked_until: null })
      .where('id', '=', user.id)
      .execute();
    await tx.db
      .insertInto('sessions')
      .values({
        token_hash: sha256(sessionToken),
        user_id: user.id,
        csrf_token: csrfToken,
        expires_at: expiresAt,
      })
      .execute();
    await appendAudit(tx, principal, { action: 'session.created', entity: `user:${user.username}` });
  });
  return {
    user: {
      id: user.id,
      username: user.username,
      displayName: user.display_name,
      role: user.role as Role,
      agency: user.agency,
      disabled: false,
    },
    sessionToken,
    csrfToken,
    expiresAt,
  };
}

export async function logout(store: Store, principal: Principal): Promise<void> {
  if (!principal.sessionHash) return;
  const hash = principal.sessionHash;
  await store.transaction(async (tx) => {
    await tx.db.deleteFrom('sessions').where('token_hash', '=', hash).execute();
    await appendAudit(tx, principal, { action: 'session.ended', entity: `user:${principal.username}` });
  });
}

const PRINCIPAL_COLUMNS = ['u.id', 'u.username', 'u.role', 'u.agency_id', 'u.disabled'] as const;

/** The principal behind a session cookie, or null when it is unknown or expired. */
export async function principalFromSession(store: Store, token: string): Promise<Principal | null> {
  const hash = sha256(token);
  const row = await store.db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select([...PRINCIPAL_COLUMNS, 's.csrf_token', 's.expires_at'])
    .where('s.token_hash', '=', hash)
    .executeTakeFirst();
  if (!row || row.disabled || new Date(row.expires_at) <= new Date()) return null;
  return {
    userId: row.id,
    username: row.username,
    role: row.role as Role,
    agencyId: row.agency_id,
    via: 'session',
    csrfToken: row.csrf_token,
    sessionHash: hash,
  };
}

export const TOKEN_PREFIX = 'arr_';

/** Creates an API token for a user; the token itself is returned once and only its hash is kept. */
export async function createApiToken(
  store: Store,
  actor: Principal | null,
  username: string,
  name: string,
): Promise<{ id: number; name: string; token: string }> {
  const token = TOKEN_PREFIX + newSecret();
  return store.transaction(async (tx) => {
    const user = await tx.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', username)
      .executeTakeFirst();
    if (!user) throw new ArrearsError('not_found', `user "${username}" does not exist`);
    const row = await tx.db
      .insertInto('api_tokens')
      .values({ user_id: user.id, name, token_hash: sha256(token), last_used_at: null, revoked_at: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    await appendAudit(tx, actor, {
      action: 'api_token.created',
      entity: `user:${username}`,
      data: { tokenId: row.id, name },
    });
    return { id: row.id, name, token };
  });
}

/**
 * Revokes an API token: from the next request on (in this process; within a second elsewhere) it
 * authenticates nobody. A user may revoke their own tokens, an admin anyone's; someone else's token is
 * reported as not found rather than revealed. Revoking a revoked token changes nothing.
 */
export async function revokeApiToken(store: Store, actor: Principal | null, id: number): Promise<void> {
  await store.transaction(async (tx) => {
    const row = await tx.db
      .selectFrom('api_tokens as t')
      .innerJoin('users as u', 'u.id', 't.user_id')
      .select(['t.id', 't.user_id', 't.name', 't.revoked_at', 'u.username'])
      .where('t.id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    const mayRevoke = row && (actor === null || actor.role === 'admin' || actor.userId === row.user_id);
    if (!row || !mayRevoke) throw new ArrearsError('not_found', `API token ${id} does not exist`);
    if (row.revoked_at !== null) return;
    await tx.db
      .updateTable('api_tokens')
      .set({ revoked_at: new Date().toISOString() })
      .where('id', '=', id)
      .execute();
    await appendAudit(tx, actor, {
      action: 'api_token.revoked',
      entity: `user:${row.username}`,
      data: { tokenId: id, name: row.name },
    });
  });
  forgetTokenPrincipals();
}

// Integrations send the same token with every request: its principal is kept for a second, so a busy
// integration costs one lookup a second instead of one a request. Changing a user in this process forgets
// them all; another process sees the change within TOKEN_CACHE_MS.
const TOKEN_CACHE_MS = 1000;
const tokenCache = new Map<string, { principal: Principal | null; until: number }>();

/** Forgets the cached token principals (after a change to users or tokens). */
export function forgetTokenPrincipals(): void {
  tokenCache.clear();
}

/**
 * The principal behind a Bearer token, or null when it is unknown or revoked: a prepared statement, its
 * answer kept for TOKEN_CACHE_MS (it runs before every integration request).
 */
export async function principalFromToken(store: Store, token: string): Promise<Principal | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const hash = sha256(token);
  const now = Date.now();
  const known = tokenCache.get(hash);
  if (known && known.until > now) return known.principal;
  const principal = await lookUpToken(store, hash);
  if (tokenCache.size >= 10_000) tokenCache.clear();
  tokenCache.set(hash, { principal, until: now + TOKEN_CACHE_MS });
  return principal;
}

async function lookUpToken(store: Store, hash: string): Promise<Principal | null> {
  const { rows } = await store.sql.query<{
    id: number;
    username: string;
    role: string;
    agency_id: number | null;
    disabled: boolean;
    revoked_at: unknown;
  }>(
    `SELECT u.id, u.username, u.role, u.agency_id, u.disabled, t.revoked_at
       FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1`,
    [hash],
    'arrears_principal_from_token',
  );
  const row = rows[0];
  if (!row || row.disabled || row.revoked_at !== null) return null;
  return {
    userId: Number(row.id),
    username: row.username,
    role: row.role as Role,
    agencyId: row.agency_id === null ? null : Number(row.agency_id),
    via: 'token',
  };
}
