// The document store: rows as API JSON, writes (each audited on the contact and published on the event bus),
// listing with keyset cursors, the restore bin, and blob garbage collection.
import { sql } from 'kysely';
import type { Db } from '../db/connection.js';
import type { DocumentOrigin, DocumentRow, DocumentSection } from '../db/schema.js';
import { contains } from '../db/like.js';
import type { Caller } from '../http/env.js';
import { ApiError, conflict, notFound } from '../http/errors.js';
import { newId } from '../ids.js';
import type { BlobStore } from '../storage/blob-store.js';
import { log } from '../log.js';
import { writeAudit } from './audit.js';
import { actorOf, publishContacts, visibleTo, type ContactJson } from './contacts.js';
import type { DocumentChange, EventFeed } from './events.js';
import { extensionOf, safeFileName } from './file-names.js';
import { DOCUMENT_KINDS, INLINE_KINDS, isDocumentKind, type DocumentKind } from './file-types.js';
import type { ReceivedFile } from './receive-file.js';
import { settleName, SniffError } from './sniff.js';

const DAY = 86_400_000;
/** Blobs younger than this are never collected: an upload may be between writing the file and its row. */
const BLOB_GRACE_MS = 60 * 60 * 1000;

export const SECTIONS = ['internal', 'sent', 'received'] as const;
export const ORIGINS = ['upload', 'email', 'sms', 'whatsapp', 'instagram', 'facebook', 'form', 'survey'] as const;

export interface DocumentJson {
  id: string;
  contactId: string;
  section: DocumentSection;
  origin: DocumentOrigin;
  /** Form or survey name, for documents that came with a submission. */
  form: string | null;
  name: string;
  kind: string;
  mediaType: string;
  size: number;
  sha256: string;
  uploadedBy: string | null;
  shareOnPortal: boolean;
  messageId: string | null;
  /** The `file` custom field it was uploaded through (the "Custom fields" folder), else null. */
  fieldKey: string | null;
  /** Whether `?inline=1` may show it in the browser (images and PDFs). */
  inline: boolean;
  contentUrl: string;
  createdAt: number;
  updatedAt: number;
  deletedAt: number | null;
}

export function documentJson(r: DocumentRow): DocumentJson {
  return {
    id: r.id,
    contactId: r.contact_id,
    section: r.section,
    origin: r.origin,
    form: r.form_name,
    name: r.name,
    kind: r.kind,
    mediaType: r.media_type,
    size: r.size,
    sha256: r.sha256,
    uploadedBy: r.uploaded_by,
    shareOnPortal: r.share_on_portal === 1,
    messageId: r.message_id,
    fieldKey: r.field_key,
    inline: isDocumentKind(r.kind) && INLINE_KINDS.has(r.kind),
    contentUrl: `/api/v1/documents/${r.id}/content`,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    deletedAt: r.deleted_at,
  };
}

export interface NewDocumentsMeta {
  section: DocumentSection;
  origin: DocumentOrigin;
  formName?: string | null;
  shareOnPortal?: boolean;
  messageId?: string | null;
  /** Uploaded through this `file` custom field (checked by the caller). */
  fieldKey?: string | null;
}

export type SortKey = 'date' | 'name' | 'size';
export interface ListOptions {
  section?: DocumentSection;
  q?: string;
  origin?: DocumentOrigin;
  form?: string;
  /** true: only documents shared on the client portal; false: only the others. */
  portal?: boolean;
  /** Only documents of this `file` custom field; `*`: of any (the "Custom fields" folder). */
  field?: string;
  sort: SortKey;
  dir: 'asc' | 'desc';
  deleted: boolean;
  limit: number;
  after?: [number | string, string];
}

/** How audit events name a document (as it was then): name, section, size, kind and the file field holding it. */
const summary = (d: DocumentJson) => ({ id: d.id, name: d.name, section: d.section, size: d.size, kind: d.kind, ...(d.fieldKey && { fieldKey: d.fieldKey }) });

export class Documents {
  constructor(
    private readonly db: Db,
    private readonly blobs: BlobStore,
    private readonly events: EventFeed,
    private readonly defaultKinds: readonly DocumentKind[],
  ) {}

  /** The kinds this workspace accepts: its own list when set, else the server default. */
  async allowedKinds(workspaceId: string): Promise<Set<DocumentKind>> {
    const row = await this.db.selectFrom('workspaces').select('document_types').where('id', '=', workspaceId).executeTakeFirst();
    const own = row?.document_types ? (JSON.parse(row.document_types) as string[]).filter(isDocumentKind) : null;
    return new Set(own ?? this.defaultKinds);
  }

