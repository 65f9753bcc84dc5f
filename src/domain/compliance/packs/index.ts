import type { Jurisdiction } from '../schema.js';
import { CN_PACK } from './cn.js';
import { ES_PACK } from './es.js';
import { KR_PACK } from './kr.js';
import type { RulePack } from './types.js';
import { US_PACK } from './us.js';

export { CN_PACK, ES_PACK, KR_PACK, US_PACK };
export * from './types.js';
export { tightenPack } from './tighten.js';
export type {
  LoosenApproval,
  OverrideRecord,
  PackOverrides,
  ParamChange,
  ParamValue,
  TightenError,
  TightenResult,
} from './tighten.js';

/** The built-in packs, one per supported jurisdiction. */
export const PACKS: Readonly<Record<Jurisdiction, RulePack>> = {
  US: US_PACK,
  KR: KR_PACK,
  CN: CN_PACK,
  ES: ES_PACK,
};

export const PACK_VERSIONS: Readonly<Record<Jurisdiction, string>> = {
  US: US_PACK.version,
  KR: KR_PACK.version,
  CN: CN_PACK.version,
  ES: ES_PACK.version,
};
