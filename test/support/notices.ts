import type { SendGate } from '../../src/services/dispatch/index.js';
import type { ContentCheck } from '../../src/templates/index.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChannelSet } from '../../src/channels/index.js';
import { generateKey, loadSigner, type KeyConfig } from '../../src/notices/index.js';
import { importFile } from '../../src/services/import/index.js';
import { type DispatchDeps, type PlannedAction } from '../../src/services/dispatch/index.js';
import type { Store } from '../../src/store/index.js';
import { ensureDefaultTemplates } from '../../src/templates/index.js';

/**
 * The dispatcher's mechanics (claiming, retries, crash recovery, throughput) are exercised here without the
 * compliance gate and linter, which have their own tests (and a dispatch test of their own in test/dispatch-gate.test.ts).
 */
const allowEveryContact: SendGate = async (requests) => requests.map(() => ({ allowed: true }));
const acceptAnyText: ContentCheck = () => ({ ok: true });

export const SENDER = {
  name: 'Riverside Recovery',
  phone: '+1 555 0100',
  email: 'help@riverside.example',
  address: '1 River St, Springfield',
  paymentAccount: 'ACME BANK 000-111-222',
};

const address = (city: string, country: string) => [{ kind: 'home', line1: '1 Test Road', city, country }];

/** One debtor per locale: en and zh-TW under US rules, es in Spain, ko in Korea, zh-CN in China. */
export const PEOPLE = [
  {
    locale: 'en',
    name: 'Emma Smith',
    jurisdiction: 'US',
    tz: 'America/New_York',
    currency: 'USD',
    city: 'Boston',
  },
  {
    locale: 'es',
    name: 'Lucía García Núñez',
    jurisdiction: 'ES',
    tz: 'Europe/Madrid',
    currency: 'EUR',
    city: 'Sevilla',
  },
  { locale: 'ko', name: '김민준', jurisdiction: 'KR', tz: 'Asia/Seoul', currency: 'KRW', city: '서울' },
  { locale: 'zh-CN', name: '王芳', jurisdiction: 'CN', tz: 'Asia/Shanghai', currency: 'CNY', city: '上海' },
  {
    locale: 'zh-TW',
    name: '陳怡君',
    jurisdiction: 'US',
    tz: 'America/Los_Angeles',
    currency: 'USD',
    city: 'San Jose',
  },
] as const;

export const accountRef = (locale: string) => `A-${locale}`;

/** Imports the five debtors with one overdue account each; returns account ids by locale. */
export async function seedPeople(store: Store): Promise<Map<string, number>> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'arrears-notices-seed-'));
  const records: unknown[] = [];
  for (const p of PEOPLE) {
    const big = p.currency === 'KRW';
    records.push(
      {
        type: 'creditor',
        ref: `CR-${p.locale}`,
        name: `Creditor ${p.locale}`,
        jurisdiction: p.jurisdiction,
        currency: p.currency,
      },
      {
        type: 'debtor',
        ref: `D-${p.locale}`,
        name: p.name,
        locale: p.locale,
        timezone: p.tz,
        jurisdiction: p.jurisdiction,
        phones: [{ number: '+12025550143', kind: 'mobile' }],
        emails: [`${p.locale.toLowerCase()}@debtor.example`],
        addresses: address(p.city, p.jurisdiction),
      },
      {
        type: 'account',
        ref: accountRef(p.locale),
        debtorRef: `D-${p.locale}`,
        creditorRef: `CR-${p.locale}`,
        product: 'consumer_loan',
        currency: p.currency,
        principal: big ? '2000000' : '2000.00',
        interestRate: '0.18',
        penaltyRate: '0.2',
        openedOn: '2026-01-10',
        installments: [
          { due: '2026-02-10', principal: big ? '1000000' : '1000.00', interest: big ? '30000' : '30.00' },
          { due: '2026-03-10', principal: big ? '1000000' : '1000.00', interest: big ? '15000' : '15.00' },
        ],
      },
    );
  }
  const file = path.join(dir, 'people.ndjson');
  writeFileSync(file, records.map((r) => JSON.stringify(r)).join('\n'));
  const r = await importFile(store, file, { today: '2026-11-22' });
  if (r.errors.length > 0) throw new Error(JSON.stringify(r.errors));
  const rows = await store.db.selectFrom('accounts').select(['id', 'ref']).execute();
  return new Map(PEOPLE.map((p) => [p.locale, rows.find((x) => x.ref === accountRef(p.locale))!.id]));
}

export function tempKeys(): KeyConfig {
  return { keyDir: path.join(mkdtempSync(path.join(os.tmpdir(), 'arrears-keys-')), 'keys') };
}

const storeKeys = new WeakMap<Store, KeyConfig>();
export const keysOf = (store: Store) => storeKeys.get(store);

/** Dispatch dependencies for tests: a fresh key, the shipped templates, the given channels. */
export async function testDeps(
  store: Store,
  channels: ChannelSet,
  over: Partial<DispatchDeps> = {},
): Promise<DispatchDeps> {
  let keys = storeKeys.get(store);
  if (!keys) {
    storeKeys.set(store, (keys = tempKeys()));
    await generateKey(store, keys);
  }
  await ensureDefaultTemplates(store);
  return {
    store,
    channels,
    signer: over.signer ?? (await loadSigner(store, keys)),
    gate: allowEveryContact,
    contentCheck: acceptAnyText,
    sender: SENDER,
    publicUrl: 'https://verify.riverside.example',
    ...over,
  };
}

let seq = 0;
export function action(accountId: number, over: Partial<PlannedAction> = {}): PlannedAction {
  return {
    accountId,
    channel: 'email',
    template: 'reminder',
    plannedAt: new Date(Date.now() - 1000),
    idempotencyKey: `test:${process.pid}:${++seq}`,
    strategyVersion: 'test-v1',
    strategyArm: 'champion',
    ...over,
  };
}