  /**
   * Commits received files and records them as documents of one contact in one transaction. The caller has
   * checked the contact is visible. On failure the files are discarded (or left to blob GC if already moved).
   */
  async create(
    caller: Caller,
    contactId: string,
    files: ReceivedFile[],
    meta: NewDocumentsMeta,
    now: number,
    /** More writes that must commit with the documents (the message's activity row, for example). */
    alsoInTransaction?: (trx: Db, documents: DocumentJson[]) => Promise<void>,
  ): Promise<DocumentJson[]> {
    const ws = caller.workspace.id;
    const rows: DocumentRow[] = files.map((f) => ({
      id: newId('doc_'),
      workspace_id: ws,
      contact_id: contactId,
      section: meta.section,
      origin: meta.origin,
      form_name: meta.formName ?? null,
      name: f.name,
      name_key: f.name.toLowerCase(),
      kind: f.kind,
      media_type: f.mediaType,
      size: f.size,
      sha256: f.sha256,
      blob_key: f.sha256,
      uploaded_by: caller.kind === 'member' ? caller.member.id : null,
      share_on_portal: meta.shareOnPortal ? 1 : 0,
      message_id: meta.messageId ?? null,
      field_key: meta.fieldKey ?? null,
      created_at: now,
      updated_at: now,
      deleted_at: null,
    }));
    try {
      // Touch existing blob rows first so a concurrent GC spares content we are about to reference again.
      const shas = [...new Set(files.map((f) => f.sha256))];
      if (shas.length) await this.db.updateTable('blobs').set({ last_used_at: now }).where('sha256', 'in', shas).execute();
      for (const f of files) await f.pending.commit();
      await this.db.transaction().execute(async (trx) => {
        await alsoInTransaction?.(trx, rows.map(documentJson));
        for (const f of files) {
          await trx
            .insertInto('blobs')
            .values({ sha256: f.sha256, size: f.size, created_at: now, last_used_at: now })
            .onConflict((oc) => oc.column('sha256').doUpdateSet({ last_used_at: now }))
            .execute();
        }
        for (const row of rows) {
          await trx.insertInto('documents').values(row).execute();
          await writeAudit(trx, {
            workspaceId: ws,
            contactId,
            actor: actorOf(caller),
            action: 'document.uploaded',
            changes: {},
            context: { document: summary(documentJson(row)) },
            at: now,
          });
        }
        // The field's value (kept by a trigger) changed with them: so did the contact.
        if (meta.fieldKey) await trx.updateTable('contacts').set({ updated_at: now }).where('id', '=', contactId).execute();
      });
    } catch (err) {
      await Promise.all(files.map((f) => f.pending.discard()));
      throw err;
    }
    const docs = rows.map(documentJson);
    for (const d of docs) this.publish('created', ws, d);
    return docs;
  }

  /** A contact edit put documents in or took them out of a file field: their `fieldKey` changed, so lists follow. */
  async publishFieldChanges(before: ContactJson, after: ContactJson) {
    const ids = (c: ContactJson) => new Set(Object.values(c.customFields).flat().filter((v): v is string => typeof v === 'string'));
    const [was, is] = [ids(before), ids(after)];
    const changed = [...was].filter((id) => !is.has(id)).concat([...is].filter((id) => !was.has(id)));
    if (!changed.length) return;
    const rows = await this.db.selectFrom('documents').selectAll().where('contact_id', '=', after.id).where('id', 'in', changed).execute();
    for (const row of rows) this.publish('updated', row.workspace_id, documentJson(row));
  }

  publish(type: DocumentChange, workspaceId: string, document: DocumentJson) {
    this.events.publish({ type: `document.${type}`, workspaceId, contactId: document.contactId, document });
    // A file field's value follows its documents (a trigger keeps it, and the contact's version): the contact changed.
    if (document.fieldKey) {
      publishContacts(this.db, this.events, workspaceId, 'contact.updated', [document.contactId], { fields: ['customFields'] }).catch((err: unknown) => log.error('contact event failed', err));
    }
  }

  /** A document whose contact the caller may see, or 404 (also for other workspaces' ids). */
  async get(caller: Caller, id: string, opts: { includeDeleted?: boolean } = {}): Promise<DocumentRow> {
    let query = this.db
      .selectFrom('documents')
      .selectAll()
      .where('id', '=', id)
      .where('workspace_id', '=', caller.workspace.id)
      .where('contact_id', 'in', this.db.selectFrom('contacts').select('contacts.id').where(visibleTo(caller)));
    if (!opts.includeDeleted) query = query.where('deleted_at', 'is', null);
    const row = await query.executeTakeFirst();
    if (!row) throw notFound('Document');
    return row;
  }

