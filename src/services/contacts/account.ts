import { ArrearsError } from '../../domain/errors.js';
import type { Store } from '../../store/index.js';

export interface AccountFacts {
  id: number;
  ref: string;
  debtorId: number;
  status: 'open' | 'closed';
  jurisdiction: string;
  timezone: string;
  locale: string;
}

/** The account by ref with its debtor's zone and jurisdiction (row-level security applies). */
export async function findAccount(store: Store, ref: string): Promise<AccountFacts> {
  const a = await store.db
    .selectFrom('accounts as a')
    .innerJoin('debtors as d', 'd.id', 'a.debtor_id')
    .select([
      'a.id',
      'a.ref',
      'a.debtor_id as debtorId',
      'a.status',
      'd.jurisdiction',
      'd.timezone',
      'd.locale',
    ])
    .where('a.ref', '=', ref)
    .executeTakeFirst();
  if (!a) throw new ArrearsError('not_found', `account "${ref}" does not exist`);
  return a;
}

/** An instant from the API: ISO 8601 with an offset; `field` names it in the error. */
export function parseAt(value: string | undefined, field: string, now = new Date()): Date {
  if (value === undefined) return now;
  const d = new Date(value);
  if (!/[zZ]|[+-]\d{2}:?\d{2}$/.test(value) || Number.isNaN(d.getTime()))
    throw new ArrearsError('invalid', `${field} must be an ISO 8601 instant with an offset`, {
      issues: [{ field, message: 'must be an ISO 8601 instant with an offset, e.g. 2026-11-23T15:00:00Z' }],
    });
  return d;
}

export const iso = (d: Date | string | null): string | null =>
  d === null ? null : new Date(d).toISOString();
