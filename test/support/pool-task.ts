import { threadId } from 'node:worker_threads';
import { ArrearsError } from '../../src/domain/errors.js';
import type { TaskHandler } from '../../src/workers/pool.js';

/** A task module for the pool's tests: echoes with its thread id, or fails the way it is told. */
export const handle: TaskHandler<
  { fail?: 'conflict' | 'crash'; n: number },
  { n: number; thread: number }
> = (task) => {
  if (task.fail === 'conflict')
    throw new ArrearsError('conflict', `task ${task.n} conflicts`, {
      issues: [{ field: 'n', message: 'taken' }],
    });
  if (task.fail === 'crash') throw new TypeError(`task ${task.n} broke`);
  return { result: { n: task.n, thread: threadId } };
};
