import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../deps.js';
import { listAudit } from '../domain/audit.js';
import { contactCreateSchema, contactPatchSchema } from '../domain/contact-input.js';
import { normalizePhone } from '../domain/contact-rules.js';
import {
  createContact,
  deleteContact,
  type ContactJson,
  getVisibleContact,
  loadContacts,
  publishContact,
  publishContacts,
  restoreContact,
  updateContact,
  visibleTo,
} from '../domain/contacts.js';
import { assertCan } from '../http/auth.js';
import { documentsOf } from './documents.js';
import { decodeCursor, encodeCursor } from '../http/cursor.js';
import type { Env } from '../http/env.js';
import { validate } from '../http/validate.js';
import { fails, responds } from '../http/route-meta.js';
import { binPage, contactJson, contactPage } from '../openapi/schemas/contact.js';
import { auditPage } from '../openapi/schemas/audit.js';
import { startsWith } from '../db/like.js';
import { badRequest } from '../http/errors.js';

const DAY_MS = 86_400_000;

const idParam = z.object({ id: z.string().min(1).max(64) });

const listQuery = z
  .object({
    q: z.string().trim().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(500).optional(),
    deleted: z.enum(['true', 'false']).optional(),
    /** Comma-separated ids (at most 100): those contacts, in that order, whatever their state (a widget refreshing what it shows). */
    ids: z.string().max(6500).transform((v) => [...new Set(v.split(',').filter(Boolean))]).pipe(z.array(z.string().max(64)).min(1).max(100)).optional(),
  })
  .strict();

const pageQuery = z
  .object({ limit: z.coerce.number().int().min(1).max(200).default(50), cursor: z.string().max(500).optional() })
  .strict();

type ListCursor = [number, string];
/** `If-Match: "12"` (also W/"12" or 12): the contact version a patch was made against; `*` is any version. */
function ifMatchVersion(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(header);
  if (!match) throw badRequest('If-Match must be the contact\'s version, e.g. "12".', { field: 'If-Match' });
  return Number(match[1]);
}

const isListCursor = (v: unknown): v is ListCursor => Array.isArray(v) && typeof v[0] === 'number' && typeof v[1] === 'string';
const isAuditCursor = (v: unknown): v is { at: number; seq: number } =>
  typeof v === 'object' && v !== null && typeof (v as { at?: unknown }).at === 'number' && typeof (v as { seq?: unknown }).seq === 'number';

