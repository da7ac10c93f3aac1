import type { Db } from '../db/connection.js';
import type { ApiKeysTable } from '../db/schema.js';
import type { Selectable } from 'kysely';
import { hashSecret, SECRET_KEY_PREFIX } from '../http/auth.js';
import { notFound } from '../http/errors.js';
import { newId, newSecret } from '../ids.js';

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

/** Longest grace period a rotated key may keep working: 30 days. */
export const MAX_ROTATION_GRACE_SECONDS = 30 * 86_400;

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
  /** `active`, `expiring` (rotated, in its grace period), `expired` or `revoked`. */
  status: 'active' | 'expiring' | 'expired' | 'revoked';
}

export function apiKeyJson(row: Selectable<ApiKeysTable>, now: number): ApiKeyJson {
  const status = row.revoked_at !== null ? 'revoked' : row.expires_at === null ? 'active' : row.expires_at > now ? 'expiring' : 'expired';
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    lastUsedAt: row.last_used_at,
    status,
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

async function liveKey(db: Db, workspaceId: string, keyId: string, now: number) {
  const row = await db.selectFrom('api_keys').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', keyId).executeTakeFirst();
  if (!row || row.revoked_at !== null || (row.expires_at !== null && row.expires_at <= now)) throw notFound('Active secret key');
  return row;
}

/**
 * Rotation: a new key now, and the old one keeps working for `graceSeconds` (0 = it stops at once) so the host can
 * deploy the new key without downtime. Rotating a key that is already expiring shortens nothing: its end stays.
 */
export async function rotateApiKey(db: Db, workspaceId: string, keyId: string, graceSeconds: number, now: number) {
  return db.transaction().execute(async (trx) => {
    const old = await liveKey(trx, workspaceId, keyId, now);
    const end = now + graceSeconds * 1000;
    const expiresAt = old.expires_at === null ? end : Math.min(old.expires_at, end);
    await trx.updateTable('api_keys').set({ expires_at: expiresAt }).where('id', '=', old.id).execute();
    const issued = await issueApiKey(trx, workspaceId, old.name, now);
    return { ...issued, previous: apiKeyJson({ ...old, expires_at: expiresAt }, now) };
  });
}

export async function revokeApiKey(db: Db, workspaceId: string, keyId: string, now: number): Promise<ApiKeyJson> {
  const row = await db.selectFrom('api_keys').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', keyId).executeTakeFirst();
  if (!row) throw notFound('Secret key');
  if (row.revoked_at === null) await db.updateTable('api_keys').set({ revoked_at: now }).where('id', '=', row.id).execute();
  return apiKeyJson({ ...row, revoked_at: row.revoked_at ?? now }, now);
}
