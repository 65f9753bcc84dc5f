import { createHash } from 'node:crypto';
import type { Principal } from '../../domain/access/index.js';
import { ArrearsError, isArrearsError } from '../../domain/errors.js';
import { referenceCandidates, referencesFound } from '../../domain/references/index.js';
import {
  boundStore,
  type ReconciliationLineStatus,
  type ReconciliationMatchedBy,
  type Store,
  type Tx,
} from '../../store/index.js';
import { appendAudit } from '../audit/index.js';
import { postPayment } from '../payments/index.js';
import { parseCamt053 } from './camt053.js';
import { decodeUtf8, parseStatementCsv, STATEMENT_FORMATS, type StatementFormat } from './parse.js';

/** Account refs in remittance text: by default tokens like A-0001 or LOAN-12345. */
export const DEFAULT_REFERENCE_PATTERN = '\\b[A-Z][A-Z0-9]{0,9}-\\d{1,15}\\b';

export interface ReconcileOptions {
  /** csv (default) or camt053 (ISO 20022 bank-to-customer statement, XML). */
  format?: StatementFormat | undefined;
  dryRun?: boolean | undefined;
  /** Regular expression whose matches in the reference are looked up as account refs. */
  referencePattern?: string | undefined;
}

export interface LineOutcome {
  line: number;
  /** camt.053: the transaction's place in the document (`Stmt[1]/Ntry[3]/TxDtls[2]`); null for CSV. */
  position: string | null;
  transactionId: string;
  bookedOn: string;
  amount: string;
  currency: string;
  reference: string;
  status: ReconciliationLineStatus | 'would_post';
  reason: string | null;
  account: string | null;
  payment: string | null;
  /** How the account was found: by its payment reference, by an account ref in the text, or by a person. */
  matchedBy: ReconciliationMatchedBy | null;
}

export interface ReconcileReport {
  run: number | null;
  file: string;
  dryRun: boolean;
  lines: number;
  posted: number;
  alreadyPosted: number;
  unmatched: number;
  outcomes: LineOutcome[];
}

interface Candidate {
  id: number;
  ref: string;
  currency: string;
  status: 'open' | 'closed';
}

function compilePattern(pattern: string): RegExp {
  try {
    return new RegExp(pattern, 'gi');
  } catch (e) {
    throw new ArrearsError(
      'invalid',
      `the reference pattern is not a valid regular expression: ${(e as Error).message}`,
      {
        issues: [{ field: 'referencePattern', message: (e as Error).message }],
      },
    );
  }
}

/** The bank transaction's payment ref: stable, so a manual match and a re-import name the same payment. */
export const bankPaymentRef = (transactionId: string) => `bank-${transactionId}`.slice(0, 64);
export const bankKey = (transactionId: string) => `bank:${transactionId}`;

/** Where a transaction id was already posted (by an earlier run or a manual match), if anywhere. */
async function postedBefore(store: Store, transactionIds: string[]) {
  const rows = await store.db
    .selectFrom('reconciliation_lines as l')
    .innerJoin('accounts as a', 'a.id', 'l.account_id')
    .innerJoin('reconciliation_runs as r', 'r.id', 'l.run_id')
    .select(['l.bank_tx_id', 'a.ref', 'a.id', 'l.matched_by'])
    .where('l.bank_tx_id', 'in', transactionIds.length > 0 ? transactionIds : [''])
    .where('l.status', 'in', ['posted', 'matched_manually', 'already_posted'])
    .where('r.dry_run', '=', false)
    .execute();
  return new Map(rows.map((r) => [r.bank_tx_id!, { ref: r.ref, id: r.id, matchedBy: r.matched_by }]));
}

/**
 * Imports a bank statement: each credit whose reference names exactly one account (of the line's
 * currency) is posted through the payment service with the key `bank:<transaction id>`, so importing the
 * same statement again posts nothing twice. Every other line is kept with its reason for manual matching.
 * A file that is not entirely readable fails before anything is posted.
 */
