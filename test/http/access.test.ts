import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../src/domain/access/index.js';
import { buildApp, type ArrearsApp } from '../../src/http/index.js';
import { placeAccounts } from '../../src/services/agencies/index.js';
import { claimCase } from '../../src/services/cases/index.js';
import { createPlan } from '../../src/services/negotiation/index.js';
import { openComplaint } from '../../src/services/complaints/index.js';
import { openDispute, placeHold } from '../../src/services/contacts/index.js';
import { postPayment } from '../../src/services/payments/index.js';
import { reconcileStatement } from '../../src/services/reconciliation/index.js';
import { createEndpoint, emitEvent, updateEndpoint } from '../../src/services/webhooks/index.js';
import { createApiToken } from '../../src/services/users/index.js';
import type { Store } from '../../src/store/index.js';
import { backends } from '../support/stores.js';
import { bearer, PASSWORD, seed, type Seeded } from '../support/server.js';

const ALL = 'all';
/** Everyone who deals with debtors and records what they ask for; and who decides on holds and disputes. */
const RECORD: readonly Role[] = [
  'admin',
  'manager',
  'collector',
  'field_agent',
  'legal',
  'compliance_officer',
  'agency_user',
];
const DECIDE: readonly Role[] = ['admin', 'manager', 'legal', 'compliance_officer'];
/** The access policy, written out independently of the route code, route by route. */
const POLICY: Record<string, readonly Role[] | 'public' | typeof ALL> = {
  'GET /health': 'public',
  'GET /ready': 'public',
  'GET /api/openapi.json': 'public',
  'POST /api/v1/auth/login': 'public',
  'POST /api/v1/auth/logout': ALL,
  'GET /api/v1/auth/me': ALL,
  'POST /api/v1/auth/tokens': ALL,
  'DELETE /api/v1/auth/tokens/:id': ALL,
  'GET /api/v1/users': ['admin'],
  'POST /api/v1/users': ['admin'],
  'GET /api/v1/accounts': ALL,
  'GET /api/v1/accounts/:ref': ALL,
  'GET /api/v1/accounts/:ref/statement': ALL,
  'GET /api/v1/portfolio': ['admin', 'manager', 'compliance_officer', 'auditor', 'agency_user'],
  'GET /api/v1/accounts/:ref/payments': ALL,
  'POST /api/v1/accounts/:ref/payments': ['admin', 'manager', 'collector', 'agency_user'],
  'POST /api/v1/accounts/:ref/payments/:paymentRef/reversal': ['admin', 'manager'],
  'GET /api/v1/accounts/:ref/promises': ALL,
  'POST /api/v1/accounts/:ref/promises': ['admin', 'manager', 'collector', 'field_agent', 'agency_user'],
  'GET /api/v1/plans': ALL,
  'GET /api/v1/accounts/:ref/plans': ALL,
  'POST /api/v1/accounts/:ref/plans': ['admin', 'manager', 'collector', 'compliance_officer', 'agency_user'],
  'GET /api/v1/accounts/:ref/plans/:id': ALL,
  'POST /api/v1/accounts/:ref/plans/:id/approval': ['admin', 'manager', 'compliance_officer'],
  'POST /api/v1/accounts/:ref/plans/:id/rejection': ['admin', 'manager', 'compliance_officer'],
  'POST /api/v1/accounts/:ref/plans/:id/cancellation': [
    'admin',
    'manager',
    'collector',
    'compliance_officer',
    'agency_user',
  ],
  'GET /api/v1/accounts/:ref/case': ALL,
  'POST /api/v1/accounts/:ref/case/claim': [
    'admin',
    'manager',
    'collector',
    'field_agent',
    'legal',
    'agency_user',
  ],
  'DELETE /api/v1/accounts/:ref/case/claim': [
    'admin',
    'manager',
    'collector',
    'field_agent',
    'legal',
    'agency_user',
  ],
  'GET /api/v1/accounts/:ref/holds': ALL,
  'POST /api/v1/accounts/:ref/holds': RECORD,
  'POST /api/v1/accounts/:ref/holds/:id/release': DECIDE,
  'GET /api/v1/accounts/:ref/preferences': ALL,
  'PUT /api/v1/accounts/:ref/preferences': [
    'admin',
    'manager',
    'collector',
    'field_agent',
    'compliance_officer',
    'agency_user',
  ],
  'POST /api/v1/accounts/:ref/contact-check': RECORD,
  'GET /api/v1/accounts/:ref/contacts': ALL,
  'POST /api/v1/accounts/:ref/contacts': [
    'admin',
    'manager',
    'collector',
    'field_agent',
    'legal',
    'agency_user',
  ],
  'GET /api/v1/accounts/:ref/disputes': ALL,
  'POST /api/v1/accounts/:ref/disputes': RECORD,
  'POST /api/v1/accounts/:ref/disputes/:id/resolution': DECIDE,
  'GET /api/v1/accounts/:ref/complaints': ALL,
  'POST /api/v1/accounts/:ref/complaints': RECORD,
  'POST /api/v1/accounts/:ref/complaints/:id/assignment': ['admin', 'manager', 'compliance_officer'],
  'POST /api/v1/accounts/:ref/complaints/:id/notes': ['admin', 'manager', 'compliance_officer', 'legal'],
  'POST /api/v1/accounts/:ref/complaints/:id/resolution': ['admin', 'manager', 'compliance_officer'],
  'GET /api/v1/complaints/overdue': ['admin', 'manager', 'compliance_officer', 'auditor'],
  'GET /api/v1/agencies': ['admin', 'manager', 'agency_user'],
  'POST /api/v1/agencies': ['admin'],
  'POST /api/v1/agencies/:ref/placements': ['admin', 'manager'],
  'DELETE /api/v1/accounts/:ref/placement': ['admin', 'manager'],
  'GET /api/v1/audit': ['admin', 'auditor', 'compliance_officer'],
  'GET /api/v1/audit/verify': ['admin', 'auditor', 'compliance_officer'],
  'GET /api/v1/notices/keys': 'public',
  'GET /api/v1/verify/:code': 'public',
  'GET /verify/:code': 'public',
  'GET /api/v1/collectors': ['admin', 'manager'],
  'GET /api/v1/collectors/:username': ['admin', 'manager', 'collector', 'field_agent'],
  'PUT /api/v1/collectors/:username': ['admin', 'manager'],
  'POST /api/v1/allocations': ['admin', 'manager'],
  'GET /api/v1/queue': ['admin', 'manager', 'collector', 'field_agent', 'agency_user'],
  'GET /api/v1/queue/next': ['admin', 'manager', 'collector', 'field_agent', 'agency_user'],
  'POST /api/v1/queue/next': ['admin', 'manager', 'collector', 'field_agent', 'agency_user'],
  'GET /api/v1/accounts/:ref/timeline': ALL,
  'GET /api/v1/accounts/:ref/notes': ALL,
  'POST /api/v1/accounts/:ref/notes': [
    'admin',
    'manager',
    'collector',
    'field_agent',
    'legal',
    'agency_user',
  ],
  'POST /api/v1/accounts/:ref/case/status': [
    'admin',
    'manager',
    'collector',
    'field_agent',
    'legal',
    'agency_user',
  ],
  'GET /api/v1/webhooks/endpoints': ['admin'],
  'POST /api/v1/webhooks/endpoints': ['admin'],
  'PATCH /api/v1/webhooks/endpoints/:id': ['admin'],
  'GET /api/v1/webhooks/deliveries': ['admin'],
  'POST /api/v1/webhooks/deliveries/:id/redeliver': ['admin'],
  'POST /api/v1/reconciliations': ['admin', 'manager'],
  'GET /api/v1/reconciliations': ['admin', 'manager'],
  'GET /api/v1/reconciliations/:id/lines': ['admin', 'manager'],
  'POST /api/v1/reconciliations/:id/lines/:line/match': ['admin', 'manager'],
};

