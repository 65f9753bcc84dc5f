import type { ColumnType, Generated } from 'kysely';

/** Columns the database fills in (identity, defaults) are Generated; dates travel as 'YYYY-MM-DD' strings. */
/** A timestamptz column with a default: a Date when read, optional when inserting. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export interface CreditorSettingsJson {
  buckets?: { name: string; minDpd: number; maxDpd: number | null }[];
  allocationOrder?: ('fees' | 'penalty' | 'interest' | 'principal')[];
  caps?: CapsJson;
  /** Caps per product code, replacing the creditor-wide caps for that product. */
  productCaps?: Record<string, CapsJson>;
}

export interface CapsJson {
  penaltyRateMax?: string;
  penaltyMarginMax?: string;
  annualCostRateMax?: string;
  source?: string;
}

export interface PhoneJson {
  number: string;
  kind: 'mobile' | 'home' | 'work' | 'other';
}

export interface AddressJson {
  kind: 'home' | 'work' | 'other';
  line1: string;
  line2?: string;
  city: string;
  region?: string;
  postalCode?: string;
  country: string;
}

export interface ContactJson {
  name: string;
  relationship: string;
  phone?: string;
  email?: string;
  consent: boolean;
  source: 'debtor_provided';
}

export interface CreditorsTable {
  id: Generated<number>;
  ref: string;
  name: string;
  jurisdiction: string;
  currency: string;
  settings: Json<CreditorSettingsJson>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface DebtorsTable {
  id: Generated<number>;
  ref: string;
  name: string;
  locale: string;
  timezone: string;
  jurisdiction: string;
  phones: Json<PhoneJson[]>;
  emails: Json<string[]>;
  addresses: Json<AddressJson[]>;
  contacts: Json<ContactJson[]>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface AccountsTable {
  id: Generated<number>;
  ref: string;
  debtor_id: number;
  creditor_id: number;
  product: string;
  currency: string;
  principal: number;
  interest_rate: string;
  penalty_rate: string;
  penalty_on_interest: boolean;
  opened_on: string;
  /** The schedule, one element per installment (see the `installments` view). */
  schedule_due: string[];
  schedule_principal: number[];
  schedule_interest: number[];
  schedule_fees: number[];
  status: 'open' | 'closed';
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** A view over the accounts' schedule arrays: read-only. */
export interface InstallmentsTable {
  account_id: number;
  seq: number;
  due_on: string;
  principal: number;
  interest: number;
  fees: number;
}

export interface PaymentsTable {
  account_id: number;
  id: Generated<number>;
  ref: string;
  amount: number;
  received_on: string;
  channel: string;
  created_at: Timestamp;
}

export interface AccountEventsTable {
  account_id: number;
  id: Generated<number>;
  at: Timestamp;
  kind: string;
  data: Json<Record<string, unknown>>;
}

export interface ImportRunsTable {
  id: Generated<number>;
  source: string;
  format: string;
  started_at: Timestamp;
  finished_at: Timestamp;
  skip_invalid: boolean;
  counts: Json<Record<string, unknown>>;
  rejected: number;
}

export interface DelinquencySnapshotsTable {
  account_id: number;
  as_of: string;
  dpd: number;
  bucket: string;
  overdue_principal: number;
  overdue_interest: number;
  overdue_fees: number;
  overdue_penalty: number;
  overdue_total: number;
  outstanding_principal: number;
  computed_at: Timestamp;
}

export interface StrategiesTable {
  name: string;
  version: number;
  document: Json<Record<string, unknown>>;
  source: string;
  created_at: Timestamp;
  created_by: string;
}

export interface StrategyActivationsTable {
  scope: string;
  name: string;
  version: number;
  activated_at: Timestamp;
  activated_by: string;
}

export interface StrategyActivationLogTable {
  id: Generated<number>;
  scope: string;
  name: string | null;
  version: number | null;
  at: Timestamp;
  by: string;
}

export interface Schema {
  creditors: CreditorsTable;
  debtors: DebtorsTable;
  accounts: AccountsTable;
  installments: InstallmentsTable;
  payments: PaymentsTable;
  account_events: AccountEventsTable;
  import_runs: ImportRunsTable;
  delinquency_snapshots: DelinquencySnapshotsTable;
  strategies: StrategiesTable;
  strategy_activations: StrategyActivationsTable;
  strategy_activation_log: StrategyActivationLogTable;
}