  /** Documents by id for a bulk action, in the given order; any missing or invisible id is a 404. */
  async getMany(caller: Caller, ids: string[]): Promise<DocumentRow[]> {
    const rows = await this.db
      .selectFrom('documents')
      .selectAll()
      .where('id', 'in', ids)
      .where('workspace_id', '=', caller.workspace.id)
      .where('deleted_at', 'is', null)
      .where('contact_id', 'in', this.db.selectFrom('contacts').select('contacts.id').where(visibleTo(caller)))
      .execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    const missing = ids.filter((id) => !byId.has(id));
    if (missing.length) throw new ApiError(404, 'not_found', 'Some documents were not found.', { ids: missing });
    return ids.map((id) => byId.get(id)!);
  }

  async list(workspaceId: string, contactId: string, o: ListOptions) {
    const base = () => {
      let q = this.db
        .selectFrom('documents')
        .where('workspace_id', '=', workspaceId)
        .where('contact_id', '=', contactId)
        .where('deleted_at', o.deleted ? 'is not' : 'is', null);
      if (o.q) q = q.where(contains('name_key', o.q.toLowerCase()));
      if (o.origin) q = q.where('origin', '=', o.origin);
      if (o.form) q = q.where('form_name', '=', o.form);
      if (o.portal !== undefined) q = q.where('share_on_portal', '=', o.portal ? 1 : 0);
      if (o.field) q = o.field === '*' ? q.where('field_key', 'is not', null) : q.where('field_key', '=', o.field);
      return q;
    };
    const column = o.deleted && o.sort === 'date' ? 'deleted_at' : o.sort === 'name' ? 'name_key' : o.sort === 'size' ? 'size' : 'created_at';
    let query = base().selectAll();
    if (o.section) query = query.where('section', '=', o.section);
    if (o.after) {
      const [value, id] = o.after;
      const cmp = o.dir === 'asc' ? '>' : '<';
      query = query.where((eb) => eb.or([eb(column, cmp, value), eb.and([eb(column, '=', value), eb('id', cmp, id)])]));
    }
    const rows = await query.orderBy(column, o.dir).orderBy('id', o.dir).limit(o.limit + 1).execute();
    const page = rows.slice(0, o.limit);
    const last = page[page.length - 1];
    const next = rows.length > o.limit && last ? ([last[column] as number | string, last.id] as [number | string, string]) : null;

    const grouped = await base()
      .select(['section', sql<number>`field_key IS NOT NULL`.as('field'), (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy(['section', 'field'])
      .execute();
    const counts = { all: 0, internal: 0, sent: 0, received: 0, fields: 0 };
    for (const g of grouped) {
      counts[g.section] += Number(g.n);
      counts.all += Number(g.n);
      if (g.field) counts.fields += Number(g.n);
    }
    return { items: page.map(documentJson), next, counts };
  }

  /** Rename, move to another section, or change portal sharing; each change is its own audit event. */
  async update(caller: Caller, id: string, patch: { name?: string; section?: DocumentSection; shareOnPortal?: boolean }, now: number): Promise<DocumentJson> {
    const before = await this.get(caller, id);
    const set: Partial<DocumentRow> = {};
    if (patch.name !== undefined) {
      const name = renamed(patch.name, before.kind);
      if (name !== before.name) Object.assign(set, { name, name_key: name.toLowerCase() });
    }
    if (patch.section !== undefined && patch.section !== before.section) {
      if (before.field_key) throw new ApiError(409, 'field_document', `This document belongs to the custom field "${before.field_key}"; remove it from the field to move it.`, { field: 'section' });
      set.section = patch.section;
    }
    if (patch.shareOnPortal !== undefined && (patch.shareOnPortal ? 1 : 0) !== before.share_on_portal) set.share_on_portal = patch.shareOnPortal ? 1 : 0;
    if (Object.keys(set).length === 0) return documentJson(before);
    const ws = caller.workspace.id;
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('documents').set({ ...set, updated_at: now }).where('id', '=', id).execute();
      const document = summary(documentJson({ ...before, ...set }));
      const audit = (action: string, field: string, b: unknown, a: unknown) =>
        writeAudit(trx, { workspaceId: ws, contactId: before.contact_id, actor: actorOf(caller), action, changes: { [field]: { before: b, after: a } }, context: { document }, at: now });
      if (set.name !== undefined) await audit('document.renamed', 'name', before.name, set.name);
      if (set.section !== undefined) await audit('document.moved', 'section', before.section, set.section);
      if (set.share_on_portal !== undefined) await audit('document.shared', 'shareOnPortal', before.share_on_portal === 1, set.share_on_portal === 1);
    });
    const after = documentJson(await this.get(caller, id));
    this.publish('updated', ws, after);
    return after;
  }

  async remove(caller: Caller, id: string, now: number): Promise<DocumentJson> {
    const before = await this.get(caller, id);
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('documents').set({ deleted_at: now, updated_at: now }).where('id', '=', id).execute();
      await writeAudit(trx, { workspaceId: caller.workspace.id, contactId: before.contact_id, actor: actorOf(caller), action: 'document.deleted', changes: {}, context: { document: summary(documentJson(before)) }, at: now });
    });
    const after = documentJson(await this.get(caller, id, { includeDeleted: true }));
    this.publish('deleted', caller.workspace.id, after);
    return after;
  }

  async restore(caller: Caller, id: string, now: number): Promise<DocumentJson> {
    const before = await this.get(caller, id, { includeDeleted: true });
    if (before.deleted_at === null) throw conflict('This document is not deleted.');
    if (before.deleted_at + caller.workspace.restoreDays * DAY <= now) {
      throw new ApiError(410, 'restore_expired', `Deleted documents can be restored for ${caller.workspace.restoreDays} days.`);
    }
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('documents').set({ deleted_at: null, updated_at: now }).where('id', '=', id).execute();
      await writeAudit(trx, { workspaceId: caller.workspace.id, contactId: before.contact_id, actor: actorOf(caller), action: 'document.restored', changes: {}, context: { document: summary(documentJson(before)) }, at: now });
    });
    const after = documentJson(await this.get(caller, id));
    this.publish('restored', caller.workspace.id, after);
    return after;
  }
}

