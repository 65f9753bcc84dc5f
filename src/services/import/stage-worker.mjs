// A worker thread of the import (stage-pool.ts): decodes, validates and encodes input batches.
// Plain JavaScript so it starts without a TypeScript loader; it registers tsx itself when the parent
// process's loader did not carry over to the worker.
import { parentPort } from 'node:worker_threads';

async function load() {
  try {
    return await import('./staging.ts');
  } catch (e) {
    if (e?.code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw e;
  }
  const { register } = await import('tsx/esm/api');
  register();
  // A new URL: the failed attempt above stays cached under the plain one.
  return import('./staging.ts?tsx');
}

const { stageBatch } = await load();
parentPort.on('message', ({ id, batch }) => {
  try {
    parentPort.postMessage({ id, result: stageBatch(batch) });
  } catch (e) {
    parentPort.postMessage({ id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  }
});
