import { configFromEnv, openStore, type Store } from '../store/index.js';

/** Opens the configured store for one command and always closes it. */
export async function withStore<T>(fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(configFromEnv());
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
