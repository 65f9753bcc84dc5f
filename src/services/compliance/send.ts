import { lintMessage } from '../../domain/compliance/index.js';
import type { Store } from '../../store/index.js';
import type { GateDecision, GateRequest, SendGate } from '../dispatch/index.js';
import type { ContentCheck } from '../../templates/index.js';
import { gateContacts } from './gate.js';

/** The content linter as the templates and the dispatcher use it: any finding refuses the text. */
export const lintContent: ContentCheck = (text, locale) => {
  const { findings } = lintMessage(text, locale);
  if (findings.length === 0) return { ok: true };
  return {
    ok: false,
    findings: findings.map((f) => ({ rule: f.rule ?? f.category, message: `${f.category}: "${f.match}"` })),
  };
};

/**
 * The compliance gate at send time, for the dispatcher: `gateContacts` over the batch (the debtor's facts and
 * the contacts actually sent in the window; every decision recorded) in one transaction per batch. A debtor
 * in a jurisdiction without a rule pack is refused (fail closed).
 */
export function sendGate(store: Store): SendGate {
  return async (requests: readonly GateRequest[]): Promise<GateDecision[]> => {
    if (requests.length === 0) return [];
    const outcomes = await store.transaction(({ sql }) => gateContacts(sql, requests));
    return outcomes.map((o) =>
      o.allowed
        ? { allowed: true }
        : { allowed: false, reason: o.reason ?? 'refused', rules: o.rules, nextAllowedAt: o.nextAllowedAt },
    );
  };
}
