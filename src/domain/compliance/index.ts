/**
 * Compliance: jurisdiction rule packs, the contact gate and the content linter — the public surface of the module.
 *
 * @example
 * const parsed = parseContactRequest(json);
 * if (parsed.ok) {
 *   const decision = evaluateContact(parsed.value); // { allowed, violations, nextAllowedAt, packVersion }
 * }
 * lintMessage('Pay today or you will be arrested', 'en', { jurisdiction: 'US' });
 * // → { findings: [{ category: 'false_legal_action', match: 'arrested', start: 26, end: 34, rule: 'US.FDCPA.FALSE_REP' }] }
 */
export { evaluateContact, type EvaluateOptions, type Decision, type DecisionViolation } from './gate.js';
export {
  CHANNELS,
  contactRequestSchema,
  JURISDICTIONS,
  LOCALES,
  OUTCOMES,
  parseContactRequest,
  type Channel,
  type ContactRequest,
  type HistoryEvent,
  type Jurisdiction,
  type Locale,
  type Outcome,
  type ParseResult,
} from './schema.js';
export {
  CN_PACK,
  ES_PACK,
  KR_PACK,
  PACK_VERSIONS,
  PACKS,
  tightenPack,
  US_PACK,
  type Confidence,
  type LoosenApproval,
  type OverrideRecord,
  type PackOverrides,
  type Param,
  type ParamChange,
  type ParamValue,
  type ReferenceRule,
  type Rule,
  type RulePack,
  type TightenError,
  type TightenResult,
} from './packs/index.js';
export {
  CONTENT_RULES,
  LINT_CATEGORIES,
  lintMessage,
  type LintCategory,
  type LintFinding,
  type LintOptions,
  type LintResult,
} from './lint/index.js';
export { zonesForPhone } from './time/phone.js';
