import { createReadStream } from 'node:fs';
import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { formatDay, todayIn } from '../../domain/calendar/index.js';
import { ArrearsError, type FieldIssue } from '../../domain/errors.js';
import { minorUnits } from '../../domain/money/index.js';
import { encodeCopyRows, type Store, type SqlClient } from '../../store/index.js';
import { appendAudit } from '../audit/index.js';
import { CHECKS, REJECT_ROUND } from './checks.js';
import {
  EARLY_ACCOUNTS,
  EARLY_COUNTS,
  EARLY_CREDITORS,
  EARLY_DEBTORS,
  MERGE_ACCOUNTS,
  MERGE_CREDITORS,
  MERGE_DEBTORS,
  MERGE_PAYMENTS,
} from './merge.js';
import { detectFormat, readBatches, type InputFormat } from './reader.js';
import { createStager, defaultWorkers } from './stage-pool.js';
import { STAGING_DDL, type StagedBatch } from './staging.js';

export interface ImportOptions {
  format?: InputFormat;
  /** Write the valid records and report the rest, instead of writing nothing when any record is bad. */
  skipInvalid?: boolean;
  /** Where rejected lines go with --skip-invalid (default FILE.rejects.ndjson). */
  rejectsFile?: string;
  /** At most this many errors are returned (all are counted, and all go to the rejects file). */
  maxErrors?: number;
  /** Worker threads that decode and validate (default: none for small files, else up to the cores, at most 4). */
  workers?: number;
  /** Payments dated after this day (YYYY-MM-DD) are rejected; default today (UTC). */
  today?: string;
  onProgress?: (p: {
    phase: 'reading' | 'validating' | 'writing';
    bytesRead: number;
    totalBytes: number;
    records: number;
  }) => void;
}

export interface KindCounts {
  creditors: number;
  debtors: number;
  accounts: number;
  payments: number;
}

export interface ImportResult {
  /** Whether anything was written. False when the file had errors and skipInvalid was off. */
  committed: boolean;
  /** Valid records per kind (written when committed). */
  imported: KindCounts;
  /** Of those: rows created, rows updated; the rest were identical to what was stored. */
  created: KindCounts;
  updated: KindCounts;
  rejected: number;
  errorCount: number;
  errors: FieldIssue[];
  rejectsFile?: string;
  /** Milliseconds spent per phase: reading (parse, validate, stage), checking, writing. */
  timings: Record<string, number>;
}

class Rejected extends Error {
  constructor(readonly result: ImportResult) {
    super('import rejected');
  }
}

const zero = (): KindCounts => ({ creditors: 0, debtors: 0, accounts: 0, payments: 0 });
const PLURAL = {
  creditor: 'creditors',
  debtor: 'debtors',
  account: 'accounts',
  payment: 'payments',
} as const;

/**
 * Imports a creditor/debtor/account/payment file (NDJSON or CSV) in one transaction.
 * The whole file is parsed and checked before the real tables are touched; with errors and without
 * `skipInvalid` nothing is written and every error is returned with its line and field.
 */
