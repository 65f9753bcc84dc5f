import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type ArrearsApp } from '../../src/http/index.js';
import { addUser, createApiToken } from '../../src/services/users/index.js';
import type { Store } from '../../src/store/index.js';
import { backends } from '../support/stores.js';
import { bearer, PASSWORD, seed, type Seeded } from '../support/server.js';

describe.each(backends())('case claims on $name', (backend) => {
  let store: Store;
  let server: ArrearsApp;
  let s: Seeded;
  const collectors: string[] = [];
  beforeAll(async () => {
    store = await backend.open();
    s = await seed(store);
    server = await buildApp(store, { logLevel: false });
    for (let i = 0; i < 10; i++) {
      await addUser(store, null, { username: `col-${i}`, role: 'collector', password: PASSWORD });
      collectors.push((await createApiToken(store, null, `col-${i}`, 't')).token);
    }
  });
  afterAll(async () => {
    await server?.app.close();
    await backend.cleanup();
  });

  const claim = (ref: string, token: string) =>
    server.app.inject({
      method: 'POST',
      url: `/api/v1/accounts/${ref}/case/claim`,
      headers: bearer(token),
      payload: {},
    });

  it('lets exactly one of ten simultaneous claims win, and tells the others who holds it', async () => {
    const ref = s.refs.unplaced[7]!;
    const answers = await Promise.all(collectors.map((t) => claim(ref, t)));
    const won = answers.filter((a) => a.statusCode === 200);
    expect(won).toHaveLength(1);
    const winner = won[0]!.json<{ claimedBy: string; status: string }>();
    expect(winner.status).toBe('in_progress');
    for (const a of answers.filter((x) => x.statusCode !== 200)) {
      expect(a.statusCode).toBe(409);
      expect(a.json()).toMatchObject({
        error: { code: 'conflict', details: { claimedBy: winner.claimedBy } },
      });
    }
    const audit = await store.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity', '=', `case:${ref}`)
      .execute();
    expect(audit.map((r) => r.action)).toEqual(['case.claimed']);
  });

  it('releases: not by another collector, by the holder, or by a manager; then others can claim', async () => {
    const ref = s.refs.unplaced[8]!;
    expect((await claim(ref, collectors[0]!)).statusCode).toBe(200);
    const release = (token: string) =>
      server.app.inject({
        method: 'DELETE',
        url: `/api/v1/accounts/${ref}/case/claim`,
        headers: bearer(token),
      });
    expect((await release(collectors[1]!)).statusCode).toBe(403);
    expect((await release(collectors[0]!)).json()).toMatchObject({ claimedBy: null });
    expect((await claim(ref, collectors[1]!)).statusCode).toBe(200);
    expect((await claim(ref, collectors[1]!)).statusCode).toBe(200); // extending one's own claim
    expect((await release(s.tokens.manager)).statusCode).toBe(200);
    expect((await release(s.tokens.manager)).statusCode).toBe(404);
  });

  it('treats an expired claim as free', async () => {
    const ref = s.refs.unplaced[9]!;
    expect((await claim(ref, collectors[2]!)).statusCode).toBe(200);
    await store.transaction(({ sql }) =>
      sql.query(
        `UPDATE cases SET claimed_until = now() - interval '1 second' WHERE claimed_until IS NOT NULL`,
      ),
    );
    const view = await server.app.inject({
      url: `/api/v1/accounts/${ref}/case`,
      headers: bearer(s.tokens.auditor),
    });
    expect(view.json()).toMatchObject({ claimedBy: null, status: 'in_progress' });
    expect((await claim(ref, collectors[3]!)).json()).toMatchObject({ claimedBy: 'col-3' });
  });
});
