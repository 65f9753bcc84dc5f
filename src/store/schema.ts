import type { ColumnType, Generated } from 'kysely';

/** Columns the database fills in (identity, defaults) are Generated; dates travel as 'YYYY-MM-DD' strings. */
/** A timestamptz column with a default: a Date when read, optional when inserting. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

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
  /** The reference the payer quotes, normalised (no spaces, upper case); unique per creditor. */
  payment_reference: Generated<string | null>;
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
  posted_by: number | null;
  reversed_at: Timestamp | null;
  reversal_reason: string | null;
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

export interface AgenciesTable {
  id: Generated<number>;
  ref: string;
  name: string;
  created_at: Timestamp;
}

export interface UsersTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  role: string;
  agency_id: number | null;
  password_hash: string;
  failed_logins: Generated<number>;
  locked_until: Timestamp | null;
  disabled: Generated<boolean>;
  created_at: Timestamp;
}

export interface SessionsTable {
  token_hash: string;
  user_id: number;
  csrf_token: string;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface ApiTokensTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  token_hash: string;
  created_at: Timestamp;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface PlacementsTable {
  account_id: number;
  id: Generated<number>;
  agency_id: number;
  placed_at: Timestamp;
  recalled_at: Timestamp | null;
}

export interface IdempotencyKeysTable {
  account_id: number;
  key: string;
  request_hash: string;
  status_code: number | null;
  response: Json<unknown> | null;
  user_id: number | null;
  created_at: Timestamp;
}

export interface AuditLogTable {
  chain: number;
  seq: number;
  at: Timestamp;
  actor: string;
  action: string;
  entity: string;
  data: Json<Record<string, unknown>>;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadsTable {
  chain: number;
  seq: number;
  hash: string;
}

export interface PromisesTable {
  account_id: number;
  id: Generated<number>;
  amount: number;
  made_on: string;
  due_on: string;
  grace_days: number;
  tolerance: number;
  created_by: number | null;
  created_at: Timestamp;
  /** Set once the outcome is final (after the deadline) and promise.broken, if broken, was emitted. */
  outcome_emitted_at: NullableTimestamp;
}

export interface CasesTable {
  account_id: number;
  status: Generated<string>;
  claimed_by: number | null;
  claimed_by_name: string | null;
  claimed_until: Timestamp | null;
  updated_at: Timestamp;
  /** Whose queue the case is in (migration 0009). */
  assigned_to: Generated<number | null>;
  assigned_at: NullableTimestamp;
  allocation_run: Generated<number | null>;
}

export interface CollectorProfilesTable {
  user_id: number;
  locales: string[];
  jurisdictions: string[];
  skills: string[];
  /** Empty: every bucket. */
  buckets: string[];
  max_open_cases: number;
  updated_at: Timestamp;
  updated_by: string;
}

export interface AllocationRunsTable {
  id: Generated<number>;
  as_of: string;
  scorecard: string;
  considered: number;
  assigned: number;
  kept: number;
  unassigned: number;
  by_reason: Json<Record<string, number>>;
  at: Timestamp;
  by: string;
}

export interface CaseNotesTable {
  account_id: number;
  id: Generated<number>;
  at: Timestamp;
  author_id: number | null;
  author: string;
  text: string;
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

export type ChannelName = 'email' | 'sms' | 'letter' | 'call' | 'visit';
export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'retry' | 'dead' | 'blocked' | 'unknown';

export interface SigningKeysTable {
  key_id: string;
  algorithm: Generated<'ed25519'>;
  public_key: string;
  status: 'active' | 'retired';
  created_at: Generated<Timestamp>;
  retired_at: NullableTimestamp;
}

export interface TemplatesTable {
  name: string;
  channel: ChannelName;
  locale: string;
  version: number;
  subject: Generated<string>;
  body: string;
  note: Generated<string>;
  created_at: Generated<Timestamp>;
}

export interface OutboxTable {
  account_id: number;
  id: Generated<number>;
  idempotency_key: string;
  channel: ChannelName;
  template: string;
  locale: string | null;
  planned_at: Timestamp;
  strategy_version: string | null;
  strategy_arm: string | null;
  vars: Json<Record<string, unknown>>;
  status: Generated<OutboxStatus>;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  lease_until: NullableTimestamp;
  notice_code: string | null;
  template_version: number | null;
  provider_ref: string | null;
  last_error: string | null;
  sent_at: NullableTimestamp;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
  strategy_segment: string | null;
  strategy_step: string | null;
  /** The cycle day that planned the action (null for manual actions). */
  planned_on: string | null;
  /** The rules that refused a blocked action. */
  gate_rules: string[] | null;
}

export type EscalationTarget = 'collector_queue' | 'field_visit' | 'legal_review' | 'agency_placement';

export interface EscalationsTable {
  account_id: number;
  id: Generated<number>;
  target: EscalationTarget;
  reason: string;
  strategy: string;
  strategy_version: number;
  segment: string;
  raised_on: string;
  status: Generated<'open' | 'accepted' | 'dismissed'>;
  closed_at: NullableTimestamp;
  closed_by: string | null;
  created_at: Generated<Timestamp>;
}

export interface CompliancePoliciesTable {
  creditor_id: number;
  jurisdiction: string;
  overrides: Json<Record<string, Record<string, unknown>>>;
  approval: Json<{ loosen: true; reason: string; approvedBy: string }> | null;
  pack_version: string;
  set_by: string;
  set_at: Generated<Timestamp>;
}

export interface CycleRunsTable {
  as_of: string;
  status: Generated<'running' | 'finished'>;
  cursor: Generated<number>;
  evaluated: Generated<number>;
  planned: Generated<number>;
  rescheduled: Generated<number>;
  blocked: Generated<number>;
  suppressed_by: Generated<Json<Record<string, number>>>;
  escalated: Generated<number>;
  by_channel: Generated<Json<Record<string, number>>>;
  by_rule: Generated<Json<Record<string, number>>>;
  started_at: Generated<Timestamp>;
  finished_at: NullableTimestamp;
  attempts: Generated<number>;
}

export interface NoticesTable {
  account_id: number;
  code: string;
  outbox_id: number;
  channel: ChannelName;
  account_ref: string;
  creditor_ref: string;
  creditor_name: string;
  amount: number;
  currency: string;
  notice_date: string;
  locale: string;
  recipient: string;
  subject: string;
  content: string;
  content_hash: string;
  key_id: string;
  signed_payload: string;
  signature: string;
  created_at: Generated<Timestamp>;
}

export interface TasksTable {
  account_id: number;
  id: Generated<number>;
  outbox_id: number;
  kind: 'call' | 'visit';
  notice_code: string;
  due_at: Timestamp;
  status: Generated<'open' | 'done' | 'cancelled'>;
  details: Json<Record<string, unknown>>;
  created_at: Generated<Timestamp>;
}

export type HoldKind = 'cease' | 'dispute' | 'attorney' | 'bankruptcy' | 'deceased' | 'deferral';

/** The holds that concern the person (all their accounts) rather than one debt. */
export type DebtorHoldKind = 'cease' | 'attorney' | 'bankruptcy' | 'deceased';

/** Per-account holds (migration 0007; since 0012 only `dispute` and `deferral`). */
export interface AccountHoldsTable {
  account_id: number;
  id: Generated<number>;
  kind: HoldKind;
  reason: string;
  source: string;
  /** Deferral only: collection resumes at this instant. */
  until: NullableTimestamp;
  placed_at: Timestamp;
  placed_by: string;
  released_at: NullableTimestamp;
  released_by: string | null;
  release_reason: string | null;
}

/** Holds on the debtor: every account of theirs (migration 0012); ids share `account_holds`' sequence. */
export interface DebtorHoldsTable {
  debtor_id: number;
  id: Generated<number>;
  kind: DebtorHoldKind;
  reason: string;
  source: string;
  /** The account it was placed through (its audit record is on that account's chain). */
  account_id: number;
  placed_at: Timestamp;
  placed_by: string;
  released_at: NullableTimestamp;
  released_by: string | null;
  release_reason: string | null;
  /** The account it was released through. */
  released_via: number | null;
}

export interface BlockedWindowJson {
  /** ISO weekday of the band's start, 1 = Monday. */
  weekday: number;
  from: string;
  to: string;
}

export interface DebtorContactPreferencesTable {
  debtor_id: number;
  blocked_channels: string[];
  blocked_windows: Json<BlockedWindowJson[]>;
  workplace_contact_prohibited: boolean;
  updated_at: Timestamp;
  updated_by: string;
}

export interface ContactsTable {
  account_id: number;
  id: Generated<number>;
  at: Timestamp;
  channel: string;
  direction: 'outbound' | 'inbound';
  recipient: 'debtor' | 'third_party' | 'attorney';
  contact_ref: string | null;
  phone: string | null;
  outcome: string;
  gate_outcome: string;
  consent_to_calls: Generated<boolean>;
  note: string | null;
  decision_id: number | null;
  outbox_id: number | null;
  logged_by: string;
  created_at: Timestamp;
}

export interface DisputesTable {
  account_id: number;
  id: Generated<number>;
  received_at: Timestamp;
  channel: string;
  written: boolean;
  reason: string;
  status: Generated<'open' | 'upheld' | 'rejected' | 'verification_sent'>;
  hold_id: number;
  previous_case_status: string;
  contact_id: number | null;
  opened_by: string;
  resolved_at: NullableTimestamp;
  resolved_by: string | null;
  resolution: string | null;
  letter_key: string | null;
}

export interface ComplaintsTable {
  account_id: number;
  id: Generated<number>;
  received_at: Timestamp;
  channel: string;
  category: string;
  summary: string;
  jurisdiction: string;
  sla_rule: string;
  respond_by: string | null;
  resolve_by: string;
  status: Generated<'open' | 'investigating' | 'resolved'>;
  assigned_to: number | null;
  assigned_to_name: string | null;
  responded_at: NullableTimestamp;
  resolved_at: NullableTimestamp;
  resolved_by: string | null;
  outcome: 'upheld' | 'partially_upheld' | 'rejected' | null;
  resolution: string | null;
  letter_key: string | null;
  opened_by: string;
}

export interface ComplaintNotesTable {
  account_id: number;
  complaint_id: number;
  id: Generated<number>;
  kind: 'investigation' | 'response';
  text: string;
  author: string;
  at: Timestamp;
}

export interface WebhookEndpointsTable {
  id: Generated<number>;
  url: string;
  /** Signs deliveries; never returned after creation, never logged. */
  secret: string;
  event_types: string[];
  active: Generated<boolean>;
  description: string | null;
  created_by: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface WebhookDeliveriesTable {
  account_id: number;
  id: Generated<number>;
  endpoint_id: number;
  event_id: string;
  event_type: string;
  payload: Json<Record<string, unknown>>;
  status: Generated<'pending' | 'sending' | 'delivered' | 'retry' | 'dead'>;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  lease_until: NullableTimestamp;
  last_status_code: number | null;
  last_error: string | null;
  delivered_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ReconciliationRunsTable {
  id: Generated<number>;
  file_name: string;
  file_sha256: string;
  format: 'csv' | 'camt053';
  dry_run: Generated<boolean>;
  lines: Generated<number>;
  posted: Generated<number>;
  already_posted: Generated<number>;
  unmatched: Generated<number>;
  created_by: number | null;
  created_at: Timestamp;
}

export type ReconciliationLineStatus =
  'posted' | 'already_posted' | 'unmatched' | 'ambiguous' | 'invalid' | 'matched_manually';

export interface ReconciliationLinesTable {
  run_id: number;
  line_no: number;
  bank_tx_id: string | null;
  booked_on: string | null;
  amount: string | null;
  currency: string | null;
  reference: string | null;
  status: ReconciliationLineStatus;
  reason: string | null;
  account_id: number | null;
  payment_ref: string | null;
  resolved_by: number | null;
  resolved_at: NullableTimestamp;
  matched_by: Generated<ReconciliationMatchedBy | null>;
  /** camt.053: the transaction's place in the document. */
  position: Generated<string | null>;
}

/** How a statement line found its account. */
export type ReconciliationMatchedBy = 'payment_reference' | 'account_ref' | 'manual';

export interface Schema {
  creditors: CreditorsTable;
  debtors: DebtorsTable;
  accounts: AccountsTable;
  installments: InstallmentsTable;
  payments: PaymentsTable;
  account_events: AccountEventsTable;
  import_runs: ImportRunsTable;
  delinquency_snapshots: DelinquencySnapshotsTable;
  agencies: AgenciesTable;
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  placements: PlacementsTable;
  idempotency_keys: IdempotencyKeysTable;
  audit_log: AuditLogTable;
  audit_heads: AuditHeadsTable;
  promises: PromisesTable;
  cases: CasesTable;
  strategies: StrategiesTable;
  strategy_activations: StrategyActivationsTable;
  strategy_activation_log: StrategyActivationLogTable;
  signing_keys: SigningKeysTable;
  templates: TemplatesTable;
  outbox: OutboxTable;
  notices: NoticesTable;
  tasks: TasksTable;
  escalations: EscalationsTable;
  cycle_runs: CycleRunsTable;
  compliance_policies: CompliancePoliciesTable;
  collector_profiles: CollectorProfilesTable;
  allocation_runs: AllocationRunsTable;
  case_notes: CaseNotesTable;
  plans: PlansTable;
  account_holds: AccountHoldsTable;
  debtor_holds: DebtorHoldsTable;
  debtor_contact_preferences: DebtorContactPreferencesTable;
  contacts: ContactsTable;
  disputes: DisputesTable;
  complaints: ComplaintsTable;
  complaint_notes: ComplaintNotesTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  reconciliation_runs: ReconciliationRunsTable;
  reconciliation_lines: ReconciliationLinesTable;
}

export type PlanKind = 'installment' | 'settlement';
export type PlanStatus = 'pending_approval' | 'active' | 'completed' | 'broken' | 'cancelled' | 'rejected';

/** Installment plans and settlements (migration 0008); a settlement has one installment. */
export interface PlansTable {
  account_id: number;
  id: Generated<number>;
  kind: PlanKind;
  status: PlanStatus;
  currency: string;
  owed: number;
  total: number;
  discount: number;
  due_dates: string[];
  amounts: number[];
  made_on: string;
  grace_days: number;
  tolerance: number;
  required_role: string;
  approval_reason: string;
  proposed_by: number | null;
  proposed_by_name: string;
  proposed_role: string;
  decided_by: number | null;
  decided_by_name: string | null;
  decided_at: NullableTimestamp;
  decision_note: string | null;
  closed_on: string | null;
  close_reason: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}
