import { ArrearsError } from '../../domain/errors.js';
import { openStore, type Store } from '../../store/index.js';
import type { TaskHandler } from '../../workers/pool.js';
import {
  cycleContext,
  prepareBatch,
  transferList,
  type CycleContext,
  type PreparedBatch,
  type Timings,
} from './batch.js';

/**
 * The daily cycle's work in a worker thread (src/workers/pool.ts): the thread opens its own connections to
 * the run's PostgreSQL database and prepares the batches it is given (read, plan, gate, encode); the run's
 * own thread writes them, in id order. (Writing here would stall: a COPY streams only while this thread's
 * event loop is free, and it is busy planning the next batch.)
 */
export type CycleTask =
  | { kind: 'open'; databaseUrl: string; asOf: string }
  | { kind: 'prepare'; from: number; to: number }
  | { kind: 'close' };

export interface CycleTaskResult {
  /** `open`: the strategy versions the thread will plan with. */
  versions?: string;
  /** `prepare`: the batch, encoded for COPY, and the time its phases took. */
  prepared?: PreparedBatch;
  timings?: Timings;
}

let store: Store | null = null;
let context: CycleContext | null = null;

const ctx = (): CycleContext => {
  if (!context) throw new ArrearsError('internal', 'cycle worker used before it was opened');
  return context;
};

export const handle: TaskHandler<CycleTask, CycleTaskResult> = async (task) => {
  switch (task.kind) {
    case 'open': {
      store = await openStore({ databaseUrl: task.databaseUrl });
      context = await cycleContext(store, task.asOf);
      return { result: { versions: context.strategies.versions } };
    }
    case 'prepare': {
      const result = await prepareBatch(ctx(), task.from, task.to);
      return { result, transfer: transferList(result.prepared) };
    }
    case 'close': {
      context = null;
      await store?.close();
      store = null;
      return { result: {} };
    }
  }
};
