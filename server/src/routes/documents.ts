import { Hono } from 'hono';
import { z } from 'zod';
import { documentLimits, type AppDeps } from '../deps.js';
import { getVisibleContact, MAX_FIELD_FILES } from '../domain/contacts.js';
import { documentJson, Documents, ORIGINS, SECTIONS, type SortKey } from '../domain/documents.js';
import { InProcessFeed } from '../domain/events.js';
import { receiveFile, tooLarge, type ReceivedFile } from '../domain/receive-file.js';
import { assertCan } from '../http/auth.js';
import { requestBody } from '../http/body.js';
import { decodeCursor, encodeCursor } from '../http/cursor.js';
import type { Caller, Env } from '../http/env.js';
import { ApiError, badRequest, invalidField } from '../http/errors.js';
import { interrupted, readMultipart } from '../http/multipart.js';
import { issuePaths, validate } from '../http/validate.js';
import { fails, multipartBody, responds } from '../http/route-meta.js';
import { documentJson as documentSchema, documentList, documentPage } from '../openapi/schemas/document.js';

const idParam = z.object({ id: z.string().min(1).max(64) });
const section = z.enum(SECTIONS);
const fieldKey = z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'A custom field key.');
const boolFlag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const listQuery = z
  .object({
    section: section.optional(),
    q: z.string().trim().max(200).optional(),
    origin: z.enum(ORIGINS).optional(),
    form: z.string().trim().min(1).max(200).optional(),
    portal: boolFlag.optional(),
    field: z.union([z.literal('*'), fieldKey]).optional(),
    sort: z.enum(['date', 'name', 'size']).default('date'),
    dir: z.enum(['asc', 'desc']).optional(),
    deleted: boolFlag.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(1000).optional(),
  })
  .strict();

const uploadQuery = z
  .object({
    section: section.optional(),
    shareOnPortal: boolFlag.optional(),
    fieldKey: fieldKey.optional(),
    /** File name for a raw (non-multipart) body. */
    name: z.string().min(1).max(1000).optional(),
  })
  .strict();

const patchBody = z
  .object({ name: z.string().min(1).max(1000).optional(), section: section.optional(), shareOnPortal: z.boolean().optional() })
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'Send at least one of name, section, shareOnPortal.');

type ListCursor = [number | string, string];
const isListCursor = (v: unknown): v is ListCursor =>
  Array.isArray(v) && v.length === 2 && (typeof v[0] === 'number' || typeof v[0] === 'string') && typeof v[1] === 'string';

/**
 * An upload through a `file` custom field: it edits the contact too, goes to Internal, and the field keeps at most
 * MAX_FIELD_FILES files. Checked once the files are in (a multipart field may come after the query was read).
 */
async function checkFieldUpload(db: AppDeps['db'], caller: Caller, contactId: string, key: string, section: string, count: number) {
  assertCan(caller, 'contacts.edit');
  const field = await db.selectFrom('custom_fields').select('type').where('workspace_id', '=', caller.workspace.id).where('key', '=', key).executeTakeFirst();
  if (field?.type !== 'file') throw invalidField('fieldKey', `There is no file custom field "${key}" in this workspace.`);
  if (section !== 'internal') throw invalidField('section', 'Files of a custom field are internal documents.');
  const held = await db.selectFrom('documents').select((eb) => eb.fn.countAll<number>().as('n')).where('contact_id', '=', contactId).where('field_key', '=', key).where('deleted_at', 'is', null).executeTakeFirstOrThrow();
  if (Number(held.n) + count > MAX_FIELD_FILES) throw invalidField('fieldKey', `A file field holds at most ${MAX_FIELD_FILES} files.`);
}

/** The documents service every document route shares (one event bus per app). */
export function documentsOf(deps: AppDeps): Documents {
  const events = deps.events ?? new InProcessFeed();
  return new Documents(deps.db, deps.blobs, events, documentLimits(deps.config).allowedTypes);
}

