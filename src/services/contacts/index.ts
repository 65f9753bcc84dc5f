export { findAccount, parseAt, iso, type AccountFacts } from './account.js';
export {
  listHolds,
  placeHold,
  releaseHold,
  scopeOf,
  DEBTOR_HOLD_KINDS,
  HOLD_KINDS,
  type HoldRequest,
  type HoldScope,
  type HoldView,
} from './holds.js';
export {
  getPreferences,
  setPreferences,
  type ContactPreferences,
  type PreferencesView,
} from './preferences.js';
export {
  checkContact,
  logContact,
  listContacts,
  gateOutcomeOf,
  CONTACT_OUTCOMES,
  type ContactCheckRequest,
  type ContactCheckView,
  type ContactOutcome,
  type ContactView,
  type LogContactRequest,
} from './contacts.js';
export {
  listDisputes,
  openDispute,
  resolveDispute,
  DISPUTE_CHANNELS,
  DISPUTE_LETTER,
  DISPUTE_OUTCOMES,
  type DisputeOutcome,
  type DisputeRequest,
  type DisputeResolution,
  type DisputeView,
} from './disputes.js';
