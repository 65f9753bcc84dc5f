// A worker thread of a pool (pool.ts): loads the task module named in workerData and runs its
// `handle(task)` for every message. Plain JavaScript so it starts without a TypeScript loader; it
// registers tsx itself when the parent's loader did not carry over to the worker.
import { parentPort, workerData } from 'node:worker_threads';

async function load(url) {
  try {
    return await import(url);
  } catch (e) {
    if (e?.code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw e;
  }
  const { register } = await import('tsx/esm/api');
  register();
  // A new URL: the failed attempt above stays cached under the plain one.
  return import(`${url}?tsx`);
}

const { handle } = await load(workerData.module);
parentPort.on('message', async ({ id, task }) => {
  try {
    const { result, transfer } = await handle(task);
    parentPort.postMessage({ id, result }, transfer ?? []);
  } catch (e) {
    // An ArrearsError keeps its kind and message (a conflict stays a conflict); anything else is internal.
    const arrears = e?.name === 'ArrearsError' && typeof e.kind === 'string';
    parentPort.postMessage({
      id,
      error: e instanceof Error ? (e.stack ?? e.message) : String(e),
      ...(arrears ? { kind: e.kind, message: e.message, details: e.details } : {}),
    });
  }
});
