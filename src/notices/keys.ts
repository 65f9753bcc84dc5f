import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { ArrearsError } from '../domain/errors.js';
import type { Store } from '../store/index.js';
import { keyIdOf, parsePrivateKey, parsePublicKey, publicKeyText } from './signature.js';

/**
 * Where private key material comes from: ARREARS_SIGNING_KEY (PKCS#8 PEM or base64 DER) when set, otherwise
 * `<dataDir>/keys/<keyId>.pem` (mode 0600). The database holds only public keys. Nothing here logs a key.
 */
export interface KeyConfig {
  keyDir: string;
  envKey?: string | undefined;
}

export function keyConfigFromEnv(env: NodeJS.ProcessEnv = process.env): KeyConfig {
  return {
    keyDir: path.join(env.ARREARS_DATA_DIR || './.arrears', 'keys'),
    envKey: env.ARREARS_SIGNING_KEY || undefined,
  };
}

export interface PublicKeyInfo {
  keyId: string;
  publicKey: string;
  status: 'active' | 'retired';
  createdAt: string;
  retiredAt: string | null;
}

export interface Signer {
  keyId: string;
  privateKey: KeyObject;
}

function envPrivateKey(config: KeyConfig): KeyObject | null {
  if (!config.envKey) return null;
  try {
    return parsePrivateKey(config.envKey);
  } catch (e) {
    throw new ArrearsError(
      'invalid',
      `ARREARS_SIGNING_KEY is not an Ed25519 PKCS#8 key: ${(e as Error).message}`,
    );
  }
}

async function insertActive(store: Store, config: KeyConfig, privateKey: KeyObject, fromEnv: boolean) {
  const publicKey = createPublicKey(privateKey);
  const keyId = keyIdOf(publicKey);
  if (!fromEnv) {
    mkdirSync(config.keyDir, { recursive: true, mode: 0o700 });
    const file = path.join(config.keyDir, `${keyId}.pem`);
    writeFileSync(file, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600, flag: 'wx' });
  }
  await store.transaction(async ({ db }) => {
    const existing = await db
      .selectFrom('signing_keys')
      .select('key_id')
      .where('key_id', '=', keyId)
      .executeTakeFirst();
    if (existing) throw new ArrearsError('conflict', `key ${keyId} is already registered`);
    await db
      .updateTable('signing_keys')
      .set({ status: 'retired', retired_at: new Date() })
      .where('status', '=', 'active')
      .execute();
    await db
      .insertInto('signing_keys')
      .values({ key_id: keyId, public_key: publicKeyText(publicKey), status: 'active', retired_at: null })
      .execute();
  });
  return keyId;
}

/**
 * Creates the first signing key (or registers the one in ARREARS_SIGNING_KEY). Refuses when a key is
 * already active: use rotateKey, so that an existing key is never replaced by accident.
 */
export async function generateKey(store: Store, config: KeyConfig): Promise<PublicKeyInfo> {
  const active = await store.db
    .selectFrom('signing_keys')
    .select('key_id')
    .where('status', '=', 'active')
    .executeTakeFirst();
  if (active)
    throw new ArrearsError('conflict', `key ${active.key_id} is already active; use "arrears keys rotate"`);
  return describe(store, await createKey(store, config));
}

/** Retires the active key (kept for verifying what it signed) and makes a new one active. */
export async function rotateKey(store: Store, config: KeyConfig): Promise<PublicKeyInfo> {
  return describe(store, await createKey(store, config));
}

async function createKey(store: Store, config: KeyConfig): Promise<string> {
  const env = envPrivateKey(config);
  const privateKey = env ?? generateKeyPairSync('ed25519').privateKey;
  return insertActive(store, config, privateKey, env !== null);
}

async function describe(store: Store, keyId: string): Promise<PublicKeyInfo> {
  const all = await listKeys(store);
  return all.find((k) => k.keyId === keyId)!;
}

export async function listKeys(store: Store): Promise<PublicKeyInfo[]> {
  const rows = await store.db
    .selectFrom('signing_keys')
    .selectAll()
    .orderBy('created_at')
    .orderBy('key_id')
    .execute();
  return rows.map((r) => ({
    keyId: r.key_id,
    publicKey: r.public_key,
    status: r.status,
    createdAt: new Date(r.created_at as unknown as string).toISOString(),
    retiredAt: r.retired_at ? new Date(r.retired_at).toISOString() : null,
  }));
}

/** All public keys by id, for verification (retired keys included: what they signed stays genuine). */
export async function publicKeys(store: Store): Promise<Map<string, KeyObject>> {
  const rows = await store.db.selectFrom('signing_keys').select(['key_id', 'public_key']).execute();
  return new Map(rows.map((r) => [r.key_id, parsePublicKey(r.public_key)]));
}

/** The active key with its private half, or a clear error saying where it was looked for. */
export async function loadSigner(store: Store, config: KeyConfig): Promise<Signer> {
  const active = await store.db
    .selectFrom('signing_keys')
    .select('key_id')
    .where('status', '=', 'active')
    .executeTakeFirst();
  if (!active) throw new ArrearsError('unavailable', 'no signing key: run "arrears keys generate" first');
  const env = envPrivateKey(config);
  if (env) {
    const envId = keyIdOf(createPublicKey(env));
    if (envId !== active.key_id)
      throw new ArrearsError(
        'conflict',
        `ARREARS_SIGNING_KEY holds key ${envId} but the active key is ${active.key_id}`,
      );
    return { keyId: envId, privateKey: env };
  }
  const file = path.join(config.keyDir, `${active.key_id}.pem`);
  if (!existsSync(file))
    throw new ArrearsError(
      'unavailable',
      `the private half of active key ${active.key_id} is not at ${file}; restore it there or set ARREARS_SIGNING_KEY`,
    );
  const privateKey = parsePrivateKey(readFileSync(file, 'utf8'));
  if (keyIdOf(createPublicKey(privateKey)) !== active.key_id)
    throw new ArrearsError('conflict', `${file} does not hold key ${active.key_id}`);
  return { keyId: active.key_id, privateKey };
}