interface Sample {
  url: string;
  payload?: unknown;
  headers?: Record<string, string>;
  status: number;
}

describe.each(backends())('route × role matrix and agency isolation on $name', (backend) => {
  let store: Store;
  let server: ArrearsApp;
  let s: Seeded;
  let n = 0;

  beforeAll(async () => {
    store = await backend.open();
    s = await seed(store);
    server = await buildApp(store, {
      logLevel: false,
      loginRateLimit: { max: 1000, timeWindow: 60_000 },
      verifyRateLimit: { max: 1000, timeWindow: 60_000 },
    });
  });
  afterAll(async () => {
    await server?.app.close();
    await backend.cleanup();
  });

  const inAWeek = () => new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
  /** A fresh plan on `ref` (open ones cancelled first) proposed by `role`'s user; 7 installments need a manager. */
  async function planOn(ref: string, role: Role, installments = 2): Promise<number> {
    const username = role.replace('_', '-');
    const u = await store.db
      .selectFrom('users')
      .select(['id', 'agency_id'])
      .where('username', '=', username)
      .executeTakeFirstOrThrow();
    const a = await store.db
      .selectFrom('accounts')
      .select('id')
      .where('ref', '=', ref)
      .executeTakeFirstOrThrow();
    await store.db
      .updateTable('plans')
      .set({ status: 'cancelled' })
      .where('account_id', '=', a.id)
      .where('status', 'in', ['pending_approval', 'active'])
      .execute();
    const p = await createPlan(
      store,
      { userId: u.id, username, role, agencyId: u.agency_id, via: 'token' },
      ref,
      { kind: 'installment', installments, dueOn: inAWeek() },
    );
    return p.id;
  }

  /** A request that the route answers with success when the role may call it (prepared state included). */
  async function sample(key: string, role: Role | null): Promise<Sample> {
    const i = ++n;
    const own = s.refs.ag1[0]!;
    switch (key) {
      case 'GET /health':
      case 'GET /ready':
      case 'GET /api/openapi.json':
        return { url: key.split(' ')[1]!, status: 200 };
      case 'POST /api/v1/auth/login':
        return { url: '/api/v1/auth/login', payload: { username: 'admin', password: PASSWORD }, status: 200 };
      case 'POST /api/v1/auth/logout':
        return { url: '/api/v1/auth/logout', status: 204 };
      case 'GET /api/v1/auth/me':
        return { url: '/api/v1/auth/me', status: 200 };
      case 'POST /api/v1/auth/tokens':
        return { url: '/api/v1/auth/tokens', payload: { name: `t${i}` }, status: 201 };
      case 'DELETE /api/v1/auth/tokens/:id': {
        // A spare token of the role's own user (not the one the matrix signs in with) to revoke.
        const spare = await createApiToken(
          store,
          null,
          role ? role.replace('_', '-') : 'admin',
          `spare-${i}`,
        );
        return { url: `/api/v1/auth/tokens/${spare.id}`, status: 204 };
      }
      case 'GET /api/v1/users':
        return { url: '/api/v1/users', status: 200 };
      case 'POST /api/v1/users':
        return {
          url: '/api/v1/users',
          payload: { username: `user-${i}`, role: 'collector', password: PASSWORD },
          status: 201,
        };
      case 'GET /api/v1/accounts':
        return { url: '/api/v1/accounts', status: 200 };
      case 'GET /api/v1/accounts/:ref':
        return { url: `/api/v1/accounts/${own}`, status: 200 };
      case 'GET /api/v1/accounts/:ref/statement':
        return { url: `/api/v1/accounts/${own}/statement?asOf=2026-11-22`, status: 200 };
      case 'GET /api/v1/portfolio':
        return { url: '/api/v1/portfolio?asOf=2026-11-22', status: 200 };
      case 'GET /api/v1/accounts/:ref/payments':
        return { url: `/api/v1/accounts/${own}/payments`, status: 200 };
      case 'POST /api/v1/accounts/:ref/payments':
        return {
          url: `/api/v1/accounts/${own}/payments`,
          headers: { 'idempotency-key': `matrix-${i}` },
          payload: { amount: '100', receivedOn: '2026-11-20', channel: 'bank_transfer' },
          status: 201,
        };
      case 'POST /api/v1/accounts/:ref/payments/:paymentRef/reversal': {
        await postPayment(store, null, own, `rev-${i}`, {
          amount: '100',
          receivedOn: '2026-11-20',
          channel: 'card',
          ref: `REV-${i}`,
        });
        return {
          url: `/api/v1/accounts/${own}/payments/REV-${i}/reversal`,
          payload: { reason: 'bounced' },
          status: 200,
        };
      }
      case 'GET /api/v1/accounts/:ref/promises':
        return { url: `/api/v1/accounts/${own}/promises`, status: 200 };
      case 'POST /api/v1/accounts/:ref/promises':
        return {
          url: `/api/v1/accounts/${own}/promises`,
          payload: { amount: '500', dueOn: new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10) },
          status: 201,
        };
      case 'GET /api/v1/plans':
        return { url: '/api/v1/plans?status=pending_approval', status: 200 };
      case 'GET /api/v1/accounts/:ref/plans':
        return { url: `/api/v1/accounts/${own}/plans`, status: 200 };
      case 'POST /api/v1/accounts/:ref/plans':
        await store.db
          .updateTable('plans')
          .set({ status: 'cancelled' })
          .where('status', 'in', ['pending_approval', 'active'])
          .execute();
        return {
          url: `/api/v1/accounts/${own}/plans`,
          payload: { kind: 'installment', installments: 2, dueOn: inAWeek() },
          status: 201,
        };
      case 'GET /api/v1/accounts/:ref/plans/:id':
        return { url: `/api/v1/accounts/${own}/plans/${await planOn(own, 'admin')}`, status: 200 };
      case 'POST /api/v1/accounts/:ref/plans/:id/approval':
        return {
          url: `/api/v1/accounts/${own}/plans/${await planOn(own, 'collector', 7)}/approval`,
          payload: {},
          status: 200,
        };
      case 'POST /api/v1/accounts/:ref/plans/:id/rejection':
        return {
          url: `/api/v1/accounts/${own}/plans/${await planOn(own, 'collector', 7)}/rejection`,
          payload: { reason: 'no' },
          status: 200,
        };
      case 'POST /api/v1/accounts/:ref/plans/:id/cancellation':
        // Its own proposer may withdraw an offer; within one's authority one may end an active plan.
        return {
          url: `/api/v1/accounts/${own}/plans/${await planOn(own, role ?? 'admin')}/cancellation`,
          payload: { reason: 'debtor asked' },
          status: 200,
        };
      case 'GET /api/v1/accounts/:ref/case':
        return { url: `/api/v1/accounts/${own}/case`, status: 200 };
      case 'POST /api/v1/accounts/:ref/case/claim':
        await store.db.updateTable('cases').set({ claimed_by: null, claimed_until: null }).execute();
        return { url: `/api/v1/accounts/${own}/case/claim`, status: 200 };
      case 'DELETE /api/v1/accounts/:ref/case/claim': {
        const username = (role ?? 'admin').replace('_', '-');
        const u = await store.db
          .selectFrom('users')
          .select(['id', 'role'])
          .where('username', '=', username)
          .executeTakeFirstOrThrow();
        await store.db.updateTable('cases').set({ claimed_by: null, claimed_until: null }).execute();
        await claimCase(
          store,
          { userId: u.id, username, role: u.role as Role, agencyId: null, via: 'cli' },
          own,
        );
        return { url: `/api/v1/accounts/${own}/case/claim`, status: 200 };
      }
      case 'GET /api/v1/accounts/:ref/holds':
      case 'GET /api/v1/accounts/:ref/preferences':
      case 'GET /api/v1/accounts/:ref/contacts':
      case 'GET /api/v1/accounts/:ref/disputes':
      case 'GET /api/v1/accounts/:ref/complaints':
        return { url: `/api/v1/accounts/${own}/${key.split('/').pop()!}`, status: 200 };
      case 'POST /api/v1/accounts/:ref/holds':
        await store.transaction(({ sql }) =>
          sql.query(`UPDATE debtor_holds SET released_at = now(), released_by = 'test' WHERE kind = 'cease'`),
        );
        return {
          url: `/api/v1/accounts/${own}/holds`,
          payload: { kind: 'cease', reason: 'written request', source: 'letter' },
          status: 201,
        };
      case 'POST /api/v1/accounts/:ref/holds/:id/release': {
        await store.transaction(({ sql }) =>
          sql.query(
            `UPDATE debtor_holds SET released_at = now(), released_by = 'test' WHERE kind = 'bankruptcy'`,
          ),
        );
        const hold = await placeHold(store, null, own, {
          kind: 'bankruptcy',
          reason: 'ch. 7',
          source: 'court',
        });
        return {
          url: `/api/v1/accounts/${own}/holds/${hold.id}/release`,
          payload: { reason: 'case dismissed' },
          status: 200,
        };
      }
      case 'PUT /api/v1/accounts/:ref/preferences':
        return {
          url: `/api/v1/accounts/${own}/preferences`,
          payload: { blockedChannels: ['im'], blockedWindows: [], workplaceContactProhibited: false },
          status: 200,
        };
      case 'POST /api/v1/accounts/:ref/contact-check':
        return { url: `/api/v1/accounts/${own}/contact-check`, payload: { channel: 'letter' }, status: 200 };
      case 'POST /api/v1/accounts/:ref/contacts':
        return {
          url: `/api/v1/accounts/${own}/contacts`,
          payload: { channel: 'call', direction: 'inbound', outcome: 'right_party' },
          status: 201,
        };
      case 'POST /api/v1/accounts/:ref/disputes':
        return {
          url: `/api/v1/accounts/${own}/disputes`,
          payload: { reason: 'not mine', channel: 'call' },
          status: 201,
        };
      case 'POST /api/v1/accounts/:ref/disputes/:id/resolution': {
        const d = await openDispute(store, null, own, { reason: 'amount', channel: 'letter' });
        return {
          url: `/api/v1/accounts/${own}/disputes/${d.id}/resolution`,
          payload: { outcome: 'rejected', resolution: 'amount checked' },
          status: 200,
        };
      }
      case 'POST /api/v1/accounts/:ref/complaints':
        return {
          url: `/api/v1/accounts/${own}/complaints`,
          payload: { summary: 'rude', category: 'agent_conduct', channel: 'call' },
          status: 201,
        };
      case 'POST /api/v1/accounts/:ref/complaints/:id/assignment':
      case 'POST /api/v1/accounts/:ref/complaints/:id/notes':
      case 'POST /api/v1/accounts/:ref/complaints/:id/resolution': {
        const c = await openComplaint(store, null, own, { summary: 'x', category: 'other', channel: 'call' });
        const action = key.split('/').pop()!;
        const payload =
          action === 'assignment'
            ? { username: 'manager' }
            : action === 'notes'
              ? { text: 'looked at the call log' }
              : { outcome: 'rejected', resolution: 'The calls were within the permitted hours.' };
        return {
          url: `/api/v1/accounts/${own}/complaints/${c.id}/${action}`,
          payload,
          status: action === 'notes' ? 201 : 200,
        };
      }
      case 'GET /api/v1/complaints/overdue':
        return { url: '/api/v1/complaints/overdue', status: 200 };
      case 'GET /api/v1/agencies':
        return { url: '/api/v1/agencies', status: 200 };
      case 'POST /api/v1/agencies':
        return { url: '/api/v1/agencies', payload: { ref: `AG-X${i}`, name: 'X' }, status: 201 };
      case 'POST /api/v1/agencies/:ref/placements':
        return { url: '/api/v1/agencies/AG-1/placements', payload: { accounts: [own] }, status: 200 };
      case 'DELETE /api/v1/accounts/:ref/placement': {
        const ref = s.refs.unplaced[0]!;
        await placeAccounts(store, null, 'AG-2', [ref]);
        return { url: `/api/v1/accounts/${ref}/placement`, status: 204 };
      }
      case 'GET /api/v1/audit':
        return { url: '/api/v1/audit', status: 200 };
      case 'GET /api/v1/audit/verify':
        return { url: '/api/v1/audit/verify', status: 200 };
      case 'GET /api/v1/notices/keys':
        return { url: '/api/v1/notices/keys', status: 200 };
      case 'GET /api/v1/verify/:code':
        return { url: '/api/v1/verify/NOT-A-CODE', status: 200 };
      case 'GET /verify/:code':
        return { url: '/verify/NOT-A-CODE', status: 200 };
      case 'GET /api/v1/collectors':
        return { url: '/api/v1/collectors', status: 200 };
      case 'GET /api/v1/collectors/:username':
        return {
          url: `/api/v1/collectors/${role === 'field_agent' ? 'field-agent' : 'collector'}`,
          status: 200,
        };
      case 'PUT /api/v1/collectors/:username':
        return {
          url: '/api/v1/collectors/collector',
          payload: { locales: ['en'], jurisdictions: ['US'], maxOpenCases: 10 },
          status: 200,
        };
      case 'POST /api/v1/allocations':
        return { url: '/api/v1/allocations', payload: {}, status: 200 };
      case 'GET /api/v1/queue':
      case 'GET /api/v1/queue/next':
        return { url: key.split(' ')[1]!, status: 200 };
      case 'POST /api/v1/queue/next':
        await store.db.updateTable('cases').set({ claimed_by: null, claimed_until: null }).execute();
        return { url: '/api/v1/queue/next', status: 200 };
      case 'GET /api/v1/accounts/:ref/timeline':
        return { url: `/api/v1/accounts/${own}/timeline`, status: 200 };
      case 'GET /api/v1/accounts/:ref/notes':
        return { url: `/api/v1/accounts/${own}/notes`, status: 200 };
      case 'POST /api/v1/accounts/:ref/notes':
        return { url: `/api/v1/accounts/${own}/notes`, payload: { text: `note ${i}` }, status: 201 };
      case 'POST /api/v1/accounts/:ref/case/status': {
        const a = await store.db
          .selectFrom('accounts')
          .select('id')
          .where('ref', '=', own)
          .executeTakeFirstOrThrow();
        await store.db
          .insertInto('cases')
          .values({ account_id: a.id, status: 'in_progress' })
          .onConflict((oc) => oc.column('account_id').doUpdateSet({ status: 'in_progress' }))
          .execute();
        return { url: `/api/v1/accounts/${own}/case/status`, payload: { status: 'dispute' }, status: 200 };
      }
      case 'GET /api/v1/webhooks/endpoints':
      case 'GET /api/v1/webhooks/deliveries':
      case 'GET /api/v1/reconciliations':
        return { url: key.split(' ')[1]!, status: 200 };
      case 'POST /api/v1/webhooks/endpoints':
        return {
          url: '/api/v1/webhooks/endpoints',
          payload: { url: `https://example.invalid/${i}`, eventTypes: ['payment.posted'] },
          status: 201,
        };
      case 'PATCH /api/v1/webhooks/endpoints/:id': {
        const ep = await createEndpoint(store, null, { url: 'https://example.invalid/p', eventTypes: ['*'] });
        return { url: `/api/v1/webhooks/endpoints/${ep.id}`, payload: { active: false }, status: 200 };
      }
      case 'POST /api/v1/webhooks/deliveries/:id/redeliver': {
        const ep = await createEndpoint(store, null, { url: 'https://example.invalid/r', eventTypes: ['*'] });
        await store.transaction((tx) => emitEvent(tx, { type: 'case.escalated', accountId: null, data: {} }));
        const d = await store.db
          .updateTable('webhook_deliveries')
          .set({ status: 'dead' })
          .where('endpoint_id', '=', ep.id)
          .returning('id')
          .executeTakeFirstOrThrow();
        await updateEndpoint(store, null, ep.id, { active: false });
        return { url: `/api/v1/webhooks/deliveries/${d.id}/redeliver`, status: 200 };
      }
      case 'POST /api/v1/reconciliations':
        return {
          url: '/api/v1/reconciliations',
          headers: { 'content-type': 'text/csv' },
          payload: `date,amount,currency,reference,transaction_id\n2026-11-20,100,USD,nobody,MX-${i}\n`,
          status: 200,
        };
      case 'GET /api/v1/reconciliations/:id/lines':
      case 'POST /api/v1/reconciliations/:id/lines/:line/match': {
        const { currency } = await store.db
          .selectFrom('accounts')
          .select('currency')
          .where('ref', '=', own)
          .executeTakeFirstOrThrow();
        const csv = `date,amount,currency,reference,transaction_id\n2026-11-20,100,${currency},nobody,MM-${i}\n`;
        const run = await reconcileStatement(store, null, { name: 'm.csv', bytes: Buffer.from(csv) });
        return key.startsWith('GET')
          ? { url: `/api/v1/reconciliations/${run.run}/lines`, status: 200 }
          : {
              url: `/api/v1/reconciliations/${run.run}/lines/2/match`,
              payload: { account: own },
              status: 200,
            };
      }
      default:
        throw new Error(`no sample request for ${key}: add one (and its policy) to this test`);
    }
  }

  const keyOf = (r: { method: string; url: string }) => `${r.method} ${r.url}`;

  it('has a policy for exactly the routes the server has', () => {
    const keys = server.routes.filter((r) => !r.url.startsWith('/api/docs')).map(keyOf);
    expect(keys.sort()).toEqual(Object.keys(POLICY).sort());
  });

  it('answers every route × every role as the policy says (and 401 without credentials)', async () => {
    const table: string[] = [];
    for (const route of server.routes) {
      const key = keyOf(route);
      const policy = POLICY[key]!;
      for (const role of [...ROLES, null]) {
        const req = await sample(key, role);
        const res = await server.app.inject({
          method: route.method as 'GET',
          url: req.url,
          headers: { ...req.headers, ...(role ? bearer(s.tokens[role]) : {}) },
          ...(req.payload !== undefined ? { payload: req.payload as object } : {}),
        });
        const allowed = policy === 'public' || (role !== null && (policy === ALL || policy.includes(role)));
        const expected = allowed ? req.status : role === null ? 401 : 403;
        if (res.statusCode !== expected)
          table.push(`${key} as ${role ?? 'anonymous'}: ${res.statusCode} ≠ ${expected} ${res.body}`);
        if (!allowed)
          expect(res.json<{ error: { code: string } }>().error.code).toBe(
            role ? 'forbidden' : 'unauthenticated',
          );
      }
    }
    expect(table).toEqual([]);
  });

  it('shows an agency user only the accounts placed with their agency, through every read route', async () => {
    const agency = bearer(s.tokens.agency_user);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { json: <T>() => T } = await server.app.inject({
        url: `/api/v1/accounts?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
        headers: agency,
      });
      const page: { items: { ref: string; agency: string }[]; nextCursor: string | null } = res.json<{
        items: { ref: string; agency: string }[];
        nextCursor: string | null;
      }>();
      seen.push(...page.items.map((a) => a.ref));
      expect(page.items.every((a) => a.agency === 'AG-1')).toBe(true);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual([...s.refs.ag1].sort());
    // Even filters that name another agency return nothing.
    const filtered = await server.app.inject({ url: '/api/v1/accounts?agency=AG-2', headers: agency });
    expect(filtered.json<{ items: unknown[] }>().items).toEqual([]);

    for (const ref of [...s.refs.ag2, ...s.refs.unplaced.slice(1)]) {
      for (const path of [
        '',
        '/statement',
        '/payments',
        '/promises',
        '/plans',
        '/case',
        '/timeline',
        '/notes',
        '/case',
        '/holds',
        '/preferences',
        '/contacts',
        '/disputes',
        '/complaints',
      ]) {
        const res = await server.app.inject({ url: `/api/v1/accounts/${ref}${path}`, headers: agency });
        expect(res.statusCode, `${ref}${path}`).toBe(404);
      }
      const pay = await server.app.inject({
        method: 'POST',
        url: `/api/v1/accounts/${ref}/payments`,
        headers: { ...agency, 'idempotency-key': `iso-${ref}` },
        payload: { amount: '5.00', receivedOn: '2026-11-20', channel: 'agency' },
      });
      expect(pay.statusCode).toBe(404);
      const promise = await server.app.inject({
        method: 'POST',
        url: `/api/v1/accounts/${ref}/promises`,
        headers: agency,
        payload: { amount: '5', dueOn: new Date(Date.now() + 86_400_000).toISOString().slice(0, 10) },
      });
      expect(promise.statusCode).toBe(404);
      const claim = await server.app.inject({
        method: 'POST',
        url: `/api/v1/accounts/${ref}/case/claim`,
        headers: agency,
      });
      expect(claim.statusCode, claim.body).toBe(404);
    }
    for (const ref of s.refs.ag1) {
      const res = await server.app.inject({ url: `/api/v1/accounts/${ref}`, headers: agency });
      expect(res.statusCode).toBe(200);
    }
    const agencies = await server.app.inject({ url: '/api/v1/agencies', headers: agency });
    expect(agencies.json<{ items: { ref: string }[] }>().items.map((a) => a.ref)).toEqual(['AG-1']);

    const mine = await server.app.inject({ url: '/api/v1/portfolio?asOf=2026-11-22', headers: agency });
    const theirs = await server.app.inject({
      url: '/api/v1/portfolio?asOf=2026-11-22',
      headers: bearer(s.otherAgencyToken),
    });
    const all = await server.app.inject({
      url: '/api/v1/portfolio?asOf=2026-11-22',
      headers: bearer(s.tokens.admin),
    });
    const count = (r: typeof mine) => r.json<{ accounts: number }>().accounts;
    const open = await store.db.selectFrom('accounts').select('ref').where('status', '=', 'open').execute();
    const placedWith = async (agency: string) =>
      (
        await store.db
          .selectFrom('placements as p')
          .innerJoin('agencies as g', 'g.id', 'p.agency_id')
          .innerJoin('accounts as a', 'a.id', 'p.account_id')
          .select('a.ref')
          .where('g.ref', '=', agency)
          .where('p.recalled_at', 'is', null)
          .where('a.status', '=', 'open')
          .execute()
      ).length;
    expect(count(mine)).toBe(await placedWith('AG-1'));
    expect(count(theirs)).toBe(await placedWith('AG-2'));
    expect(count(mine)).toBeGreaterThan(0);
    expect(count(all)).toBe(open.length);
  });

  it('confines even hand-written SQL in an agency scope, and fails closed without an agency', async () => {
    const { scoped } = await import('../../src/store/index.js');
    const ag1 = await store.db
      .selectFrom('agencies')
      .select('id')
      .where('ref', '=', 'AG-1')
      .executeTakeFirstOrThrow();
    const visible = await scoped(store, ag1.id, (st) =>
      st.transaction(async ({ sql }) => ({
        accounts: (await sql.query<{ ref: string }>('SELECT ref FROM accounts ORDER BY ref')).rows.map(
          (r) => r.ref,
        ),
        payments: (
          await sql.query<{ ref: string }>(
            'SELECT DISTINCT a.ref FROM payments p JOIN accounts a ON a.id = p.account_id ORDER BY 1',
          )
        ).rows.map((r) => r.ref),
        debtors: (await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM debtors')).rows[0]!.n,
      })),
    );
    const placed = s.refs.ag1.filter((r) => r !== s.refs.unplaced[0]);
    expect(visible.accounts).toEqual([...placed].sort());
    expect(visible.payments.every((r) => placed.includes(r))).toBe(true);
    expect(visible.debtors).toBeGreaterThan(0);
    expect(visible.debtors).toBeLessThanOrEqual(10);
    await expect(
      scoped(store, ag1.id, (st) => st.transaction(({ sql }) => sql.query('SELECT * FROM users'))),
    ).rejects.toThrow(/permission denied/);

    // The role without the agency setting sees nothing at all.
    const bare = await store.transaction(async ({ sql }) => {
      await sql.query('SET LOCAL ROLE arrears_agency');
      return (await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM accounts')).rows[0]!.n;
    });
    expect(bare).toBe(0);

    // Writing a payment onto another agency's account is refused by the database itself.
    const other = await store.db
      .selectFrom('accounts')
      .select('id')
      .where('ref', '=', s.refs.ag2[0]!)
      .executeTakeFirstOrThrow();
    await expect(
      scoped(store, ag1.id, (st) =>
        st.transaction(({ sql }) =>
          sql.query(
            `INSERT INTO payments (account_id, ref, amount, received_on, channel) VALUES ($1, 'X', 100, '2026-11-01', 'agency')`,
            [other.id],
          ),
        ),
      ),
    ).rejects.toThrow(/row-level security/);
  });

  it('stops showing an account to the agency once it is recalled', async () => {
    const ref = s.refs.ag1[9]!;
    const agency = bearer(s.tokens.agency_user);
    expect((await server.app.inject({ url: `/api/v1/accounts/${ref}`, headers: agency })).statusCode).toBe(
      200,
    );
    const recall = await server.app.inject({
      method: 'DELETE',
      url: `/api/v1/accounts/${ref}/placement`,
      headers: bearer(s.tokens.manager),
    });
    expect(recall.statusCode).toBe(204);
    expect((await server.app.inject({ url: `/api/v1/accounts/${ref}`, headers: agency })).statusCode).toBe(
      404,
    );
  });
});
