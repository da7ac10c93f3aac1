import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../deps.js';
import { MAX_NOTE_LENGTH, Notes, type NoteCursor, type NoteJson } from '../domain/notes.js';
import { assertCan } from '../http/auth.js';
import { decodeCursor, encodeCursor } from '../http/cursor.js';
import type { Env } from '../http/env.js';
import { documents, responds, sameShape, type SameShape } from '../http/route-meta.js';
import { validate } from '../http/validate.js';
import { cursorPage } from '../openapi/schemas/common.js';

const idParam = z.object({ id: z.string().min(1).max(64) });
const noteParam = z.object({ id: z.string().min(1).max(64), noteId: z.string().min(1).max(64) });
// Line breaks are kept; only surrounding blank space goes.
const body = z.string().trim().min(1, 'Write something in the note.').max(MAX_NOTE_LENGTH, `A note holds at most ${MAX_NOTE_LENGTH.toLocaleString('en')} characters.`);
const listQuery = z
  .object({
    q: z.string().trim().max(200).optional(),
    sort: z.enum(['newest', 'oldest']).default('newest'),
    limit: z.coerce.number().int().min(1).max(100).default(30),
    cursor: z.string().max(500).optional(),
  })
  .strict();
const createBody = z.object({ body, pinned: z.boolean().optional() }).strict();
const patchBody = z
  .object({ body: body.optional(), pinned: z.boolean().optional() })
  .strict()
  .refine((v) => v.body !== undefined || v.pinned !== undefined, 'Send body and/or pinned.');

// What the routes answer (the OpenAPI document shows these; the server tests check every answer against them).
const noteJson = z
  .object({
    id: z.string(),
    contactId: z.string(),
    body: z.string(),
    author: z.object({ id: z.string(), name: z.string().nullable() }).strict().nullable(),
    pinned: z.boolean(),
    pinnedAt: z.number().nullable(),
    createdAt: z.number(),
    updatedAt: z.number(),
    editedAt: z.number().nullable(),
    canEdit: z.boolean(),
  })
  .strict();
sameShape<SameShape<z.output<typeof noteJson>, NoteJson>>();
const notePage = cursorPage(noteJson);
/** The contact is in the restore bin, or a pin would pass the limit. */
const writeErrors = documents({ errors: { 409: ['contact_deleted', 'pin_limit'] } });

const isCursor = (v: unknown): v is NoteCursor => Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'string';

/** /api/v1/contacts/:id/notes — a contact's notes: list (search, sort, keyset pages), write, edit, pin, delete. */
export function contactNoteRoutes(deps: AppDeps) {
  const { db, clock } = deps;
  const notes = new Notes(db, deps.events);
  return new Hono<Env>()
    .get('/:id/notes', responds(200, notePage), validate('param', idParam), validate('query', listQuery), async (c) => {
      const { id } = c.req.valid('param');
      const o = c.req.valid('query');
      const page = await notes.list(c.var.caller, id, { q: o.q || undefined, sort: o.sort, limit: o.limit, after: decodeCursor(o.cursor, isCursor) });
      return c.json({ items: page.items, nextCursor: page.next ? encodeCursor(page.next) : null });
    })
    .post('/:id/notes', responds(201, noteJson, 'The note written.'), writeErrors, validate('param', idParam), validate('json', createBody), async (c) => {
      const caller = c.var.caller;
      assertCan(caller, 'contacts.edit');
      return c.json(await notes.create(caller, c.req.valid('param').id, c.req.valid('json'), clock.now()), 201);
    })
    .patch('/:id/notes/:noteId', responds(200, noteJson, 'The note as it is now.'), writeErrors, validate('param', noteParam), validate('json', patchBody), async (c) => {
      const caller = c.var.caller;
      assertCan(caller, 'contacts.edit');
      const { id, noteId } = c.req.valid('param');
      return c.json(await notes.update(caller, id, noteId, c.req.valid('json'), clock.now()));
    })
    .delete('/:id/notes/:noteId', responds(200, noteJson, 'The note deleted.'), writeErrors, validate('param', noteParam), async (c) => {
      const caller = c.var.caller;
      assertCan(caller, 'contacts.edit');
      const { id, noteId } = c.req.valid('param');
      return c.json(await notes.remove(caller, id, noteId, clock.now()));
    });
}
