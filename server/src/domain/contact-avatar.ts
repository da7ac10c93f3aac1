// A contact's profile picture stored by Dossier: the re-encoded picture goes into the content-addressed blob store
// (a `blobs` row, so garbage collection knows it), the contact names it by `avatar_key` and shows it by
// `avatar_url`, a signed URL that never expires: the path carries the content's hash, so the bytes behind a URL
// never change and browsers and CDNs may keep them for good; the signature binds workspace and hash, so nobody can
// mint a URL for a picture they were not given. Setting and removing it is a contact edit (audit, webhook, events).
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Db } from '../db/connection.js';
import type { Caller } from '../http/env.js';
import { conflict } from '../http/errors.js';
import type { BlobStore } from '../storage/blob-store.js';
import { diff, writeAudit } from './audit.js';
import { actorOf, getVisibleContact, loadContacts, nextVersion, UNTRACKED, type ContactJson } from './contacts.js';

export const avatarSignature = (secret: string, workspaceId: string, key: string) =>
  createHmac('sha256', secret).update(`dossier-avatar\u0000${workspaceId}\u0000${key}`).digest('base64url');

export function verifyAvatarSignature(secret: string, workspaceId: string, key: string, sig: string): boolean {
  const expected = Buffer.from(avatarSignature(secret, workspaceId, key));
  const given = Buffer.from(sig);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The URL widgets and hosts show the picture by (`base`: the server's public origin). */
export const avatarUrl = (base: string, secret: string, workspaceId: string, key: string) =>
  `${base}/api/v1/signed/avatars/${encodeURIComponent(workspaceId)}/${key}.webp?sig=${avatarSignature(secret, workspaceId, key)}`;

/** Stores the encoded picture (once per content) and records its blob; answers its key. */
export async function storeAvatarBlob(db: Db, blobs: BlobStore, bytes: Buffer, now: number): Promise<string> {
  const writer = await blobs.create();
  let pending;
  try {
    await writer.write(bytes);
    pending = await writer.finish();
  } catch (err) {
    await writer.abort();
    throw err;
  }
  try {
    // Touched before the bytes are committed, so a concurrent collection spares content a contact is about to use.
    await db.updateTable('blobs').set({ last_used_at: now }).where('sha256', '=', pending.sha256).execute();
    const key = await pending.commit();
    await db
      .insertInto('blobs')
      .values({ sha256: pending.sha256, size: pending.size, created_at: now, last_used_at: now })
      .onConflict((oc) => oc.column('sha256').doUpdateSet({ last_used_at: now }))
      .execute();
    return key;
  } catch (err) {
    await pending.discard();
    throw err;
  }
}

/**
 * Sets (`picture`) or removes (null) the contact's stored picture as one audited edit of `avatarUrl`. `onlyIfNone`:
 * leave a contact that has a picture (any URL) as it is — a fetched sender picture never replaces one.
 */
export async function setContactAvatar(
  db: Db,
  caller: Caller,
  id: string,
  picture: { url: string; key: string } | null,
  now: number,
  opts: { onlyIfNone?: boolean } = {},
): Promise<{ contact: ContactJson; changed: boolean }> {
  const ws = caller.workspace.id;
  return db.transaction().execute(async (trx) => {
    const before = await getVisibleContact(trx, caller, id);
    if (before.deletedAt !== null) throw conflict('This contact is in the restore bin; restore it before editing.', { field: 'deletedAt' });
    if (opts.onlyIfNone && before.avatarUrl !== null) return { contact: before, changed: false };
    if ((before.avatarUrl ?? null) === (picture?.url ?? null)) return { contact: before, changed: false };
    const bumped = await trx
      .updateTable('contacts')
      .set({ avatar_url: picture?.url ?? null, avatar_key: picture?.key ?? null, updated_at: now, version: nextVersion })
      .where('id', '=', id)
      .where('workspace_id', '=', ws)
      .returning(['version', 'updated_at'])
      .executeTakeFirstOrThrow();
    const [after] = await loadContacts(trx, ws, [id]);
    const changes = diff(before as unknown as Record<string, unknown>, after as unknown as Record<string, unknown>, UNTRACKED);
    await writeAudit(trx, { workspaceId: ws, contactId: id, actor: actorOf(caller), action: 'contact.updated', changes, at: now });
    return { contact: { ...after!, version: bumped.version, updatedAt: bumped.updated_at }, changed: true };
  });
}
