import type { Statement } from '../domain/delinquency/index.js';
import type { MessageContext, TemplateRecord } from './render.js';

/** Sample `vars` for the templates that take them (the letters answering disputes and complaints). */
const SAMPLE_VARS: Record<string, Record<string, unknown>> = {
  dispute_resolution: { outcome: 'verification_sent', disputeId: 12, receivedOn: '2026-11-02' },
  complaint_resolution: {
    complaintId: 7,
    outcome: 'partially_upheld',
    receivedOn: '2026-11-02',
    resolution: 'The fee charged on 2 November was wrong; we removed it from your account.',
  },
};

/** A completed settlement (read only by the settlement_completed letter), with its agreement. */
const COMPLETION_VARS = (agreement: unknown): Record<string, unknown> => ({
  agreement,
  completion: { completedOn: '2025-12-30', paid: 94_734, forgiven: 10_812 },
});

/** A confirmation's agreement (read only by the *_confirmation templates). */
const CONFIRMATION_VARS: Record<string, unknown> = {
  agreement: {
    kind: 'plan',
    reference: 'plan 1',
    madeOn: '2025-11-22',
    amount: 94_734,
    owed: 104_734,
    discount: 10_000,
    discountPercent: '9.55%',
    graceDays: 2,
    tolerance: 0,
    installments: [
      { seq: 1, dueOn: '2025-12-01', amount: 47_367 },
      { seq: 2, dueOn: '2026-01-01', amount: 47_367 },
    ],
  },
};

const zero = { principal: 0, interest: 0, fees: 0, penalty: 0 };

/** A made-up account used to try a template before it is saved. */
export function sampleContext(tpl: TemplateRecord, jurisdiction: string): MessageContext {
  const currency = { US: 'USD', KR: 'KRW', CN: 'CNY', ES: 'EUR' }[jurisdiction] ?? 'USD';
  const statement: Statement = {
    asOf: 20_414,
    currency,
    dpd: 43,
    bucket: 'M2',
    overdue: { principal: 100_000, interest: 3_000, fees: 500, penalty: 1_234, total: 104_734 },
    outstandingPrincipal: 200_000,
    payoff: 204_734,
    credit: 0,
    installments: [
      {
        seq: 1,
        due: 20_371,
        charged: { principal: 100_000, interest: 3_000, fees: 500, penalty: 1_234 },
        paid: zero,
        outstanding: { principal: 100_000, interest: 3_000, fees: 500, penalty: 1_234 },
        status: 'overdue',
        daysPastDue: 43,
      },
    ],
    payments: [],
    adjustments: [],
    capReduction: null,
    formula: ['sample'],
  };
  return {
    template: tpl.name,
    channel: tpl.channel,
    locale: tpl.locale,
    jurisdiction,
    debtor: { name: 'Sample Debtor' },
    account: { ref: 'A-SAMPLE', product: 'consumer_loan' },
    creditor: { ref: 'CR-SAMPLE', name: 'Sample Creditor' },
    statement,
    notice: { code: '2345-6789-ABC', verifyUrl: 'https://example.org/verify/2345-6789-ABC', date: 20_414 },
    contact: {
      name: 'Sample Collections',
      phone: '+1 555 0100',
      email: 'help@example.org',
      address: '1 Main St',
      paymentAccount: 'IBAN XX00',
    },
    vars:
      SAMPLE_VARS[tpl.name] ??
      (tpl.name === 'settlement_completed'
        ? COMPLETION_VARS(CONFIRMATION_VARS.agreement)
        : CONFIRMATION_VARS),
  };
}
