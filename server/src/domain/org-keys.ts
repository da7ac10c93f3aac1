import type { Selectable } from 'kysely';
import type { Db } from '../db/connection.js';
import type { OrgKeysTable } from '../db/schema.js';
import { hashSecret } from '../http/auth.js';
import { notFound } from '../http/errors.js';
import { newId } from '../ids.js';
import { mintKey } from './api-keys.js';

/** Organization keys start with `dok_` ("Dossier organization key"): never mistaken for a workspace or operator key. */
export const ORG_KEY_PREFIX = 'dok_';

export interface OrgKeyJson {
  id: string;
  organizationId: string;
  name: string;
  /** The first characters of the key (`dok_Ab3x9kQz`); the rest is never stored. */
  prefix: string;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

const json = (row: Selectable<OrgKeysTable>): OrgKeyJson => ({
  id: row.id,
  organizationId: row.organization_id,
  name: row.name,
  prefix: row.prefix,
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
  revokedAt: row.revoked_at,
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
    last_used_at: null,
    revoked_at: null,
  };
  await db.insertInto('org_keys').values(row).execute();
  return { key: json(row), secretKey };
}

export async function listOrgKeys(db: Db, organizationId: string): Promise<OrgKeyJson[]> {
  const rows = await db.selectFrom('org_keys').selectAll().where('organization_id', '=', organizationId).orderBy('created_at').orderBy('id').execute();
  return rows.map(json);
}

export async function revokeOrgKey(db: Db, organizationId: string, keyId: string, now: number): Promise<OrgKeyJson> {
  const row = await db.selectFrom('org_keys').selectAll().where('organization_id', '=', organizationId).where('id', '=', keyId).executeTakeFirst();
  if (!row) throw notFound('Organization key');
  if (row.revoked_at === null) await db.updateTable('org_keys').set({ revoked_at: now }).where('id', '=', row.id).execute();
  return json({ ...row, revoked_at: row.revoked_at ?? now });
}

/** The live key a bearer secret is, with its organization, or null. Its last use is noted at most once a minute. */
export async function findOrgKey(db: Db, secret: string, now: number): Promise<{ keyId: string; organizationId: string } | null> {
  const row = await db
    .selectFrom('org_keys')
    .select(['id', 'organization_id', 'last_used_at'])
    .where('secret_hash', '=', hashSecret(secret))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row) return null;
  if (row.last_used_at === null || row.last_used_at < now - 60_000) {
    await db.updateTable('org_keys').set({ last_used_at: now }).where('id', '=', row.id).execute();
  }
  return { keyId: row.id, organizationId: row.organization_id };
}
