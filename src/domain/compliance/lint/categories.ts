import type { Jurisdiction } from '../schema.js';

export const LINT_CATEGORIES = [
  'threat_violence',
  'false_legal_action',
  'false_credit_consequence',
  'family_or_school_harm',
  'impersonation',
  'third_party_disclosure',
  'obscenity_insult',
  'false_amount',
  'false_promise',
] as const;

export type LintCategory = (typeof LINT_CATEGORIES)[number];

/**
 * Which rule of each pack a content finding violates. US: 1692d covers threats, obscenity and harassment of the
 * family; 1692e every false representation (legal action, credit, amounts, promises, impersonation); 1692c(b)
 * disclosure. KR/CN: the catalogue's catch-all prohibitions. ES: aggressive practices under the UCPD.
 */
export const CONTENT_RULES: Readonly<Record<Jurisdiction, Readonly<Record<LintCategory, string>>>> = {
  US: {
    threat_violence: 'US.FDCPA.ABUSE',
    obscenity_insult: 'US.FDCPA.ABUSE',
    family_or_school_harm: 'US.FDCPA.ABUSE',
    false_legal_action: 'US.FDCPA.FALSE_REP',
    false_credit_consequence: 'US.FDCPA.FALSE_REP',
    impersonation: 'US.FDCPA.FALSE_REP',
    false_amount: 'US.FDCPA.FALSE_REP',
    false_promise: 'US.FDCPA.FALSE_REP',
    third_party_disclosure: 'US.FDCPA.THIRD_PARTY',
  },
  KR: {
    threat_violence: 'KR.PROHIBITED',
    obscenity_insult: 'KR.PROHIBITED',
    family_or_school_harm: 'KR.PROHIBITED',
    false_legal_action: 'KR.PROHIBITED',
    false_credit_consequence: 'KR.PROHIBITED',
    impersonation: 'KR.PROHIBITED',
    false_amount: 'KR.PROHIBITED',
    false_promise: 'KR.PROHIBITED',
    third_party_disclosure: 'KR.THIRD_PARTY',
  },
  CN: {
    threat_violence: 'CN.PROHIBITED',
    obscenity_insult: 'CN.PROHIBITED',
    family_or_school_harm: 'CN.PROHIBITED',
    false_legal_action: 'CN.PROHIBITED',
    false_credit_consequence: 'CN.PROHIBITED',
    impersonation: 'CN.PROHIBITED',
    false_amount: 'CN.PROHIBITED',
    false_promise: 'CN.PROHIBITED',
    third_party_disclosure: 'CN.THIRD_PARTY',
  },
  ES: {
    threat_violence: 'EU.UCPD.AGGRESSIVE',
    obscenity_insult: 'EU.UCPD.AGGRESSIVE',
    family_or_school_harm: 'EU.UCPD.AGGRESSIVE',
    false_legal_action: 'EU.UCPD.AGGRESSIVE',
    false_credit_consequence: 'EU.UCPD.AGGRESSIVE',
    impersonation: 'EU.UCPD.AGGRESSIVE',
    false_amount: 'EU.UCPD.AGGRESSIVE',
    false_promise: 'EU.UCPD.AGGRESSIVE',
    third_party_disclosure: 'ES.THIRD_PARTY',
  },
};

/** The categories a given rule id of a jurisdiction answers for. */
export function categoriesOf(jurisdiction: Jurisdiction, ruleId: string): LintCategory[] {
  const table = CONTENT_RULES[jurisdiction];
  return LINT_CATEGORIES.filter((category) => table[category] === ruleId);
}
