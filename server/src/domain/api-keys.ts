import type { Db } from '../db/connection.js';
import type { ApiKeysTable } from '../db/schema.js';
import type { Selectable } from 'kysely';
import { hashSecret, SECRET_KEY_PREFIX } from '../http/auth.js';
import { newId, newSecret } from '../ids.js';
import { keyStatus, revokeKey, rotateKey, type KeyStatus, type KeyStore } from './key-rotation.js';

/** Characters of a key kept in the clear so lists can tell keys apart: `dsk_` and 8 more. */
export const KEY_PREFIX_LENGTH = 12;

/**
 * A new key of any kind (workspace `dsk_`, organization `dok_`, operator): the key, shown once, and what is stored of
 * it — the hash and the prefix that lists show.
 */
export function mintKey(kind: string) {
  const secretKey = newSecret(kind);
  return { secretKey, stored: { prefix: secretKey.slice(0, KEY_PREFIX_LENGTH), secret_hash: hashSecret(secretKey) } };
}

export interface ApiKeyJson {
  id: string;
  workspaceId: string;
  name: string;
  /** The first characters of the key (`dsk_Ab3x9kQz`); the rest is never stored. */
  prefix: string;
  createdAt: number;
  /** When a rotated key stops working; null = until revoked. */
  expiresAt: number | null;
  revokedAt: number | null;
  lastUsedAt: number | null;
  status: KeyStatus;
}

export function apiKeyJson(row: Selectable<ApiKeysTable>, now: number): ApiKeyJson {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    lastUsedAt: row.last_used_at,
    status: keyStatus(row, now),
  };
}

type Trx = Pick<Db, 'insertInto'>;

/** Creates a secret key for a workspace; the key is returned once, only its hash and prefix are kept. */
export async function issueApiKey(db: Trx, workspaceId: string, name: string, now: number) {
  const { secretKey, stored } = mintKey(SECRET_KEY_PREFIX);
  const row = {
    id: newId('key_'),
    workspace_id: workspaceId,
    name,
    ...stored,
    created_at: now,
    revoked_at: null,
    expires_at: null,
    last_used_at: null,
  };
  await db.insertInto('api_keys').values(row).execute();
  return { secretKey, key: apiKeyJson(row, now) };
}

export async function listApiKeys(db: Db, workspaceId: string, now: number): Promise<ApiKeyJson[]> {
  const rows = await db.selectFrom('api_keys').selectAll().where('workspace_id', '=', workspaceId).orderBy('created_at').orderBy('id').execute();
  return rows.map((row) => apiKeyJson(row, now));
}

const apiKeys: KeyStore<Selectable<ApiKeysTable>, Awaited<ReturnType<typeof issueApiKey>>, ApiKeyJson> = {
  label: 'Secret key',
  find: (db, workspaceId, keyId) => db.selectFrom('api_keys').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', keyId).executeTakeFirst(),
  update: (db, keyId, change) => db.updateTable('api_keys').set(change).where('id', '=', keyId).execute(),
  issue: issueApiKey,
  json: apiKeyJson,
};

/** A new key for the workspace; the old one works for `graceSeconds` more (key-rotation.ts). */
export const rotateApiKey = (db: Db, workspaceId: string, keyId: string, graceSeconds: number, now: number) => rotateKey(db, apiKeys, workspaceId, keyId, graceSeconds, now);

export const revokeApiKey = (db: Db, workspaceId: string, keyId: string, now: number) => revokeKey(db, apiKeys, workspaceId, keyId, now);
