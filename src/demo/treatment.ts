import { readFile } from 'node:fs/promises';
import { generateKey, keyConfigFromEnv, listKeys } from '../notices/index.js';
import {
  activateStrategy,
  DEFAULT_STRATEGY_JURISDICTIONS,
  defaultStrategyFile,
  listStrategies,
  saveStrategy,
} from '../services/strategy/index.js';
import type { Store } from '../store/index.js';

/**
 * What the demo needs before its first cycle: each jurisdiction's shipped default strategy active (unless
 * some strategy already is) and a signing key for notices (unless one exists). Running it again changes nothing.
 */
export async function setUpDemoTreatment(
  store: Store,
): Promise<{ activated: string[]; keyCreated: boolean }> {
  const activated: string[] = [];
  const existing = await listStrategies(store);
  if (!existing.some((s) => s.activeFor.length > 0)) {
    for (const j of DEFAULT_STRATEGY_JURISDICTIONS) {
      const text = await readFile(defaultStrategyFile(j), 'utf8');
      const name = `default-${j.toLowerCase()}`;
      const saved =
        existing.find((s) => s.name === name && s.version === 1) ?? (await saveStrategy(store, text, 'demo'));
      await activateStrategy(store, saved.name, saved.version, `jurisdiction:${j}`, 'demo');
      activated.push(`${saved.name}@${saved.version} for ${j}`);
    }
  }
  const keyCreated = (await listKeys(store)).length === 0;
  if (keyCreated) await generateKey(store, keyConfigFromEnv());
  return { activated, keyCreated };
}
