import type { Selectable } from 'kysely';
import type { Db } from '../db/connection.js';
import type { OrgKeysTable } from '../db/schema.js';
import { hashSecret } from '../http/auth.js';
import { newId } from '../ids.js';
import { mintKey } from './api-keys.js';
import { keyStatus, keyWorks, revokeKey, rotateKey, type KeyStatus, type KeyStore } from './key-rotation.js';

/** Organization keys start with `dok_` ("Dossier organization key"): never mistaken for a workspace or operator key. */
export const ORG_KEY_PREFIX = 'dok_';

export interface OrgKeyJson {
  id: string;
  organizationId: string;
  name: string;
  /** The first characters of the key (`dok_Ab3x9kQz`); the rest is never stored. */
  prefix: string;
  createdAt: number;
  /** When a rotated key stops minting sessions; null = until revoked. */
  expiresAt: number | null;
  lastUsedAt: number | null;
  revokedAt: number | null;
  status: KeyStatus;
}

const json = (row: Selectable<OrgKeysTable>, now: number): OrgKeyJson => ({
  id: row.id,
  organizationId: row.organization_id,
  name: row.name,
  prefix: row.prefix,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  lastUsedAt: row.last_used_at,
  revokedAt: row.revoked_at,
  status: keyStatus(row, now),
});

/** Creates a key for an organization; the key is returned once, only its hash and prefix are kept (as workspace keys). */
export async function issueOrgKey(db: Db, organizationId: string, name: string, now: number) {
  const { secretKey, stored } = mintKey(ORG_KEY_PREFIX);
  const row = {
    id: newId('okey_'),
    organization_id: organizationId,
    name,
    ...stored,
    created_at: now,
    expires_at: null,
    last_used_at: null,
    revoked_at: null,
  };
  await db.insertInto('org_keys').values(row).execute();
  return { key: json(row, now), secretKey };
}

export async function listOrgKeys(db: Db, organizationId: string, now: number): Promise<OrgKeyJson[]> {
  const rows = await db.selectFrom('org_keys').selectAll().where('organization_id', '=', organizationId).orderBy('created_at').orderBy('id').execute();
  return rows.map((row) => json(row, now));
}

const orgKeys: KeyStore<Selectable<OrgKeysTable>, Awaited<ReturnType<typeof issueOrgKey>>, OrgKeyJson> = {
  label: 'Organization key',
  find: (db, organizationId, keyId) => db.selectFrom('org_keys').selectAll().where('organization_id', '=', organizationId).where('id', '=', keyId).executeTakeFirst(),
  update: (db, keyId, change) => db.updateTable('org_keys').set(change).where('id', '=', keyId).execute(),
  issue: issueOrgKey,
  json,
};

/**
 * A new key for the organization; the old one mints sessions for `graceSeconds` more (key-rotation.ts). The sessions
 * it minted run to their own end (revoking the key ends them at once).
 */
export const rotateOrgKey = (db: Db, organizationId: string, keyId: string, graceSeconds: number, now: number) => rotateKey(db, orgKeys, organizationId, keyId, graceSeconds, now);

export const revokeOrgKey = (db: Db, organizationId: string, keyId: string, now: number) => revokeKey(db, orgKeys, organizationId, keyId, now);

/** The working key a bearer secret is (not revoked, not past its grace period), or null. Its last use is noted at most once a minute. */
export async function findOrgKey(db: Db, secret: string, now: number): Promise<{ keyId: string; organizationId: string } | null> {
  const row = await db
    .selectFrom('org_keys')
    .select(['id', 'organization_id', 'last_used_at'])
    .where('secret_hash', '=', hashSecret(secret))
    .where(keyWorks(now))
    .executeTakeFirst();
  if (!row) return null;
  if (row.last_used_at === null || row.last_used_at < now - 60_000) {
    await db.updateTable('org_keys').set({ last_used_at: now }).where('id', '=', row.id).execute();
  }
  return { keyId: row.id, organizationId: row.organization_id };
}
