import { timingSafeEqual } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Db } from '../db/connection.js';
import type { AdminKeysTable } from '../db/schema.js';
import { hashSecret } from '../http/auth.js';
import { notFound } from '../http/errors.js';
import { newId } from '../ids.js';
import { mintKey } from './api-keys.js';

/** Operator keys start with `dak_` ("Dossier admin key"), so they are never mistaken for a workspace key. */
export const ADMIN_KEY_PREFIX = 'dak_';

export interface AdminKeyJson {
  id: string;
  name: string;
  prefix: string;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

const json = (row: Selectable<AdminKeysTable>): AdminKeyJson => ({
  id: row.id,
  name: row.name,
  prefix: row.prefix,
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
  revokedAt: row.revoked_at,
});

/** Creates an operator key (CLI: `dossier admin-key create`); the key is shown once, only its hash is kept. */
export async function createAdminKey(db: Db, name: string, now: number) {
  const { secretKey: secret, stored } = mintKey(ADMIN_KEY_PREFIX);
  const row = { id: newId('adk_'), name, ...stored, created_at: now, last_used_at: null, revoked_at: null };
  await db.insertInto('admin_keys').values(row).execute();
  return { secret, key: json(row) };
}

export async function listAdminKeys(db: Db): Promise<AdminKeyJson[]> {
  return (await db.selectFrom('admin_keys').selectAll().orderBy('id').execute()).map(json);
}

export async function revokeAdminKey(db: Db, id: string, now: number): Promise<AdminKeyJson> {
  const row = await db.selectFrom('admin_keys').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Admin key');
  if (row.revoked_at === null) await db.updateTable('admin_keys').set({ revoked_at: now }).where('id', '=', id).execute();
  return json({ ...row, revoked_at: row.revoked_at ?? now });
}

const sameSecret = (a: string, b: string) => timingSafeEqual(Buffer.from(hashSecret(a), 'hex'), Buffer.from(hashSecret(b), 'hex'));

/**
 * Which operator key a bearer secret is: `env` for the server's DOSSIER_ADMIN_KEY, else a live key's id (its
 * last use is noted at most once a minute), else null.
 */
export async function findAdminKey(db: Db, secret: string, envKey: string | undefined, now: number): Promise<string | null> {
  if (envKey && sameSecret(secret, envKey)) return 'env';
  const row = await db.selectFrom('admin_keys').select(['id', 'last_used_at']).where('secret_hash', '=', hashSecret(secret)).where('revoked_at', 'is', null).executeTakeFirst();
  if (!row) return null;
  if (row.last_used_at === null || row.last_used_at < now - 60_000) {
    await db.updateTable('admin_keys').set({ last_used_at: now }).where('id', '=', row.id).execute();
  }
  return row.id;
}
