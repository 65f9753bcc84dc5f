/**
 * API benchmark: payment posting (POST /api/v1/accounts/{ref}/payments, a new Idempotency-Key each,
 * authenticated with a Bearer token) and "may I call now?" (POST /api/v1/accounts/{ref}/contact-check, the
 * compliance gate with holds, preferences and contact history, its decision recorded) against a bare
 * Fastify hello-world on the same machine. The server runs as its own process (`arrears serve`) on
 * PostgreSQL; this process generates the load with autocannon. Targets (issue 5): ≥ 500 payments/s with
 * p99 ≤ 50 ms; ≥ 2,000 contact checks/s with p99 ≤ 20 ms.
 *
 *   npm run bench:server -- --accounts 2000 --duration 20 --connections 16 [--routes payments,contact-check]
 *
 * A fresh database `arrears_bench_server_*` on ARREARS_BENCH_PG_URL (default the local server) is
 * created and dropped.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { writePortfolio } from '../src/demo/generate.js';
import { importFile } from '../src/services/import/index.js';
import { addUser, createApiToken } from '../src/services/users/index.js';
import { openStore } from '../src/store/index.js';
import { ADMIN, admin } from './support.js';

const { values } = parseArgs({
  options: {
    accounts: { type: 'string', default: '2000' },
    duration: { type: 'string', default: '20' },
    connections: { type: 'string', default: '16' },
    routes: { type: 'string', default: 'payments,contact-check' },
  },
});
const accounts = Number(values.accounts);
const duration = Number(values.duration);
const connections = Number(values.connections);
const routes = new Set(values.routes.split(','));
const asOf = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);

function start(args: string[], env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /listening on (http:\/\/[^\s]+)/.exec(err);
      if (m) resolve({ child, url: m[1]! });
    });
    child.on('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}: ${err}`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.on('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

interface Figures {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  non2xx: number;
  errors: number;
}

async function load(opts: autocannon.Options): Promise<Figures> {
  const r = await autocannon({ connections, duration, ...opts });
  return {
    requests: r.requests.total,
    rps: Math.round(r.requests.average),
    p50: r.latency.p50,
    p99: r.latency.p99,
    ok: r['2xx'],
    non2xx: r.non2xx,
    errors: r.errors,
  };
}

const loadBefore = os.loadavg();
const dbName = `arrears_bench_server_${randomBytes(4).toString('hex')}`;
await admin(`CREATE DATABASE ${dbName}`);
const url = new URL(ADMIN);
url.pathname = `/${dbName}`;
const databaseUrl = url.toString();
const children: ChildProcess[] = [];
try {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'arrears-bench-'));
  const file = path.join(dir, 'portfolio.ndjson');
  await writePortfolio(file, { accounts, seed: 42, asOf });
  const store = await openStore({ databaseUrl });
  const imported = await importFile(store, file, { today: asOf });
  if (!imported.committed) throw new Error('the generated portfolio did not import');
  await addUser(store, null, { username: 'bench', role: 'collector', password: 'bench-password-123' });
  const { token } = await createApiToken(store, null, 'bench', 'bench');
  const refs = (
    await store.db.selectFrom('accounts').select('ref').where('status', '=', 'open').execute()
  ).map((a) => a.ref);
  await store.close();

  const hello = await start(['--import', 'tsx', 'bench/hello-server.ts'], process.env);
  children.push(hello.child);
  await load({ url: hello.url, duration: 3 });
  const bare = await load({ url: hello.url });
  await stop(hello.child);

  // BENCH_SERVER_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", profiles the server process.
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const api = await start([...nodeArgs, 'bin/arrears.mjs', 'serve', '--port', '0'], {
    ...process.env,
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'warn',
  });
  children.push(api.child);
  let n = 0;
  const paymentLoad = (seconds: number) =>
    load({
      url: api.url,
      duration: seconds,
      requests: [
        {
          method: 'POST',
          setupRequest: (req) => {
            const i = n++;
            return {
              ...req,
              path: `/api/v1/accounts/${refs[i % refs.length]}/payments`,
              headers: {
                'content-type': 'application/json',
                authorization: `Bearer ${token}`,
                'idempotency-key': `bench-${i}`,
              },
              body: JSON.stringify({ amount: '1', receivedOn: asOf, channel: 'bank_transfer' }),
            };
          },
        },
      ],
    });
  const none = { requests: 0, rps: 0, p50: 0, p99: 0, ok: 0, non2xx: 0, errors: 0 };
  const warmUp = routes.has('payments') ? await paymentLoad(3) : none;
  const payments = routes.has('payments') ? await paymentLoad(duration) : none;
  let c = 0;
  const checkLoad = (seconds: number) =>
    load({
      url: api.url,
      duration: seconds,
      requests: [
        {
          method: 'POST',
          setupRequest: (req) => ({
            ...req,
            path: `/api/v1/accounts/${refs[c++ % refs.length]}/contact-check`,
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({ channel: 'call' }),
          }),
        },
      ],
    });
  const contactCheck = routes.has('contact-check') ? (await checkLoad(3), await checkLoad(duration)) : none;
  await stop(api.child);

  const check = await openStore({ databaseUrl });
  const { rows } = await check.transaction(({ sql }) =>
    sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM payments WHERE posted_by IS NOT NULL`),
  );
  await check.close();
  const result = {
    date: new Date().toISOString(),
    machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
    loadAverage: {
      before: loadBefore.map((l) => +l.toFixed(2)),
      after: os.loadavg().map((l) => +l.toFixed(2)),
    },
    accounts,
    connections,
    durationSeconds: duration,
    helloWorld: bare,
    payments,
    paymentsStored: rows[0]?.n,
    // Every 2xx answer must be exactly one stored payment: nothing lost, nothing doubled.
    paymentsAnswered2xx: warmUp.ok + payments.ok,
    ratioToHelloWorld: +(payments.rps / bare.rps).toFixed(3),
    target: { rps: 500, p99: 50, met: payments.rps >= 500 && payments.p99 <= 50 },
    contactCheck,
    contactCheckRatioToHelloWorld: +(contactCheck.rps / bare.rps).toFixed(3),
    contactCheckTarget: { rps: 2000, p99: 20, met: contactCheck.rps >= 2000 && contactCheck.p99 <= 20 },
  };
  console.log(JSON.stringify(result, null, 2));
} finally {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
}