export async function reconcileStatement(
  store: Store,
  actor: Principal | null,
  file: { name: string; bytes: Uint8Array },
  options: ReconcileOptions = {},
): Promise<ReconcileReport> {
  const format = options.format ?? 'csv';
  if (!STATEMENT_FORMATS.includes(format))
    throw new ArrearsError(
      'invalid',
      `format "${String(format)}" is not supported; use ${STATEMENT_FORMATS.join(' or ')}`,
      { issues: [{ field: 'format', message: `must be one of ${STATEMENT_FORMATS.join(', ')}` }] },
    );
  const pattern = compilePattern(options.referencePattern ?? DEFAULT_REFERENCE_PATTERN);
  const text = decodeUtf8(file.bytes, file.name);
  const lines = format === 'camt053' ? parseCamt053(text, file.name) : parseStatementCsv(text, file.name);
  const dryRun = options.dryRun ?? false;

  // Payment references first: every string in every line that could be one, looked up in one query.
  const candidates = lines.map((l) => referenceCandidates(l.reference));
  const byReference = new Map<string, Candidate[]>();
  const wanted = [...new Set(candidates.flatMap((c) => c.map((x) => x.value)))];
  if (wanted.length > 0) {
    const { rows } = await store.sql.query<Candidate & { payment_reference: string }>(
      `SELECT id, ref, currency, status, payment_reference FROM accounts WHERE payment_reference = ANY($1::text[]) ORDER BY ref`,
      [wanted],
    );
    for (const a of rows)
      (
        byReference.get(a.payment_reference) ??
        byReference.set(a.payment_reference, []).get(a.payment_reference)!
      ).push(a);
  }
  const byPaymentReference = candidates.map((c) =>
    referencesFound(c, (v) => byReference.has(v)).flatMap((v) => byReference.get(v)!),
  );

  // Then account refs found with the pattern, looked up in one query.
  const tokens = lines.map((l) => [
    ...new Set([...l.reference.matchAll(pattern)].map((m) => m[0].toUpperCase())),
  ]);
  const all = [...new Set(tokens.flat())];
  const accounts = new Map<string, Candidate>();
  if (all.length > 0)
    for (const a of (
      await store.sql.query<Candidate>(
        `SELECT id, ref, currency, status FROM accounts WHERE upper(ref) = ANY($1::text[])`,
        [all],
      )
    ).rows)
      accounts.set(a.ref.toUpperCase(), a);
  for (const list of byPaymentReference) for (const a of list) accounts.set(a.ref.toUpperCase(), a);
  const before = await postedBefore(
    store,
    lines.map((l) => l.transactionId),
  );

  const outcomes: LineOutcome[] = [];
  const runId = dryRun
    ? null
    : await store.transaction(async (tx) => {
        const row = await tx.db
          .insertInto('reconciliation_runs')
          .values({
            file_name: file.name.slice(0, 500),
            file_sha256: createHash('sha256').update(file.bytes).digest('hex'),
            format,
            lines: lines.length,
            created_by: actor?.userId ?? null,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        return row.id;
      });

  for (const [i, l] of lines.entries()) {
    const base = {
      line: l.line,
      position: l.position ?? null,
      transactionId: l.transactionId,
      bookedOn: l.bookedOn,
      amount: l.amount,
      currency: l.currency,
      reference: l.reference,
      payment: null,
    };
    const byRef = [...new Map(byPaymentReference[i]!.map((a) => [a.id, a])).values()];
    const matchedBy: ReconciliationMatchedBy = byRef.length > 0 ? 'payment_reference' : 'account_ref';
    const found =
      byRef.length > 0
        ? byRef
        : tokens[i]!.map((t) => accounts.get(t)).filter((a): a is Candidate => a !== undefined);
    const refuse = (status: ReconciliationLineStatus, reason: string, account: Candidate | null = null) =>
      outcomes.push({
        ...base,
        status,
        reason,
        account: account?.ref ?? null,
        matchedBy: account ? matchedBy : null,
      });
    const earlier = before.get(l.transactionId);
    if (earlier !== undefined) {
      outcomes.push({
        ...base,
        status: 'already_posted',
        reason: null,
        account: earlier.ref,
        payment: bankPaymentRef(l.transactionId),
        matchedBy: earlier.matchedBy,
      });
      continue;
    }
    if (l.notBooked !== undefined) {
      refuse('invalid', `not booked (status ${l.notBooked}): only booked entries are payments`);
      continue;
    }
    if (l.amount.startsWith('-') || /^0+(\.0+)?$/.test(l.amount)) {
      refuse('invalid', 'not a credit: only amounts above zero are payments');
      continue;
    }
    if (found.length === 0) {
      refuse(
        'unmatched',
        tokens[i]!.length === 0
          ? 'no account reference found in the reference text'
          : `no account ${tokens[i]!.map((t) => `"${t}"`).join(', ')}`,
      );
      continue;
    }
    if (found.length > 1) {
      refuse(
        'ambiguous',
        matchedBy === 'payment_reference'
          ? `the payment references in the text match ${found.length} accounts: ${found.map((a) => a.ref).join(', ')}`
          : `the reference names ${found.length} accounts: ${found.map((a) => a.ref).join(', ')}`,
      );
      continue;
    }
    const account = found[0]!;
    if (account.currency !== l.currency) {
      refuse(
        'invalid',
        `currency ${l.currency} differs from the account's currency ${account.currency}`,
        account,
      );
      continue;
    }
    if (dryRun) {
      outcomes.push({
        ...base,
        status: 'would_post',
        reason: null,
        account: account.ref,
        payment: bankPaymentRef(l.transactionId),
        matchedBy,
      });
      continue;
    }
    // The payment and its line commit together: a stop half-way leaves a run whose re-import completes it.
    try {
      const outcome = await store.transaction(async (tx) => {
        const posted = await postPayment(
          boundStore(store, tx),
          actor,
          account.ref,
          bankKey(l.transactionId),
          {
            amount: l.amount,
            receivedOn: l.bookedOn,
            channel: 'bank_transfer',
            ref: bankPaymentRef(l.transactionId),
          },
        );
        const o: LineOutcome = {
          ...base,
          status: posted.replayed ? 'already_posted' : 'posted',
          reason: null,
          account: account.ref,
          payment: posted.body.payment.ref,
          matchedBy,
        };
        await insertLines(tx, runId!, [{ ...o, accountId: account.id }]);
        return o;
      });
      outcomes.push(outcome);
    } catch (e) {
      if (!isArrearsError(e) || e.kind === 'unavailable' || e.kind === 'internal') throw e;
      const issues = (e.details?.issues ?? []) as { field: string; message: string }[];
      refuse(
        'invalid',
        `the payment service refused it: ${e.message}${issues.length ? ` (${issues.map((x) => `${x.field} ${x.message}`).join('; ')})` : ''}`,
        account,
      );
    }
  }

  const report: ReconcileReport = {
    run: runId,
    file: file.name,
    dryRun,
    lines: lines.length,
    posted: outcomes.filter((o) => o.status === 'posted').length,
    alreadyPosted: outcomes.filter((o) => o.status === 'already_posted').length,
    unmatched: outcomes.filter((o) => !['posted', 'already_posted', 'would_post'].includes(o.status)).length,
    outcomes,
  };
  if (runId === null) return report;
  await store.transaction(async (tx) => {
    const rest = outcomes.filter(
      (o) =>
        o.status !== 'posted' &&
        !(o.status === 'already_posted' && before.get(o.transactionId) === undefined),
    );
    await insertLines(
      tx,
      runId,
      rest.map((o) => ({
        ...o,
        accountId:
          before.get(o.transactionId)?.id ??
          (o.account ? (accounts.get(o.account.toUpperCase())?.id ?? null) : null),
      })),
    );
    await tx.db
      .updateTable('reconciliation_runs')
      .set({ posted: report.posted, already_posted: report.alreadyPosted, unmatched: report.unmatched })
      .where('id', '=', runId)
      .execute();
    await appendAudit(tx, actor, {
      action: 'reconciliation.imported',
      entity: `reconciliation:${runId}`,
      data: {
        file: file.name,
        lines: report.lines,
        posted: report.posted,
        alreadyPosted: report.alreadyPosted,
        unmatched: report.unmatched,
      },
    });
  });
  return report;
}

async function insertLines(tx: Tx, runId: number, rows: (LineOutcome & { accountId: number | null })[]) {
  if (rows.length === 0) return;
  await tx.db
    .insertInto('reconciliation_lines')
    .values(
      rows.map((o) => ({
        run_id: runId,
        line_no: o.line,
        position: o.position,
        bank_tx_id: o.transactionId,
        booked_on: o.bookedOn,
        amount: o.amount,
        currency: o.currency,
        reference: o.reference.slice(0, 2000),
        status: o.status as ReconciliationLineStatus,
        reason: o.reason,
        account_id: o.accountId,
        payment_ref: o.payment,
        matched_by: o.matchedBy,
      })),
    )
    .execute();
}

/** Reconciliation runs, newest first. */
export async function listRuns(store: Store, limit = 50) {
  const rows = await store.db
    .selectFrom('reconciliation_runs')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    file: r.file_name,
    format: r.format,
    lines: r.lines,
    posted: r.posted,
    alreadyPosted: r.already_posted,
    unmatched: r.unmatched,
    createdAt: r.created_at.toISOString(),
  }));
}

