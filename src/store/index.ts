export {
  openStore,
  configFromEnv,
  maskUrl,
  boundStore,
  scoped,
  type Store,
  type StoreConfig,
  type Tx,
} from './database.js';
export { encodeCopyRows, pgArray, type SqlClient } from './sql-client.js';
export type * from './schema.js';
