import { createHash } from 'node:crypto';
import type { Principal } from '../../domain/access/index.js';
import { actorOf } from '../../domain/access/index.js';
import type { Store, Tx } from '../../store/index.js';

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every level and no whitespace: the same value always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (value === undefined) return 'null';
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export interface AuditEntry {
  action: string;
  /** What changed, e.g. `payment:A-1/P-9`, `user:alice`. */
  entity: string;
  accountId?: number | null;
  data?: Record<string, unknown>;
}

export interface AuditRecord {
  seq: number;
  at: string;
  actor: string;
  action: string;
  entity: string;
  accountId: number | null;
  data: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

/** sha256 over the canonical JSON of every field of the record but its own hash. */
export function hashRecord(r: Omit<AuditRecord, 'hash'>): string {
  return createHash('sha256')
    .update(
      canonicalJson({
        seq: r.seq,
        at: r.at,
        actor: r.actor,
        action: r.action,
        entity: r.entity,
        accountId: r.accountId,
        data: r.data,
        prevHash: r.prevHash,
      }),
    )
    .digest('hex');
}

/**
 * Appends one record to the audit chain inside the caller's transaction. Updating the one head row
 * locks it until commit, so appends are serialised and each hashes its true predecessor; call this
 * last in a transaction to hold that lock briefly.
 */
export async function appendAudit(tx: Tx, actor: Principal | null, entry: AuditEntry): Promise<AuditRecord> {
  // RETURNING reads the row version this UPDATE produced: after waiting for another append, its hash.
  const { rows } = await tx.sql.query<{ seq: number; hash: string }>(
    `UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash`,
  );
  const head = rows[0];
  if (!head) throw new Error('audit_head row is missing');
  const base = {
    seq: Number(head.seq),
    at: new Date().toISOString(),
    actor: actorOf(actor),
    action: entry.action,
    entity: entry.entity,
    accountId: entry.accountId ?? null,
    data: entry.data ?? {},
    prevHash: head.hash,
  };
  const hash = hashRecord(base);
  await tx.sql.query(
    `INSERT INTO audit_log (seq, at, actor, action, entity, account_id, data, prev_hash, hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      base.seq,
      base.at,
      base.actor,
      base.action,
      base.entity,
      base.accountId,
      JSON.stringify(base.data),
      base.prevHash,
      hash,
    ],
  );
  await tx.sql.query(`UPDATE audit_head SET hash = $1 WHERE id = 1`, [hash]);
  return { ...base, hash };
}

export interface VerifyResult {
  ok: boolean;
  records: number;
  headSeq: number;
  /** The first record whose link does not hold, and why. */
  firstBroken: { seq: number; reason: string } | null;
}

interface Row {
  seq: number;
  at: Date | string;
  actor: string;
  action: string;
  entity: string;
  account_id: number | null;
  data: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

export const toRecord = (r: Row): AuditRecord => ({
  seq: Number(r.seq),
  at: new Date(r.at).toISOString(),
  actor: r.actor,
  action: r.action,
  entity: r.entity,
  accountId: r.account_id === null ? null : Number(r.account_id),
  data: r.data,
  prevHash: r.prev_hash,
  hash: r.hash,
});

/** Walks the whole chain in pages and reports the first record that is missing, altered or mislinked. */
export async function verifyAudit(store: Store, pageSize = 5_000): Promise<VerifyResult> {
  return store.transaction(async ({ sql }) => {
    const { rows: headRows } = await sql.query<{ seq: number; hash: string }>(
      `SELECT seq, hash FROM audit_head WHERE id = 1`,
    );
    const head = headRows[0] ?? { seq: 0, hash: GENESIS_HASH };
    let prev = GENESIS_HASH;
    let expected = 1;
    let records = 0;
    const broken = (seq: number, reason: string): VerifyResult => ({
      ok: false,
      records,
      headSeq: Number(head.seq),
      firstBroken: { seq, reason },
    });
    for (;;) {
      const { rows } = await sql.query<Row>(`SELECT * FROM audit_log WHERE seq >= $1 ORDER BY seq LIMIT $2`, [
        expected,
        pageSize,
      ]);
      if (rows.length === 0) break;
      for (const row of rows) {
        const r = toRecord(row);
        if (r.seq !== expected) return broken(expected, `record ${expected} is missing (next is ${r.seq})`);
        if (r.prevHash !== prev)
          return broken(r.seq, 'prev_hash does not match the hash of the record before');
        if (hashRecord(r) !== r.hash) return broken(r.seq, 'content does not match its hash (altered)');
        prev = r.hash;
        expected++;
        records++;
      }
    }
    if (records !== Number(head.seq))
      return broken(records + 1, `record ${records + 1} is missing (the head says ${head.seq} records)`);
    if (prev !== head.hash) return broken(records, 'the head hash does not match the last record');
    return { ok: true, records, headSeq: Number(head.seq), firstBroken: null };
  });
}

export async function listAudit(store: Store, after: number, limit: number): Promise<AuditRecord[]> {
  const { rows } = await store.transaction(({ sql }) =>
    sql.query<Row>(`SELECT * FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2`, [after, limit]),
  );
  return rows.map(toRecord);
}
