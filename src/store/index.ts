export {
  openStore,
  configFromEnv,
  maskUrl,
  boundStore,
  scoped,
  useBatchSettings,
  connectionUrlOf,
  type Store,
  type StoreConfig,
  type Tx,
} from './database.js';
export { type SqlClient } from './sql-client.js';
export { CopyBuffer, copyJson, encodeCopyRows, escapeCopy, textArray } from './copy-text.js';
export type * from './schema.js';
