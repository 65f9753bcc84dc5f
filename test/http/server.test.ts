import { Writable } from 'node:stream';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type ArrearsApp } from '../../src/http/index.js';
import { addUser, createApiToken } from '../../src/services/users/index.js';
import type { Store } from '../../src/store/index.js';
import { backends } from '../support/stores.js';
import { bearer, PASSWORD, seed, type Seeded } from '../support/server.js';

const cookieOf = (setCookie: string | string[] | undefined) =>
  String([setCookie].flat()[0] ?? '').split(';')[0]!;

describe.each(backends())('HTTP server on $name', (backend) => {
  let store: Store;
  let server: ArrearsApp;
  let seeded: Seeded;
  const logs: string[] = [];

  beforeAll(async () => {
    store = await backend.open();
    seeded = await seed(store);
    server = await buildApp(store, {
      logLevel: 'info',
      logStream: new Writable({
        write(chunk: Buffer, _enc, cb) {
          logs.push(chunk.toString());
          cb();
        },
      }),
      loginRateLimit: { max: 8, timeWindow: 60_000 },
    });
  });
  afterAll(async () => {
    await server?.app.close();
    await backend.cleanup();
  });

  it('answers health and readiness, and readiness turns 503 on shutdown', async () => {
    const { app, state } = server;
    expect((await app.inject('/health')).json()).toEqual({ status: 'ok' });
    const ready = await app.inject('/ready');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', database: store.kind });
    state.ready = false;
    const down = await app.inject('/ready');
    state.ready = true;
    expect(down.statusCode).toBe(503);
    expect(down.json()).toEqual({ error: { code: 'unavailable', message: 'the server is shutting down' } });
  });

  it('serves an OpenAPI 3.1 document that an independent validator accepts, and the docs page', async () => {
    const res = await server.app.inject('/api/openapi.json');
    expect(res.statusCode).toBe(200);
    const spec = res.json<{ openapi: string; paths: Record<string, unknown> }>();
    expect(spec.openapi).toBe('3.1.0');
    const result = await new Validator().validate(spec);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    const documented = Object.keys(spec.paths).sort();
    const routed = [
      ...new Set(
        server.routes
          .filter((r) => r.url.startsWith('/api/v1') || r.url === '/health' || r.url === '/ready')
          .map((r) => r.url.replace(/:(\w+)/g, '{$1}')),
      ),
    ].sort();
    expect(documented).toEqual(routed);
    const docs = await server.app.inject('/api/docs/');
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toContain('text/html');
  });

  it('answers every error in the one shape', async () => {
    const missing = await server.app.inject({ url: '/api/v1/nowhere', headers: bearer(seeded.tokens.admin) });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error: { code: 'not_found', message: 'no route GET /api/v1/nowhere' } });
    const head = await server.app.inject({ method: 'HEAD', url: '/api/v1/accounts' });
    expect(head.statusCode).toBe(401);
    const noAuth = await server.app.inject('/api/v1/accounts');
    expect(noAuth.statusCode).toBe(401);
    expect(noAuth.json()).toEqual({
      error: { code: 'unauthenticated', message: 'sign in or send an API token' },
    });
    const badToken = await server.app.inject({ url: '/api/v1/accounts', headers: bearer('arr_nope') });
    expect(badToken.statusCode).toBe(401);
    const invalid = await server.app.inject({
      url: '/api/v1/accounts?limit=0',
      headers: bearer(seeded.tokens.admin),
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json()).toMatchObject({
      error: { code: 'invalid', details: { issues: [{ field: 'querystring.limit' }] } },
    });
    const badJson = await server.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"username":',
    });
    expect(badJson.statusCode).toBe(400);
    expect(badJson.json<{ error: { code: string } }>().error.code).toBe('invalid');
    const notFound = await server.app.inject({
      url: '/api/v1/accounts/A-NOPE',
      headers: bearer(seeded.tokens.admin),
    });
    expect(notFound.json()).toEqual({
      error: { code: 'not_found', message: 'account "A-NOPE" does not exist' },
    });
  });

  it('signs in with a session cookie, requires the CSRF token on unsafe requests, and signs out', async () => {
    const login = await server.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'collector', password: PASSWORD },
    });
    expect(login.statusCode).toBe(200);
    const setCookie = String(login.headers['set-cookie']);
    expect(setCookie).toMatch(/arrears_session=[^;]+;.*HttpOnly/);
    expect(setCookie).toContain('Secure');
    expect(setCookie).toContain('SameSite=Strict');
    const { csrfToken } = login.json<{ csrfToken: string }>();
    const cookie = cookieOf(login.headers['set-cookie']);
    const me = await server.app.inject({ url: '/api/v1/auth/me', headers: { cookie } });
    expect(me.json()).toEqual({ username: 'collector', role: 'collector', via: 'session', csrfToken });
    const forged = await server.app.inject({
      method: 'POST',
      url: '/api/v1/auth/tokens',
      headers: { cookie },
      payload: { name: 'x' },
    });
    expect(forged.statusCode).toBe(403);
    expect(forged.json()).toMatchObject({ error: { code: 'forbidden', details: { reason: 'csrf' } } });
    const out = await server.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie, 'x-csrf-token': csrfToken },
    });
    expect(out.statusCode).toBe(204);
    expect((await server.app.inject({ url: '/api/v1/auth/me', headers: { cookie } })).statusCode).toBe(401);
  });

  it('issues API tokens that work as Bearer and are stored only as hashes', async () => {
    const created = await server.app.inject({
      method: 'POST',
      url: '/api/v1/auth/tokens',
      headers: bearer(seeded.tokens.manager),
      payload: { name: 'integration' },
    });
    expect(created.statusCode).toBe(201);
    const { token } = created.json<{ token: string }>();
    expect(token).toMatch(/^arr_/);
    const me = await server.app.inject({ url: '/api/v1/auth/me', headers: bearer(token) });
    expect(me.json()).toEqual({ username: 'manager', role: 'manager', via: 'token' });
    const stored = await store.db.selectFrom('api_tokens').select('token_hash').execute();
    expect(stored.some((r) => r.token_hash.includes(token) || token.includes(r.token_hash))).toBe(false);
  });

  it("applies a change to a token's user at the next request, though token principals are cached", async () => {
    await addUser(store, null, { username: 'integrator', password: PASSWORD, role: 'manager' });
    const { token } = await createApiToken(store, null, 'integrator', 'sync');
    const me = () => server.app.inject({ url: '/api/v1/auth/me', headers: bearer(token) });
    expect((await me()).json()).toMatchObject({ role: 'manager' });
    expect((await me()).json()).toMatchObject({ role: 'manager' }); // from the cache
    await addUser(
      store,
      null,
      { username: 'integrator', password: PASSWORD, role: 'auditor' },
      { replace: true },
    );
    expect((await me()).json()).toMatchObject({ role: 'auditor' });
    // A revoked token stops at once; someone else's token cannot be revoked (nor seen to exist).
    const spare = await createApiToken(store, null, 'integrator', 'spare');
    const revoke = (id: number, as: string) =>
      server.app.inject({ method: 'DELETE', url: `/api/v1/auth/tokens/${id}`, headers: bearer(as) });
    expect(
      (await server.app.inject({ url: '/api/v1/auth/me', headers: bearer(spare.token) })).statusCode,
    ).toBe(200);
    expect((await revoke(spare.id, seeded.tokens.collector)).statusCode).toBe(404);
    expect((await revoke(spare.id, spare.token)).statusCode).toBe(204);
    expect(
      (await server.app.inject({ url: '/api/v1/auth/me', headers: bearer(spare.token) })).statusCode,
    ).toBe(401);
    expect((await me()).statusCode).toBe(200);
    // A change made elsewhere (another process, SQL) is seen within the cache's second.
    await store.db
      .updateTable('users')
      .set({ disabled: true })
      .where('username', '=', 'integrator')
      .execute();
    await new Promise((r) => setTimeout(r, 1100));
    expect((await me()).statusCode).toBe(401);
  });

  it('locks a user after five wrong passwords, even against the right one', async () => {
    const attempt = (password: string) =>
      server.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'legal', password },
        remoteAddress: '10.9.9.9',
      });
    for (let i = 0; i < 5; i++) expect((await attempt('wrong password!')).statusCode).toBe(401);
    const locked = await attempt(PASSWORD);
    expect(locked.statusCode).toBe(401);
    expect(locked.json<{ error: { message: string } }>().error.message).toContain('locked');
    const actions = await store.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity', '=', 'user:legal')
      .execute();
    expect(actions.map((a) => a.action)).toEqual([
      'user.created',
      'api_token.created',
      'user.login_failed',
      'user.login_failed',
      'user.login_failed',
      'user.login_failed',
      'user.locked',
    ]);
  });

  it('rate-limits logins per client address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await server.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'nobody', password: 'whatever-it-is' },
        remoteAddress: '10.7.7.7',
      });
      statuses.push(res.statusCode);
      if (res.statusCode === 429) {
        expect(res.json<{ error: { code: string } }>().error.code).toBe('rate_limited');
        expect(res.headers['retry-after']).toBeDefined();
      }
    }
    expect(statuses.slice(0, 8)).toEqual(Array(8).fill(401));
    expect(statuses.slice(8)).toEqual([429, 429]);
  });

  it('audits an import run in the same transaction, with its counts', async () => {
    const rows = await store.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'import.committed')
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.chain).toBe(0);
    expect(rows[0]!.data).toMatchObject({ format: 'ndjson', created: { accounts: 30 }, rejected: 0 });
  });

  it('never logs passwords, tokens, cookies or personal data', async () => {
    const login = await server.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'auditor', password: PASSWORD },
    });
    const cookie = cookieOf(login.headers['set-cookie']);
    const detail = await server.app.inject({
      url: `/api/v1/accounts/${seeded.refs.ag1[0]}?phone=%2B15550001111&asOf=2026-11-22`,
      headers: { cookie },
    });
    const debtorName = detail.json<{ debtor: { name: string } }>().debtor.name;
    await server.app.inject({ url: '/api/v1/accounts', headers: bearer(seeded.tokens.collector) });
    const text = logs.join('');
    expect(text).toContain('"url":"/api/v1/accounts/');
    expect(text).toContain('phone=***');
    expect(text).toContain('asOf=2026-11-22');
    for (const secret of [
      PASSWORD,
      cookie.split('=')[1]!,
      seeded.tokens.collector,
      '+15550001111',
      debtorName,
    ])
      expect(text).not.toContain(secret);
  });
});
