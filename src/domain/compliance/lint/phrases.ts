/**
 * Phrases the gate needs beyond abuse: does a text mention a debt (fatal when it goes to a third party), does an
 * e-mail or text carry an opt-out instruction, does a US message carry the 1692e(11) disclosures. All run on the
 * normalised text, so spacing or full-width tricks do not hide a disclosure or fake a required sentence's absence.
 */
import type { Locale } from '../schema.js';
import type { Normalized } from './normalize.js';

const DEBT_LATIN =
  /\b(?:debts?|owe[sd]?|owing|overdue|past due|arrears|delinquen\w*|unpaid|outstanding balance|collections?|collector|repay\w*|payments?|balance due|loans?|deudas?|debe|adeud\w*|moros\w*|impag\w*|vencid[oa]s?|pendiente de pago|prestamos?|cobros?|recobro|pagos?)\b/u;
const DEBT_CJK = /채무|빚|연체|대출|상환|추심|미납|갚|欠|债|逾期|还款|贷款|催收|借款/u;

export function mentionsDebt(n: Normalized): boolean {
  return DEBT_LATIN.test(n.text) || DEBT_CJK.test(n.text);
}

const OPT_OUT =
  /\b(?:(?:reply|text|send) stop|unsubscribe|opt ?out|(?:responde|responda|envia|envie) (?:baja|stop)|dar(?:se|te)? de baja|cancelar (?:la )?suscripcion)\b|수신거부|수신차단|退订|回复td|回td|拒收/u;

export function hasOptOut(n: Normalized): boolean {
  return OPT_OUT.test(n.text);
}

interface Disclosure {
  /** Both needed in the first communication (1692e(11)). */
  first: readonly RegExp[];
  /** Needed in every later communication. */
  later: RegExp;
}

const DISCLOSURES: Partial<Record<Locale, Disclosure>> = {
  en: {
    first: [
      /\battempt(?:ing)? to collect a debt\b/u,
      /\binformation (?:obtained )?will be used for that purpose\b/u,
    ],
    later: /\b(?:from|by) a debt collector\b|\bthis is a debt collector\b/u,
  },
  es: {
    first: [
      /\b(?:intento|intentando|intenta|tratando|trata) (?:de )?cobrar una deuda\b/u,
      /\binformacion (?:obtenida )?(?:sera|se) (?:usada|utilizada|usara|utilizara) (?:para|con) (?:ese|este|dicho) (?:fin|proposito)\b/u,
    ],
    later: /\b(?:de|por) (?:un|una) (?:cobrador de deudas|agencia de cobro(?: de deudas)?)\b/u,
  },
};

export type DisclosureCheck = 'ok' | 'missing' | 'unsupported_locale';

/** Checks the mini-Miranda in a US message; `first` = no earlier communication with the consumer about the debt. */
export function checkDisclosure(n: Normalized, locale: Locale, first: boolean): DisclosureCheck {
  const spec = DISCLOSURES[locale];
  if (!spec) return 'unsupported_locale';
  // The first communication's full statement also says it is from a debt collector attempting to collect.
  const ok = first
    ? spec.first.every((re) => re.test(n.text))
    : spec.later.test(n.text) || spec.first[0]!.test(n.text);
  return ok ? 'ok' : 'missing';
}
