import type { Principal } from '../../domain/access/index.js';
import { actorOf } from '../../domain/access/index.js';
import { ArrearsError, type FieldIssue } from '../../domain/errors.js';
import { boundStore, type Store } from '../../store/index.js';
import { appendAudit } from '../audit/index.js';

export interface ProfileInput {
  locales: string[];
  jurisdictions: string[];
  skills?: string[] | undefined;
  /** Empty or absent: every bucket. */
  buckets?: string[] | undefined;
  maxOpenCases: number;
}

export interface ProfileView {
  username: string;
  role: string;
  locales: string[];
  jurisdictions: string[];
  skills: string[];
  buckets: string[];
  maxOpenCases: number;
  /** Open cases in the user's queue now (not closed, not placed). */
  openCases: number;
  updatedAt: string | null;
  updatedBy: string | null;
}

/** The roles that work a queue of allocated cases. */
export const QUEUE_ROLES = ['collector', 'field_agent'] as const;

const LOCALE = /^[a-z]{2,3}(-[A-Z][a-z]{3})?(-[A-Z]{2})?$/;
const JURISDICTION = /^[A-Z]{2}$/;
const SKILL = /^[a-z][a-z0-9_]{0,31}$/;
const SUPERVISORS = new Set(['admin', 'manager']);

function checkProfile(p: ProfileInput): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const each = (field: string, xs: string[] | undefined, re: RegExp, what: string) =>
    (xs ?? []).forEach((x, i) => {
      if (!re.test(x)) issues.push({ field: `${field}.${i}`, message: `"${x}" is not ${what}` });
    });
  if (p.locales.length === 0)
    issues.push({ field: 'locales', message: 'list at least one locale, e.g. en-US' });
  if (p.jurisdictions.length === 0)
    issues.push({ field: 'jurisdictions', message: 'list at least one jurisdiction, e.g. US' });
  each('locales', p.locales, LOCALE, 'a locale like en-US or zh-CN');
  each('jurisdictions', p.jurisdictions, JURISDICTION, 'a two-letter jurisdiction like US');
  each('skills', p.skills, SKILL, 'a skill name (lower case, digits, _)');
  each('buckets', p.buckets, /^\S{1,32}$/, 'a bucket name');
  if (!Number.isInteger(p.maxOpenCases) || p.maxOpenCases < 0 || p.maxOpenCases > 100_000)
    issues.push({ field: 'maxOpenCases', message: 'must be a whole number from 0 to 100000' });
  return issues;
}

const uniq = (xs: string[] | undefined) => [...new Set(xs ?? [])].sort();

async function profileRows(store: Store, username?: string): Promise<ProfileView[]> {
  let q = store.db
    .selectFrom('users as u')
    .leftJoin('collector_profiles as p', 'p.user_id', 'u.id')
    .select((eb) => [
      'u.username',
      'u.role',
      'p.locales',
      'p.jurisdictions',
      'p.skills',
      'p.buckets',
      'p.max_open_cases',
      'p.updated_at',
      'p.updated_by',
      eb
        .selectFrom('cases as c')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('c.assigned_to', '=', 'u.id')
        .where('c.status', 'not in', ['closed', 'placed'])
        .as('open_cases'),
    ])
    .where('u.role', 'in', [...QUEUE_ROLES])
    .orderBy('u.username');
  if (username !== undefined) q = q.where('u.username', '=', username);
  const rows = await q.execute();
  return rows.map((r) => ({
    username: r.username,
    role: r.role,
    locales: r.locales ?? [],
    jurisdictions: r.jurisdictions ?? [],
    skills: r.skills ?? [],
    buckets: r.buckets ?? [],
    maxOpenCases: r.max_open_cases ?? 0,
    openCases: Number(r.open_cases ?? 0),
    updatedAt: r.updated_at ? new Date(r.updated_at).toISOString() : null,
    updatedBy: r.updated_by ?? null,
  }));
}

/** Every collector and field agent with their profile (an empty one when never set) and open cases. */
export async function listProfiles(store: Store): Promise<ProfileView[]> {
  return profileRows(store);
}

/** One user's profile: their own, or anyone's for a manager or admin. */
export async function getProfile(store: Store, actor: Principal, username: string): Promise<ProfileView> {
  if (!SUPERVISORS.has(actor.role) && actor.username !== username)
    throw new ArrearsError('forbidden', 'you can read only your own collector profile');
  const [row] = await profileRows(store, username);
  if (!row) throw new ArrearsError('not_found', `no collector or field agent "${username}"`);
  return row;
}

/** Creates or replaces a collector's or field agent's profile; audited. */
export async function setProfile(
  store: Store,
  actor: Principal | null,
  username: string,
  input: ProfileInput,
): Promise<ProfileView> {
  const issues = checkProfile(input);
  if (issues.length > 0) throw new ArrearsError('invalid', 'the collector profile is not valid', { issues });
  return store.transaction(async (tx) => {
    const user = await tx.db
      .selectFrom('users')
      .select(['id', 'role'])
      .where('username', '=', username)
      .executeTakeFirst();
    if (!user) throw new ArrearsError('not_found', `user "${username}" does not exist`);
    if (!(QUEUE_ROLES as readonly string[]).includes(user.role))
      throw new ArrearsError(
        'invalid',
        `"${username}" is a ${user.role}; profiles are for collectors and field agents`,
        {
          issues: [{ field: 'username', message: 'must be a collector or field agent' }],
        },
      );
    const values = {
      locales: uniq(input.locales),
      jurisdictions: uniq(input.jurisdictions),
      skills: uniq(input.skills),
      buckets: uniq(input.buckets),
      max_open_cases: input.maxOpenCases,
    };
    await tx.db
      .insertInto('collector_profiles')
      .values({ user_id: user.id, ...values, updated_by: actorOf(actor) })
      .onConflict((oc) =>
        oc.column('user_id').doUpdateSet({ ...values, updated_by: actorOf(actor), updated_at: new Date() }),
      )
      .execute();
    await appendAudit(tx, actor, {
      action: 'collector_profile.updated',
      entity: `user:${username}`,
      data: { ...values },
    });
    const [row] = await profileRows(boundStore(store, tx), username);
    return row!;
  });
}
