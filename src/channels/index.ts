export type { ChannelAdapter, ChannelSet, OutboundMessage, Recipient, SendResult } from './types.js';
export { smtpEmail, emlFileEmail, composeEml, NOTICE_HEADER } from './email.js';
export { webhookSms, twilioSms, fileSms, type TwilioConfig } from './sms.js';
export {
  pdfLetters,
  renderLetterPdf,
  findLetterFont,
  PDF_TOKEN_KEY,
  PDF_CONTENT_KEY,
  type LetterFont,
} from './letter.js';
export { taskQueue } from './tasks.js';
export { channelsFromEnv } from './config.js';