/** The stored lines of a run; `open` keeps only those waiting for a person (unmatched, ambiguous). */
export async function runLines(store: Store, runId: number, filter: { open?: boolean | undefined } = {}) {
  const run = await store.db
    .selectFrom('reconciliation_runs')
    .select('id')
    .where('id', '=', runId)
    .executeTakeFirst();
  if (!run) throw new ArrearsError('not_found', `reconciliation run ${runId} does not exist`);
  let q = store.db
    .selectFrom('reconciliation_lines as l')
    .leftJoin('accounts as a', 'a.id', 'l.account_id')
    .select([
      'l.line_no',
      'l.position',
      'l.bank_tx_id',
      'l.booked_on',
      'l.amount',
      'l.currency',
      'l.reference',
      'l.status',
      'l.reason',
      'a.ref as account',
      'l.payment_ref',
      'l.matched_by',
    ])
    .where('l.run_id', '=', runId)
    .orderBy('l.line_no');
  if (filter.open) q = q.where('l.status', 'in', ['unmatched', 'ambiguous']);
  const rows = await q.execute();
  return {
    run: runId,
    items: rows.map((r) => ({
      line: r.line_no,
      position: r.position,
      transactionId: r.bank_tx_id ?? '',
      bookedOn: r.booked_on ?? '',
      amount: r.amount ?? '',
      currency: r.currency ?? '',
      reference: r.reference ?? '',
      status: r.status,
      reason: r.reason,
      account: r.account,
      payment: r.payment_ref,
      matchedBy: r.matched_by,
    })),
  };
}

