// Finds the contact a message is to or from (by handle, email or phone), creating it when unknown.
import type { Db } from '../db/connection.js';
import { engineOf } from '../db/engine/index.js';
import type { Caller } from '../http/env.js';
import { invalidField } from '../http/errors.js';
import { insertContact, nextVersion, refreshDisplayName } from './contacts.js';
import { normalizeEmails, normalizePhone } from './contact-rules.js';

export interface ContactIdentity {
  email?: string;
  phone?: string;
  handle?: string;
  firstName?: string;
  lastName?: string;
}

export const normalizeHandle = (h: string) => h.trim().replace(/^@+/, '').toLowerCase();

/** Which identifiers each channel must carry to find a contact. */
const NEEDS: Record<string, (keyof ContactIdentity)[]> = {
  email: ['email'],
  sms: ['phone'],
  whatsapp: ['phone'],
  call: ['phone'],
  instagram: ['handle', 'email', 'phone'],
  facebook: ['handle', 'email', 'phone'],
  form: ['email', 'phone'],
  survey: ['email', 'phone'],
};

export async function findOrCreateContact(db: Db, caller: Caller, channel: string, who: ContactIdentity, now: number) {
  const ws = caller.workspace.id;
  const needs = NEEDS[channel] ?? ['email', 'phone'];
  if (!needs.some((k) => who[k]?.trim())) {
    throw invalidField(`contact.${needs[0]}`, `A ${channel} message needs the contact's ${needs.join(' or ')}.`);
  }
  let email: string | undefined;
  if (who.email) {
    try {
      email = normalizeEmails([{ value: who.email }])[0]!.value;
    } catch {
      throw invalidField('contact.email', `"${who.email}" is not a valid email address.`);
    }
  }
  let phone: string | undefined;
  if (who.phone) {
    phone = normalizePhone(who.phone, caller.workspace.defaultRegion) ?? undefined;
    if (!phone) throw invalidField('contact.phone', `"${who.phone}" is not a valid phone number.`);
  }
  const handle = who.handle ? normalizeHandle(who.handle) : undefined;

  // One transaction holding a lock per identifier: messages from an unknown sender arriving at once (PostgreSQL
  // runs them in parallel) find the contact the first one creates instead of each creating one.
  return db.transaction().execute(async (trx) => {
    await engineOf(trx).locks.hold(trx, [handle && `handle:${channel}:${handle}`, email, phone].flatMap((k) => (k ? [`contact:${ws}:${k}`] : [])));
    const live = trx.selectFrom('contacts').select('contacts.id').where('contacts.workspace_id', '=', ws).where('contacts.deleted_at', 'is', null).where('contacts.merged_into_id', 'is', null);
    let found: string | undefined;
    if (handle) {
      found = (await live.where('contacts.id', 'in', trx.selectFrom('contact_handles').select('contact_id').where('workspace_id', '=', ws).where('channel', '=', channel).where('handle', '=', handle)).executeTakeFirst())?.id;
    }
    if (!found && email) {
      found = (await live.where('contacts.id', 'in', trx.selectFrom('contact_emails').select('contact_id').where('workspace_id', '=', ws).where('value', '=', email)).orderBy('contacts.created_at').executeTakeFirst())?.id;
    }
    if (!found && phone) {
      found = (await live.where('contacts.id', 'in', trx.selectFrom('contact_phones').select('contact_id').where('workspace_id', '=', ws).where('value', '=', phone)).orderBy('contacts.created_at').executeTakeFirst())?.id;
    }
    let created = false;
    if (!found) {
      found = await insertContact(
        trx,
        caller,
        {
          firstName: who.firstName?.trim() || undefined,
          lastName: who.lastName?.trim() || undefined,
          emails: email ? [{ value: email }] : undefined,
          phones: phone ? [{ value: phone }] : undefined,
          source: channel,
        },
        now,
      );
      created = true;
    }
    if (handle) {
      const added = await trx.insertInto('contact_handles').values({ workspace_id: ws, contact_id: found, channel, handle, created_at: now }).onConflict((oc) => oc.doNothing()).executeTakeFirst();
      if (Number(added.numInsertedOrUpdatedRows)) {
        // A contact known only by this handle is named by it.
        await refreshDisplayName(trx, found);
        await trx.updateTable('contacts').set({ version: nextVersion }).where('id', '=', found).execute();
      }
    }
    return { contactId: found, created };
  });
}
