import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ArrearsError, type ErrorKind } from '../domain/errors.js';

/**
 * A task module run in worker threads exports `handle(task)`, returning the result and, optionally, the
 * ArrayBuffers to move back without a copy. The same function runs in-thread when a pool has no workers.
 */
export type TaskHandler<T, R> = (
  task: T,
) => { result: R; transfer?: ArrayBuffer[] } | Promise<{ result: R; transfer?: ArrayBuffer[] }>;

export interface Pool<T, R> {
  readonly workers: number;
  /** Runs a task; `worker` pins it to one thread (round-robin otherwise), e.g. for state a task leaves there. */
  run(task: T, transfer?: ArrayBuffer[], worker?: number): Promise<R>;
  close(): Promise<void>;
}

/** A task that threw: an ArrearsError comes with its kind, message and details. */
interface WorkerError {
  id: number;
  error: string;
  kind?: ErrorKind;
  message?: string;
  details?: ConstructorParameters<typeof ArrearsError>[2];
}

/** Bulk work allocates many short-lived objects; V8's default nursery spent up to a quarter of the time collecting. */
const YOUNG_GENERATION_MB = 96;

/** Worker threads for bulk work: one per core, at most 4. */
export function defaultWorkerCount(): number {
  return Math.min(4, availableParallelism());
}

/**
 * Runs `handler` (exported as `handle` from `module`) in `count` worker threads, tasks round-robin, or in
 * this thread when `count` is 0. Results come back in any order; each `run` resolves with its own.
 */
export function createPool<T, R>(
  module: URL,
  handler: TaskHandler<T, R>,
  count: number,
  /** The threads' heap limits (default: a young generation of YOUNG_GENERATION_MB). */
  resourceLimits: { maxYoungGenerationSizeMb?: number; maxOldGenerationSizeMb?: number } = {
    maxYoungGenerationSizeMb: YOUNG_GENERATION_MB,
  },
): Pool<T, R> {
  if (count <= 0) {
    return {
      workers: 0,
      run: async (task) => (await handler(task)).result,
      close: async () => undefined,
    };
  }
  const pending = new Map<number, { resolve: (r: R) => void; reject: (e: Error) => void }>();
  let failure: Error | undefined;
  let closing = false;
  const fail = (e: Error) => {
    failure ??= e;
    for (const p of pending.values()) p.reject(failure);
    pending.clear();
  };
  const workers = Array.from({ length: count }, () => {
    const w = new Worker(new URL('./entry.mjs', import.meta.url), {
      workerData: { module: module.href },
      resourceLimits,
    });
    w.on('message', (m: { id: number; result: R } | WorkerError) => {
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      if (!('error' in m)) p.resolve(m.result);
      else if (m.kind) p.reject(new ArrearsError(m.kind, m.message ?? m.error, m.details));
      else p.reject(new ArrearsError('internal', `worker failed: ${m.error}`));
    });
    w.on('error', (e) => fail(new ArrearsError('internal', `worker failed: ${e.message}`)));
    w.on('exit', (code) => {
      if (!closing) fail(new ArrearsError('internal', `worker exited unexpectedly (code ${code})`));
    });
    return w;
  });
  let next = 0;
  return {
    workers: count,
    run(task, transfer = [], worker) {
      if (failure) return Promise.reject(failure);
      const id = next++;
      return new Promise<R>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        workers[(worker ?? id) % count]!.postMessage({ id, task }, transfer);
      });
    },
    async close() {
      closing = true;
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