/** /api/v1/contacts/:id/documents — list and search a contact's documents, upload new ones. */
export function contactDocumentRoutes(deps: AppDeps) {
  const { db, clock } = deps;
  const docs = documentsOf(deps);
  const limits = documentLimits(deps.config);
  // The upload's form: the options (before the files), then up to maxFiles files of up to maxBytes each.
  const uploadForm = z.object({
    section: section.optional(),
    shareOnPortal: z.enum(['true', 'false', '1', '0']).optional(),
    fieldKey: fieldKey.optional(),
    file: z.array(z.file().max(limits.maxBytes)).min(1).max(limits.maxFiles).describe(`The files (any part name): at most ${limits.maxFiles}, each at most ${limits.maxBytes} bytes. Or send one file as the raw body with ?name=.`),
  });
  return new Hono<Env>()
    .get('/:id/documents', responds(200, documentPage), validate('param', idParam), validate('query', listQuery), async (c) => {
      const { id } = c.req.valid('param');
      const o = c.req.valid('query');
      const caller = c.var.caller;
      const contact = await getVisibleContact(db, caller, id);
      const dir = o.dir ?? (o.sort === 'name' ? 'asc' : 'desc');
      const after = decodeCursor(o.cursor, isListCursor);
      const page = await docs.list(caller.workspace.id, id, {
        section: o.section,
        q: o.q || undefined,
        origin: o.origin,
        form: o.form,
        portal: o.portal,
        field: o.field,
        sort: o.sort as SortKey,
        dir,
        deleted: o.deleted ?? false,
        limit: o.limit,
        after,
      });
      return c.json({ items: page.items, nextCursor: page.next ? encodeCursor(page.next) : null, counts: page.counts, contactDeleted: contact.deletedAt !== null });
    })
    .post('/:id/documents', responds(201, documentList, 'The documents received, in the order sent.'), fails(400, 'bad_request', 'validation_failed', 'upload_interrupted'), fails(409, 'contact_deleted'), fails(413, 'payload_too_large', 'file_too_large', 'too_many_files'), fails(415, 'unsupported_file'), fails(422, 'invalid_field'), multipartBody(uploadForm, limits.maxBytes * limits.maxFiles + 1024 * 1024), validate('param', idParam), validate('query', uploadQuery), async (c) => {
      const caller = c.var.caller;
      assertCan(caller, 'documents.upload');
      const { id } = c.req.valid('param');
      const query = c.req.valid('query');
      const contact = await getVisibleContact(db, caller, id);
      if (contact.deletedAt !== null) {
        // Answered before a byte of the file is read; the rest of the body is not waited for.
        requestBody(c).stop();
        throw new ApiError(409, 'contact_deleted', 'This contact is in the restore bin; restore it before adding documents.');
      }
      const allowed = await docs.allowedKinds(caller.workspace.id);
      const multipart = /^multipart\/form-data\b/i.test(c.req.header('content-type') ?? '');
      const declared = Number(c.req.header('content-length') ?? NaN);
      // Refuse before reading a byte when the declared length alone is over the limit.
      const ceiling = multipart ? limits.maxBytes * limits.maxFiles + 1024 * 1024 : limits.maxBytes;
      if (declared > ceiling) {
        requestBody(c).stop();
        throw tooLarge(limits.maxBytes);
      }

      let meta = { section: query.section ?? 'internal', shareOnPortal: query.shareOnPortal ?? false, fieldKey: query.fieldKey };
      // Slots keep the request's file order: busboy may announce the next file while the last is being sniffed.
      const received: ReceivedFile[] = [];
      try {
        if (multipart) {
          let order = 0;
          let fileSeen = false;
          await readMultipart(c.req.header('content-type') ?? '', requestBody(c), { fileBytes: limits.maxBytes + 1, files: limits.maxFiles }, {
            field(name, value) {
              if (name !== 'section' && name !== 'shareOnPortal' && name !== 'fieldKey') return;
              if (fileSeen) throw badRequest('Send the section, shareOnPortal and fieldKey fields before the files.');
              const parsed = z.object({ section: section.optional(), shareOnPortal: boolFlag.optional(), fieldKey: fieldKey.optional() }).safeParse({ [name]: value });
              if (!parsed.success) throw new ApiError(400, 'validation_failed', `Invalid form field ${name}.`, issuePaths(parsed.error.issues));
              meta = { ...meta, ...parsed.data };
            },
            async file(_field, filename, stream) {
              const first = !fileSeen;
              fileSeen = true;
              const slot = order++;
              // Refused before the first file is read, rather than after all of them.
              if (first && meta.fieldKey) await checkFieldUpload(db, caller, id, meta.fieldKey, meta.section, 1);
              received[slot] = await receiveFile(deps.blobs, stream, filename || 'document', limits, allowed);
            },
          });
        } else {
          if (!query.name) throw badRequest('Send multipart/form-data, or the raw file with ?name=<file name>.', { field: 'name' });
          const body = requestBody(c);
          if (meta.fieldKey) await checkFieldUpload(db, caller, id, meta.fieldKey, meta.section, 1).catch((err: unknown) => (body.stop(), Promise.reject(err)));
          body.stream.on('error', () => undefined);
          try {
            // The iterator must not destroy the request on an early exit: that would reset the socket before the 413 is read.
            received.push(await receiveFile(deps.blobs, body.stream.iterator({ destroyOnReturn: false }), query.name, limits, allowed));
          } catch (err) {
            body.stop();
            throw body.stream.errored && !(err instanceof ApiError) ? interrupted() : err;
          }
        }
        const files = received.filter(Boolean);
        if (files.length === 0) throw badRequest('The upload contains no file.', { field: 'file' });
        if (meta.fieldKey) await checkFieldUpload(db, caller, id, meta.fieldKey, meta.section, files.length);
        const items = await docs.create(caller, id, files, { ...meta, origin: 'upload' }, clock.now());
        return c.json({ items }, 201);
      } catch (err) {
        await Promise.all(received.filter(Boolean).map((f) => f.pending.discard()));
        throw err;
      }
    });
}

/** /api/v1/documents/:id — read, rename / move / share, soft delete, restore. */
export function documentRoutes(deps: AppDeps) {
  const docs = documentsOf(deps);
  const { clock } = deps;
  return new Hono<Env>()
    .get('/:id', responds(200, documentSchema, 'The document (also when in the restore bin).'), validate('param', idParam), async (c) => {
      const row = await docs.get(c.var.caller, c.req.valid('param').id, { includeDeleted: true });
      return c.json(documentJson(row));
    })
    .patch('/:id', responds(200, documentSchema, 'The document as it is now.'), fails(409, 'field_document'), fails(422, 'invalid_field'), validate('param', idParam), validate('json', patchBody), async (c) => {
      assertCan(c.var.caller, 'documents.edit');
      return c.json(await docs.update(c.var.caller, c.req.valid('param').id, c.req.valid('json'), clock.now()));
    })
    .delete('/:id', responds(200, documentSchema, 'The document, now in the restore bin.'), validate('param', idParam), async (c) => {
      assertCan(c.var.caller, 'documents.delete');
      return c.json(await docs.remove(c.var.caller, c.req.valid('param').id, clock.now()));
    })
    .post('/:id/restore', responds(200, documentSchema, 'The document restored.'), fails(410, 'restore_expired'), validate('param', idParam), async (c) => {
      assertCan(c.var.caller, 'documents.delete');
      return c.json(await docs.restore(c.var.caller, c.req.valid('param').id, clock.now()));
    });
}