export async function importFile(
  store: Store,
  file: string,
  options: ImportOptions = {},
): Promise<ImportResult> {
  const format = options.format ?? detectFormat(file);
  const maxErrors = options.maxErrors ?? 10_000;
  const today = options.today ?? formatDay(todayIn('UTC'));
  const startedAt = new Date();
  const size = await stat(file).then(
    (st) => {
      if (!st.isFile()) throw new ArrearsError('invalid', `cannot import ${file}: not a file`);
      return st.size;
    },
    (e: Error) => {
      throw new ArrearsError('invalid', `cannot read import file ${file}: ${e.message}`);
    },
  );
  try {
    return await store.transaction(async (tx) => {
      const { sql } = tx;
      // The checks and the merge join whole staging tables to whole real tables: with the default 4 MB the
      // hash joins spill to disk in many batches. (Not on PGlite: its memory is this process's own.)
      if (store.kind === 'postgres') {
        await sql.query(`SET LOCAL work_mem = '256MB'`);
        await sql.query(`SET LOCAL maintenance_work_mem = '256MB'`);
      }
      for (const ddl of STAGING_DDL) await sql.query(ddl);
      await sql.copyIn(
        'stage_currencies',
        ['code', 'digits'],
        encodeCopyRows(Intl.supportedValuesOf('currency').map((c) => [c, minorUnits(c)])),
      );

      const { rows: run } = await sql.query<{ id: number }>(
        `INSERT INTO import_runs (source, format, started_at, skip_invalid, counts, rejected) VALUES ($1, $2, $3, $4, '{}', 0) RETURNING id`,
        [file, format, startedAt, options.skipInvalid ?? false],
      );
      const runId = run[0]!.id;
      // Without skipInvalid, any error rolls everything back, so new refs can be written as they are read.
      const early = !options.skipInvalid;

      const timings: Record<string, number> = {};
      let mark = performance.now();
      const lap = (phase: string) => {
        const now = performance.now();
        timings[phase] = Math.round(now - mark);
        mark = now;
      };
      let records = 0;
      let bytesRead = 0;
      let totalBytes = size;
      const progress = (phase: 'reading' | 'validating' | 'writing') =>
        options.onProgress?.({ phase, bytesRead, totalBytes, records });
      // Batches are decoded and validated (in worker threads for big files) while earlier ones are
      // COPYed; a bounded number in flight keeps memory flat whatever the file size.
      const stager = createStager(options.workers ?? defaultWorkers(totalBytes));
      const limit = Math.max(2, stager.workers * 2);
      const staged: Promise<StagedBatch>[] = [];
      let writing = Promise.resolve();
      let filled: string[] = [];
      const write = async (batch: StagedBatch) => {
        records += batch.records;
        const direct = early ? batch.copies.filter(([table]) => !(table in EARLY)) : batch.copies;
        for (const [table, columns, payload] of direct) await sql.copyIn(table, columns, payload);
        if (direct.length === batch.copies.length) return;
        const via = batch.copies.filter(([table]) => table in EARLY);
        // Only the tables the last batch filled (a TRUNCATE costs milliseconds, most batches have no creditor).
        if (filled.length > 0) await sql.query(`TRUNCATE ${filled.join(', ')}`);
        filled = via.map(([table]) => EARLY[table]!.batch);
        for (const [table, columns, payload] of via) await sql.copyIn(EARLY[table]!.batch, columns, payload);
        for (const [table] of via) {
          const { statement, name } = EARLY[table]!;
          await sql.query(statement, statement.includes('$1') ? [runId] : [], name);
        }
      };
      const writeOldest = async () => {
        const batch = await staged.shift()!;
        await writing;
        writing = write(batch);
        writing.catch(() => undefined); // awaited below; this only keeps it from counting as unhandled
      };
      try {
        for await (const batch of readBatches(file, format, (b, t) => {
          bytesRead = b;
          totalBytes = t;
        })) {
          const next = stager.stage(batch);
          next.catch(() => undefined); // awaited in order by writeOldest
          staged.push(next);
          while (staged.length >= limit) await writeOldest();
          progress('reading');
        }
        while (staged.length > 0) await writeOldest();
        await writing;
      } finally {
        await stager.close();
      }
      progress('validating');
      lap('reading');

      await rejectInvalid(sql, today);
      lap('checking');
      const imported = await countStaged(sql);
      const { rows: countRows } = await sql.query<{ errors: number; lines: number }>(
        `SELECT count(*)::int AS errors, count(DISTINCT line)::int AS lines FROM stage_errors`,
      );
      const errorCount = countRows[0]?.errors ?? 0;
      const rejected = countRows[0]?.lines ?? 0;
      const { rows: errors } = await sql.query<FieldIssue>(
        `SELECT line, field, message FROM stage_errors ORDER BY line, field LIMIT $1`,
        [maxErrors],
      );
      const base = { imported, created: zero(), updated: zero(), rejected, errorCount, errors, timings };
      if (errorCount > 0 && !options.skipInvalid) throw new Rejected({ ...base, committed: false });

      progress('writing');
      const result: ImportResult = { ...base, committed: true };
      const written = await one<{ creditors: number; debtors: number; accounts: number }>(sql, EARLY_COUNTS);
      const creditors = await one<{ created: number; updated: number }>(sql, MERGE_CREDITORS);
      const debtors = await one<{ created: number; updated: number }>(sql, MERGE_DEBTORS);
      lap('writingDebtors');
      const accounts = await one<{ created: number; updated: number }>(sql, MERGE_ACCOUNTS, [runId]);
      lap('writingAccounts');
      const payments = await one<{ created: number }>(sql, MERGE_PAYMENTS, [runId]);
      lap('writingPayments');
      result.created = {
        creditors: written.creditors + creditors.created,
        debtors: written.debtors + debtors.created,
        accounts: written.accounts + accounts.created,
        payments: payments.created,
      };
      result.updated = {
        creditors: creditors.updated,
        debtors: debtors.updated,
        accounts: accounts.updated,
        payments: 0,
      };
      await sql.query(
        `UPDATE import_runs SET counts = $2, rejected = $3, finished_at = now() WHERE id = $1`,
        [runId, JSON.stringify({ imported, created: result.created, updated: result.updated }), rejected],
      );
      // Fresh statistics for the planner: PGlite has no autovacuum, and without them the portfolio snapshot's
      // page query became a nested loop, quadratic in the page (20,000 demo accounts: minutes instead of seconds).
      await sql.query('ANALYZE creditors, debtors, accounts, payments');
      // One record for the whole run (chain 0): per-row records would double a million-account import;
      // the run's rows are traceable through import_runs and the importRun id on every account event.
      await appendAudit(tx, null, {
        action: 'import.committed',
        entity: `import_run:${runId}`,
        data: {
          source: path.basename(file),
          format,
          created: result.created,
          updated: result.updated,
          rejected,
        },
      });
      if (rejected > 0) {
        result.rejectsFile = options.rejectsFile ?? `${file}.rejects.ndjson`;
        await writeRejects(sql, file, result.rejectsFile);
      }
      lap('finishing');
      return result;
    });
  } catch (e) {
    if (e instanceof Rejected) return e.result;
    throw e;
  }
}