/** A new name keeps the document's real kind: a missing or foreign extension gets the right one appended. */
function renamed(raw: string, kind: string): string {
  const clean = safeFileName(raw);
  if (!clean) throw new ApiError(422, 'invalid_field', 'The name is empty once cleaned.', { field: 'name' });
  if (!isDocumentKind(kind)) return clean;
  try {
    return settleName(clean, kind).name;
  } catch (err) {
    if (err instanceof SniffError && err.reason === 'type_mismatch') return settleName(`${clean}.${kind}`, kind).name;
    if (err instanceof SniffError) throw new ApiError(422, 'invalid_field', err.message, { field: 'name', reason: err.reason, extension: extensionOf(clean) });
    throw err;
  }
}

/** Permanently removes documents that sat in the restore bin longer than their workspace allows. */
export async function purgeDeletedDocuments(db: Db, now: number): Promise<number> {
  const result = await db
    .deleteFrom('documents')
    .where('deleted_at', 'is not', null)
    .where((eb) => eb('deleted_at', '<', sql<number>`${now} - (SELECT restore_days FROM workspaces w WHERE w.id = documents.workspace_id) * 86400000`))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Deletes blobs no document row or contact picture references any more (rows first, then files). Returns how many. */
export async function collectBlobs(db: Db, blobs: BlobStore, now: number): Promise<number> {
  const gone = await db
    .deleteFrom('blobs')
    .where('last_used_at', '<', now - BLOB_GRACE_MS)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('documents as d').select('d.id').whereRef('d.sha256', '=', 'blobs.sha256'))))
    .where((eb) => eb.not(eb.exists(eb.selectFrom('contacts as c').select('c.id').whereRef('c.avatar_key', '=', 'blobs.sha256'))))
    .returning('sha256')
    .execute();
  for (const { sha256 } of gone) await blobs.remove(sha256);
  return gone.length + (await sweepOrphanFiles(db, blobs));
}

/**
 * Files with no `blobs` row, older than the grace period: a crash between storing the file and committing its row
 * leaves them. File times are wall-clock, so this compares with the wall clock, not the app's.
 */
async function sweepOrphanFiles(db: Db, blobs: BlobStore): Promise<number> {
  const cutoff = Date.now() - BLOB_GRACE_MS;
  let removed = 0;
  let batch: string[] = [];
  const flush = async () => {
    const known = new Set((await db.selectFrom('blobs').select('sha256').where('sha256', 'in', batch).execute()).map((r) => r.sha256));
    for (const key of batch) {
      if (known.has(key)) continue;
      await blobs.remove(key);
      removed++;
    }
    batch = [];
  };
  for await (const { key, modifiedAt } of blobs.entries()) {
    if (modifiedAt >= cutoff) continue;
    batch.push(key);
    if (batch.length === 500) await flush();
  }
  if (batch.length) await flush();
  if (removed) log.info(`removed ${removed} stored files no document row points to (left by an interrupted upload)`, { files: removed });
  return removed;
}

export { DOCUMENT_KINDS };
