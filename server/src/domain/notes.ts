// A contact's notes (the record's Notes tab): written, edited, pinned and deleted, each audited with a webhook in the
// same transaction, and published on the event feed once committed. Reading follows the contact's visibility;
// editing and deleting a note is for its author, owners and managers (the host backend too).
import { sql } from 'kysely';
import type { Db } from '../db/connection.js';
import { engineOf } from '../db/engine/index.js';
import type { NotesTable } from '../db/schema.js';
import type { Caller } from '../http/env.js';
import { ApiError, forbidden, notFound } from '../http/errors.js';
import { newId } from '../ids.js';
import { writeAudit } from './audit.js';
import { actorOf, getVisibleContact } from './contacts.js';
import type { EventFeed } from './events.js';

export const MAX_NOTE_LENGTH = 10_000;
/** Pinned notes all come on the first page, so a contact keeps only a few pinned. */
export const MAX_PINNED_NOTES = 20;

export interface NoteJson {
  id: string;
  contactId: string;
  body: string;
  author: { id: string; name: string | null } | null;
  pinned: boolean;
  pinnedAt: number | null;
  createdAt: number;
  updatedAt: number;
  /** When the text last changed (null: never edited). */
  editedAt: number | null;
  /** Whether the caller may edit and delete it. */
  canEdit: boolean;
}

type NoteRow = NotesTable & { author_name: string | null };
export type NoteSort = 'newest' | 'oldest';
/** A keyset position in the unpinned notes: created time and id. */
export type NoteCursor = [number, string];

/** The start of a note, on one line: how the audit log and webhooks name it. */
export const noteExcerpt = (body: string) => {
  const line = body.replace(/\s+/g, ' ').trim();
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
};

/** Owners and managers edit any note; others only their own. The secret key (host backend) may too. */
function mayEdit(caller: Caller, authorId: string | null): boolean {
  if (caller.kind !== 'member') return true;
  return caller.member.role !== 'agent' || authorId === caller.member.id;
}

function toJson(r: NoteRow, caller: Caller): NoteJson {
  return {
    id: r.id,
    contactId: r.contact_id,
    body: r.body,
    author: r.author_id ? { id: r.author_id, name: r.author_name } : null,
    pinned: r.pinned_at !== null,
    pinnedAt: r.pinned_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    editedAt: r.edited_at,
    canEdit: mayEdit(caller, r.author_id),
  };
}

export class Notes {
  constructor(
    private readonly db: Db,
    private readonly events: EventFeed | undefined,
  ) {}

  private select(db: Db = this.db) {
    return db.selectFrom('notes as n').leftJoin('members as m', 'm.id', 'n.author_id').selectAll('n').select('m.name as author_name');
  }

  /**
   * One page of a contact's notes: on the first page every pinned note (latest pin first), then the others newest or
   * oldest first by keyset (created time, id). `q` narrows both to notes whose text contains it (case-insensitive).
   */
  async list(caller: Caller, contactId: string, o: { q?: string; sort: NoteSort; limit: number; after?: NoteCursor }) {
    await getVisibleContact(this.db, caller, contactId);
    const text = engineOf(this.db).text;
    const pattern = o.q ? `%${o.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%` : null;
    let base = this.select().where('n.workspace_id', '=', caller.workspace.id).where('n.contact_id', '=', contactId);
    if (pattern) base = base.where(text.like(sql.ref('n.body'), pattern));
    const pinned = o.after ? [] : await base.where('n.pinned_at', 'is not', null).orderBy('n.pinned_at', 'desc').orderBy('n.id', 'desc').execute();
    const dir = o.sort === 'newest' ? 'desc' : 'asc';
    let page = base.where('n.pinned_at', 'is', null);
    if (o.after) {
      const [at, id] = o.after;
      const cmp = dir === 'desc' ? '<' : '>';
      page = page.where((eb) => eb.or([eb('n.created_at', cmp, at), eb.and([eb('n.created_at', '=', at), eb('n.id', cmp, id)])]));
    }
    const rows = await page.orderBy('n.created_at', dir).orderBy('n.id', dir).limit(o.limit + 1).execute();
    const shown = rows.slice(0, o.limit);
    const last = shown[shown.length - 1];
    return {
      items: [...pinned, ...shown].map((r) => toJson(r, caller)),
      next: rows.length > o.limit && last ? ([last.created_at, last.id] as NoteCursor) : null,
    };
  }

  private async row(caller: Caller, contactId: string, id: string, db: Db = this.db): Promise<NoteRow> {
    const row = await this.select(db).where('n.workspace_id', '=', caller.workspace.id).where('n.contact_id', '=', contactId).where('n.id', '=', id).executeTakeFirst();
    if (!row) throw notFound('Note');
    return row;
  }

  /** The contact, visible to the caller and not in the restore bin (notes of a deleted contact are read-only). */
  private async writable(caller: Caller, contactId: string) {
    const contact = await getVisibleContact(this.db, caller, contactId);
    if (contact.deletedAt !== null) throw new ApiError(409, 'contact_deleted', 'This contact is in the restore bin; restore it before changing its notes.');
  }

