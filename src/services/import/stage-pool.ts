import { createPool, defaultWorkerCount, type Pool } from '../../workers/pool.js';
import type { InputBatch } from './reader.js';
import { handle, type StagedBatch } from './staging.js';

/** Files smaller than this are staged in this thread: starting workers would cost more than it saves. */
const WORKER_THRESHOLD_BYTES = 16 << 20;

/** How many worker threads an import of `bytes` uses when the caller does not say. */
export function defaultWorkers(bytes: number): number {
  return bytes < WORKER_THRESHOLD_BYTES ? 0 : defaultWorkerCount();
}

/** Turns input batches into staging COPY payloads, in this thread or in worker threads. */
export interface Stager {
  readonly workers: number;
  stage(batch: InputBatch): Promise<StagedBatch>;
  close(): Promise<void>;
}

export function createStager(workers: number): Stager {
  const pool: Pool<InputBatch, StagedBatch> = createPool(
    new URL('./staging.ts', import.meta.url),
    handle,
    workers,
  );
  return {
    workers: pool.workers,
    // NDJSON bytes move to the worker without a copy (the reader gives each batch its own buffer).
    stage: (batch) => pool.run(batch, 'bytes' in batch ? [batch.bytes.buffer] : []),
    close: () => pool.close(),
  };
}
