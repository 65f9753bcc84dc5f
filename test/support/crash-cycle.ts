/**
 * Run as a child process by test/cycle.test.ts: runs the daily cycle and kills this process with SIGKILL
 * inside the batch after `commits` committed batches, its rows written but not committed — a crash with a
 * transaction open.
 * argv: DATABASE_URL AS_OF BATCH_SIZE COMMITS
 */
import { runCycle } from '../../src/services/cycle/index.js';
import { openStore } from '../../src/store/index.js';

const [databaseUrl, asOf, batch, commits] = process.argv.slice(2) as [string, string, string, string];
const store = await openStore({ databaseUrl });
let done = 0;
await runCycle(store, {
  asOf,
  batchSize: Number(batch),
  onBatch: () => void ++done,
  beforeCommit: () => {
    if (done === Number(commits)) process.kill(process.pid, 'SIGKILL');
  },
});
process.kill(process.pid, 'SIGKILL');
