export {
  appendAudit,
  appendAuditMany,
  verifyAudit,
  listAudit,
  canonicalJson,
  hashRecord,
  GENESIS_HASH,
  type AuditEntry,
  type AuditRecord,
  type VerifyResult,
} from './chain.js';
