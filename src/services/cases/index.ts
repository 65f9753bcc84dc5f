export { getCase, claimCase, releaseCase, DEFAULT_CLAIM_MINUTES, type CaseView } from './cases.js';
