import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ArrearsError } from '../../domain/errors.js';
import type { InputBatch } from './reader.js';
import { stageBatch, type StagedBatch } from './staging.js';

/** Turns input batches into staging COPY payloads, in this thread or in worker threads. */
export interface Stager {
  readonly workers: number;
  stage(batch: InputBatch): Promise<StagedBatch>;
  close(): Promise<void>;
}

/** Files smaller than this are staged in this thread: starting workers would cost more than it saves. */
const WORKER_THRESHOLD_BYTES = 16 << 20;

/** How many worker threads an import of `bytes` uses when the caller does not say. */
export function defaultWorkers(bytes: number): number {
  return bytes < WORKER_THRESHOLD_BYTES ? 0 : Math.min(4, availableParallelism());
}

const YOUNG_GENERATION_MB = 96;

export function createStager(workers: number): Stager {
  return workers > 0 ? workerStager(workers) : inlineStager();
}

function inlineStager(): Stager {
  return {
    workers: 0,
    stage: async (batch) => stageBatch(batch),
    close: async () => undefined,
  };
}

interface Pending {
  resolve: (r: StagedBatch) => void;
  reject: (e: Error) => void;
}

type Reply = { id: number; result: StagedBatch } | { id: number; error: string };

/** Batches go round-robin to `count` workers; results come back in any order (staging rows carry their line). */
function workerStager(count: number): Stager {
  const url = new URL('./stage-worker.mjs', import.meta.url);
  const pending = new Map<number, Pending>();
  let failure: Error | undefined;
  let closing = false;
  const fail = (e: Error) => {
    failure ??= e;
    for (const p of pending.values()) p.reject(failure);
    pending.clear();
  };
  const workers = Array.from({ length: count }, () => {
    // A larger young generation: staging allocates many short-lived strings, and V8's default
    // nursery spent a quarter of the time collecting them (bench/foundation.bench.ts).
    const w = new Worker(url, { resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
    w.on('message', (m: Reply) => {
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      if ('error' in m) p.reject(new ArrearsError('internal', `import worker failed: ${m.error}`));
      else p.resolve(m.result);
    });
    w.on('error', (e) => fail(new ArrearsError('internal', `import worker failed: ${e.message}`)));
    w.on('exit', (code) => {
      if (!closing) fail(new ArrearsError('internal', `import worker exited unexpectedly (code ${code})`));
    });
    return w;
  });
  let next = 0;
  return {
    workers: count,
    stage(batch) {
      if (failure) return Promise.reject(failure);
      const id = next++;
      return new Promise<StagedBatch>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        // NDJSON bytes move to the worker without a copy (the reader gives each batch its own buffer).
        workers[id % count]!.postMessage({ id, batch }, 'bytes' in batch ? [batch.bytes.buffer] : []);
      });
    },
    async close() {
      closing = true;
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