/** /api/v1/contacts — create, read, patch, soft-delete, restore, list (newest first), audit. */
export function contactRoutes(deps: AppDeps) {
  const { db, clock, events } = deps;
  /** The contact as answered, with its version as the ETag (send it back as If-Match). */
  const answer = (c: Context<Env>, contact: ContactJson, status: 200 | 201 = 200) => {
    c.header('ETag', `"${contact.version}"`);
    return c.json(contact, status);
  };
  const docs = documentsOf(deps);
  return new Hono<Env>()
    .get('/', responds(200, z.union([contactPage, binPage]), 'A page of contacts (in the restore bin with `deleted=true`: when each is purged, and the restore days).'), validate('query', listQuery), async (c) => {
      const { q, limit, cursor, deleted, ids } = c.req.valid('query');
      const caller = c.var.caller;
      if (ids) {
        const visible = new Set((await db.selectFrom('contacts').select('contacts.id').where('contacts.id', 'in', ids).where(visibleTo(caller)).execute()).map((r) => r.id));
        return c.json({ items: await loadContacts(db, caller.workspace.id, ids.filter((id) => visible.has(id))), nextCursor: null });
      }
      const after = decodeCursor(cursor, isListCursor);
      const inBin = deleted === 'true';
      // In the restore bin the order is "deleted most recently first"; elsewhere "created most recently first".
      const sortColumn = inBin ? 'contacts.deleted_at' : 'contacts.created_at';
      let query = db
        .selectFrom('contacts')
        .select(['contacts.id', inBin ? 'contacts.deleted_at as sort' : 'contacts.created_at as sort'])
        .where(visibleTo(caller))
        .where('contacts.deleted_at', inBin ? 'is not' : 'is', null);
      // Merged contacts are tombstones for unmerge, not bin entries.
      if (inBin) query = query.where('contacts.merged_into_id', 'is', null);
      if (q) {
        const phone = normalizePhone(q, caller.workspace.defaultRegion);
        query = query.where((eb) =>
          eb.or([
            startsWith('contacts.display_name', q),
            startsWith('contacts.last_name', q),
            startsWith('contacts.company_name', q),
            eb.exists(eb.selectFrom('contact_emails as e').select('e.id').whereRef('e.contact_id', '=', 'contacts.id').where(startsWith('e.value', q.toLowerCase()))),
            ...(phone ? [eb.exists(eb.selectFrom('contact_phones as p').select('p.id').whereRef('p.contact_id', '=', 'contacts.id').where('p.value', '=', phone))] : []),
          ]),
        );
      }
      if (after) {
        query = query.where((eb) =>
          eb.or([eb(sortColumn, '<', after[0]), eb.and([eb(sortColumn, '=', after[0]), eb('contacts.id', '<', after[1])])]),
        );
      }
      const rows = await query.orderBy(sortColumn, 'desc').orderBy('contacts.id', 'desc').limit(limit + 1).execute();
      const page = rows.slice(0, limit);
      const contacts = await loadContacts(db, caller.workspace.id, page.map((r) => r.id));
      const last = page[page.length - 1];
      const nextCursor = rows.length > limit && last ? encodeCursor([last.sort, last.id]) : null;
      if (!inBin) return c.json({ items: contacts, nextCursor });
      // In the bin, say when each contact will be purged for good (see purgeExpired).
      const keepMs = caller.workspace.restoreDays * DAY_MS;
      const now = clock.now();
      const items = contacts.map((contact) => {
        const purgeAt = (contact.deletedAt ?? now) + keepMs;
        return { ...contact, purgeAt, msUntilPurge: Math.max(0, purgeAt - now) };
      });
      return c.json({ items, nextCursor, restoreDays: caller.workspace.restoreDays });
    })
    .post('/', responds(201, contactJson, 'The contact created (its version as the ETag).'), fails(422, 'invalid_field'), validate('json', contactCreateSchema), async (c) => {
      assertCan(c.var.caller, 'contacts.create');
      const contact = await createContact(db, c.var.caller, c.req.valid('json'), clock.now());
      await publishContacts(db, events, c.var.caller.workspace.id, 'contact.created', [contact.id]);
      return answer(c, contact, 201);
    })
    .get('/:id', responds(200, contactJson, 'The contact (its version as the ETag).'), validate('param', idParam), async (c) => {
      return answer(c, await getVisibleContact(db, c.var.caller, c.req.valid('param').id));
    })
    .patch('/:id', responds(200, contactJson, 'The contact as it is now (its version as the ETag).'), fails(400, 'bad_request'), fails(409, 'version_conflict'), fails(422, 'invalid_field'), validate('param', idParam), validate('json', contactPatchSchema), async (c) => {
      assertCan(c.var.caller, 'contacts.edit');
      const { id } = c.req.valid('param');
      const patch = c.req.valid('json');
      const { contact, changed, before } = await updateContact(db, c.var.caller, id, patch, clock.now(), ifMatchVersion(c.req.header('if-match')));
      if (changed) publishContact(events, c.var.caller.workspace.id, 'contact.updated', contact, { fields: Object.keys(patch) });
      // File fields hold documents: the ones put in or taken out of a field are announced to document lists.
      if (patch.customFields) await docs.publishFieldChanges(before, contact);
      return answer(c, contact);
    })
    .delete('/:id', responds(200, contactJson, 'The contact, now in the restore bin.'), validate('param', idParam), async (c) => {
      assertCan(c.var.caller, 'contacts.delete');
      const contact = await deleteContact(db, c.var.caller, c.req.valid('param').id, clock.now());
      await publishContacts(db, events, c.var.caller.workspace.id, 'contact.deleted', [contact.id]);
      return answer(c, contact);
    })
    .post('/:id/restore', responds(200, contactJson, 'The contact restored.'), validate('param', idParam), async (c) => {
      assertCan(c.var.caller, 'contacts.restore');
      const contact = await restoreContact(db, c.var.caller, c.req.valid('param').id, clock.now());
      await publishContacts(db, events, c.var.caller.workspace.id, 'contact.restored', [contact.id]);
      return answer(c, contact);
    })
    .get('/:id/audit', responds(200, auditPage), validate('param', idParam), validate('query', pageQuery), async (c) => {
      const { id } = c.req.valid('param');
      const { limit, cursor } = c.req.valid('query');
      await getVisibleContact(db, c.var.caller, id);
      const page = await listAudit(db, c.var.caller.workspace.id, id, limit, decodeCursor(cursor, isAuditCursor));
      return c.json({ items: page.items, nextCursor: page.next ? encodeCursor(page.next) : null });
    });
}
