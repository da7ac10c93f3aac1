import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../deps.js';
import { ACTION_PERMISSION, applyChunk, BULK_ACTIONS, bulkParamsSchema, prepareAction } from '../domain/bulk-actions.js';
import { createJob, getJob, jobJson, runJob, yieldToEventLoop } from '../domain/bulk-jobs.js';
import { countMatches } from '../domain/contact-count.js';
import { matchingIdChunks } from '../domain/contact-paging.js';
import { compileContactQuery, filterSchema } from '../domain/contact-query.js';
import { publishContacts } from '../domain/contacts.js';
import { assertCan } from '../http/auth.js';
import type { Env } from '../http/env.js';
import { badRequest } from '../http/errors.js';
import { validate } from '../http/validate.js';
import { fails, responds } from '../http/route-meta.js';
import { bulkJobJson } from '../openapi/schemas/bulk-job.js';

const CHUNK = 500;

const bulkBody = z
  .object({
    action: z.enum(BULK_ACTIONS),
    ids: z.array(z.string().min(1).max(64)).min(1).max(10_000).optional(),
    /** Everything matching, as in POST /contacts/query; `restore` works on the restore bin. */
    selection: z.object({ q: z.string().trim().max(200).optional(), filter: filterSchema.optional() }).strict().optional(),
    /** With `selection`: contacts left out ("all matching but these"). */
    except: z.array(z.string().min(1).max(64)).max(10_000).optional(),
    params: bulkParamsSchema.default({}),
  })
  .strict();

/** POST /api/v1/contacts/bulk — starts a job and answers 202 at once; the job runs in chunks in the background. */
export function contactBulkRoutes(deps: AppDeps) {
  const { db, clock } = deps;
  return new Hono<Env>().post('/bulk', responds(202, bulkJobJson, 'The job, started (poll GET /bulk-jobs/:id).'), fails(400, 'invalid_filter'), fails(422, 'invalid_field'), validate('json', bulkBody), async (c) => {
    const caller = c.var.caller;
    const { action, ids, selection, except, params } = c.req.valid('json');
    assertCan(caller, 'contacts.bulk');
    assertCan(caller, ACTION_PERMISSION[action]);
    if (!ids === !selection) throw badRequest('Send either "ids" or "selection", not both.', { field: ids ? 'selection' : 'ids' });
    if (except && !selection) throw badRequest('"except" goes with "selection".', { field: 'except' });
    const prepared = await prepareAction(db, caller, action, params, clock.now());

    let chunks: AsyncIterable<string[]> | Iterable<string[]>;
    let countTotal: () => Promise<number>;
    if (ids) {
      const unique = [...new Set(ids)];
      countTotal = async () => unique.length;
      chunks = Array.from({ length: Math.ceil(unique.length / CHUNK) }, (_, i) => unique.slice(i * CHUNK, (i + 1) * CHUNK));
    } else {
      // created_at never changes, so walking by it stays exact while the action edits the rows.
      const compiled = await compileContactQuery(db, caller, { ...selection, deleted: action === 'restore', sort: { field: 'createdAt', dir: 'desc' } }, clock.now());
      const left = new Set(except);
      const leftMatching = async () =>
        left.size ? Number((await compiled.base().select((eb) => eb.fn.countAll<number>().as('n')).where('contacts.id', 'in', [...left]).executeTakeFirstOrThrow()).n) : 0;
      countTotal = async () => (await countMatches(db, compiled, { exact: true })).count - (await leftMatching());
      chunks = left.size ? without(matchingIdChunks(compiled, CHUNK), left) : matchingIdChunks(compiled, CHUNK);
    }
    const job = await createJob(db, caller, `bulk.${action}`, ids ? ids.length : 0, clock.now());
    void runJob(job, () => clock.now(), async () => {
      // Counted inside the job: on a million contacts it takes a moment the 202 should not wait for.
      job.total = await countTotal();
      await job.save();
      for await (const chunk of chunks) {
        const change = await applyChunk(db, caller, prepared, chunk, job, clock.now());
        // Per chunk, once committed: open records and tables refresh what they show.
        if (change) await publishContacts(db, deps.events, caller.workspace.id, change.type, change.ids, { fields: change.fields });
        await job.save();
        await yieldToEventLoop();
      }
    });
    return c.json(await getJob(db, caller, job.id), 202);
  });
}

async function* without(chunks: AsyncIterable<string[]>, left: Set<string>) {
  for await (const chunk of chunks) {
    const kept = chunk.filter((id) => !left.has(id));
    if (kept.length) yield kept;
  }
}

const idParam = z.object({ id: z.string().min(1).max(64) });

/** /api/v1/bulk-jobs — progress of bulk actions and imports. */
export function bulkJobRoutes(deps: AppDeps) {
  const { db } = deps;
  return new Hono<Env>()
    .get('/', responds(200, z.object({ items: z.array(bulkJobJson) }).strict(), 'The 50 newest jobs (a member\'s own; all with the secret key).'), async (c) => {
      const caller = c.var.caller;
      let query = db.selectFrom('bulk_jobs').selectAll().where('workspace_id', '=', caller.workspace.id);
      // Members see their own jobs; the host backend sees all.
      if (caller.kind === 'member') query = query.where('member_id', '=', caller.member.id);
      const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(50).execute();
      return c.json({ items: rows.map(jobJson) });
    })
    .get('/:id', responds(200, bulkJobJson), validate('param', idParam), async (c) => c.json(await getJob(db, c.var.caller, c.req.valid('param').id)));
}
