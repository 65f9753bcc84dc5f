export { CODE_ALPHABET, newCode, parseCode, checkCharacter, type ParsedCode } from './code.js';
export {
  contentHash,
  hashNormalized,
  normalizeContent,
  canonicalPayload,
  signNotice,
  verifySignature,
  noticeToken,
  parseNoticeToken,
  publicKeyText,
  parsePublicKey,
  parsePrivateKey,
  keyIdOf,
  type NoticePayload,
  type SignedNotice,
} from './signature.js';
export {
  generateKey,
  rotateKey,
  listKeys,
  publicKeys,
  loadSigner,
  keyConfigFromEnv,
  type KeyConfig,
  type PublicKeyInfo,
  type Signer,
} from './keys.js';
export {
  verifyCode,
  verifyFile,
  readPdfNotice,
  maskRef,
  maskRecipient,
  type VerifyResult,
} from './verify.js';