  private publish(type: 'created' | 'updated' | 'deleted', caller: Caller, contactId: string, id: string) {
    this.events?.publish({ type: `note.${type}`, workspaceId: caller.workspace.id, contactId, id });
  }

  async create(caller: Caller, contactId: string, input: { body: string; pinned?: boolean }, now: number): Promise<NoteJson> {
    await this.writable(caller, contactId);
    const id = newId('nt_', now);
    const authorId = caller.kind === 'member' ? caller.member.id : null;
    await this.db.transaction().execute(async (trx) => {
      if (input.pinned) await this.checkPinLimit(trx, contactId);
      await trx
        .insertInto('notes')
        .values({ id, workspace_id: caller.workspace.id, contact_id: contactId, author_id: authorId, body: input.body, pinned_at: input.pinned ? now : null, created_at: now, updated_at: now, edited_at: null })
        .execute();
      await writeAudit(trx, {
        workspaceId: caller.workspace.id,
        contactId,
        actor: actorOf(caller),
        action: 'note.created',
        changes: { body: { before: null, after: input.body }, ...(input.pinned && { pinned: { before: false, after: true } }) },
        context: { note: { id, name: noteExcerpt(input.body) } },
        at: now,
      });
    });
    this.publish('created', caller, contactId, id);
    return toJson(await this.row(caller, contactId, id), caller);
  }

  private async checkPinLimit(trx: Db, contactId: string) {
    const { n } = await trx.selectFrom('notes').select((eb) => eb.fn.countAll<number>().as('n')).where('contact_id', '=', contactId).where('pinned_at', 'is not', null).executeTakeFirstOrThrow();
    if (Number(n) >= MAX_PINNED_NOTES) throw new ApiError(409, 'pin_limit', `A contact can have at most ${MAX_PINNED_NOTES} pinned notes; unpin one first.`, { field: 'pinned', limit: MAX_PINNED_NOTES });
  }

  /** Changes the text and/or the pin. The text is the author's, owners' and managers'; anyone who may write notes pins. */
  async update(caller: Caller, contactId: string, id: string, patch: { body?: string; pinned?: boolean }, now: number): Promise<NoteJson> {
    await this.writable(caller, contactId);
    const before = await this.row(caller, contactId, id);
    const bodyChanged = patch.body !== undefined && patch.body !== before.body;
    const pinChanged = patch.pinned !== undefined && patch.pinned !== (before.pinned_at !== null);
    if (bodyChanged && !mayEdit(caller, before.author_id)) throw forbidden('Only the author of a note, owners and managers can edit it.');
    if (!bodyChanged && !pinChanged) return toJson(before, caller);
    await this.db.transaction().execute(async (trx) => {
      if (pinChanged && patch.pinned) await this.checkPinLimit(trx, contactId);
      await trx
        .updateTable('notes')
        .set({
          updated_at: now,
          ...(bodyChanged && { body: patch.body, edited_at: now }),
          ...(pinChanged && { pinned_at: patch.pinned ? now : null }),
        })
        .where('id', '=', id)
        .execute();
      const audit = (action: string, changes: Record<string, { before: unknown; after: unknown }>) =>
        writeAudit(trx, { workspaceId: caller.workspace.id, contactId, actor: actorOf(caller), action, changes, context: { note: { id, name: noteExcerpt(patch.body ?? before.body) } }, at: now });
      if (bodyChanged) await audit('note.edited', { body: { before: before.body, after: patch.body } });
      if (pinChanged) await audit(patch.pinned ? 'note.pinned' : 'note.unpinned', { pinned: { before: !patch.pinned, after: patch.pinned } });
    });
    this.publish('updated', caller, contactId, id);
    return toJson(await this.row(caller, contactId, id), caller);
  }

  async remove(caller: Caller, contactId: string, id: string, now: number): Promise<NoteJson> {
    await this.writable(caller, contactId);
    const before = await this.row(caller, contactId, id);
    if (!mayEdit(caller, before.author_id)) throw forbidden('Only the author of a note, owners and managers can delete it.');
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('notes').where('id', '=', id).execute();
      await writeAudit(trx, {
        workspaceId: caller.workspace.id,
        contactId,
        actor: actorOf(caller),
        action: 'note.deleted',
        changes: { body: { before: before.body, after: null } },
        context: { note: { id, name: noteExcerpt(before.body) } },
        at: now,
      });
    });
    this.publish('deleted', caller, contactId, id);
    return toJson(before, caller);
  }

  /** A note as webhooks carry it (inside the change's transaction); null once deleted. */
  static async json(trx: Db, id: string): Promise<Omit<NoteJson, 'canEdit'> | null> {
    const row = await trx.selectFrom('notes as n').leftJoin('members as m', 'm.id', 'n.author_id').selectAll('n').select('m.name as author_name').where('n.id', '=', id).executeTakeFirst();
    if (!row) return null;
    const { canEdit: _c, ...note } = toJson(row, { kind: 'api' } as Caller);
    return note;
  }
}
