import type { SqlClient } from '../../store/index.js';
import { encodeCopyRows, pgArray } from '../../store/index.js';
import type { AccountRecord, CreditorRecord, DebtorRecord, PaymentRecord, RecordKind } from './records.js';

/**
 * Temporary staging tables for one import. Records are COPYed here as they stream in; references,
 * duplicates and cross-record rules are then checked set-based in SQL, so a file of any size is
 * validated whole before anything reaches the real tables.
 */
export const STAGING_DDL = [
  `CREATE TEMP TABLE stage_creditors (line int, ref text, name text, jurisdiction text, currency text, settings jsonb) ON COMMIT DROP`,
  `CREATE TEMP TABLE stage_debtors (line int, ref text, name text, locale text, timezone text, jurisdiction text,
     phones jsonb, emails jsonb, addresses jsonb, contacts jsonb) ON COMMIT DROP`,
  `CREATE TEMP TABLE stage_accounts (line int, ref text, debtor_ref text, creditor_ref text, product text, currency text,
     principal bigint, interest_rate numeric, penalty_rate numeric, penalty_on_interest boolean, opened_on date,
     dues date[], principals bigint[], interests bigint[], fees bigint[]) ON COMMIT DROP`,
  `CREATE TEMP TABLE stage_payments (line int, ref text, account_ref text, amount_text text, currency text,
     received_on date, channel text) ON COMMIT DROP`,
  `CREATE TEMP TABLE stage_rejected (kind text, ref text, line int) ON COMMIT DROP`,
  `CREATE TEMP TABLE stage_errors (line int, field text, message text) ON COMMIT DROP`,
  `CREATE TEMP TABLE stage_currencies (code text PRIMARY KEY, digits int) ON COMMIT DROP`,
];

export const STAGE_TABLE: Record<RecordKind, string> = {
  creditor: 'stage_creditors',
  debtor: 'stage_debtors',
  account: 'stage_accounts',
  payment: 'stage_payments',
};

const COLUMNS = {
  creditor: ['line', 'ref', 'name', 'jurisdiction', 'currency', 'settings'],
  debtor: [
    'line',
    'ref',
    'name',
    'locale',
    'timezone',
    'jurisdiction',
    'phones',
    'emails',
    'addresses',
    'contacts',
  ],
  account: [
    'line',
    'ref',
    'debtor_ref',
    'creditor_ref',
    'product',
    'currency',
    'principal',
    'interest_rate',
    'penalty_rate',
    'penalty_on_interest',
    'opened_on',
    'dues',
    'principals',
    'interests',
    'fees',
  ],
  payment: ['line', 'ref', 'account_ref', 'amount_text', 'currency', 'received_on', 'channel'],
} as const;

/** Buffers staged rows per kind and flushes them with COPY in batches. */
export class StagingWriter {
  private readonly rows: Record<RecordKind, unknown[][]> = {
    creditor: [],
    debtor: [],
    account: [],
    payment: [],
  };
  private readonly rejected: unknown[][] = [];
  private buffered = 0;
  private inFlight: Promise<void> = Promise.resolve();

  constructor(
    private readonly sql: SqlClient,
    private readonly batchSize = 5000,
  ) {}

  add(row: CreditorRecord | DebtorRecord | AccountRecord | PaymentRecord): void {
    this.rows[row.type].push(toRow(row));
    this.buffered++;
  }

  /** Remembers a record rejected while parsing, so references to it can say so. */
  reject(kind: RecordKind, ref: string, line: number): void {
    this.rejected.push([kind, ref, line]);
    this.buffered++;
  }

  get full(): boolean {
    return this.buffered >= this.batchSize;
  }

  /**
   * Starts COPYing what is buffered and returns once the previous batch is in, so PostgreSQL ingests one
   * batch while the next is parsed (one batch in flight bounds memory). `drain()` waits for the last one.
   */
  async flush(): Promise<void> {
    const batches: [string, readonly string[], string][] = [];
    for (const kind of Object.keys(this.rows) as RecordKind[]) {
      const rows = this.rows[kind];
      if (rows.length === 0) continue;
      batches.push([STAGE_TABLE[kind], COLUMNS[kind], encodeCopyRows(rows)]);
      this.rows[kind] = [];
    }
    if (this.rejected.length > 0) {
      batches.push(['stage_rejected', ['kind', 'ref', 'line'], encodeCopyRows(this.rejected)]);
      this.rejected.length = 0;
    }
    this.buffered = 0;
    const previous = this.inFlight;
    this.inFlight = previous.then(async () => {
      for (const [table, columns, payload] of batches) await this.sql.copyIn(table, columns, payload);
    });
    await previous;
  }

  async drain(): Promise<void> {
    await this.flush();
    await this.inFlight;
  }
}

function toRow(r: CreditorRecord | DebtorRecord | AccountRecord | PaymentRecord): unknown[] {
  switch (r.type) {
    case 'creditor':
      return [r.line, r.ref, r.name, r.jurisdiction, r.currency, r.settings];
    case 'debtor':
      return [
        r.line,
        r.ref,
        r.name,
        r.locale,
        r.timezone,
        r.jurisdiction,
        r.phones,
        r.emails,
        r.addresses,
        r.contacts,
      ];
    case 'account':
      return [
        r.line,
        r.ref,
        r.debtorRef,
        r.creditorRef,
        r.product,
        r.currency,
        r.principal,
        r.interestRate,
        r.penaltyRate,
        r.penaltyOnInterest,
        r.openedOn,
        pgArray(r.installments.map((i) => i.due)),
        pgArray(r.installments.map((i) => i.principal)),
        pgArray(r.installments.map((i) => i.interest)),
        pgArray(r.installments.map((i) => i.fees)),
      ];
    case 'payment':
      return [r.line, r.ref, r.accountRef, r.amount, r.currency ?? null, r.receivedOn, r.channel];
  }
}
