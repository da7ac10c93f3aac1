// What workflows and the client portal share: host-only calls, and finding the contact a call is about.
import type { Db } from '../../db/connection.js';
import type { Caller } from '../../http/env.js';
import { forbidden, invalidField, notFound } from '../../http/errors.js';
import { visibleTo } from '../contacts.js';

/** The host's catalogues and its records of what it ran come from its backend (the secret key), never a widget. */
export function assertHost(caller: Caller, what: string): void {
  if (caller.kind === 'member') throw forbidden(`Only the host backend (the workspace secret key) ${what}.`);
}

/** 404 unless the caller may see the contact (reads need none of its fields). */
export async function assertVisible(db: Db, caller: Caller, contactId: string): Promise<void> {
  const found = await db.selectFrom('contacts').select('id').where('id', '=', contactId).where(visibleTo(caller)).executeTakeFirst();
  if (!found) throw notFound('Contact');
}

/** The contact of the workspace the host means: one merged since is followed to the contact that absorbed it. */
export async function liveContactOf(db: Db, workspaceId: string, contactId: string): Promise<string> {
  let id = contactId;
  for (let hop = 0; hop < 10; hop++) {
    const row = await db.selectFrom('contacts').select(['id', 'merged_into_id']).where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
    if (!row) throw invalidField('contactId', `No contact with id ${contactId} in this workspace.`);
    if (!row.merged_into_id) return row.id;
    id = row.merged_into_id;
  }
  return id;
}
