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
  /** The account the change belongs to: its record joins that account's chain (otherwise chain 0). */
  accountId?: number | null;
  data?: Record<string, unknown>;
}

export interface AuditRecord {
  /** The account id of the chain, or 0 for the chain of changes that belong to no account. */
  chain: number;
  seq: number;
  at: string;
  actor: string;
  action: string;
  entity: string;
  data: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

/** sha256 over the canonical JSON of every field of the record but its own hash. */
export function hashRecord(r: Omit<AuditRecord, 'hash'>): string {
  return createHash('sha256')
    .update(
      canonicalJson({
        chain: r.chain,
        seq: r.seq,
        at: r.at,
        actor: r.actor,
        action: r.action,
        entity: r.entity,
        data: r.data,
        prevHash: r.prevHash,
      }),
    )
    .digest('hex');
}

/**
 * Appends one record to its chain inside the caller's transaction. Bumping the chain's head row locks
 * it until commit, so appends to one chain are serialised and each hashes its true predecessor; call
 * this last in a transaction to hold that lock briefly.
 */
export async function appendAudit(tx: Tx, actor: Principal | null, entry: AuditEntry): Promise<AuditRecord> {
  const chain = entry.accountId ?? 0;
  // On the first record the inserted row returns seq 1 and the genesis hash; afterwards RETURNING reads
  // the row version this statement produced — after waiting for another append, that append's hash.
  const { rows } = await tx.sql.query<{ seq: number; hash: string }>(
    `INSERT INTO audit_heads (chain, seq, hash) VALUES ($1, 1, $2)
     ON CONFLICT (chain) DO UPDATE SET seq = audit_heads.seq + 1 RETURNING seq, hash`,
    [chain, GENESIS_HASH],
    'arrears_audit_head',
  );
  const head = rows[0];
  if (!head) throw new Error('audit head was not returned');
  const base = {
    chain,
    seq: Number(head.seq),
    at: new Date().toISOString(),
    actor: actorOf(actor),
    action: entry.action,
    entity: entry.entity,
    data: entry.data ?? {},
    prevHash: head.hash,
  };
  const hash = hashRecord(base);
  await tx.sql.query(
    `WITH rec AS (
       INSERT INTO audit_log (chain, seq, at, actor, action, entity, data, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9))
     UPDATE audit_heads SET hash = $9 WHERE chain = $1`,
    [
      base.chain,
      base.seq,
      base.at,
      base.actor,
      base.action,
      base.entity,
      JSON.stringify(base.data),
      base.prevHash,
      hash,
    ],
    'arrears_audit_append',
  );
  return { ...base, hash };
}

/**
 * Appends one record to each of several chains in three statements, however many (a set-based job such as
 * judging plans). Each entry must belong to a different chain; head rows are locked in chain order, so two
 * batch appends cannot deadlock on each other. The records hash exactly as `appendAudit`'s would.
 */
export async function appendAuditMany(
  tx: Tx,
  actor: Principal | null,
  entries: readonly AuditEntry[],
): Promise<AuditRecord[]> {
  if (entries.length === 0) return [];
  const sorted = [...entries].sort((a, b) => (a.accountId ?? 0) - (b.accountId ?? 0));
  const chains = sorted.map((e) => e.accountId ?? 0);
  if (new Set(chains).size !== chains.length)
    throw new Error('appendAuditMany: one entry per chain (use appendAudit for several on one chain)');
  const { rows } = await tx.sql.query<{ chain: number; seq: number; hash: string }>(
    `INSERT INTO audit_heads (chain, seq, hash)
     SELECT c, 1, $2 FROM unnest($1::bigint[]) AS c ORDER BY c
     ON CONFLICT (chain) DO UPDATE SET seq = audit_heads.seq + 1 RETURNING chain, seq, hash`,
    [chains, GENESIS_HASH],
  );
  const heads = new Map(rows.map((r) => [Number(r.chain), r]));
  const at = new Date().toISOString();
  const records = sorted.map((entry, i) => {
    const head = heads.get(chains[i]!);
    if (!head) throw new Error(`audit head of chain ${chains[i]} was not returned`);
    const base = {
      chain: chains[i]!,
      seq: Number(head.seq),
      at,
      actor: actorOf(actor),
      action: entry.action,
      entity: entry.entity,
      data: entry.data ?? {},
      prevHash: head.hash,
    };
    return { ...base, hash: hashRecord(base) };
  });
  await tx.sql.query(
    `WITH r AS (
       SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
         AS r(chain, seq, actor, action, entity, data, prev_hash, hash)),
     rec AS (
       INSERT INTO audit_log (chain, seq, at, actor, action, entity, data, prev_hash, hash)
       SELECT chain, seq, $9::timestamptz, actor, action, entity, data::jsonb, prev_hash, hash FROM r)
     UPDATE audit_heads h SET hash = r.hash FROM r WHERE h.chain = r.chain`,
    [
      records.map((r) => r.chain),
      records.map((r) => r.seq),
      records.map((r) => r.actor),
      records.map((r) => r.action),
      records.map((r) => r.entity),
      records.map((r) => JSON.stringify(r.data)),
      records.map((r) => r.prevHash),
      records.map((r) => r.hash),
      at,
    ],
  );
  return records;
}

export interface VerifyResult {
  ok: boolean;
  chains: number;
  records: number;
  /** The first record (in chain, seq order) whose link does not hold, and why. */
  firstBroken: { chain: number; seq: number; reason: string } | null;
}

interface Row {
  chain: number;
  seq: number;
  at: Date | string;
  actor: string;
  action: string;
  entity: string;
  data: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

export const toRecord = (r: Row): AuditRecord => ({
  chain: Number(r.chain),
  seq: Number(r.seq),
  at: new Date(r.at).toISOString(),
  actor: r.actor,
  action: r.action,
  entity: r.entity,
  data: r.data,
  prevHash: r.prev_hash,
  hash: r.hash,
});

/**
 * Walks every chain in keyset pages and reports the first record that is missing, altered or mislinked;
 * then checks each chain's last record against its head row (a deleted tail or a forged head).
 */
export async function verifyAudit(store: Store, pageSize = 5_000): Promise<VerifyResult> {
  return store.transaction(async ({ sql }) => {
    let records = 0;
    let chains = 0;
    let chain = -1;
    let prev = GENESIS_HASH;
    let expected = 1;
    const broken = (c: number, seq: number, reason: string): VerifyResult => ({
      ok: false,
      chains,
      records,
      firstBroken: { chain: c, seq, reason },
    });
    for (let after: [number, number] = [-1, 0]; ;) {
      const { rows } = await sql.query<Row>(
        `SELECT * FROM audit_log WHERE (chain, seq) > ($1, $2) ORDER BY chain, seq LIMIT $3`,
        [after[0], after[1], pageSize],
      );
      if (rows.length === 0) break;
      for (const row of rows) {
        const r = toRecord(row);
        if (r.chain !== chain) {
          chain = r.chain;
          chains++;
          prev = GENESIS_HASH;
          expected = 1;
        }
        if (r.seq !== expected)
          return broken(chain, expected, `record ${expected} is missing (next is ${r.seq})`);
        if (r.prevHash !== prev)
          return broken(chain, r.seq, 'prev_hash does not match the hash of the record before');
        if (hashRecord(r) !== r.hash)
          return broken(chain, r.seq, 'content does not match its hash (altered)');
        prev = r.hash;
        expected++;
        records++;
      }
      const last = rows[rows.length - 1]!;
      after = [Number(last.chain), Number(last.seq)];
    }
    const { rows: heads } = await sql.query<{ chain: number; seq: number; last: number | null; ok: boolean }>(
      `SELECT h.chain, h.seq, l.seq AS last, (l.seq = h.seq AND l.hash = h.hash) AS ok
       FROM audit_heads h LEFT JOIN LATERAL (
         SELECT seq, hash FROM audit_log WHERE chain = h.chain ORDER BY seq DESC LIMIT 1) l ON true
       WHERE l.seq IS DISTINCT FROM h.seq OR l.hash IS DISTINCT FROM h.hash
       ORDER BY h.chain LIMIT 1`,
    );
    const head = heads[0];
    if (head) {
      const last = head.last === null ? 0 : Number(head.last);
      return last < Number(head.seq)
        ? broken(
            Number(head.chain),
            last + 1,
            `record ${last + 1} is missing (the head says ${head.seq} records)`,
          )
        : broken(Number(head.chain), last, 'the head does not match the last record');
    }
    const { rows: orphans } = await sql.query<{ chain: number }>(
      `SELECT DISTINCT l.chain FROM audit_log l WHERE NOT EXISTS (SELECT 1 FROM audit_heads h WHERE h.chain = l.chain)
       ORDER BY 1 LIMIT 1`,
    );
    if (orphans[0]) return broken(Number(orphans[0].chain), 1, 'the chain has no head (head deleted)');
    return { ok: true, chains, records, firstBroken: null };
  });
}

/** Records of one chain (0: changes that belong to no account) in order. */
export async function listAudit(
  store: Store,
  chain: number,
  after: number,
  limit: number,
): Promise<AuditRecord[]> {
  const { rows } = await store.transaction(({ sql }) =>
    sql.query<Row>(`SELECT * FROM audit_log WHERE chain = $1 AND seq > $2 ORDER BY seq LIMIT $3`, [
      chain,
      after,
      limit,
    ]),
  );
  return rows.map(toRecord);
}
