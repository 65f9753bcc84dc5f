import { afterAll, describe, expect, it } from 'vitest';
import type { ContactRequest } from '../src/domain/compliance/index.js';
import { checkAndRecord, decisionsForAccount } from '../src/services/compliance/index.js';
import { backends } from './support/stores.js';

const request: ContactRequest = {
  jurisdiction: 'US',
  channel: 'call',
  at: '2026-03-10T02:00:00Z',
  debtRef: 'D-1',
  recipient: { role: 'debtor' },
  debtor: { timezone: 'America/New_York' },
  history: [],
};

describe.each(backends())('compliance decision log on $name', (backend) => {
  afterAll(() => backend.cleanup());

  it('records every decision with its rule ids and pack version, queryable by account', async () => {
    const store = await backend.open();
    const denied = await checkAndRecord(store, 42, request);
    expect(denied.decision.allowed).toBe(false);
    const allowed = await checkAndRecord(store, 42, { ...request, at: '2026-03-10T16:00:00Z' });
    expect(allowed.decision.allowed).toBe(true);
    await checkAndRecord(store, 7, request);
    const log = await decisionsForAccount(store, 42);
    expect(log.map((d) => d.decision.allowed)).toEqual([true, false]);
    expect(log[1]!.request).toEqual(request);
    expect(log[1]!.decision.violations.map((v) => v.rule)).toEqual(['US.FDCPA.HOURS']);
    const { rows } = await store.transaction((tx) =>
      tx.sql.query<{ rule_ids: string[]; pack_version: string }>(
        'SELECT rule_ids, pack_version FROM compliance_decisions WHERE account_id = 42 ORDER BY id',
      ),
    );
    expect(rows).toEqual([
      { rule_ids: ['US.FDCPA.HOURS'], pack_version: 'US-2026.11.1' },
      { rule_ids: [], pack_version: 'US-2026.11.1' },
    ]);
    await expect(
      store.transaction((tx) => tx.sql.query('DELETE FROM compliance_decisions')),
    ).rejects.toThrow();
  });
});