/**
 * Matches an unmatched or ambiguous line to an account by hand: posts its payment through the payment
 * service (key `bank:<transaction id>`) and marks the line, in one transaction.
 */
export async function matchLine(
  store: Store,
  actor: Principal | null,
  runId: number,
  lineNo: number,
  accountRef: string,
) {
  return store.transaction(async (tx) => {
    const { rows } = await tx.sql.query<{
      status: ReconciliationLineStatus;
      bank_tx_id: string;
      booked_on: string;
      amount: string;
      currency: string;
    }>(
      `SELECT status, bank_tx_id, booked_on, amount, currency FROM reconciliation_lines
       WHERE run_id = $1 AND line_no = $2 FOR UPDATE`,
      [runId, lineNo],
    );
    const line = rows[0];
    if (!line)
      throw new ArrearsError('not_found', `reconciliation run ${runId} has no stored line ${lineNo}`);
    if (line.status !== 'unmatched' && line.status !== 'ambiguous')
      throw new ArrearsError(
        'conflict',
        `line ${lineNo} of run ${runId} is ${line.status}; only unmatched or ambiguous lines are matched by hand`,
      );
    const bound = boundStore(store, tx);
    const earlier = await postedBefore(bound, [line.bank_tx_id]);
    const prior = earlier.get(line.bank_tx_id);
    if (prior)
      throw new ArrearsError(
        'conflict',
        `bank transaction "${line.bank_tx_id}" was already posted to account "${prior.ref}"`,
      );
    const target = await tx.db
      .selectFrom('accounts')
      .select(['id', 'currency'])
      .where('ref', '=', accountRef)
      .executeTakeFirst();
    if (!target) throw new ArrearsError('not_found', `account "${accountRef}" does not exist`);
    if (target.currency !== line.currency)
      throw new ArrearsError(
        'invalid',
        `line ${lineNo} is in ${line.currency} and account "${accountRef}" in ${target.currency}; a payment is posted only in the account's currency`,
        {
          issues: [
            {
              field: 'account',
              message: `currency ${target.currency} differs from the line's ${line.currency}`,
            },
          ],
        },
      );
    const posted = await postPayment(bound, actor, accountRef, bankKey(line.bank_tx_id), {
      amount: line.amount,
      receivedOn: line.booked_on,
      channel: 'bank_transfer',
      ref: bankPaymentRef(line.bank_tx_id),
    });
    const account = target;
    await tx.db
      .updateTable('reconciliation_lines')
      .set({
        status: 'matched_manually',
        matched_by: 'manual',
        account_id: account.id,
        payment_ref: posted.body.payment.ref,
        resolved_by: actor?.userId ?? null,
        resolved_at: new Date(),
      })
      .where('run_id', '=', runId)
      .where('line_no', '=', lineNo)
      .execute();
    await appendAudit(tx, actor, {
      action: 'reconciliation.matched',
      entity: `reconciliation:${runId}/${lineNo}`,
      accountId: account.id,
      data: { transactionId: line.bank_tx_id, account: accountRef, payment: posted.body.payment.ref },
    });
    return {
      run: runId,
      line: lineNo,
      status: 'matched_manually' as const,
      matchedBy: 'manual' as const,
      account: accountRef,
      payment: posted.body.payment.ref,
      amount: posted.body.payment.amount,
    };
  });
}
