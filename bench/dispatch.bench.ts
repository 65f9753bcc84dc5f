import type { SendGate } from '../src/services/dispatch/index.js';
import type { ContentCheck } from '../src/templates/index.js';
/**
 * Dispatch benchmark (issue 4: ≥ 500 e-mails/s to a local SMTP sink). Deterministic portfolio from the demo
 * generator; one `reminder` e-mail planned per account with an address; the sink runs in its own process.
 * Each message is rendered from the account's statement, linted (stand-in), signed (Ed25519), recorded as a
 * notice, sent over SMTP and recorded as sent — the full path of `arrears dispatch`.
 *
 *   npm run bench:dispatch -- --messages 10000 --backend postgres
 *   npm run bench:dispatch -- --messages 10000 --backend pglite
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { smtpEmail } from '../src/channels/index.js';
import { writePortfolio } from '../src/demo/generate.js';
import { generateKey, loadSigner } from '../src/notices/index.js';
import { dispatch, enqueueActions, type PlannedAction } from '../src/services/dispatch/index.js';
import { importFile } from '../src/services/import/index.js';
import { openStore, type Store } from '../src/store/index.js';
import { ensureDefaultTemplates } from '../src/templates/index.js';
import { ADMIN, admin } from './support.js';

/**
 * The dispatcher's mechanics (claiming, retries, crash recovery, throughput) are exercised here without the
 * compliance gate and linter, which have their own tests (and a dispatch test of their own in test/dispatch-gate.test.ts).
 */
const allowEveryContact: SendGate = async (requests) => requests.map(() => ({ allowed: true }));
const acceptAnyText: ContentCheck = () => ({ ok: true });

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '10000' },
    backend: { type: 'string', default: 'postgres' },
    connections: { type: 'string', default: '8' },
    concurrency: { type: 'string', default: '64' },
    batch: { type: 'string', default: '500' },
    workers: { type: 'string', default: '2' },
  },
});
const messages = Number(values.messages);
const backend = values.backend as 'postgres' | 'pglite';
const seconds = (t: number) => (performance.now() - t) / 1000;

const resultsDir = path.resolve('bench/results');
mkdirSync(resultsDir, { recursive: true });
// About 3 in 4 generated debtors have an e-mail address: generate enough accounts to plan `messages` e-mails.
const accounts = Math.ceil(messages * 1.5);
const file = path.join(resultsDir, `portfolio-${accounts}-dispatch.ndjson`);
if (!existsSync(file)) await writePortfolio(file, { accounts, seed: 7, asOf: '2026-11-22' });

let store: Store;
if (backend === 'postgres') {
  await admin('DROP DATABASE IF EXISTS arrears_bench_dispatch WITH (FORCE)');
  await admin('CREATE DATABASE arrears_bench_dispatch');
  const url = new URL(ADMIN);
  url.pathname = '/arrears_bench_dispatch';
  store = await openStore({ databaseUrl: url.toString() });
} else {
  store = await openStore({ dataDir: 'memory://' });
}

const imported = await importFile(store, file, { today: '2026-11-22' });
if (imported.errors.length > 0)
  throw new Error('import failed: ' + JSON.stringify(imported.errors.slice(0, 3)));
const rows = await store.db
  .selectFrom('accounts as a')
  .innerJoin('debtors as d', 'd.id', 'a.debtor_id')
  .select('a.id')
  .where((eb) => eb.fn('jsonb_array_length', ['d.emails']), '>', 0)
  .orderBy('a.id')
  .limit(messages)
  .execute();
if (rows.length < messages) throw new Error(`only ${rows.length} accounts have an e-mail address`);
const plannedAt = new Date(Date.now() - 1000);
const actions: PlannedAction[] = rows.map((r) => ({
  accountId: r.id,
  channel: 'email',
  template: 'reminder',
  plannedAt,
  idempotencyKey: `bench:${r.id}`,
  strategyVersion: 'bench',
  strategyArm: 'champion',
}));
await store.transaction((tx) => enqueueActions(tx, actions));
const keys = { keyDir: path.join(mkdtempSync(path.join(os.tmpdir(), 'arrears-bench-keys-')), 'keys') };
await generateKey(store, keys);
await ensureDefaultTemplates(store);

const sink = spawn(process.execPath, ['--import', 'tsx', 'bench/smtp-sink.ts'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const lines = createInterface({ input: sink.stdout })[Symbol.asyncIterator]();
const port = Number((await lines.next()).value);
const email = smtpEmail(`smtp://127.0.0.1:${port}`, { maxConnections: Number(values.connections) });

const cpu0 = process.cpuUsage();
const t0 = performance.now();
const summary = await dispatch(
  {
    store,
    channels: { email },
    signer: await loadSigner(store, keys),
    gate: allowEveryContact,
    contentCheck: acceptAnyText,
    sender: {
      name: 'Bench Collections',
      phone: '+1 555 0100',
      email: 'bench@example.org',
      address: '1 Main St',
      paymentAccount: 'IBAN XX00',
    },
    publicUrl: 'https://verify.example.org',
  },
  {
    batchSize: Number(values.batch),
    concurrency: Number(values.concurrency),
    workers: Number(values.workers),
  },
);
const wall = seconds(t0);
const cpu = process.cpuUsage(cpu0);
await email.close();
sink.kill('SIGTERM');
const sunk = JSON.parse((await lines.next()).value as string) as { count: number; bytes: number };
await store.close();
if (backend === 'postgres') await admin('DROP DATABASE IF EXISTS arrears_bench_dispatch WITH (FORCE)');

const result = {
  backend,
  messages,
  sent: summary.sent,
  failed: summary.claimed - summary.sent,
  sinkReceived: sunk.count,
  sinkMiB: +(sunk.bytes / 2 ** 20).toFixed(1),
  wallSeconds: +wall.toFixed(2),
  perSecond: Math.round(summary.sent / wall),
  cpuSeconds: +((cpu.user + cpu.system) / 1e6).toFixed(2),
  maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  connections: Number(values.connections),
  concurrency: Number(values.concurrency),
  batch: Number(values.batch),
  workers: Number(values.workers),
};
console.log(JSON.stringify(result, null, 2));
if (summary.sent !== messages || sunk.count !== messages) {
  console.error('not every message was delivered', summary.errors.slice(0, 5));
  process.exitCode = 1;
}
