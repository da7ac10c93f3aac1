import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../deps.js';
import { publishContacts, visibleTo } from '../domain/contacts.js';
import { mergeContacts, mergeSchema, previewMerge, previewUnmerge, snapshotVisibleTo, unmerge, unmergeSchema, type MergeSnapshot } from '../domain/merge.js';
import { assertCan } from '../http/auth.js';
import type { Env } from '../http/env.js';
import { validate } from '../http/validate.js';
import { fails, responds } from '../http/route-meta.js';
import { mergedJson, mergeList, mergePreviewJson, unmergeResultJson, type mergeSummaryJson } from '../openapi/schemas/merge.js';

/** POST /api/v1/contacts/merge/preview and /api/v1/contacts/merge. */
export function contactMergeRoutes(deps: AppDeps) {
  const { db, clock } = deps;
  return new Hono<Env>()
    .post('/merge/preview', responds(200, mergePreviewJson, 'What the merge would do (nothing is changed): the survivor as it would be, the contacts as they are, and the fields they disagree on.'), fails(422, 'invalid_field'), validate('json', mergeSchema), async (c) => {
      assertCan(c.var.caller, 'contacts.merge');
      return c.json(await previewMerge(db, c.var.caller, c.req.valid('json'), clock.now()));
    })
    .post('/merge', responds(201, mergedJson, 'Merged: the survivor as it is now, and the merge id to undo it with.'), fails(422, 'invalid_field'), validate('json', mergeSchema), async (c) => {
      assertCan(c.var.caller, 'contacts.merge');
      const input = c.req.valid('json');
      const merged = await mergeContacts(db, c.var.caller, input, clock.now());
      await publishContacts(db, deps.events, c.var.caller.workspace.id, 'contact.merged', [input.survivorId, ...input.mergedIds], { survivorId: input.survivorId, mergeId: merged.mergeId });
      return c.json(merged, 201);
    });
}

const idParam = z.object({ id: z.string().min(1).max(64) });
const listQuery = z.object({ contactId: z.string().min(1).max(64) }).strict();

/** /api/v1/merges — the merges a contact survived (to offer "unmerge"), and the undo itself. */
export function mergeRoutes(deps: AppDeps) {
  const { db, clock } = deps;
  return new Hono<Env>()
    .get('/', responds(200, mergeList, 'The merges the contact survived, newest first (at most 100).'), validate('query', listQuery), async (c) => {
      const caller = c.var.caller;
      const rows = await db
        .selectFrom('merges')
        .select(['id', 'survivor_id', 'merged_ids', 'created_at', 'undone_at', 'snapshot'])
        .where('workspace_id', '=', caller.workspace.id)
        .where('survivor_id', '=', c.req.valid('query').contactId)
        .where('survivor_id', 'in', db.selectFrom('contacts').select('contacts.id').where(visibleTo(caller)))
        .orderBy('created_at', 'desc')
        .limit(100)
        .execute();
      // A merge is listed only when the caller could see every contact in it.
      const items = rows
        .filter((r) => snapshotVisibleTo(caller, JSON.parse(r.snapshot) as MergeSnapshot))
        .map((r): z.output<typeof mergeSummaryJson> => ({ id: r.id, survivorId: r.survivor_id, mergedIds: JSON.parse(r.merged_ids) as string[], createdAt: r.created_at, undoneAt: r.undone_at }));
      return c.json({ items });
    })
    // The body is optional: `{ contactIds }` splits only those off; without it the whole merge is undone.
    .post('/:id/unmerge/preview', responds(200, unmergeResultJson, 'What the unmerge would do (nothing is changed).'), fails(422, 'invalid_field'), validate('param', idParam), validate('json', unmergeSchema), async (c) => {
      assertCan(c.var.caller, 'contacts.merge');
      return c.json(await previewUnmerge(db, c.var.caller, c.req.valid('param').id, c.req.valid('json'), clock.now()));
    })
    .post('/:id/unmerge', responds(200, unmergeResultJson, 'Unmerged: the survivor and the contacts split off, as they are now.'), fails(422, 'invalid_field'), validate('param', idParam), validate('json', unmergeSchema), async (c) => {
      assertCan(c.var.caller, 'contacts.merge');
      const result = await unmerge(db, c.var.caller, c.req.valid('param').id, c.req.valid('json'), clock.now());
      const ids = [result.survivor.id, ...result.restored.map((r) => r.id), ...(result.remaining?.mergedIds ?? [])];
      await publishContacts(db, deps.events, c.var.caller.workspace.id, 'contact.unmerged', ids, { survivorId: result.survivor.id, mergeId: result.mergeId });
      return c.json(result);
    });
}
