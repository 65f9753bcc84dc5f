import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  activateStrategy,
  deactivateScope,
  defaultStrategyFile,
  listStrategies,
  loadActiveStrategies,
  saveStrategy,
} from '../src/services/strategy/index.js';
import type { Store } from '../src/store/index.js';
import { verifyAudit } from '../src/services/audit/index.js';
import { backends } from './support/stores.js';

const us = readFileSync(defaultStrategyFile('US'), 'utf8');
const cn = readFileSync(defaultStrategyFile('CN'), 'utf8');

describe.each(backends())('strategy registry on $name', (backend) => {
  let store: Store;
  beforeAll(async () => {
    store = await backend.open();
  });
  afterAll(() => backend.cleanup());

  it('saves versions that never change and refuses a version that is not newer', async () => {
    expect(await saveStrategy(store, us, 'manager-1')).toEqual({ name: 'default-us', version: 1 });
    await expect(saveStrategy(store, us, 'manager-1')).rejects.toThrow(
      /default-us already has version 1; saved versions never change, so give this one version 2 or higher/,
    );
    await saveStrategy(store, us.replace('version: 1', 'version: 2'), 'manager-2');
    await expect(store.db.deleteFrom('strategies').execute()).rejects.toThrow(/not allowed/);
  });

  it('refuses an invalid document with its problems, saving nothing', async () => {
    await expect(saveStrategy(store, 'name: broken\nversion: 1\nsegments: []\n', 'm')).rejects.toMatchObject({
      kind: 'invalid',
      details: { issues: [expect.objectContaining({ field: 'segments', line: 3 })] },
    });
    expect((await listStrategies(store)).map((s) => s.name)).not.toContain('broken');
  });

  it('activates by scope, resolving creditor before jurisdiction before default, and logs every change', async () => {
    await saveStrategy(store, cn, 'manager-1');
    await activateStrategy(store, 'default-us', 1, 'default', 'manager-1');
    await activateStrategy(store, 'default-cn', 1, 'jurisdiction:CN', 'manager-1');
    await activateStrategy(store, 'default-us', 2, 'creditor:CR-SPECIAL', 'manager-2');
    const active = await loadActiveStrategies(store);
    const pick = (creditor: string, jurisdiction: string) => {
      const s = active.forAccount({ creditor, jurisdiction });
      return s && `${s.name}@${s.version}`;
    };
    expect(pick('CR-SPECIAL', 'CN')).toBe('default-us@2');
    expect(pick('CR-OTHER', 'CN')).toBe('default-cn@1');
    expect(pick('CR-OTHER', 'ES')).toBe('default-us@1');

    await deactivateScope(store, 'default', 'manager-1');
    expect((await loadActiveStrategies(store)).forAccount({ creditor: 'X', jurisdiction: 'ES' })).toBeNull();
    const list = await listStrategies(store);
    expect(list.find((s) => s.name === 'default-us' && s.version === 2)?.activeFor).toEqual([
      'creditor:CR-SPECIAL',
    ]);
    const log = await store.db.selectFrom('strategy_activation_log').selectAll().orderBy('id').execute();
    expect(log.map((l) => [l.scope, l.name, l.version, l.by])).toEqual([
      ['default', 'default-us', 1, 'manager-1'],
      ['jurisdiction:CN', 'default-cn', 1, 'manager-1'],
      ['creditor:CR-SPECIAL', 'default-us', 2, 'manager-2'],
      ['default', null, null, 'manager-1'],
    ]);
    // Every change is also in the hash-chained audit log, and the chain verifies.
    const audited = await store.db
      .selectFrom('audit_log')
      .select(['action', 'entity'])
      .where('action', 'like', 'strategy.%')
      .orderBy('seq')
      .execute();
    expect(audited.map((a) => `${a.action} ${a.entity}`)).toEqual([
      'strategy.saved strategy:default-us@1',
      'strategy.saved strategy:default-us@2',
      'strategy.saved strategy:default-cn@1',
      'strategy.activated strategy-scope:default',
      'strategy.activated strategy-scope:jurisdiction:CN',
      'strategy.activated strategy-scope:creditor:CR-SPECIAL',
      'strategy.deactivated strategy-scope:default',
    ]);
    expect((await verifyAudit(store)).ok).toBe(true);
  });

  it('says what is wrong with a scope or an unknown version', async () => {
    await expect(activateStrategy(store, 'default-us', 1, 'country:US', 'm')).rejects.toThrow(
      /scope "country:US" must be/,
    );
    await expect(activateStrategy(store, 'default-us', 9, 'default', 'm')).rejects.toThrow(
      /strategy default-us version 9 has not been saved/,
    );
    await expect(deactivateScope(store, 'jurisdiction:KR', 'm')).rejects.toThrow(
      /no strategy is active for jurisdiction:KR/,
    );
  });
});
