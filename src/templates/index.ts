export { LOCALES, normalizeLocale, type Locale } from './locales.js';
export { REQUIRED_RULES, requiredRules, type RequiredRule } from './required.js';
export { defaultTemplates, type TemplateSource } from './defaults.js';
export {
  renderMessage,
  templateVariables,
  addBusinessDays,
  type ContentCheck,
  type AgreementVars,
  type CompletionVars,
  type ContentCheckResult,
  type MessageContext,
  type RenderedMessage,
  type SenderProfile,
  type TemplateRecord,
} from './render.js';
export {
  saveTemplate,
  ensureDefaultTemplates,
  latestTemplates,
  listTemplates,
  templateKey,
} from './store.js';
export { sampleContext } from './sample.js';
