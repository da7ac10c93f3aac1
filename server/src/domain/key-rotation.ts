// Rotation with a grace period, shared by every kind of key that has one (workspace secret keys, organization keys):
// a key's status, the condition that keeps an expired one out of authentication, and the rotation itself.
import { sql } from 'kysely';
import type { Db } from '../db/connection.js';
import { notFound } from '../http/errors.js';

/** Longest grace period a rotated key may keep working: 30 days. */
export const MAX_ROTATION_GRACE_SECONDS = 30 * 86_400;

/** What a rotatable key's row carries (api_keys, org_keys). */
export interface RotatableKey {
  id: string;
  name: string;
  revoked_at: number | null;
  /** A rotated key keeps working until then; null = until revoked. */
  expires_at: number | null;
}

/** `active`, `expiring` (rotated, in its grace period), `expired` or `revoked`. */
export type KeyStatus = 'active' | 'expiring' | 'expired' | 'revoked';

export function keyStatus(row: Pick<RotatableKey, 'revoked_at' | 'expires_at'>, now: number): KeyStatus {
  return row.revoked_at !== null ? 'revoked' : row.expires_at === null ? 'active' : row.expires_at > now ? 'expiring' : 'expired';
}

/**
 * The query condition of a key that still authenticates: not revoked, and not past the end of its grace period. Raw
 * SQL, as it serves both tables (api_keys, org_keys) of a one-table query.
 */
export const keyWorks = (now: number) => sql<boolean>`revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ${now})`;

/** Where one kind of key lives: its owner's key by id, how to change it, how to issue a successor, its JSON. */
export interface KeyStore<Row extends RotatableKey, Issued, Json> {
  /** For the 404s: "Secret key not found.", "Active secret key not found." */
  label: string;
  find(db: Db, ownerId: string, keyId: string): Promise<Row | undefined>;
  update(db: Db, keyId: string, change: Partial<Pick<RotatableKey, 'expires_at' | 'revoked_at'>>): Promise<unknown>;
  issue(db: Db, ownerId: string, name: string, now: number): Promise<Issued>;
  json(row: Row, now: number): Json;
}

/**
 * Rotation: a new key now (same name), and the old one keeps working for `graceSeconds` (0 = it stops at once) so
 * the backend using it can deploy the new key without downtime. Rotating a key that is already expiring shortens
 * nothing: its end stays. An expired or revoked key (or another owner's) is not found.
 */
export async function rotateKey<Row extends RotatableKey, Issued, Json>(db: Db, store: KeyStore<Row, Issued, Json>, ownerId: string, keyId: string, graceSeconds: number, now: number) {
  return db.transaction().execute(async (trx) => {
    const old = await store.find(trx, ownerId, keyId);
    const status = old && keyStatus(old, now);
    if (!old || status === 'revoked' || status === 'expired') throw notFound(`Active ${store.label.toLowerCase()}`);
    const end = now + graceSeconds * 1000;
    const expiresAt = old.expires_at === null ? end : Math.min(old.expires_at, end);
    await store.update(trx, old.id, { expires_at: expiresAt });
    const issued = await store.issue(trx, ownerId, old.name, now);
    return { ...issued, previous: store.json({ ...old, expires_at: expiresAt }, now) };
  });
}

/** Revokes the owner's key (an expired one too); revoking it again changes nothing. */
export async function revokeKey<Row extends RotatableKey, Json>(db: Db, store: KeyStore<Row, unknown, Json>, ownerId: string, keyId: string, now: number): Promise<Json> {
  const row = await store.find(db, ownerId, keyId);
  if (!row) throw notFound(store.label);
  if (row.revoked_at === null) await store.update(db, row.id, { revoked_at: now });
  return store.json({ ...row, revoked_at: row.revoked_at ?? now }, now);
}

/** What the admin audit keeps of a rotation (filed under the previous key): the new key's id and prefix, and when the previous one stops. */
export const rotationDetails = (rotated: { key: { id: string; prefix: string }; previous: { expiresAt: number | null } }) => ({
  newKeyId: rotated.key.id,
  prefix: rotated.key.prefix,
  previousExpiresAt: rotated.previous.expiresAt,
});
