import { afterAll, describe, expect, it } from 'vitest';
import { createPool } from '../src/workers/pool.js';
import { handle } from './support/pool-task.js';

describe('the worker-thread pool', () => {
  const pool = createPool(new URL('./support/pool-task.ts', import.meta.url), handle, 2, {
    maxYoungGenerationSizeMb: 16,
    maxOldGenerationSizeMb: 64,
  });
  afterAll(() => pool.close());

  it('runs a task pinned to a thread on that thread, every time', async () => {
    const first = await Promise.all([0, 1].map((w) => pool.run({ n: w }, [], w)));
    expect(new Set(first.map((r) => r.thread)).size).toBe(2);
    for (let k = 0; k < 6; k++) {
      const w = (k + 1) % 2; // not what round-robin would pick next
      expect((await pool.run({ n: k }, [], w)).thread).toBe(first[w]!.thread);
    }
  });

  it("keeps an ArrearsError's kind, message and details; anything else is internal", async () => {
    await expect(pool.run({ n: 7, fail: 'conflict' })).rejects.toMatchObject({
      name: 'ArrearsError',
      kind: 'conflict',
      message: 'task 7 conflicts',
      details: { issues: [{ field: 'n', message: 'taken' }] },
    });
    await expect(pool.run({ n: 8, fail: 'crash' })).rejects.toMatchObject({
      kind: 'internal',
      message: expect.stringMatching(/^worker failed: TypeError: task 8 broke/),
    });
    // The pool still works after a task failed.
    expect((await pool.run({ n: 9 })).n).toBe(9);
  });
});
