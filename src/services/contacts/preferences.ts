import { actorOf, type Principal, type Role } from '../../domain/access/index.js';
import { CHANNELS, type Channel } from '../../domain/compliance/index.js';
import { ArrearsError, type FieldIssue } from '../../domain/errors.js';
import { boundStore, type BlockedWindowJson, type Store } from '../../store/index.js';
import { appendAudit } from '../audit/index.js';
import { findAccount, iso } from './account.js';

export interface ContactPreferences {
  /** Channels the debtor asked not to be contacted by (US.REGF.MEDIUM_BLOCK, KR.IDPA.CONTACT_RESTRICT). */
  blockedChannels: Channel[];
  /** Weekly local time bands the debtor blocked (a band past midnight runs into the next day). */
  blockedWindows: BlockedWindowJson[];
  /** The employer prohibits contact at work (US.FDCPA.WORKPLACE). */
  workplaceContactProhibited: boolean;
}

export interface PreferencesView extends ContactPreferences {
  account: string;
  updatedAt: string | null;
  updatedBy: string | null;
}

/** Roles that may also lift a restriction; the others may only add them (a debtor's opt-out is theirs to lift). */
const MAY_RELAX: readonly Role[] = ['admin', 'manager', 'compliance_officer'];
const HHMM = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;

async function read(store: Store, debtorId: number) {
  return store.db
    .selectFrom('debtor_contact_preferences')
    .selectAll()
    .where('debtor_id', '=', debtorId)
    .executeTakeFirst();
}

function view(ref: string, row: Awaited<ReturnType<typeof read>>): PreferencesView {
  const windows = row?.blocked_windows as BlockedWindowJson[] | string | undefined;
  return {
    account: ref,
    blockedChannels: (row?.blocked_channels ?? []) as Channel[],
    blockedWindows:
      typeof windows === 'string' ? (JSON.parse(windows) as BlockedWindowJson[]) : (windows ?? []),
    workplaceContactProhibited: row?.workplace_contact_prohibited ?? false,
    updatedAt: row ? iso(row.updated_at) : null,
    updatedBy: row?.updated_by ?? null,
  };
}

/** The contact preferences of the account's debtor (they apply to all the debtor's accounts). */
export async function getPreferences(store: Store, ref: string): Promise<PreferencesView> {
  const account = await findAccount(store, ref);
  return view(ref, await read(store, account.debtorId));
}

function validate(p: ContactPreferences): void {
  const issues: FieldIssue[] = [];
  p.blockedChannels.forEach((c, i) => {
    if (!CHANNELS.includes(c))
      issues.push({ field: `blockedChannels.${i}`, message: `one of ${CHANNELS.join(', ')}` });
  });
  p.blockedWindows.forEach((w, i) => {
    if (!Number.isInteger(w.weekday) || w.weekday < 1 || w.weekday > 7)
      issues.push({ field: `blockedWindows.${i}.weekday`, message: '1 (Monday) to 7 (Sunday)' });
    if (!HHMM.test(w.from)) issues.push({ field: `blockedWindows.${i}.from`, message: 'HH:mm' });
    if (!HHMM.test(w.to)) issues.push({ field: `blockedWindows.${i}.to`, message: 'HH:mm' });
    if (w.from === w.to) issues.push({ field: `blockedWindows.${i}`, message: 'from and to must differ' });
  });
  if (issues.length > 0) throw new ArrearsError('invalid', 'the preferences are not valid', { issues });
}

const windowKey = (w: BlockedWindowJson) => `${w.weekday} ${w.from}-${w.to}`;

/**
 * Replaces the debtor's contact preferences. Collectors, field agents and agencies may add restrictions
 * (the debtor asked on the phone); lifting one needs a manager, an admin or a compliance officer.
 */
export async function setPreferences(
  store: Store,
  actor: Principal | null,
  ref: string,
  req: ContactPreferences,
): Promise<PreferencesView> {
  const next: ContactPreferences = {
    blockedChannels: [...new Set(req.blockedChannels)],
    blockedWindows: req.blockedWindows.map((w) => ({ weekday: w.weekday, from: w.from, to: w.to })),
    workplaceContactProhibited: req.workplaceContactProhibited,
  };
  validate(next);
  return store.transaction(async (tx) => {
    const inTx = boundStore(store, tx);
    const account = await findAccount(inTx, ref);
    const before = view(ref, await read(inTx, account.debtorId));
    const newWindows = new Set(next.blockedWindows.map(windowKey));
    const lifted = [
      ...before.blockedChannels.filter((c) => !next.blockedChannels.includes(c)).map((c) => `channel ${c}`),
      ...before.blockedWindows
        .filter((w) => !newWindows.has(windowKey(w)))
        .map((w) => `band ${windowKey(w)}`),
      ...(before.workplaceContactProhibited && !next.workplaceContactProhibited ? ['workplace ban'] : []),
    ];
    if (lifted.length > 0 && actor !== null && !MAY_RELAX.includes(actor.role))
      throw new ArrearsError(
        'forbidden',
        `the role ${actor.role} may add contact restrictions but not lift them (${lifted.join(', ')}); ask a manager or compliance officer`,
      );
    await tx.sql.query(
      `INSERT INTO debtor_contact_preferences
         (debtor_id, blocked_channels, blocked_windows, workplace_contact_prohibited, updated_at, updated_by)
       VALUES ($1, $2, $3, $4, now(), $5)
       ON CONFLICT (debtor_id) DO UPDATE SET blocked_channels = EXCLUDED.blocked_channels,
         blocked_windows = EXCLUDED.blocked_windows,
         workplace_contact_prohibited = EXCLUDED.workplace_contact_prohibited,
         updated_at = now(), updated_by = EXCLUDED.updated_by`,
      [
        account.debtorId,
        next.blockedChannels,
        JSON.stringify(next.blockedWindows),
        next.workplaceContactProhibited,
        actorOf(actor),
      ],
    );
    await appendAudit(tx, actor, {
      action: 'preferences.updated',
      entity: `debtor-preferences:${account.ref}`,
      accountId: account.id,
      data: { ...next, lifted },
    });
    return view(ref, await read(inTx, account.debtorId));
  });
}