/** Staging tables whose rows go through EARLY_* (merge.ts) when new refs are written as they are read. */
const EARLY: Record<string, { batch: string; statement: string; name: string }> = {
  stage_creditors: { batch: 'batch_creditors', statement: EARLY_CREDITORS, name: 'import_early_creditors' },
  stage_debtors: { batch: 'batch_debtors', statement: EARLY_DEBTORS, name: 'import_early_debtors' },
  stage_accounts: { batch: 'batch_accounts', statement: EARLY_ACCOUNTS, name: 'import_early_accounts' },
};

async function one<T>(sql: SqlClient, text: string, params: unknown[] = []): Promise<T> {
  const { rows } = await sql.query<T>(text, params);
  return rows[0]!;
}

/** Runs the cross-record checks until no new record is rejected (dependants of a rejected record fail next round). */
async function rejectInvalid(sql: SqlClient, today: string): Promise<void> {
  for (const table of ['stage_creditors', 'stage_debtors', 'stage_accounts', 'stage_payments']) {
    await sql.query(`CREATE INDEX ON ${table} (ref)`);
    await sql.query(`ANALYZE ${table}`);
  }
  await sql.query(`CREATE INDEX ON stage_rejected (kind, ref)`);
  await moveRejected(sql);
  for (let round = 0; round < 5; round++) {
    for (const check of CHECKS) await sql.query(check, check.includes('$1') ? [today] : []);
    if ((await moveRejected(sql)) === 0) return;
  }
}

async function moveRejected(sql: SqlClient): Promise<number> {
  let moved = 0;
  for (const { kind, table } of REJECT_ROUND) {
    const written = kind === 'payment' ? 'false' : 'written';
    const { rows } = await sql.query<{ n: number }>(
      `WITH gone AS (DELETE FROM ${table} WHERE line IN (SELECT line FROM stage_errors) RETURNING ref, line, ${written} AS written),
            kept AS (INSERT INTO stage_rejected (kind, ref, line, written) SELECT $1, ref, line, written FROM gone)
       SELECT count(*)::int AS n FROM gone`,
      [kind],
    );
    moved += rows[0]?.n ?? 0;
  }
  return moved;
}

async function countStaged(sql: SqlClient): Promise<KindCounts> {
  const counts = zero();
  for (const { kind, table } of REJECT_ROUND) {
    const { rows } = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
    counts[PLURAL[kind as keyof typeof PLURAL]] = rows[0]?.n ?? 0;
  }
  return counts;
}

/** Writes every rejected line with its reasons: `{"line":n,"errors":[{field,message}],"record":"<the line>"}`. */
async function writeRejects(sql: SqlClient, file: string, target: string): Promise<void> {
  const { rows } = await sql.query<{ line: number; errors: { field: string; message: string }[] }>(
    `SELECT line, json_agg(json_build_object('field', field, 'message', message) ORDER BY field) AS errors
     FROM stage_errors GROUP BY line ORDER BY line`,
  );
  const out = createWriteStream(target);
  let i = 0;
  let lineNo = 0;
  for await (const text of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    lineNo++;
    while (i < rows.length && rows[i]!.line < lineNo) i++;
    if (i >= rows.length) break;
    if (rows[i]!.line === lineNo) {
      if (!out.write(JSON.stringify({ line: lineNo, errors: rows[i]!.errors, record: text }) + '\n'))
        await once(out, 'drain');
    }
  }
  out.end();
  await once(out, 'finish');
}
