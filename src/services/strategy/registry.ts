import { ArrearsError } from '../../domain/errors.js';
import { parseStrategy, type Strategy } from '../../domain/strategy/index.js';
import { createHash } from 'node:crypto';
import type { Store } from '../../store/index.js';
import { appendAudit } from '../audit/index.js';
import { parseStrategyText } from './files.js';

const SCOPE = /^(default|jurisdiction:[A-Z]{2}|creditor:.+)$/;

function checkScope(scope: string): void {
  if (!SCOPE.test(scope)) {
    throw new ArrearsError(
      'invalid',
      `scope "${scope}" must be "default", "jurisdiction:<ISO code>" (e.g. jurisdiction:US) or "creditor:<ref>"`,
    );
  }
}

/**
 * Saves a new strategy version as submitted. Versions are immutable: a name's new version must be
 * greater than every saved one.
 */
export async function saveStrategy(
  store: Store,
  text: string,
  by: string,
  source = 'strategy',
): Promise<{ name: string; version: number }> {
  const s = parseStrategyText(text, source);
  return store.transaction(async (tx) => {
    const { db } = tx;
    const latest = await db
      .selectFrom('strategies')
      .select((eb) => eb.fn.max('version').as('v'))
      .where('name', '=', s.name)
      .executeTakeFirst();
    const max = Number(latest?.v ?? 0);
    if (s.version <= max) {
      throw new ArrearsError(
        'conflict',
        `strategy ${s.name} already has version ${max}; saved versions never change, so give this one version ${max + 1} or higher`,
      );
    }
    await db
      .insertInto('strategies')
      .values({ name: s.name, version: s.version, document: JSON.stringify(s), source: text, created_by: by })
      .execute();
    await appendAudit(tx, null, {
      action: 'strategy.saved',
      entity: `strategy:${s.name}@${s.version}`,
      data: { by, sha256: createHash('sha256').update(text).digest('hex') },
    });
    return { name: s.name, version: s.version };
  });
}

/** Makes a saved version the strategy of a scope (replacing the previous one) and logs who did it. */
export async function activateStrategy(
  store: Store,
  name: string,
  version: number,
  scope: string,
  by: string,
): Promise<void> {
  checkScope(scope);
  await store.transaction(async (tx) => {
    const { db } = tx;
    const found = await db
      .selectFrom('strategies')
      .select('name')
      .where('name', '=', name)
      .where('version', '=', version)
      .executeTakeFirst();
    if (!found) throw new ArrearsError('not_found', `strategy ${name} version ${version} has not been saved`);
    await db
      .insertInto('strategy_activations')
      .values({ scope, name, version, activated_by: by })
      .onConflict((oc) =>
        oc.column('scope').doUpdateSet({ name, version, activated_by: by, activated_at: new Date() }),
      )
      .execute();
    await db.insertInto('strategy_activation_log').values({ scope, name, version, by }).execute();
    await appendAudit(tx, null, {
      action: 'strategy.activated',
      entity: `strategy-scope:${scope}`,
      data: { by, name, version },
    });
  });
}

/** Leaves a scope without a strategy of its own (accounts fall back to a wider scope). */
export async function deactivateScope(store: Store, scope: string, by: string): Promise<void> {
  checkScope(scope);
  await store.transaction(async (tx) => {
    const { db } = tx;
    const gone = await db.deleteFrom('strategy_activations').where('scope', '=', scope).executeTakeFirst();
    if (Number(gone.numDeletedRows) === 0)
      throw new ArrearsError('not_found', `no strategy is active for ${scope}`);
    await db.insertInto('strategy_activation_log').values({ scope, name: null, version: null, by }).execute();
    await appendAudit(tx, null, {
      action: 'strategy.deactivated',
      entity: `strategy-scope:${scope}`,
      data: { by },
    });
  });
}

export interface StrategyVersionInfo {
  name: string;
  version: number;
  createdAt: string;
  createdBy: string;
  activeFor: string[];
}

export async function listStrategies(store: Store): Promise<StrategyVersionInfo[]> {
  const [versions, active] = await Promise.all([
    store.db
      .selectFrom('strategies')
      .select(['name', 'version', 'created_at', 'created_by'])
      .orderBy('name')
      .orderBy('version')
      .execute(),
    store.db.selectFrom('strategy_activations').selectAll().orderBy('scope').execute(),
  ]);
  return versions.map((v) => ({
    name: v.name,
    version: v.version,
    createdAt: new Date(v.created_at).toISOString(),
    createdBy: v.created_by,
    activeFor: active.filter((a) => a.name === v.name && a.version === v.version).map((a) => a.scope),
  }));
}

/** The active strategies, resolved per account: creditor scope, then jurisdiction, then default. */
export interface ActiveStrategies {
  readonly count: number;
  /** Which strategy version is active where (`scope=name@version`, sorted): equal texts, equal strategies. */
  readonly versions: string;
  forAccount(account: { creditor: string; jurisdiction: string }): Strategy | null;
}

export async function loadActiveStrategies(store: Store): Promise<ActiveStrategies> {
  const rows = await store.db
    .selectFrom('strategy_activations as a')
    .innerJoin('strategies as s', (j) =>
      j.onRef('s.name', '=', 'a.name').onRef('s.version', '=', 'a.version'),
    )
    .select(['a.scope', 's.document'])
    .execute();
  const byScope = new Map<string, Strategy>();
  for (const r of rows) {
    const parsed = parseStrategy(r.document);
    // Saved documents were validated on the way in; failing now means the schema moved on without a migration.
    if (!parsed.ok)
      throw new ArrearsError('internal', `the active strategy of ${r.scope} no longer validates`);
    byScope.set(r.scope, parsed.strategy);
  }
  return {
    count: byScope.size,
    versions: [...byScope]
      .map(([scope, st]) => `${scope}=${st.name}@${st.version}`)
      .sort()
      .join(' '),
    forAccount: (a) =>
      byScope.get(`creditor:${a.creditor}`) ??
      byScope.get(`jurisdiction:${a.jurisdiction}`) ??
      byScope.get('default') ??
      null,
  };
}
