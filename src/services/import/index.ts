export { importFile, type ImportOptions, type ImportResult, type KindCounts } from './import.js';
export { validateRecord, SUPPORTED_LOCALES, PAYMENT_CHANNELS, type ImportRecord } from './records.js';
export { detectFormat, type InputFormat } from './reader.js';
