import { fileURLToPath } from 'node:url';

/** Jurisdictions with a shipped default strategy (strategies/default-<jurisdiction>.yaml). */
export const DEFAULT_STRATEGY_JURISDICTIONS = ['US', 'KR', 'CN', 'ES'] as const;

export function defaultStrategyFile(jurisdiction: (typeof DEFAULT_STRATEGY_JURISDICTIONS)[number]): string {
  return fileURLToPath(
    new URL(`../../../strategies/default-${jurisdiction.toLowerCase()}.yaml`, import.meta.url),
  );
}
